"""The dashboard's pictures, drawn on the server as SVG: numbers in, shapes and labels out.

Every chart has its numbers beside it as a table (for screen readers, and to copy); the
pictures carry their own labels, so neither needs the other, nor JavaScript.

- ``bars``: one labelled bar per row (a label, a bar as long as its share of the largest
  row, the count at its end), the rows in the table's order;
- ``days``: signatures per day as columns on a date axis, under the running total against
  the goal, with the date the goal will be reached at the current pace while the campaign is
  live (``pace``);
- ``district_shades``: each district of the map shaded by its count (five steps).
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from altavoz.organising.reports import Row

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 150
CHART_WIDTH = 480
PACE_DAYS = 7  # the pace is the average of the last week (or of every day, when younger)
SHADES = 5


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: float
    width: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]


def bars(rows: list[Row], width: int = CHART_WIDTH) -> BarChart:
    room = width - LABEL_WIDTH - 50  # the count is written after the bar
    top = max((row.count for row in rows), default=0) or 1
    drawn = tuple(
        Bar(
            label=row.label,
            count=row.count,
            y=n * (BAR_HEIGHT + BAR_GAP),
            width=round(room * row.count / top, 1),
            text_y=n * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT / 2,
        )
        for n, row in enumerate(rows)
    )
    return BarChart(width, len(rows) * (BAR_HEIGHT + BAR_GAP), LABEL_WIDTH, drawn)


@dataclass(frozen=True)
class Pace:
    per_day: float
    reached_on: date | None  # None: already reached, or no pace to speak of
    after_deadline: bool


def pace(days: list[tuple[date, int]], *, total: int, goal: int, deadline: date) -> Pace:
    """At the average of the last PACE_DAYS days, the day the goal will be reached."""
    recent = days[-PACE_DAYS:]
    per_day = sum(count for _, count in recent) / len(recent) if recent else 0.0
    if total >= goal or per_day <= 0 or not days:
        return Pace(per_day, None, False)
    reached = days[-1][0] + timedelta(days=math.ceil((goal - total) / per_day))
    return Pace(per_day, reached, reached > deadline)


@dataclass(frozen=True)
class Column:
    day: date
    count: int
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class DayChart:
    width: int
    height: int
    columns: tuple[Column, ...]
    column_width: float
    columns_top: float  # the columns' panel: from columns_top to base
    base: float
    most: int  # the busiest day, the columns' scale
    line: str  # the running total, as SVG polyline points
    line_top: float
    line_base: float
    scale_max: int  # the running total's scale: the goal, or the total past it
    goal_y: float
    ticks: tuple[tuple[float, date], ...]  # date labels along the axis


def _ticks(days: list[date], x_of) -> tuple:
    step = max(1, math.ceil(len(days) / 6))
    return tuple((x_of(n), day) for n, day in enumerate(days) if n % step == 0)


def days_chart(rows: list[tuple[date, int]], *, goal: int, width: int = CHART_WIDTH) -> DayChart:
    """Columns per day (lower panel) under the running total and the goal (upper panel)."""
    left, right = 40, 10
    line_top, line_base, columns_top, base = 10.0, 110.0, 130.0, 210.0
    room = width - left - right
    column_width = room / max(len(rows), 1)
    most = max((count for _, count in rows), default=0) or 1
    running, points, columns = 0, [], []
    total = sum(count for _, count in rows)
    scale_max = max(goal, total, 1)
    for n, (day, count) in enumerate(rows):
        running += count
        height = (base - columns_top) * count / most
        x = left + n * column_width
        columns.append(Column(day, count, round(x, 1), round(base - height, 1), round(height, 1)))
        y = line_base - (line_base - line_top) * running / scale_max
        points.append(f"{x + column_width / 2:.1f},{y:.1f}")
    goal_y = line_base - (line_base - line_top) * goal / scale_max
    return DayChart(
        width=width,
        height=int(base) + 24,
        columns=tuple(columns),
        column_width=round(max(column_width - 1, 1), 1),
        columns_top=columns_top,
        base=base,
        most=most,
        line=" ".join(points),
        line_top=line_top,
        line_base=line_base,
        scale_max=scale_max,
        goal_y=round(goal_y, 1),
        ticks=_ticks([day for day, _ in rows], lambda n: round(left + n * column_width, 1)),
    )


def district_shades(rows: list[Row]) -> dict[str, int]:
    """District name -> shade 0 (none) .. SHADES - 1 (the most signatures)."""
    top = max((row.count for row in rows), default=0)
    if not top:
        return {row.label: 0 for row in rows}
    return {
        row.label: 0 if not row.count else max(1, math.ceil((SHADES - 1) * row.count / top))
        for row in rows
    }
