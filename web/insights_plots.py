"""The six charts of the insights page, one per figure of kb/insights/model.py, each with a
text alternative that says what it shows; the page puts each beside a table of its numbers."""

from __future__ import annotations

from kb.insights.model import (
    ContributionHealth,
    FollowThrough,
    Insights,
    KnowledgeFlow,
    TransferTime,
)
from web.insights_charts import (
    DASHES,
    FONT,
    MARKERS,
    MAX_CHART_DEPARTMENTS,
    OKABE_ITO,
    Chart,
    empty_chart,
    legend_below,
    new_figure,
    rows_height,
    style_axes,
    to_chart,
)

NO_DATA = "No data in this period."


def flow_matrix(flow: KnowledgeFlow) -> tuple[list[str], list[list[int]]]:
    """The busiest departments (by all their reading and being read) and the reader x
    author matrix of uses among them."""
    use: dict[str, int] = {}
    for cell in flow.cells:
        use[cell.reader] = use.get(cell.reader, 0) + cell.total
        use[cell.author] = use.get(cell.author, 0) + cell.total
    busiest = sorted(use, key=lambda d: -use[d])[:MAX_CHART_DEPARTMENTS]
    departments = [d for d in flow.departments if d in busiest]
    departments += [d for d in busiest if d not in departments]
    index = {name: i for i, name in enumerate(departments)}
    matrix = [[0] * len(departments) for _ in departments]
    for cell in flow.cells:
        if cell.reader in index and cell.author in index:
            matrix[index[cell.reader]][index[cell.author]] += cell.total
    return departments, matrix


def flow_chart(flow: KnowledgeFlow) -> Chart:
    title = "Knowledge flow between departments"
    departments, matrix = flow_matrix(flow)
    if not departments:
        return empty_chart("flow", title, NO_DATA)
    from matplotlib.patches import Rectangle

    # narrower than the others: it shares its row with the table, and its labels stay large
    figure, axes = new_figure(rows_height(len(departments), 2.4, 0.55), width=6.6)
    image = axes.imshow(matrix, cmap="Blues", aspect="auto")
    size = range(len(departments))
    axes.set_xticks(size, labels=departments, rotation=25, ha="right", rotation_mode="anchor")
    axes.set_yticks(size, labels=departments)
    peak = max(max(row) for row in matrix) or 1
    for row, values in enumerate(matrix):
        for column, value in enumerate(values):
            colour = "white" if value > 0.55 * peak else "#1a1a1a"
            axes.text(
                column, row, str(value), ha="center", va="center", color=colour, fontsize=FONT
            )
        axes.add_patch(Rectangle((row - 0.5, row - 0.5), 1, 1, fill=False, ec="#D55E00", lw=2.5))
    style_axes(axes, "Whose lessons (author department)", "Who reads and applies them")
    figure.colorbar(image, ax=axes, label="Uses").ax.tick_params(labelsize=FONT - 1)
    return to_chart(figure, "flow", title, flow_description(departments, matrix))


def flow_description(departments: list[str], matrix: list[list[int]]) -> str:
    total = sum(map(sum, matrix))
    across = total - sum(matrix[i][i] for i in range(len(departments)))
    value, reader, author = max(
        (matrix[r][a], departments[r], departments[a])
        for r in range(len(departments))
        for a in range(len(departments))
        if r != a
    ) if len(departments) > 1 else (0, "", "")  # fmt: skip
    text = (
        f"A matrix of how often each department (rows) read or applied each department's "
        f"lessons (columns), own department outlined on the diagonal: {total} uses, "
        f"{across} of them of another department's lessons."
    )
    if value:
        text += f" The largest flow across departments: {reader} using {author}'s lessons, {value} times."
    return text + " The numbers are in the table beside the chart."


