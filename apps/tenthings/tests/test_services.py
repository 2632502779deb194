import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.images import png_bytes
from apps.tenthings import services
from apps.tenthings.models import Indicator, ItemEvent, ProgressReport, Rating
from apps.tenthings.selectors import plan_progress

from .factories import IndicatorFactory, MilestoneFactory, ReportFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 9, 30)


def submit(indicator, **kw):
    args = {
        "indicator": indicator,
        "reporter": indicator.item.responsible,
        "reported_on": datetime.date(2024, 9, 1),
        "narrative": "进展",
        "today": TODAY,
        **kw,
    }
    return services.report_submit(**args)


def test_report_with_photo_counts_only_once_verified():
    ind = IndicatorFactory()
    photo = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    report = submit(ind, amount=Decimal("412"), photos=[photo])
    assert report.photos.count() == 1
    assert plan_progress(ind.item.plan, today=TODAY).items[0].indicators[0].actual == 0
    staff = UserFactory()
    services.report_verify(report=report, reviewer=staff, today=TODAY)
    row = plan_progress(ind.item.plan, today=TODAY).items[0].indicators[0]
    assert row.figure == "412 / 600 名"
    event = ItemEvent.objects.get(kind=ItemEvent.Kind.FIGURE)
    assert (event.old_value, event.new_value, event.actor) == ("0 名", "412 名", staff)
    assert ItemEvent.objects.filter(kind=ItemEvent.Kind.STATUS).exists()


def test_report_by_someone_not_responsible_is_refused():
    ind = IndicatorFactory()
    with pytest.raises(ValidationError, match="不是该事项的责任人"):
        submit(ind, reporter=UserFactory(), amount=Decimal("5"))
    assert ProgressReport.objects.count() == 0


def test_report_dated_in_another_year_is_refused():
    ind = IndicatorFactory()
    with pytest.raises(ValidationError) as exc:
        submit(ind, amount=Decimal("5"), reported_on=datetime.date(2023, 12, 31))
    assert "2024" in exc.value.message_dict["reported_on"][0]
    assert ProgressReport.objects.count() == 0


def test_milestone_report_with_an_amount_is_refused():
    ind = MilestoneFactory()
    with pytest.raises(ValidationError) as exc:
        submit(ind, amount=Decimal("1"), milestone_done=True)
    assert "amount" in exc.value.message_dict
    assert ProgressReport.objects.count() == 0


def test_a_correction_can_never_make_a_figure_negative():
    ind = IndicatorFactory()
    ReportFactory(indicator=ind, amount=Decimal("10"))
    with pytest.raises(ValidationError, match="不能为负数"):
        submit(ind, amount=Decimal("-11"))
    report = submit(ind, amount=Decimal("-4"))
    services.report_verify(report=report, reviewer=UserFactory(), today=TODAY)
    assert plan_progress(ind.item.plan, today=TODAY).items[0].indicators[0].actual == 6


def test_quantity_report_needs_a_nonzero_amount():
    ind = IndicatorFactory()
    with pytest.raises(ValidationError) as exc:
        submit(ind, amount=Decimal("0"))
    assert "amount" in exc.value.message_dict


def test_return_needs_a_comment_and_notifies_the_reporter_once(django_capture_on_commit_callbacks):
    ind = IndicatorFactory()
    report = submit(ind, amount=Decimal("5"))
    with pytest.raises(ValidationError):
        services.report_return(report=report, reviewer=UserFactory(), comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, reviewer=UserFactory(), comment="请补充台账照片")
    note = ind.item.responsible.notifications.get()
    assert "请补充台账照片" in note.body
    assert services.report_returned_notify(report_id=report.pk) is False  # never twice
    with pytest.raises(ValidationError):
        services.report_verify(report=report, reviewer=UserFactory(), today=TODAY)


def test_nobody_verifies_their_own_report():
    ind = IndicatorFactory()
    report = submit(ind, amount=Decimal("5"))
    with pytest.raises(ValidationError, match="不能核实自己提交的填报"):
        services.report_verify(report=report, reviewer=report.reporter, today=TODAY)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_followers_hear_of_a_verified_report(django_capture_on_commit_callbacks):
    ind = IndicatorFactory()
    worker = UserFactory()
    services.follow_set(item=ind.item, user=worker, follow=True)
    report = submit(ind, amount=Decimal("5"))
    with django_capture_on_commit_callbacks(execute=True):
        services.report_verify(report=report, reviewer=UserFactory(), today=TODAY)
    assert worker.notifications.filter(kind="tenthings.report_verified").count() == 1


@pytest.mark.parametrize("target", [Decimal("0"), Decimal("-3")])
def test_target_of_zero_or_negative_is_refused(target):
    ind = IndicatorFactory()
    with pytest.raises(ValidationError):
        services.indicator_target_change(indicator=ind, target=target, actor=UserFactory())
    ind.refresh_from_db()
    assert ind.target == 600
    bad = Indicator(item=ind.item, name="x", kind="quantity", unit="名", target=target)
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_target_change_is_kept_in_history():
    ind = IndicatorFactory()
    actor = UserFactory()
    services.indicator_target_change(indicator=ind, target=Decimal("650"), actor=actor)
    event = ItemEvent.objects.get(kind=ItemEvent.Kind.TARGET)
    assert (event.old_value, event.new_value, event.actor) == ("600 名", "650 名", actor)


def test_database_refuses_a_nonpositive_quantity_target():
    ind = IndicatorFactory()
    with pytest.raises(IntegrityError):
        Indicator.objects.filter(pk=ind.pk).update(target=0)


def test_second_rating_is_refused_but_a_rating_can_be_changed():
    ind = IndicatorFactory()
    worker = UserFactory()
    services.rating_add(item=ind.item, user=worker, stars=4)
    with pytest.raises(ValidationError, match="已经评价过"):
        services.rating_add(item=ind.item, user=worker, stars=1)
    assert Rating.objects.get().stars == 4
    services.rating_change(item=ind.item, user=worker, stars=2)
    assert Rating.objects.get().stars == 2
    with pytest.raises(ValidationError):
        services.rating_change(item=ind.item, user=worker, stars=6)
