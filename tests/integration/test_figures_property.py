"""Property: every figure the ten-things pages, the dashboard and its Excel export show equals an
independent recomputation from the verified records (exact fractions, no code shared with the app).

Hypothesis generates plans (a closed year, the running year, next year) with items, quantity and
milestone indicators, weights and due dates, and verified / submitted / returned reports
(corrections included), reports verified after the closed year's grace date (补报) and verified
reports withdrawn since (withdrawals, never deletions). A closed year past its grace date shows its
headline frozen as of the grace date, with the 补报 and withdrawals beside it.
Each example runs in its own transaction, rolled back at the end.
"""

import calendar
import datetime
import math
import os
import re
from decimal import Decimal
from fractions import Fraction
from io import BytesIO

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from apps.core.models import Organization
from apps.tenthings.models import Indicator, Item, Plan, ProgressReport

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("FIGURES_EXAMPLES", "200"))
STATUS_WORDS = {
    "done": "已完成",
    "normal": "正常推进",
    "behind": "滞后",
    "severe": "严重滞后",
    "overdue": "逾期",
    "unfinished": "未完成",
}

# "late": verified after the grace date (today); "withdrawn": verified in time, withdrawn today.
quantity_report = st.tuples(
    st.sampled_from(["verified", "verified", "submitted", "returned", "late", "withdrawn"]),
    st.integers(-6, 30).filter(bool),  # a correction may be negative; never 0
    st.integers(0, 365),
)
milestone_report = st.tuples(
    st.sampled_from(["verified", "submitted", "returned", "late", "withdrawn"]), st.booleans(), st.integers(0, 365)
)
due = st.one_of(st.none(), st.integers(0, 365))
indicator = st.one_of(
    st.fixed_dictionaries(
        {
            "kind": st.just("quantity"),
            "target": st.integers(1, 40),
            "weight": st.integers(1, 3),
            "due": due,
            "reports": st.lists(quantity_report, max_size=4),
        }
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("milestone"),
            "weight": st.integers(1, 3),
            "due": due,
            "reports": st.lists(milestone_report, max_size=2),
        }
    ),
)
item = st.fixed_dictionaries(
    {
        "weight": st.integers(1, 3),
        "responsible": st.booleans(),
        "indicators": st.lists(indicator, min_size=1, max_size=3),
    }
)
plan = st.fixed_dictionaries(
    {"year_offset": st.sampled_from([-2, 0, 1]), "items": st.lists(item, min_size=1, max_size=3)}
)


def _day(year: int, offset: int) -> datetime.date:
    days = 366 if calendar.isleap(year) else 365
    return datetime.date(year, 1, 1) + datetime.timedelta(days=offset % days)


def _completion(ind: dict, reports: list) -> tuple[Fraction, str]:
    if ind["kind"] == "quantity":
        total = sum(r[1] for r in reports)
        completion = min(max(Fraction(total, ind["target"]), Fraction(0)), Fraction(1))
        return completion, f"{max(total, 0)} / {ind['target']} 名"
    done = any(r[1] for r in reports)
    return Fraction(1 if done else 0), "已完成" if done else "未完成"


def _expected(spec: dict, year: int, today: datetime.date) -> dict:
    """What every page must say, from the generated records alone."""
    if year < today.year:
        as_of = datetime.date(year, 12, 31)
    elif year > today.year:
        as_of = datetime.date(year, 1, 1)
    else:
        as_of = today
    days = 366 if calendar.isleap(year) else 365
    elapsed = Fraction(as_of.timetuple().tm_yday, days) if as_of.year == year else Fraction(0)
    closed = year < today.year  # from 00:00 on 1 January after it; the last day is still in the year
    # Past the grace date (15 January after the year): the headline as it stood then.
    frozen = today > datetime.date(year + 1, 1, 15)
    items = []
    for number, it in enumerate(spec["items"], start=1):
        rows, after, last, late = [], [], None, 0
        for ind in it["indicators"]:
            now = [r for r in ind["reports"] if r[0] in ("verified", "late")]
            if frozen:
                counted = [r for r in ind["reports"] if r[0] in ("verified", "withdrawn")]
                late += sum(1 for r in ind["reports"] if r[0] in ("late", "withdrawn"))
            else:
                counted = now
            for r in counted:
                day = _day(year, r[2])
                last = day if last is None or day > last else last
            completion, figure = _completion(ind, counted)
            overdue = completion < 1 and ind.get("due") is not None and as_of > _day(year, ind["due"])
            rows.append((completion, ind["weight"], figure, overdue))
            after.append((_completion(ind, now)[0], ind["weight"]))
        weights = sum(w for _c, w, _f, _o in rows)
        completion = sum(c * w for c, w, _f, _o in rows) / weights
        items.append(
            {
                "number": number,
                "completion": completion,
                "after": sum(c * w for c, w in after) / weights,
                "late": late,
                "percent": math.floor(completion * 100),
                "status": _status(completion, elapsed, closed, any(o for *_r, o in rows)),
                "figures": [f for _c, _w, f, _o in rows],
                "last": last,
                "stale": completion < 1 and (as_of - (last or datetime.date(year, 1, 1))).days > 30,
                "responsible": it["responsible"],
            }
        )
    plan_weights = sum(w["weight"] for w in spec["items"])
    completion = sum(i["completion"] * w["weight"] for i, w in zip(items, spec["items"])) / plan_weights
    after = sum(i["after"] * w["weight"] for i, w in zip(items, spec["items"])) / plan_weights
    counts = {}
    for i in items:
        counts[i["status"]] = counts.get(i["status"], 0) + 1
    return {
        "items": items,
        "percent": math.floor(completion * 100),
        "status": _status(completion, elapsed, closed),
        "counts": counts,
        "closed": closed,
        "frozen": frozen,
        "late": sum(i["late"] for i in items),
        "after_percent": math.floor(after * 100),
    }