def share_chart(flow: KnowledgeFlow) -> Chart:
    title = "Share of reading from other departments, by quarter"
    quarters = sorted(flow.share_by_quarter)
    readers = [d for d in flow.departments if any(d in flow.share_by_quarter[q] for q in quarters)]
    if not quarters or not readers:
        return empty_chart("share", title, NO_DATA)
    figure, axes = new_figure(4.2)
    for i, reader in enumerate(readers[:MAX_CHART_DEPARTMENTS]):
        points = [(x, flow.share_by_quarter[q][reader]) for x, q in enumerate(quarters)
                  if reader in flow.share_by_quarter[q]]  # fmt: skip
        axes.plot([x for x, _ in points], [100 * share for _, share in points], label=reader,
                  color=OKABE_ITO[i % len(OKABE_ITO)], marker=MARKERS[i % len(MARKERS)],
                  linestyle=DASHES[i % len(DASHES)], linewidth=2.2, markersize=8)  # fmt: skip
    axes.set_xticks(range(len(quarters)), labels=quarters)
    peak = max(100 * s for shares in flow.share_by_quarter.values() for s in shares.values())
    axes.set_ylim(0, min(100, 10 * (int(peak * 1.15) // 10 + 1)))  # room for the lines to move
    axes.yaxis.set_major_formatter("{x:.0f}%")
    axes.grid(axis="y", color="#dddddd")
    style_axes(axes, "Quarter", "Of other departments' lessons")
    legend_below(figure, len(readers))
    return to_chart(figure, "share", title, share_description(flow, quarters))


def share_description(flow: KnowledgeFlow, quarters: list[str]) -> str:
    latest = flow.share_by_quarter[quarters[-1]]
    summary = ", ".join(f"{d} {round(100 * s)}%" for d, s in latest.items())
    return (
        f"Lines, one per department, of the share of its reading and applying that was of "
        f"other departments' lessons, from {quarters[0]} to {quarters[-1]}. In {quarters[-1]}: {summary}."
    )


def draw_days(axes, drawn: list[tuple[int, list[float]]]) -> None:
    """A box per row, and each lesson a dot, spread a little so equal days stay visible."""
    boxes = axes.boxplot([days for _, days in drawn], positions=[y for y, _ in drawn],
                         orientation="horizontal", widths=0.55, showfliers=False, patch_artist=True)  # fmt: skip
    for box in boxes["boxes"]:
        box.set(facecolor="#cfe3f3", edgecolor="#0072B2")
    for y, days in drawn:
        spread = [y + 0.22 * (((k * 0.618) % 1) - 0.5) for k in range(len(days))]
        axes.scatter(
            days, spread, s=26, color="#D55E00", zorder=3, edgecolors="white", linewidths=0.5
        )


def transfer_chart(transfer: list[TransferTime]) -> Chart:
    title = "Days until another department first used a new lesson"
    rows = [t for t in transfer if t.lessons][:MAX_CHART_DEPARTMENTS]
    if not any(t.days for t in rows):
        return empty_chart(
            "transfer", title, "No lesson published in this period reached another department yet."
        )
    figure, axes = new_figure(rows_height(len(rows), 1.8, 0.6))
    draw_days(axes, [(y, t.days) for y, t in enumerate(rows) if t.days])
    for y, t in enumerate(rows):
        if not t.days:
            axes.text(0, y, "  none reached yet", va="center", fontsize=FONT - 1, color="#444444")
    axes.set_yticks(range(len(rows)), labels=[t.department for t in rows])
    axes.invert_yaxis()
    style_axes(axes, "Days from publication to first use by another department")
    medians = "; ".join(f"{t.department}: {t.reached} of {t.lessons} reached, median "
                        f"{'-' if t.median_days is None else f'{t.median_days:g} days'}" for t in rows)  # fmt: skip
    description = (
        f"Box plots with each lesson as a dot, one row per publishing department. {medians}."
    )
    return to_chart(figure, "transfer", title, description)


FOLLOW_SEGMENTS = [  # label, colour, hatch: overdue is hatched, not told by colour alone
    ("Overdue", "#D55E00", "//"),
    ("Open, not overdue", "#0072B2", ""),
    ("Done", "#009E73", ""),
    ("Dropped", "#BBBBBB", ""),
]


def follow_segments(row: FollowThrough) -> list[int]:
    still_open = row.open + row.in_progress
    return [row.overdue, max(still_open - row.overdue, 0), row.done, row.dropped]


def follow_through_chart(rows: list[FollowThrough]) -> Chart:
    title = "Actions followed through, by department"
    rows = rows[:MAX_CHART_DEPARTMENTS]
    if not rows:
        return empty_chart("follow_through", title, NO_DATA)
    figure, axes = new_figure(rows_height(len(rows), 1.9, 0.55))
    names, left = [r.department for r in rows], [0] * len(rows)
    for k, (label, colour, hatch) in enumerate(FOLLOW_SEGMENTS):
        widths = [follow_segments(r)[k] for r in rows]
        bars = axes.barh(
            names, widths, left=left, label=label, color=colour, hatch=hatch, edgecolor="white"
        )
        # overdue counts on a white patch: white text over the hatching would not be legible
        look = (
            {"bbox": {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"}} if k == 0 else {}
        )
        axes.bar_label(bars, labels=[str(w) if w else "" for w in widths], label_type="center",
                       color="white" if k in (1, 2) else "#1a1a1a", fontsize=FONT - 1, **look)  # fmt: skip
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.invert_yaxis()
    style_axes(axes, "Actions")
    legend_below(figure, len(FOLLOW_SEGMENTS))
    parts = "; ".join(f"{r.department}: {r.overdue} overdue, {r.open + r.in_progress} open, "
                      f"{r.done} done, {r.dropped} dropped" for r in rows)  # fmt: skip
    return to_chart(figure, "follow_through", title, f"Stacked bars by department. {parts}.")


def lifecycle_chart(lifecycle: dict[str, int]) -> Chart:
    title = "Lessons by lifecycle state"
    if not lifecycle:
        return empty_chart("lifecycle", title, NO_DATA)
    states = list(lifecycle)
    figure, axes = new_figure(rows_height(len(states), 1.3, 0.5))
    bars = axes.barh(states, [lifecycle[s] for s in states], color="#0072B2")
    axes.bar_label(bars, padding=4, fontsize=FONT - 1)
    axes.invert_yaxis()
    style_axes(axes, "Lessons")
    parts = ", ".join(f"{s}: {n}" for s, n in lifecycle.items())
    return to_chart(figure, "lifecycle", title, f"Bars of lessons per lifecycle state: {parts}.")


def contributions_chart(rows: list[ContributionHealth]) -> Chart:
    title = "Contributions per quarter, by department"
    if not rows:
        return empty_chart("contributions", title, NO_DATA)
    quarters = sorted({r.quarter for r in rows})
    departments = list(dict.fromkeys(r.department for r in rows))[:MAX_CHART_DEPARTMENTS]
    counts = {(r.department, r.quarter): r.contributions for r in rows}
    figure, axes = new_figure(4.4)
    bottom = [0] * len(quarters)
    for i, department in enumerate(departments):
        heights = [counts.get((department, q), 0) for q in quarters]
        axes.bar(quarters, heights, bottom=bottom, label=department, width=0.6,
                 color=OKABE_ITO[i % len(OKABE_ITO)], edgecolor="white")  # fmt: skip
        bottom = [a + b for a, b in zip(bottom, heights, strict=True)]
    axes.bar_label(
        axes.containers[-1], labels=[str(b) for b in bottom], padding=3, fontsize=FONT - 1
    )
    style_axes(axes, "Quarter", "Contributions")
    legend_below(figure, len(departments))
    totals = ", ".join(f"{q}: {b}" for q, b in zip(quarters, bottom, strict=True))
    description = (
        f"Stacked bars of contributions per quarter, one colour per department. Totals {totals}."
    )
    return to_chart(figure, "contributions", title, description)


def insights_charts(insights: Insights) -> dict[str, Chart]:
    """Every chart of the page, by name (as in /insights/charts/{name}.svg)."""
    return {
        "flow": flow_chart(insights.flow),
        "share": share_chart(insights.flow),
        "transfer": transfer_chart(insights.transfer),
        "follow_through": follow_through_chart(insights.follow_through),
        "lifecycle": lifecycle_chart(insights.lifecycle),
        "contributions": contributions_chart(insights.contributions),
    }


CHART_NAMES = ("flow", "share", "transfer", "follow_through", "lifecycle", "contributions")
