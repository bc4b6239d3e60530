"""Geometry for the server-side SVG charts (no chart library, no script).

The functions return plain numbers; the templates draw them as <rect> and
<text> elements, coloured by CSS classes (`status-<value>`, `figure-column`), so the charts obey
the Content-Security-Policy and print well. Every chart has a table beside it. Status counts come
in the order of CommitmentStatus (services.STATUSES).
"""

import dataclasses

from cooperation.tracker.models import CommitmentStatus


@dataclasses.dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    css_class: str
    title: str


@dataclasses.dataclass
class Bar:
    label: str
    total: int
    y: float  # of the row (horizontal chart) or x of the column (vertical chart)
    text_x: float
    text_y: float
    segments: list[Segment]


@dataclasses.dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    label_width: int = 0
    baseline: float = 0


def _scale(values: list[int], room: float) -> float:
    top = max(values, default=0)
    return room / top if top else 0


def horizontal_bars(rows: list[tuple[str, list[int]]], width: int = 560, label_width: int = 200) -> Chart:
    """One bar a row, stacked by status; `rows` are (label, counts in the order of STATUSES)."""
    row_height, bar_height, value_room = 26, 18, 40
    per_unit = _scale([sum(counts) for _label, counts in rows], width - label_width - value_room)
    bars = []
    for index, (label, counts) in enumerate(rows):
        y = index * row_height
        x = float(label_width)
        segments = []
        for status, count in zip(CommitmentStatus, counts, strict=True):
            if count:
                segments.append(
                    Segment(
                        x, y + 4, count * per_unit, bar_height, f"status-{status.value}", f"{status.label}: {count}"
                    )
                )
                x += count * per_unit
        bars.append(Bar(label, sum(counts), y, x + 6, y + 4 + bar_height - 4, segments))
    return Chart(width=width, height=max(len(rows), 1) * row_height + 4, bars=bars, label_width=label_width - 8)


def stacked_columns(points: list[tuple[str, list[int]]], width: int = 560, height: int = 240) -> Chart:
    """One column a point in time, stacked by status from the bottom."""
    axis_room, top_room = 24, 18
    baseline = height - axis_room
    slot = width / max(len(points), 1)
    column_width = min(56, slot * 0.6)
    per_unit = _scale([sum(counts) for _label, counts in points], baseline - top_room)
    bars = []
    for index, (label, counts) in enumerate(points):
        x = index * slot + (slot - column_width) / 2
        y = baseline
        segments = []
        for status, count in zip(CommitmentStatus, counts, strict=True):
            if count:
                y -= count * per_unit
                segments.append(
                    Segment(x, y, column_width, count * per_unit, f"status-{status.value}", f"{status.label}: {count}")
                )
        bars.append(Bar(label, sum(counts), x + column_width / 2, x + column_width / 2, y - 5, segments))
    return Chart(width=width, height=height, bars=bars, baseline=baseline)


# --- Figures over time ------------------------------------------------------------------------------


@dataclasses.dataclass
class ValuePoint:
    """One figure as a column: `label` its period (short), `sublabel` its report, `value` the height
    (the amount, comparable across scales), `text` the value as shown ("> 107"), `css_class` how the
    column is drawn (part of a year, assessed period, not reported), `title` the whole figure."""

    label: str
    sublabel: str
    value: float
    text: str
    css_class: str
    title: str


@dataclasses.dataclass
class Column:
    x: float
    y: float
    width: float
    height: float
    center: float
    point: ValuePoint


@dataclasses.dataclass
class ColumnChart:
    width: int
    height: int
    baseline: float
    label_y: float
    sublabel_y: float
    columns: list[Column]


def value_columns(points: list[ValuePoint], height: int = 250) -> ColumnChart:
    """One column a figure, in the order given (earliest period first), heights to one scale; the
    value is written above each column and the period and report under it. As wide as its columns
    need (up to 560), so that a chart of a few is not drawn small on a phone."""
    width = max(320, min(560, 120 * len(points)))
    axis_room, top_room = 40, 20
    baseline = height - axis_room
    slot = width / max(len(points), 1)
    column_width = min(64, slot * 0.6)
    top = max((point.value for point in points), default=0)
    per_unit = (baseline - top_room) / top if top > 0 else 0
    columns = []
    for index, point in enumerate(points):
        column_height = max(point.value * per_unit, 1.5)  # a zero still shows
        x = index * slot + (slot - column_width) / 2
        columns.append(Column(x, baseline - column_height, column_width, column_height, x + column_width / 2, point))
    return ColumnChart(width, height, baseline, baseline + 16, baseline + 31, columns)