def _status(completion: Fraction, elapsed: Fraction, closed: bool, overdue: bool = False) -> str:
    if completion >= 1:
        return "done"
    if closed:
        return "unfinished"
    if overdue:
        return "overdue"
    gap = elapsed - completion
    if gap <= Fraction(1, 10):
        return "normal"
    return "behind" if gap <= Fraction(1, 4) else "severe"


def _create(spec: dict, year: int, reporter, unit) -> Plan:
    made = Plan.objects.create(year=year, title=f"{year}年十件实事", published=True)
    for number, it in enumerate(spec["items"], start=1):
        item_obj = Item.objects.create(
            plan=made,
            number=number,
            title=f"事项{number}",
            lead_unit=unit,
            responsible=reporter if it["responsible"] else None,
            weight=Decimal(it["weight"]),
        )
        for n, ind in enumerate(spec["items"][number - 1]["indicators"]):
            quantity = ind["kind"] == "quantity"
            ind_obj = Indicator.objects.create(
                item=item_obj,
                name=f"指标{n}",
                kind=Indicator.Kind.QUANTITY if quantity else Indicator.Kind.MILESTONE,
                target=Decimal(ind["target"]) if quantity else None,
                unit="名" if quantity else "",
                weight=Decimal(ind["weight"]),
                due_date=_day(year, ind["due"]) if ind.get("due") is not None else None,
                sort_order=n,
            )
            now = timezone.now()
            stored = {"late": ProgressReport.Status.VERIFIED, "withdrawn": ProgressReport.Status.WITHDRAWN}
            ProgressReport.objects.bulk_create(
                ProgressReport(
                    indicator=ind_obj,
                    reporter=reporter,
                    reported_on=_day(year, offset),
                    narrative="进展",
                    amount=Decimal(value) if quantity else None,
                    milestone_done=bool(value) if not quantity else False,
                    status=stored.get(status, status),
                    # Verified without a time: in time (as demo and imported records are).
                    reviewed_at=now if status == "late" else None,
                    withdrawn_at=now if status == "withdrawn" else None,
                    withdraw_reason="撤回" if status == "withdrawn" else "",
                )
                for status, value, offset in ind["reports"]
            )
    return made


def _between(body: str, start: str, end: str) -> str:
    i = body.index(start)
    return body[i : body.index(end, i)]


def _check_year_page(client, year, expected):
    body = client.get(reverse("tenthings:year", args=[year])).content.decode()
    assert f'data-testid="plan-percent">{expected["percent"]}%<' in body
    if expected["frozen"]:
        note = _between(body, 'data-testid="plan-frozen"', "</p>")
        assert f"截至1月15日 {expected['percent']}%" in note
        if expected["late"]:
            assert f"其后补报 {expected['late']} 条，计入后 {expected['after_percent']}%" in note
    else:
        assert 'data-testid="plan-frozen"' not in body
    for status, word in STATUS_WORDS.items():
        shown = re.search(rf">{word} (\d+)<", _between(body, 'class="tt-counts"', "</div>"))
        if expected["closed"] and status in ("normal", "behind", "severe"):
            assert shown is None  # a closed year has no "on track" or "behind" column at all
        elif shown:
            assert int(shown[1]) == expected["counts"].get(status, 0), word
    for it in expected["items"]:
        card = _between(body, f'data-testid="item-{it["number"]}"', '<ul class="tt-figures">')
        assert f'<span class="tt-pct">{it["percent"]}%</span>' in card
        assert f">{STATUS_WORDS[it['status']]}<" in card
        figures = _between(body[body.index(f'data-testid="item-{it["number"]}"') :], '<ul class="tt-figures">', "</ul>")
        assert re.findall(r"<strong>(.*?)</strong>", figures) == it["figures"]


