"""Geometry for the server-side SVG charts (no chart library, no script).

The functions return plain numbers; the templates draw them as <rect> and
<text> elements, coloured by CSS classes (`status-<value>`), so the charts obey
the Content-Security-Policy and print well. Every chart has a table beside it.
"""

import dataclasses

from .services import STATUSES


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
        for status, count in zip(STATUSES, counts, strict=True):
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
        for status, count in zip(STATUSES, counts, strict=True):
            if count:
                y -= count * per_unit
                segments.append(
                    Segment(x, y, column_width, count * per_unit, f"status-{status.value}", f"{status.label}: {count}")
                )
        bars.append(Bar(label, sum(counts), x + column_width / 2, x + column_width / 2, y - 5, segments))
    return Chart(width=width, height=height, bars=bars, baseline=baseline)
