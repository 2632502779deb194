import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.benefits import services
from apps.benefits.models import Application, Kind, ProviderStaff, Rule
from apps.core.models import AuditEntry
from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment

from .factories import OrgFactory, close_window, make_programme

pytestmark = pytest.mark.django_db
State = Enrolment.State
WOMEN = [(Rule.Check.FEMALE, "", "仅限女职工")]


def _catalogue(n):
    for i in range(n):
        make_programme(
            name=f"项目{i}",
            rules=[*WOMEN, (Rule.Check.AGE, "18-64", ""), (Rule.Check.NOT_SERVED, "2", "")],
            groups=[("一线职工", Rule.Check.OCCUPATION, "factory", None)],
        )


def test_catalogue_says_open_ineligible_with_reason_or_applied_in_flat_queries(client, django_assert_max_num_queries):
    _catalogue(2)
    man = UserFactory(sex="male")
    client.force_login(man)
    with django_assert_max_num_queries(14) as few:
        page = client.get(reverse("benefits:catalogue"))
    small = len(few.captured_queries)
    _catalogue(8)
    with django_assert_max_num_queries(small):
        page = client.get(reverse("benefits:catalogue"))
    body = page.content.decode()
    assert body.count("不符合") == 10 and "仅限女职工" in body
    lady = UserFactory(sex="female", birth_date=datetime.date(1980, 1, 1))
    client.force_login(lady)
    assert "可申请" in client.get(reverse("benefits:catalogue")).content.decode()


def test_apply_through_the_page_then_the_card_says_applied(client):
    programme = make_programme(rules=WOMEN)
    lady = UserFactory(sex="female")
    client.force_login(lady)
    form = client.get(reverse("benefits:apply", args=[programme.pk]))
    assert "单独同意" in form.content.decode()
    refused = client.post(reverse("benefits:apply", args=[programme.pk]), {"consent": "on"}, follow=True)
    assert "健康信息" in refused.content.decode() and not Application.objects.exists()
    done = client.post(
        reverse("benefits:apply", args=[programme.pk]), {"consent": "on", "health_consent": "on"}, follow=True
    )
    assert "已提交申请" in done.content.decode()
    assert "已申请" in client.get(reverse("benefits:catalogue")).content.decode()


def test_anonymous_catalogue_and_programme_pages_are_public():
    from django.test import Client

    programme = make_programme(rules=WOMEN)
    client = Client()
    assert client.get(reverse("benefits:catalogue")).status_code == 200
    page = client.get(programme.get_absolute_url())
    assert page.status_code == 200 and "仅限女职工" in page.content.decode()


def test_a_guessed_application_id_is_404_and_leaders_see_no_applications(client, user_with_role):
    programme = make_programme(rules=WOMEN)
    application = services.apply(
        programme=programme, person=UserFactory(sex="female"), consent=True, health_consent=True
    )
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(reverse("benefits:action", args=[application.pk, "cancel"])).status_code == 404
    from apps.benefits.selectors import visible_applications

    leader = user_with_role("leader")
    assert not visible_applications(leader).exists()
    assert not visible_applications(stranger).exists()
    officer = user_with_role("benefits_officer")
    assert visible_applications(officer).filter(pk=application.pk).exists()
    client.force_login(leader)
    assert client.get(f"/admin/benefits/application/{application.pk}/change/").status_code in (302, 403, 404)


def test_officer_previews_runs_and_the_programme_page_publishes_seed_and_counts(client, user_with_role):
    programme = make_programme(rules=WOMEN, places=1, groups=[("一线职工", Rule.Check.OCCUPATION, "factory", None)])
    for occupation in ("factory", "other", "other"):
        services.apply(
            programme=programme,
            person=UserFactory(sex="female", occupation=occupation),
            consent=True,
            health_consent=True,
        )
    close_window(programme)
    officer = user_with_role("benefits_officer")
    client.force_login(officer)
    page = client.get(reverse("benefits:allocation", args=[programme.pk]))
    assert page.status_code == 200
    seed = page.context["preview"].seed
    client.post(reverse("benefits:allocation", args=[programme.pk]))
    client.post(reverse("benefits:allocation", args=[programme.pk]))  # a second run is refused
    public = client.get(programme.get_absolute_url()).content.decode()
    assert seed in public and "一线职工" in public
    assert Enrolment.objects.filter(state=State.OFFERED).count() == 1
    worker = UserFactory()
    client.force_login(worker)
    assert client.get(reverse("benefits:allocation", args=[programme.pk])).status_code == 403


def test_provider_page_checks_in_by_phone(client, user_with_role):
    programme = make_programme(kind=Kind.SCREENING, allocation="first_come", rules=WOMEN)
    hospital = OrgFactory(name="兴化市人民医院")
    slot = services.slot_add(
        programme=programme,
        provider=hospital,
        day=timezone.localdate(),
        starts=datetime.time(0, 0),
        ends=datetime.time(23, 59),
        places=3,
    )
    lady = UserFactory(sex="female", phone="13900000009")
    application = services.apply(programme=programme, person=lady, consent=True, health_consent=True)
    services.book(application=application, slot=slot)
    nurse = user_with_role("benefits_provider")
    ProviderStaff.objects.create(provider=hospital, user=nurse)
    client.force_login(nurse)
    page = client.get(reverse("benefits:provider"))
    assert lady.display_name in page.content.decode()
    done = client.post(reverse("benefits:provider"), {"code": "13900000009"}, follow=True)
    assert "签到成功" in done.content.decode()
    assert Enrolment.objects.get(pk=application.enrolment_id).state == State.ATTENDED
    assert AuditEntry.objects.filter(object_id=str(application.pk), action="view").exists()
    assert engine.person_code(lady)


def test_union_staff_nominate_a_member_by_phone_within_the_share(client, user_with_role):
    from apps.core.models import Organization, UnionStaff
    from apps.enrolment.models import NominationQuota
    from apps.membership.models import Member

    union = Organization.objects.create(name="戴南镇总工会", kind=Organization.Kind.UNION)
    staff = user_with_role("union_staff")
    UnionStaff.objects.create(union=union, user=staff)
    programme = make_programme(kind=Kind.RETREAT, name="疗休养", channel="both", allocation="first_come")
    NominationQuota.objects.create(roster=programme.roster, union=union, places=1)
    members = []
    for n in range(2):
        person = UserFactory(phone=f"1360000000{n}")
        Member.objects.create(person=person, real_name="会员", union=union, number=f"N{n}", since=timezone.localdate())
        members.append(person)
    client.force_login(staff)
    url = reverse("benefits:nominate", args=[programme.pk])
    assert "已用 0 / 1" in client.get(url).content.decode()
    done = client.post(url, {"union": union.pk, "phone": "13600000000"}, follow=True).content.decode()
    assert "已推荐" in done and "已用 1 / 1" in done
    over = client.post(url, {"union": union.pk, "phone": "13600000001"}, follow=True).content.decode()
    assert "推荐名额（1 个）已用完" in over
    assert Application.objects.filter(programme=programme).count() == 1
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