def _check_item_page(client, year, it):
    body = client.get(reverse("tenthings:item", args=[year, it["number"]])).content.decode()
    assert f'data-testid="item-percent">{it["percent"]}%<' in body
    assert f'data-testid="item-status">{STATUS_WORDS[it["status"]]}<' in body
    assert re.findall(r'<strong class="tt-figure">(.*?)</strong>', body) == it["figures"]
    last = it["last"].isoformat() if it["last"] else "—"
    assert f"<dt>最近核实</dt><dd>{last}</dd>" in body
    # Without a responsible person the public page names the lead unit (no red flag for the public).
    assert ("<dt>责任人</dt><dd>牵头单位甲</dd>" in body) != it["responsible"]


def _check_dashboard(client, year, expected):
    body = client.get(reverse("dashboard:index") + f"?year={year}").content.decode()
    assert f'data-testid="dash-percent">{expected["percent"]}%<' in body
    counts = _between(body, 'data-testid="dash-counts"', "</div>")
    for status, word in STATUS_WORDS.items():
        shown = re.search(rf">{word} (\d+)<", counts)
        if shown:
            assert int(shown[1]) == expected["counts"].get(status, 0), word
    for it in expected["items"]:
        row = _between(body, f'data-testid="dash-item-{it["number"]}"', "</li>")
        assert f'<span class="tt-pct">{it["percent"]}%</span>' in row
        assert f">{STATUS_WORDS[it['status']]}<" in row
        assert (f"最近核实 {it['last'].isoformat()}" if it["last"] else "最近核实 无") in row
        assert ('data-testid="unassigned"' in row) != it["responsible"]


def _check_export(client, year, expected):
    response = client.get(reverse("dashboard:export") + f"?year={year}")
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert f"全年完成率 {expected['percent']}%" == rows[0][2]
    by_number = {row[0]: row for row in rows[2:]}
    assert set(by_number) == {it["number"] for it in expected["items"]}
    for it in expected["items"]:
        row = by_number[it["number"]]
        assert row[4] == it["percent"]  # the page's rounding: whole percent, rounded down
        assert row[5] == STATUS_WORDS[it["status"]]
        assert (row[6] or "") == ("是" if it["stale"] else "")
        shown_last = row[7].date() if isinstance(row[7], datetime.datetime) else row[7]
        assert shown_last == it["last"]
        assert row[8] == "；".join(f"指标{n} {f}" for n, f in enumerate(it["figures"]))


@pytest.fixture
def leader_client(monkeypatch, user_with_role):
    """A leader's browser for the dashboard; the public pages are read anonymously (as workers do)."""
    from django.test import Client

    user = user_with_role("leader")
    leader = Client()
    leader.force_login(user)
    leader.user = user
    # Other apps' blocks of the dashboard have no generated data here; leaving them out keeps
    # 200 examples fast. The plan's figures are what is under test.
    monkeypatch.setattr("apps.dashboard.views.registry.dashboard_figures", lambda year: [])
    return leader


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=plan, shown=st.integers(0, 2))
# Always tried: thirds that add up to exactly 20 % (1/3 of a target at weight 3 beside an unfinished
# milestone at weight 2) must not show as 19 % through rounding.
@example(
    spec={
        "year_offset": -2,
        "items": [
            {
                "weight": 1,
                "responsible": True,
                "indicators": [
                    {"kind": "quantity", "target": 3, "weight": 3, "reports": [("verified", 1, 40)]},
                    {"kind": "milestone", "weight": 2, "reports": []},
                ],
            }
        ],
    },
    shown=0,
)
def test_every_figure_equals_a_recomputation_from_verified_records(client, leader_client, spec, shown):
    today = timezone.localdate()
    year = today.year + spec["year_offset"]
    expected = _expected(spec, year, today)
    with transaction.atomic():
        _create(spec, year, leader_client.user, Organization.objects.get_or_create(name="牵头单位甲")[0])
        _check_year_page(client, year, expected)
        # One item page per example (which one is generated too): every item shape gets its turn.
        _check_item_page(client, year, expected["items"][shown % len(expected["items"])])
        _check_dashboard(leader_client, year, expected)
        _check_export(leader_client, year, expected)
        transaction.set_rollback(True)
