import datetime
from decimal import Decimal

import pytest

from apps.tenthings.completion import (
    BEHIND_GAP,
    SEVERE_GAP,
    STALE_DAYS,
    ZERO,
    Status,
    as_of_date,
    format_number,
    indicator_completion,
    is_stale,
    percent_floor,
    status_for,
    status_on,
    weighted_mean,
    year_elapsed,
)

D = Decimal


def test_indicator_completion_is_capped_at_one_and_never_negative():
    assert indicator_completion(actual=D("412"), target=D("600")) == D("412") / D("600")
    assert indicator_completion(actual=D("700"), target=D("600")) == 1
    assert indicator_completion(actual=D("-5"), target=D("600")) == 0
    assert indicator_completion(actual=D("5"), target=D("0")) == 0


def test_milestone_completion_is_all_or_nothing():
    assert indicator_completion(actual=0, milestone=True, done=True) == 1
    assert indicator_completion(actual=0, milestone=True, done=False) == 0


def test_weighted_mean_uses_weights_and_handles_empty():
    assert weighted_mean([(D("1"), D("3")), (D("0"), D("1"))]) == D("0.75")
    assert weighted_mean([]) == 0


@pytest.mark.parametrize(
    ("completion", "elapsed", "expected"),
    [
        (D("1"), D("0.2"), Status.DONE),
        (D("0.5") - BEHIND_GAP, D("0.5"), Status.NORMAL),  # exactly at the edge: still on track
        (D("0.5") - BEHIND_GAP - D("0.0001"), D("0.5"), Status.BEHIND),
        (D("0.5") - SEVERE_GAP, D("0.5"), Status.BEHIND),  # exactly at the severe edge
        (D("0.5") - SEVERE_GAP - D("0.0001"), D("0.5"), Status.SEVERE),
        (D("0.9"), D("0.5"), Status.NORMAL),
    ],
)
def test_status_thresholds_at_the_edges(completion, elapsed, expected):
    assert status_for(completion, elapsed) == expected


@pytest.mark.parametrize(
    ("today", "completion", "expected"),
    [
        # Before the year: nothing can be behind yet.
        (datetime.date(2023, 12, 31), D("0"), Status.NORMAL),
        (datetime.date(2023, 6, 1), D("1"), Status.DONE),
        # During the year: judged against the calendar.
        (datetime.date(2024, 1, 1), D("0"), Status.NORMAL),
        (datetime.date(2024, 7, 1), D("0.45"), Status.NORMAL),
        (datetime.date(2024, 7, 1), D("0.30"), Status.BEHIND),
        (datetime.date(2024, 7, 1), D("0.10"), Status.SEVERE),
        # The last day but one: 0.99 is still on track, the calendar is not at 100 % yet.
        (datetime.date(2024, 12, 30), D("0.99"), Status.NORMAL),
        # The last day is still a day of the year (time progress 100 %, judged by the gap) ...
        (datetime.date(2024, 12, 31), D("0.99"), Status.NORMAL),
        (datetime.date(2024, 12, 31), D("0.9999"), Status.NORMAL),
        (datetime.date(2024, 12, 31), D("1"), Status.DONE),
        (datetime.date(2024, 12, 31), D("0"), Status.SEVERE),
        # ... and from 00:00 on 1 January anything short is unfinished, never on track.
        (datetime.date(2025, 1, 1), D("0.99"), Status.UNFINISHED),
        (datetime.date(2025, 1, 1), D("0"), Status.UNFINISHED),
        # A plan viewed in a later year: the same verdict as on its last day.
        (datetime.date(2025, 1, 1), D("0.92"), Status.UNFINISHED),
        (datetime.date(2026, 11, 25), D("0.92"), Status.UNFINISHED),
        (datetime.date(2026, 11, 25), D("1"), Status.DONE),
    ],
)
def test_whole_year_status_rule_at_every_edge(today, completion, expected):
    assert status_on(completion, year=2024, today=today) == expected


def test_closed_year_is_judged_at_year_end_and_future_year_at_its_start():
    today = datetime.date(2026, 11, 24)
    assert as_of_date(2024, today) == datetime.date(2024, 12, 31)
    assert as_of_date(2026, today) == today
    assert year_elapsed(2024, datetime.date(2024, 12, 31)) == 1
    assert year_elapsed(2024, datetime.date(2024, 1, 1)) == D(1) / D(366)
    assert year_elapsed(2027, today) == 0


def test_stale_after_thirty_days_without_a_verified_report():
    since = datetime.date(2024, 1, 1)
    last = datetime.date(2024, 5, 1)
    assert not is_stale(last_verified=last, since=since, as_of=last + datetime.timedelta(days=STALE_DAYS), done=False)
    assert is_stale(last_verified=last, since=since, as_of=last + datetime.timedelta(days=STALE_DAYS + 1), done=False)
    assert not is_stale(last_verified=None, since=since, as_of=datetime.date(2024, 12, 31), done=True)


def test_format_number_drops_trailing_zeros():
    assert format_number(D("600.00")) == "600"
    assert format_number(D("12.50")) == "12.5"


def test_a_quarter_built_from_thirds_shows_as_25_percent_not_24():
    # 4 of 6 on a weight-2 indicator beside two undone weight-1 milestones is 1/3 of the item;
    # with an undone weight-1 item beside it (weight 3) the plan stands at exactly 1/4.
    item = weighted_mean(
        [(indicator_completion(actual=Decimal("4"), target=Decimal("6")), Decimal("2")), (ZERO, 1), (ZERO, 1)]
    )
    plan = weighted_mean([(ZERO, Decimal("1")), (item, Decimal("3"))])
    assert plan < Decimal("0.25")  # what 28-digit Decimal division leaves
    assert percent_floor(plan) == 25
    assert percent_floor(Decimal("0.999")) == 99  # still rounded down: 99.9 % is not done
    assert percent_floor(ZERO) == 0 and percent_floor(Decimal("1")) == 100
