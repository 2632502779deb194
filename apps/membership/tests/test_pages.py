"""The pages: join, /me/, the card, verify, the staff queue and the member list (with their
query counts at two sizes), transfer and 建会 forms, and who gets 404."""

import pytest
from django.urls import reverse

from apps.accounts.models import Occupation
from apps.membership import services
from apps.membership.models import Application, Member

from .factories import UserFactory, WorkerFactory, staff_of, submit

pytestmark = pytest.mark.django_db


def _join_data(hierarchy, **overrides):
    data = {
        "real_name": "刘小明",
        "employer": "",
        "employer_name": "中通快递戴南网点",
        "occupation": Occupation.COURIER,
        "town": hierarchy.town.pk,
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_join_form_lists_new_form_occupations_first_and_asks_for_no_id_number(client, hierarchy):
    client.force_login(WorkerFactory())
    body = client.get(reverse("membership:join")).content.decode()
    assert body.index("快递员") < body.index("企业职工")
    assert "新就业形态" in body and "不收集身份证号" in body
    assert 'name="id_number"' not in body


def test_a_courier_joins_and_follows_it_in_me(client, hierarchy):
    worker = WorkerFactory()
    client.force_login(worker)
    response = client.post(reverse("membership:join"), _join_data(hierarchy))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:me")
    application = Application.objects.get(person=worker)
    assert application.union == hierarchy.courier
    me = client.get(reverse("accounts:me")).content.decode()
    assert "兴化市快递行业工会" in me and "待审核" in me and application.route_reason in me
    # A second visit to the form shows the open application instead of a second form.
    waiting = client.get(reverse("membership:join")).content.decode()
    assert 'data-testid="application-waiting"' in waiting


def test_a_second_post_while_one_is_open_says_so_and_saves_nothing(client, hierarchy):
    worker = WorkerFactory()
    submit(worker, town=hierarchy.town)
    client.force_login(worker)
    # The form page shows the waiting state; a crafted POST gets the service's message.
    response = client.post(reverse("membership:join"), _join_data(hierarchy))
    assert response.status_code == 200
    assert Application.objects.filter(person=worker).count() == 1


def test_an_unproven_phone_sees_why_and_cannot_submit(client, hierarchy):
    worker = UserFactory(phone="13900000009", phone_verified=False)
    client.force_login(worker)
    body = client.get(reverse("membership:join")).content.decode()
    assert 'data-testid="phone-unproven"' in body
    response = client.post(reverse("membership:join"), _join_data(hierarchy))
    assert "请先在“我的”中验证手机号码" in response.content.decode()
    assert not Application.objects.exists()


def test_missing_consent_is_shown_on_the_field(client, hierarchy):
    client.force_login(WorkerFactory())
    data = _join_data(hierarchy)
    del data["consent"]
    response = client.post(reverse("membership:join"), data)
    assert "请阅读并同意入会告知后再提交" in response.content.decode()
    assert not Application.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("membership:join", "membership:card", "membership:transfer_new", "membership:setup_new"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    assert client.get(reverse("membership:queue")).status_code == 302


def test_a_worker_without_the_role_gets_403_on_staff_pages(client):
    client.force_login(WorkerFactory())
    for name in ("membership:queue", "membership:members", "membership:setup_queue", "membership:import"):
        assert client.get(reverse(name)).status_code == 403, name


def test_staff_of_another_union_get_404_for_an_application_and_cannot_accept_it(client, hierarchy, user_with_role):
    outsider = staff_of(hierarchy.town_union, user_with_role)
    application = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    client.force_login(outsider)
    assert client.get(reverse("membership:application", args=[application.pk])).status_code == 404
    assert client.post(reverse("membership:application_accept", args=[application.pk])).status_code == 404
    assert (
        client.post(reverse("membership:application_return", args=[application.pk]), {"reason": "x"}).status_code == 404
    )
    assert Application.objects.get(pk=application.pk).state == "submitted"


def test_staff_accept_return_and_refer_from_the_pages(client, hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    client.force_login(staff)
    first = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    second = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    third = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
    queue = client.get(reverse("membership:queue")).content.decode()
    assert queue.count('data-testid="queue-row"') == 3
    client.post(reverse("membership:application_accept", args=[first.pk]))
    assert Member.objects.filter(person=first.person).exists()
    response = client.post(reverse("membership:application_return", args=[second.pk]), {"reason": ""}, follow=True)
    assert "退回时请写明原因" in response.content.decode()
    client.post(reverse("membership:application_return", args=[second.pk]), {"reason": "请补全单位"})
    assert Application.objects.get(pk=second.pk).state == "returned"
    client.post(
        reverse("membership:application_refer", args=[third.pk]), {"union": hierarchy.town_union.pk, "reason": "非快递"}
    )
    assert Application.objects.get(pk=third.pk).union == hierarchy.town_union
    response = client.post(reverse("membership:application_accept", args=[first.pk]), follow=True)
    assert "已经办理" in response.content.decode()


def test_the_card_shows_the_member_and_a_qr_code_and_is_never_stored(client, hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    worker = WorkerFactory(real_name="刘小明")
    member = services.application_accept(
        application_id=submit(worker, town=hierarchy.town, occupation=Occupation.COURIER).pk, by=staff
    )
    client.force_login(worker)
    response = client.get(reverse("membership:card"))
    body = response.content.decode()
    assert member.number in body and "刘小明" in body and "兴化市快递行业工会" in body
    assert "<svg" in body and 'http-equiv="refresh"' in body
    assert "no-store" in response["Cache-Control"]


def test_someone_who_is_not_a_member_is_sent_from_the_card_to_join(client):
    client.force_login(WorkerFactory())
    response = client.get(reverse("membership:card"))
    assert response.status_code == 302 and response["Location"] == reverse("membership:join")


def test_the_verify_page_says_valid_with_a_masked_name_and_nothing_else(client, hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    worker = WorkerFactory(real_name="刘小明", phone="13912345678")
    member = services.application_accept(
        application_id=submit(worker, town=hierarchy.town, occupation=Occupation.COURIER, real_name="刘小明").pk,
        by=staff,
    )
    response = client.get(reverse("membership:verify", args=[services.card_token(member)]))
    body = response.content.decode()
    assert response.status_code == 200 and 'data-valid="true"' in body
    assert "刘*明" in body and "兴化市快递行业工会" in body
    assert "刘小明" not in body and member.number not in body and "13912345678" not in body
    assert response["Cache-Control"] == "private, no-store"
    assert 'name="robots" content="noindex' in body and "noindex" in response["X-Robots-Tag"]
    assert response.get("X-Page-Cache") != "hit"


@pytest.mark.parametrize("token", ["forged", "1.XH-2026-000001:abc:def", "%00", "a" * 300, "1:2:3:4"])
def test_a_bad_token_is_invalid_and_never_an_error(client, token):
    response = client.get(reverse("membership:verify", args=[token]))
    assert response.status_code == 200 and 'data-valid="false"' in response.content.decode()


def test_the_verify_page_is_not_public_for_the_page_cache_or_the_sitemap(client):
    from apps.core import registry

    assert "membership:verify" not in registry.public_pages()
    for section in registry.sitemaps().values():
        assert "verify" not in getattr(section, "__name__", "")


def test_query_counts_stay_flat_as_the_queue_and_roll_grow(
    client, hierarchy, user_with_role, django_assert_max_num_queries
):
    staff = staff_of(hierarchy.courier, user_with_role)
    client.force_login(staff)

    def grow(n):
        for _ in range(n):
            worker = WorkerFactory()
            application = submit(worker, town=hierarchy.town, occupation=Occupation.COURIER)
            if _ % 2:
                services.application_accept(application_id=application.pk, by=staff)

    counts = {}
    for size in (3, 12):
        grow(size)
        for name in ("membership:queue", "membership:members"):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            client.get(reverse(name))  # warm: the session and the site-wide notice are read once
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name)).status_code == 200
            counts.setdefault(name, []).append(len(captured))
    for name, (small, large) in counts.items():
        assert small == large, (name, small, large)
    with django_assert_max_num_queries(22):
        client.get(reverse("membership:queue"))


def test_the_verify_page_takes_one_query_however_many_members(
    client, hierarchy, user_with_role, django_assert_num_queries
):
    staff = staff_of(hierarchy.courier, user_with_role)
    client.logout()
    for size in (2, 8):
        members = []
        for _ in range(size):
            application = submit(WorkerFactory(), town=hierarchy.town, occupation=Occupation.COURIER)
            members.append(services.application_accept(application_id=application.pk, by=staff))
        token = services.card_token(members[-1])
        client.get(reverse("membership:verify", args=[token]))  # warm: the site-wide demo notice is cached
        with django_assert_num_queries(1):
            assert 'data-valid="true"' in client.get(reverse("membership:verify", args=[token])).content.decode()


def test_a_member_asks_for_a_transfer_and_the_new_union_accepts_it_from_the_queue(client, hierarchy, user_with_role):
    staff = staff_of(hierarchy.courier, user_with_role)
    new_staff = staff_of(hierarchy.chain_union, user_with_role)
    worker = WorkerFactory()
    member = services.application_accept(
        application_id=submit(worker, town=hierarchy.town, occupation=Occupation.COURIER).pk, by=staff
    )
    client.force_login(worker)
    response = client.post(
        reverse("membership:transfer_new"),
        {"employer": hierarchy.bare.pk, "employer_name": "", "town": hierarchy.town.pk},
    )
    assert "无需接转会籍" in response.content.decode()
    client.post(reverse("membership:transfer_new"), {"employer": hierarchy.chain.pk, "town": hierarchy.town.pk})
    transfer = member.transfers.get()
    client.force_login(new_staff)
    assert "待接收的会籍接转" in client.get(reverse("membership:queue")).content.decode()
    client.post(reverse("membership:transfer_accept", args=[transfer.pk]))
    member.refresh_from_db()
    assert member.union == hierarchy.chain_union
    client.force_login(worker)
    body = client.get(reverse("membership:card")).content.decode()
    assert "会籍接转" in body and "兴化市快递行业工会 → 东华链条兴化有限公司工会" in body


def test_an_employer_sends_a_setup_request_and_the_town_union_sees_it(client, hierarchy, user_with_role):
    town_staff = staff_of(hierarchy.town_union, user_with_role)
    client.force_login(UserFactory())
    response = client.post(
        reverse("membership:setup_new"),
        {
            "employer_name": "顺达物流",
            "size": "30",
            "contact_name": "吴经理",
            "contact_phone": "13900002222",
            "town": hierarchy.town.pk,
        },
    )
    assert response.status_code == 302
    client.force_login(town_staff)
    assert "顺达物流" in client.get(reverse("membership:setup_queue")).content.decode()
    other = staff_of(hierarchy.courier, user_with_role)
    client.force_login(other)
    assert "顺达物流" not in client.get(reverse("membership:setup_queue")).content.decode()
