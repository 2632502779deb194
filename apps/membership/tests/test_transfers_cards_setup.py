"""Transfers keep the number; the card's token is signed, expires, and dies with the membership;
建会 requests go to the town union."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accounts.models import Occupation
from apps.membership import services
from apps.membership.models import LedgerEntry, Member, Transfer, UnionSetupRequest
from apps.reminders.models import Notification

from .factories import UnionFactory, UserFactory, WorkerFactory, staff_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def courier_member(hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    worker = WorkerFactory(real_name="刘小明")
    application = submit(worker, town=hierarchy.town, occupation=Occupation.COURIER, real_name="刘小明")
    return services.application_accept(application_id=application.pk, by=staff)


def test_a_transfer_goes_to_the_new_employers_union_and_keeps_the_number(
    hierarchy, courier_member, user_with_role, django_capture_on_commit_callbacks
):
    old_staff = hierarchy.courier.staff_posts.get().user
    new_staff = staff_of(hierarchy.chain_union, user_with_role)
    with django_capture_on_commit_callbacks(execute=True):
        transfer = services.transfer_request(
            member=courier_member, by=courier_member.person, new_employer=hierarchy.chain, town=hierarchy.town
        )
    assert (transfer.from_union, transfer.to_union) == (hierarchy.courier, hierarchy.chain_union)
    assert Member.objects.get(pk=courier_member.pk).state == "transferred"
    assert Notification.objects.filter(user=old_staff, key__startswith="membership.transfer-out").exists()
    assert Notification.objects.filter(user=new_staff, key__startswith="membership.transfer-in").exists()
    with pytest.raises(ValidationError, match="不能办理"):
        services.transfer_accept(transfer_id=transfer.pk, by=old_staff)  # the old union does not accept
    services.transfer_accept(transfer_id=transfer.pk, by=new_staff)
    member = Member.objects.get(pk=courier_member.pk)
    assert member.union == hierarchy.chain_union and member.number == courier_member.number and member.state == "active"
    entry = LedgerEntry.objects.get(member=member, kind="transferred")
    assert (entry.from_union, entry.to_union) == (hierarchy.courier, hierarchy.chain_union)


def test_a_transfer_to_the_union_the_member_is_already_in_is_refused(hierarchy, courier_member):
    with pytest.raises(ValidationError, match="无需接转"):
        services.transfer_request(
            member=courier_member, by=courier_member.person, new_employer=hierarchy.bare, town=hierarchy.town
        )
    assert not Transfer.objects.exists()
    assert Member.objects.get(pk=courier_member.pk).state == "active"


def test_a_second_transfer_while_one_is_open_is_refused(hierarchy, courier_member):
    services.transfer_request(
        member=courier_member, by=courier_member.person, new_employer=hierarchy.chain, town=hierarchy.town
    )
    with pytest.raises(ValidationError, match="正在办理中"):
        services.transfer_request(
            member=courier_member, by=courier_member.person, new_employer_name="别处", town=hierarchy.other_town
        )
    assert Transfer.objects.count() == 1


def test_a_declined_transfer_leaves_the_membership_where_it_was(hierarchy, courier_member, user_with_role):
    new_staff = staff_of(hierarchy.chain_union, user_with_role)
    transfer = services.transfer_request(
        member=courier_member, by=courier_member.person, new_employer=hierarchy.chain, town=hierarchy.town
    )
    with pytest.raises(ValidationError, match="原因"):
        services.transfer_decline(transfer_id=transfer.pk, by=new_staff, reason="")
    services.transfer_decline(transfer_id=transfer.pk, by=new_staff, reason="未在本单位就职")
    member = Member.objects.get(pk=courier_member.pk)
    assert member.union == hierarchy.courier and member.state == "active"
    assert not LedgerEntry.objects.filter(kind="transferred").exists()


def test_only_the_member_asks_for_their_own_transfer(hierarchy, courier_member):
    with pytest.raises(ValidationError, match="只能为自己"):
        services.transfer_request(
            member=courier_member, by=UserFactory(), new_employer=hierarchy.chain, town=hierarchy.town
        )


@pytest.mark.parametrize(
    "name, masked", [("刘小明", "刘*明"), ("王芳", "王*"), ("欧阳娜娜", "欧**娜"), ("李", "李*"), ("", "")]
)
def test_names_are_masked_on_the_verify_page(name, masked):
    assert services.mask_name(name) == masked


def test_a_fresh_card_token_verifies_with_a_masked_name_and_the_union(courier_member):
    check = services.card_verify(services.card_token(courier_member))
    assert check == services.CardCheck(True, "刘*明", "兴化市快递行业工会")


def test_forged_altered_and_garbage_tokens_are_invalid(courier_member):
    token = services.card_token(courier_member)
    value, stamp, signature = token.split(":")
    other = Member.objects.create(
        real_name="别人", union=courier_member.union, number="XH-2001-000001", since="2001-01-01"
    )
    forged = [
        f"{other.pk}.{other.number}:{stamp}:{signature}",  # someone else's id under this signature
        f"{value}:{stamp}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        signing.TimestampSigner(key="not-our-secret", salt=services.cards.CARD_SALT).sign(value),
        signing.TimestampSigner(salt="another.salt").sign(value),
        "garbage",
        "",
        "::",
        "x" * 500,
    ]
    for bad in forged:
        assert services.card_verify(bad).valid is False, bad


def test_a_token_expires_after_24_hours(courier_member):
    token = services.card_token(courier_member)
    later = timezone.now() + datetime.timedelta(hours=24, minutes=1)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert services.card_verify(token).valid is False
    almost = timezone.now() + datetime.timedelta(hours=23, minutes=59)
    with mock.patch("django.core.signing.time.time", return_value=almost.timestamp()):
        assert services.card_verify(token).valid is True


def test_a_card_stops_verifying_when_the_membership_ends(hierarchy, courier_member):
    token = services.card_token(courier_member)
    staff = hierarchy.courier.staff_posts.get().user
    services.member_leave(member_id=courier_member.pk, by=staff, reason="离职")
    assert services.card_verify(token).valid is False


def test_a_setup_request_goes_to_the_town_union_with_a_due_date(
    hierarchy, user_with_role, django_capture_on_commit_callbacks
):
    town_staff = staff_of(hierarchy.town_union, user_with_role)
    officer = user_with_role("membership_officer")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.setup_request_submit(
            by=UserFactory(),
            employer_name="顺达物流有限公司",
            size=46,
            contact_name="吴经理",
            contact_phone="13900001111",
            town=hierarchy.town,
        )
    assert request.town_union == hierarchy.town_union and request.due_on > timezone.localdate()
    assert Notification.objects.filter(user=town_staff, kind="membership.setup").count() == 1
    assert Notification.objects.filter(user=officer, kind="membership.setup").count() == 1
    with pytest.raises(ValidationError, match="正在办理中"):
        services.setup_request_submit(
            by=UserFactory(),
            employer_name="顺达物流有限公司",
            size=46,
            contact_name="吴",
            contact_phone="1",
            town=hierarchy.town,
        )
    with pytest.raises(ValidationError, match="办结或关闭时请写明情况"):
        services.setup_request_move(request_id=request.pk, by=town_staff, state="closed")
    services.setup_request_move(request_id=request.pk, by=town_staff, state="guiding")
    with pytest.raises(ValidationError, match="不能改为"):
        services.setup_request_move(request_id=request.pk, by=town_staff, state="submitted")
    services.setup_request_move(request_id=request.pk, by=town_staff, state="established", note="已召开会员大会")
    assert UnionSetupRequest.objects.get(pk=request.pk).state == "established"


def test_a_setup_request_for_a_covered_employer_or_with_bad_fields_is_refused(hierarchy):
    with pytest.raises(ValidationError) as caught:
        services.setup_request_submit(
            by=UserFactory(),
            employer_name="东华链条兴化有限公司",
            size=10,
            contact_name="吴",
            contact_phone="1",
            town=hierarchy.town,
        )
    assert "无需再申请建会" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.setup_request_submit(
            by=UserFactory(), employer_name="", size=0, contact_name="", contact_phone="", town=None
        )
    assert set(caught.value.message_dict) == {"employer_name", "size", "contact_name", "contact_phone", "town"}
    assert not UnionSetupRequest.objects.exists()


def test_union_staff_are_named_by_their_union_for_users_holding(hierarchy, user_with_role):
    from apps.accounts.roles import users_holding

    staff = staff_of(hierarchy.courier, user_with_role)
    staff_of(hierarchy.town_union, user_with_role)
    assert list(users_holding("union_staff", obj=hierarchy.courier)) == [staff]
    assert list(users_holding("union_staff", obj=UnionFactory())) == []
    assert list(hierarchy.courier.role_holders("someone_else")) == []


def test_overdue_transfers_and_setup_requests_are_told_once_a_day(hierarchy, courier_member, user_with_role):
    new_staff = staff_of(hierarchy.chain_union, user_with_role)
    town_staff = staff_of(hierarchy.town_union, user_with_role)
    officer = user_with_role("membership_officer")
    transfer = services.transfer_request(
        member=courier_member, by=courier_member.person, new_employer=hierarchy.chain, town=hierarchy.town
    )
    request = services.setup_request_submit(
        by=UserFactory(),
        employer_name="顺达物流有限公司",
        size=46,
        contact_name="吴经理",
        contact_phone="13900001111",
        town=hierarchy.town,
    )
    assert services.transfers_overdue_remind() == 0 and services.setup_overdue_remind() == 0  # still in time
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Transfer.objects.filter(pk=transfer.pk).update(due_on=yesterday)
    UnionSetupRequest.objects.filter(pk=request.pk).update(due_on=yesterday)
    assert services.transfers_overdue_remind() == 1
    assert services.setup_overdue_remind() == 2  # the town union's staff and the officer
    assert services.transfers_overdue_remind() == 0 and services.setup_overdue_remind() == 0  # once a day
    late = Notification.objects.get(user=new_staff, key__startswith="membership.transfer-overdue")
    assert "1 份会籍接转已超过办理期限" in late.title and late.body == "刘小明"
    for person in (town_staff, officer):
        assert (
            "顺达物流有限公司"
            in Notification.objects.get(user=person, key__startswith="membership.setup-overdue").title
        )
    # Decided ones are not chased.
    services.transfer_accept(transfer_id=transfer.pk, by=new_staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert services.transfers_overdue_remind(today=tomorrow) == 0
