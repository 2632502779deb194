"""Server-side SVG geometry for the dashboard: plain numbers the template draws, so the
charts print and need no script or CDN."""

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 320, 160, 28, 20, 8


def trend_chart(trend: list[dict]) -> dict:
    """Points of the monthly completion line, report-count bars and the 'time elapsed' diagonal."""
    plot_w = WIDTH - LEFT - 6
    plot_h = HEIGHT - BOTTOM - TOP
    step = plot_w / 12
    max_reports = max([row["reports"] for row in trend] or [0]) or 1
    points, bars, labels = [], [], []
    for row in trend:
        x = LEFT + step * (row["month"] - 0.5)
        y = TOP + plot_h * (1 - float(row["completion"]))
        points.append(f"{x:.1f},{y:.1f}")
        bar_h = plot_h * 0.35 * row["reports"] / max_reports
        bars.append(
            {
                "x": round(x - step * 0.3, 1),
                "y": round(TOP + plot_h - bar_h, 1),
                "w": round(step * 0.6, 1),
                "h": round(bar_h, 1),
                "reports": row["reports"],
                "month": row["month"],
            }
        )
        labels.append({"x": round(x, 1), "y": round(y, 1), "month": row["month"], "percent": row["percent_int"]})
    grid = [{"y": round(TOP + plot_h * (1 - f), 1), "label": f"{int(f * 100)}%"} for f in (0, 0.25, 0.5, 0.75, 1)]
    months = [{"x": round(LEFT + step * (m - 0.5), 1), "m": m} for m in range(1, 13)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - 6,
        "baseline": TOP + plot_h,
        "points": " ".join(points),
        "bars": bars,
        "labels": labels,
        "grid": grid,
        "months": months,
        "plan_line": f"{LEFT},{TOP + plot_h} {WIDTH - 6},{TOP}",
        "month_label_y": HEIGHT - 6,
    }
