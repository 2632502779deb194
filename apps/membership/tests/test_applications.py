"""Joining: routing with its reason, one open application, proven phones, deciding, the ledger."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Occupation
from apps.core.models import AuditEntry
from apps.membership import services
from apps.membership.models import Application, LedgerEntry, Member
from apps.reminders.models import Notification

from .factories import UserFactory, WorkerFactory, staff_of, submit

pytestmark = pytest.mark.django_db


def test_an_application_goes_to_the_employers_union_when_it_has_one(hierarchy):
    application = submit(WorkerFactory(), town=hierarchy.town, employer=hierarchy.chain)
    assert application.union == hierarchy.chain_union
    assert application.route == "employer"
    assert "东华链条兴化有限公司" in application.route_reason and "已建工会" in application.route_reason


def test_a_courier_without_a_union_at_work_goes_to_the_industry_union(hierarchy):
    application = submit(WorkerFactory(), town=hierarchy.town, employer=hierarchy.bare, occupation=Occupation.COURIER)
    assert application.union == hierarchy.courier
    assert application.route == "industry"
    assert "快递员" in application.route_reason and "尚未建会" in application.route_reason


def test_others_without_a_union_go_to_the_town_union_else_the_city_union(hierarchy):
    by_town = submit(WorkerFactory(), town=hierarchy.town, employer_name="某小店", occupation=Occupation.DOMESTIC)
    assert (by_town.union, by_town.route) == (hierarchy.town_union, "town")
    assert "戴南镇" in by_town.route_reason
    by_city = submit(WorkerFactory(), town=hierarchy.other_town, employer_name="某小店")
    assert (by_city.union, by_city.route) == (hierarchy.city, "city")


def test_the_worker_and_the_unions_staff_are_told_of_a_new_application(
    hierarchy, user_with_role, django_capture_on_commit_callbacks
):
    staff = staff_of(hierarchy.courier, user_with_role)
    other = staff_of(hierarchy.town_union, user_with_role)
    worker = WorkerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        submit(worker, town=hierarchy.town, occupation=Occupation.COURIER)
    assert Notification.objects.filter(user=worker, kind="membership.application").exists()
    assert Notification.objects.filter(user=staff, kind="membership.queue").exists()
    assert not Notification.objects.filter(user=other).exists()


def test_a_second_application_while_one_is_open_is_refused_with_nothing_saved(hierarchy):
    worker = WorkerFactory()
    submit(worker, town=hierarchy.town)
    with pytest.raises(ValidationError, match="已有一份入会申请正在办理中"):
        submit(worker, town=hierarchy.town)
    assert Application.objects.filter(person=worker).count() == 1


def test_the_database_itself_keeps_one_open_application_per_person(hierarchy):
    worker = WorkerFactory()
    first = submit(worker, town=hierarchy.town)
    copy = Application.objects.get(pk=first.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_an_unproven_phone_cannot_apply(hierarchy):
    worker = UserFactory(phone="13900000001", phone_verified=False)
    with pytest.raises(ValidationError, match="验证手机号码"):
        submit(worker, town=hierarchy.town)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"real_name": " "}, "real_name", "请填写真实姓名"),
        ({"employer_name": ""}, "employer_name", "请选择工作单位"),
        ({"occupation": "astronaut"}, "occupation", "请选择职业"),
        ({"town": None}, "town", "请选择工作所在"),
        ({"consent": False}, "consent", "请阅读并同意入会告知"),
    ],
)
def test_an_incomplete_application_says_what_is_missing(hierarchy, fields, field, message):
    data = {
        "person": WorkerFactory(),
        "real_name": "刘小明",
        "employer": None,
        "employer_name": "某网点",
        "occupation": Occupation.COURIER,
        "town": hierarchy.town,
        "consent": True,
    }
    data.update(fields)
    with pytest.raises(ValidationError) as caught:
        services.application_submit(**data)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Application.objects.exists()


def test_no_id_number_is_asked_or_stored_anywhere():
    from apps.membership import forms, models

    for model in (models.Application, models.Member, models.Transfer, models.UnionSetupRequest):
        names = " ".join(f.name + str(f.verbose_name) for f in model._meta.concrete_fields)
        assert "身份证" not in names and "id_number" not in names and "id_card" not in names
    for form in (forms.JoinForm, forms.TransferForm, forms.SetupRequestForm):
        labels = " ".join(name + str(field.label) for name, field in form.base_fields.items())
        assert "身份证" not in labels and "id_" not in labels


def test_accepting_issues_one_number_and_one_ledger_row_and_tells_the_worker(hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    worker = WorkerFactory()
    application = submit(worker, town=hierarchy.town, occupation=Occupation.COURIER)
    member = services.application_accept(application_id=application.pk, by=staff)
    assert member.number.startswith(f"XH-{member.since.year}-") and len(member.number) == 14
    assert member.union == hierarchy.courier and member.person == worker
    assert list(LedgerEntry.objects.filter(member=member).values_list("kind", flat=True)) == ["joined"]
    assert AuditEntry.objects.filter(action="decide", detail__contains=member.number).exists()
    assert Notification.objects.filter(user=worker, title__contains=member.number).exists()
    with pytest.raises(ValidationError, match="已经办理"):
        services.application_accept(application_id=application.pk, by=staff)
    assert LedgerEntry.objects.count() == 1 and Member.objects.count() == 1


def test_numbers_follow_each_other_and_skip_one_brought_in_by_an_import(hierarchy, user_with_role):
    staff = staff_of(hierarchy.town_union, user_with_role)
    year = services.member_number_issue(2030)
    assert year == "XH-2030-000001"
    Member.objects.create(real_name="老会员", union=hierarchy.town_union, number="XH-2030-000002", since="2020-01-01")
    assert services.member_number_issue(2030) == "XH-2030-000003"
    application = submit(WorkerFactory(), town=hierarchy.town, employer_name="某小店")
    assert services.application_accept(application_id=application.pk, by=staff).number != "XH-2030-000003"


def test_staff_of_another_union_cannot_decide(hierarchy, user_with_role):
    outsider = staff_of(hierarchy.town_union, user_with_role)
    application = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    for action in (
        lambda: services.application_accept(application_id=application.pk, by=outsider),
        lambda: services.application_return(application_id=application.pk, by=outsider, reason="不对"),
    ):
        with pytest.raises(ValidationError, match="不能办理"):
            action()
    application.refresh_from_db()
    assert application.state == "submitted" and not Member.objects.exists()


def test_a_returned_application_says_why_and_can_be_submitted_again(hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    worker = WorkerFactory()
    application = submit(worker, town=hierarchy.town, occupation=Occupation.COURIER)
    with pytest.raises(ValidationError, match="写明原因"):
        services.application_return(application_id=application.pk, by=staff, reason="  ")
    services.application_return(application_id=application.pk, by=staff, reason="请写全网点名称")
    application.refresh_from_db()
    assert application.state == "returned" and application.return_reason == "请写全网点名称"
    assert Notification.objects.filter(user=worker, body="请写全网点名称").exists()
    again = submit(worker, town=hierarchy.town, occupation=Occupation.COURIER, employer_name="中通快递兴化戴南网点")
    assert again.is_open


def test_a_referred_application_moves_to_the_other_unions_queue(hierarchy, user_with_role):
    from apps.membership.selectors import queue

    courier_staff = staff_of(hierarchy.courier, user_with_role)
    town_staff = staff_of(hierarchy.town_union, user_with_role)
    application = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    assert list(queue(courier_staff)) == [application] and list(queue(town_staff)) == []
    with pytest.raises(ValidationError):
        services.application_refer(application_id=application.pk, by=courier_staff, union=hierarchy.courier, reason="x")
    services.application_refer(
        application_id=application.pk, by=courier_staff, union=hierarchy.town_union, reason="实为商超理货员"
    )
    assert list(queue(courier_staff)) == [] and [a.pk for a in queue(town_staff)] == [application.pk]
    application.refresh_from_db()
    assert application.state == "referred" and "实为商超理货员" in application.route_reason
    member = services.application_accept(application_id=application.pk, by=town_staff)
    assert member.union == hierarchy.town_union


def test_the_queue_shows_overdue_first(hierarchy, user_with_role):
    import datetime

    from apps.membership.selectors import queue

    staff = staff_of(hierarchy.courier, user_with_role)
    fresh = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    late = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    Application.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert [a.pk for a in queue(staff)] == [late.pk, fresh.pk]
    assert Application.objects.get(pk=late.pk).is_overdue()


def test_the_ledger_can_be_neither_changed_nor_deleted(hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    member = services.application_accept(
        application_id=submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER).pk, by=staff
    )
    entry = LedgerEntry.objects.get(member=member)
    entry.note = "改"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        LedgerEntry.objects.all().update(note="改")
    with pytest.raises(ValidationError):
        LedgerEntry.objects.all().delete()


def test_leaving_and_rejoining_keeps_the_number(hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    worker = WorkerFactory()
    member = services.application_accept(
        application_id=submit(worker, town=hierarchy.town, occupation=Occupation.COURIER).pk, by=staff
    )
    services.member_leave(member_id=member.pk, by=staff, reason="离开兴化")
    with pytest.raises(ValidationError, match="已经退会"):
        services.member_leave(member_id=member.pk, by=staff, reason="再退")
    again = services.application_accept(
        application_id=submit(worker, town=hierarchy.town, occupation=Occupation.COURIER).pk, by=staff
    )
    assert again.pk == member.pk and again.number == member.number and again.state == "active"
    assert list(LedgerEntry.objects.filter(member=member).values_list("kind", flat=True)) == [
        "joined",
        "left",
        "rejoined",
    ]


def test_a_current_member_cannot_apply_again(hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    worker = WorkerFactory()
    services.application_accept(application_id=submit(worker, town=hierarchy.town, occupation="courier").pk, by=staff)
    with pytest.raises(ValidationError, match="您已是工会会员"):
        submit(worker, town=hierarchy.town)


def test_accepting_a_person_on_the_imported_roll_keeps_their_number(hierarchy, user_with_role):
    staff = staff_of(hierarchy.town_union, user_with_role)
    old = Member.objects.create(
        real_name="老会员", phone="13911112222", union=hierarchy.town_union, number="XH-2019-000007", since="2019-05-01"
    )
    worker = WorkerFactory(phone="13911112222")
    member = services.application_accept(
        application_id=submit(worker, town=hierarchy.town, employer_name="某小店").pk, by=staff
    )
    assert member.pk == old.pk and member.number == "XH-2019-000007" and member.person == worker


def test_staff_are_told_once_a_day_of_applications_past_their_deadline(hierarchy, user_with_role):
    import datetime

    staff = staff_of(hierarchy.courier, user_with_role)
    late = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER, real_name="张伟")
    submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)  # still in time
    Application.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert services.overdue_remind() == 1
    assert services.overdue_remind() == 0  # the same day: nothing again
    note = Notification.objects.get(user=staff, key__startswith="membership.overdue")
    assert "1 份" in note.title and note.body == "张伟"
