"""Server-side SVG geometry for the dashboard: plain numbers the template draws, so the
charts print and need no script or CDN.

The monthly chart has one scale (percent): the plan's cumulative completion at each month end
against the time elapsed. Report counts are not drawn on it (they have no percent scale); the
Excel export lists them per month.
"""

WIDTH, HEIGHT, LEFT, RIGHT, BOTTOM, TOP = 360, 180, 30, 8, 20, 14


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
    # Legends sit by their lines: the completion line's above its last point (right-aligned, so it
    # never runs off the chart), the time line's just under its top-right end.
    line_legend = {"x": round(last["x"] - 3, 1), "y": round(max(last["y"] - 7, TOP + 8), 1)} if last else None
    plan_legend = {"x": right, "y": TOP + 32}
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
        "line_legend": line_legend,
        "plan_legend": plan_legend,
        "last": last,
    }
