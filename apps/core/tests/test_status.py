"""The one status rule for a yearly figure against its target."""

import datetime
from decimal import Decimal as D

import pytest

from apps.core.status import Status, figure_status, status_on, target_status


@pytest.mark.parametrize(
    ("value", "target", "today", "expected"),
    [
        # Dates are fixed on purpose: the rule is about where a day falls in its year.
        (20, 20, datetime.date(2024, 3, 1), Status.DONE),
        (25, 20, datetime.date(2024, 3, 1), Status.DONE),
        (0, 20, datetime.date(2024, 1, 1), Status.NORMAL),
        (9, 20, datetime.date(2024, 7, 1), Status.NORMAL),  # 45 % at half-year: within 10 points
        (6, 20, datetime.date(2024, 7, 1), Status.BEHIND),
        (2, 20, datetime.date(2024, 7, 1), Status.SEVERE),
        (19, 20, datetime.date(2024, 12, 31), Status.NORMAL),  # the last day is still in the year
        (19, 20, datetime.date(2025, 1, 1), Status.UNFINISHED),  # from 1 January: short is unfinished
        (19, 20, datetime.date(2026, 6, 1), Status.UNFINISHED),  # a closed year never recovers
    ],
)
def test_a_figure_is_judged_against_the_share_of_its_year_gone_by(value, target, today, expected):
    assert target_status(value, target, year=2024, today=today) == expected


def test_no_target_means_no_status():
    assert target_status(5, None, year=2024) is None
    assert target_status(5, 0, year=2024) is None
    assert figure_status(5, None, year=2024) == ""


def test_a_missed_deadline_is_never_on_track():
    closed = datetime.date.today().year - 1
    assert figure_status(99, 100, year=closed) == "bad"
    assert figure_status(100, 100, year=closed) == "ok"


def test_figure_status_colours():
    today = datetime.date(2024, 7, 1)
    assert [figure_status(v, 20, year=2024, today=today) for v in (20, 9, 6, 2)] == ["ok", "", "warn", "bad"]


def test_the_ten_things_rule_is_this_rule():
    from apps.tenthings import completion

    assert completion.status_on(D("0.5"), year=2024, today=datetime.date(2024, 12, 31)) == status_on(
        D("0.5"), year=2024, today=datetime.date(2024, 12, 31)
    )
