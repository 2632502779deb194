"""Server-side SVG geometry for the dashboard: plain numbers the template draws, so the
charts print and need no script or CDN.

The monthly chart has one scale (percent): the plan's cumulative completion at each month end
against the time elapsed. Report counts are not drawn on it (they have no percent scale); the
Excel export lists them per month.
"""

WIDTH, HEIGHT, LEFT, RIGHT, BOTTOM, TOP = 360, 170, 34, 62, 22, 10


def trend_chart(trend: list[dict]) -> dict:
    """Points of the monthly completion line and the 'time elapsed' diagonal, each labelled at its end."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - BOTTOM - TOP
    step = plot_w / 12
    right = LEFT + plot_w
    points, labels = [], []
    for row in trend:
        x = LEFT + step * (row["month"] - 0.5)
        y = TOP + plot_h * (1 - float(row["completion"]))
        points.append(f"{x:.1f},{y:.1f}")
        labels.append({"x": round(x, 1), "y": round(y, 1), "month": row["month"], "percent": row["percent_int"]})
    grid = [{"y": round(TOP + plot_h * (1 - f), 1), "label": f"{int(f * 100)}%"} for f in (0, 0.25, 0.5, 0.75, 1)]
    months = [{"x": round(LEFT + step * (m - 0.5), 1), "m": m} for m in range(1, 13)]
    last = labels[-1] if labels else None
    # Legends sit at the end of their lines; nudged apart when the two ends are close.
    line_legend_y = last["y"] if last else TOP + plot_h
    plan_legend_y = TOP
    if last and abs(line_legend_y - plan_legend_y) < 12:
        line_legend_y = plan_legend_y + 12
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": right,
        "baseline": TOP + plot_h,
        "points": " ".join(points),
        "labels": labels,
        "grid": grid,
        "months": months,
        "plan_line": f"{LEFT},{TOP + plot_h} {right},{TOP}",
        "month_label_y": HEIGHT - 6,
        "line_legend": {"x": round((last["x"] if last else LEFT) + 6, 1), "y": round(line_legend_y, 1)},
        "plan_legend": {"x": right + 4, "y": plan_legend_y},
        "last": last,
    }
