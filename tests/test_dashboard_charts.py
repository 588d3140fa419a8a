"""The dashboard's pictures: labelled bars in the tables' order, signatures per day on a
date axis with the running total against the goal and the projected date, and the district
map shaded by count; all drawn on the server, the numbers also as tables."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from altavoz.campaigns.models import Signature
from altavoz.organising import charts
from altavoz.organising.reports import Row

DASHBOARD = "/organise/campaigns/{}/"


def test_bars_are_labelled_and_in_the_rows_order():
    chart = charts.bars([Row("District 1", 5, 0), Row("District 2", 10, 0), Row("—", 0, 0)])
    assert [(b.label, b.count) for b in chart.bars] == [
        ("District 1", 5),
        ("District 2", 10),
        ("—", 0),
    ]
    longest = chart.bars[1].width
    assert chart.bars[0].width == longest / 2 and chart.bars[2].width == 0
    assert [b.y for b in chart.bars] == [0, 28, 56]


def test_the_goal_is_projected_at_the_pace_of_the_last_week():
    days = [(date(2027, 1, 1) + timedelta(days=n), 10) for n in range(10)]
    pace = charts.pace(days, total=100, goal=200, deadline=date(2027, 6, 12))
    assert pace.per_day == 10 and pace.reached_on == date(2027, 1, 20)
    assert not pace.after_deadline
    late = charts.pace(days, total=100, goal=5000, deadline=date(2027, 6, 12))
    assert late.reached_on == date(2028, 5, 14) and late.after_deadline
    assert charts.pace(days, total=250, goal=200, deadline=date(2027, 6, 12)).reached_on is None
    quiet = [*days, *[(date(2027, 1, 11) + timedelta(days=n), 0) for n in range(7)]]
    assert charts.pace(quiet, total=100, goal=200, deadline=date(2027, 6, 12)).reached_on is None


def test_the_running_total_climbs_to_the_total_against_the_goal():
    days = [(date(2027, 1, 1), 3), (date(2027, 1, 2), 0), (date(2027, 1, 3), 5)]
    chart = charts.days_chart(days, goal=16)
    assert [c.count for c in chart.columns] == [3, 0, 5]
    tops = [float(p.split(",")[1]) for p in chart.line.split()]
    span = chart.line_base - chart.line_top
    assert tops == pytest.approx([chart.line_base - span * t / 16 for t in (3, 3, 8)], abs=0.05)
    assert chart.goal_y == chart.line_top
    assert chart.columns[2].height == chart.base - chart.columns_top  # the busiest day


def test_the_shades_grow_with_the_count():
    rows = [Row("District 1", 0, 0), Row("District 2", 1, 0), Row("District 3", 40, 0)]
    assert charts.district_shades(rows) == {"District 1": 0, "District 2": 1, "District 3": 4}


def _signed_days_ago(sign, district, days: int, number: int):
    signature = sign(area=district(number))
    Signature.objects.filter(pk=signature.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_the_dashboard_draws_the_map_the_days_and_the_projection(
    client, miami_maps, organisers, sign, district
):
    with time_machine.travel(timezone.now(), tick=False):
        for days, number in [(4, 2), (2, 2), (2, 5), (0, 3)]:
            _signed_days_ago(sign, district, days, number)
        client.force_login(organisers.a)
        html = client.get(DASHBOARD.format(miami_maps.pk)).content.decode()
    assert re.findall(r"<tspan class=\"number\">(\d)</tspan><tspan[^>]*>(\d+)</tspan>", html) == [
        ("1", "0"),
        ("2", "2"),
        ("3", "1"),
        ("4", "0"),
        ("5", "1"),
    ]
    assert '<g class="shade-4"><path' in html and '<g class="shade-0"><path' in html
    assert html.count('<rect class="day"') == 5  # four days ago to today, quiet days included
    assert "Running total: 4 of 1,000." in html
    assert "At the pace of the last seven days (0.8 a day), the goal will be reached on" in html
    assert '<table class="visually-hidden">' in html
