import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.benefits import services
from apps.benefits.models import Application, Kind, ProviderStaff, Rule, Slot
from apps.core.models import AuditEntry, Organization, UnionStaff
from apps.enrolment import services as engine
from apps.enrolment.models import Enrolment, NominationQuota

from .factories import OrgFactory, close_window, make_programme

pytestmark = pytest.mark.django_db
State = Enrolment.State
WOMEN = [(Rule.Check.FEMALE, "", "仅限女职工")]


def woman(**kw):
    return UserFactory(sex="female", birth_date=datetime.date(1985, 5, 1), **kw)


def test_a_man_is_refused_with_the_rules_sentence_and_nothing_is_saved():
    programme = make_programme(rules=WOMEN)
    with pytest.raises(ValidationError) as exc:
        services.apply(programme=programme, person=UserFactory(sex="male"), consent=True, health_consent=True)
    assert exc.value.messages == ["仅限女职工"]
    assert not Application.objects.exists() and not Enrolment.objects.exists()


def test_an_undeclared_fact_says_where_to_declare_it():
    programme = make_programme(rules=WOMEN)
    with pytest.raises(ValidationError) as exc:
        services.apply(programme=programme, person=UserFactory(), consent=True, health_consent=True)
    assert "填写性别" in exc.value.messages[0]


def test_health_data_needs_its_own_consent():
    programme = make_programme(rules=WOMEN)
    with pytest.raises(ValidationError) as exc:
        services.apply(programme=programme, person=woman(), consent=True, health_consent=False)
    assert "健康信息" in str(exc.value)
    assert not Application.objects.exists()


def test_applying_twice_is_refused_and_one_place_per_person_is_a_database_constraint():
    programme = make_programme(rules=WOMEN)
    person = woman()
    first = services.apply(programme=programme, person=person, consent=True, health_consent=True)
    with pytest.raises(ValidationError) as exc:
        services.apply(programme=programme, person=person, consent=True, health_consent=True)
    assert first.reference in exc.value.messages[0]
    assert Application.objects.filter(person=person).count() == 1
    with pytest.raises(IntegrityError):
        Application.objects.create(
            programme=programme,
            person=person,
            enrolment=Enrolment.objects.create(roster=programme.roster, person=person, state=State.DECLINED),
            reference="X1",
            channel="nominated",
            consent_at=timezone.now(),
        )


def test_outside_the_window():
    now = timezone.now()
    later = make_programme(opens=now + datetime.timedelta(days=2), closes=now + datetime.timedelta(days=5))
    with pytest.raises(ValidationError, match="申请将于"):
        services.apply(programme=later, person=woman(), consent=True, health_consent=True)
    done = make_programme(
        name="已截止", opens=now - datetime.timedelta(days=5), closes=now - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="截止"):
        services.apply(programme=done, person=woman(), consent=True, health_consent=True)


def test_served_within_n_years_is_not_eligible_again():
    year = timezone.localdate().year
    last = make_programme(kind=Kind.CHECKUP, name="去年体检", allocation="first_come", year=year - 1)
    person = UserFactory()
    application = services.apply(programme=last, person=person, consent=True, health_consent=True)
    Enrolment.objects.filter(pk=application.enrolment_id).update(state=State.ATTENDED)
    this = make_programme(kind=Kind.CHECKUP, name="今年体检", rules=[(Rule.Check.NOT_SERVED, "2", "")])
    with pytest.raises(ValidationError) as exc:
        services.apply(programme=this, person=person, consent=True, health_consent=True)
    assert exc.value.messages == ["近2年内已参加过健康体检"]
    assert services.apply(programme=this, person=UserFactory(), consent=True, health_consent=True)


def test_new_form_rule_reads_the_occupation():
    programme = make_programme(kind=Kind.INSURANCE, name="意外险", rules=[(Rule.Check.NEW_FORM, "", "")])
    with pytest.raises(ValidationError) as exc:
        services.apply(programme=programme, person=UserFactory(occupation="factory"), consent=True)
    assert exc.value.messages == ["仅限货车司机、快递员等新就业形态劳动者"]
    assert services.apply(programme=programme, person=UserFactory(occupation="truck"), consent=True)


def _draw_programme(places=2, applicants=5):
    programme = make_programme(
        places=places, rules=WOMEN, groups=[("一线职工", Rule.Check.OCCUPATION, "factory,sanitation", None)]
    )
    people = [woman(occupation="factory" if n % 2 else "other") for n in range(applicants)]
    for person in people:
        services.apply(programme=programme, person=person, consent=True, health_consent=True)
    close_window(programme)
    return programme, people


def test_preview_then_run_gives_the_previewed_result_and_replays(capsys):
    programme, people = _draw_programme()
    officer = UserFactory()
    preview = services.allocation_preview(programme=programme)
    again = services.allocation_preview(programme=programme)
    assert preview.seed == again.seed and preview.first == again.first
    assert preview.groups[0] == ("一线职工", 2, 2)  # the priority group takes the places first
    order = services.allocation_run(programme=programme, by=officer)
    programme.roster.refresh_from_db()
    assert programme.roster.draw_seed == preview.seed
    refs = dict(Application.objects.values_list("enrolment_id", "reference"))
    assert [refs[pk] for pk in order[:10]] == preview.first
    assert Enrolment.objects.filter(state=State.OFFERED).count() == 2
    assert Enrolment.objects.filter(state=State.WAITING).count() == 3
    assert AuditEntry.objects.filter(action="decide", object_id=str(programme.pk)).exists()
    with pytest.raises(ValidationError, match="不能重新分配"):
        services.allocation_run(programme=programme, by=officer)
    from django.core.management import call_command

    call_command("benefits_draw", programme.pk, "--replay")
    assert "same list" in capsys.readouterr().out


def test_a_declined_place_goes_to_the_next_waiting_and_a_late_confirmation_fails():
    programme, people = _draw_programme(places=1, applicants=3)
    services.allocation_run(programme=programme, by=UserFactory()) if services.allocation_preview(
        programme=programme
    ) else None
    offered = Application.objects.get(enrolment__state=State.OFFERED)
    services.offer_decline(application=offered)
    nxt = Application.objects.get(enrolment__state=State.OFFERED)
    assert nxt.pk != offered.pk
    late = nxt.enrolment.offer_expires_at + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="确认时间已过"):
        services.offer_confirm(application=nxt, now=late)
    assert Application.objects.get(pk=nxt.pk).enrolment.state == State.EXPIRED
    third = Application.objects.get(enrolment__state=State.OFFERED)
    services.offer_confirm(application=third)
    assert Application.objects.get(pk=third.pk).enrolment.state == State.CONFIRMED


def _confirmed(programme, person):
    application = services.apply(programme=programme, person=person, consent=True, health_consent=True)
    application.enrolment.refresh_from_db()
    assert application.enrolment.state == State.CONFIRMED
    return application


def test_booking_a_full_slot_is_refused_and_changes_nothing():
    programme = make_programme(allocation="first_come", rules=WOMEN)
    hospital = OrgFactory()
    slot = services.slot_add(
        programme=programme,
        provider=hospital,
        day=timezone.localdate(),
        starts=datetime.time(8),
        ends=datetime.time(11),
        places=1,
    )
    first, second = _confirmed(programme, woman()), _confirmed(programme, woman())
    services.book(application=first, slot=slot)
    with pytest.raises(ValidationError, match="约满"):
        services.book(application=second, slot=slot)
    slot.refresh_from_db()
    assert slot.booked == 1 and Application.objects.get(pk=second.pk).slot is None


def test_provider_checks_in_only_people_sent_to_them():
    programme = make_programme(allocation="first_come", rules=WOMEN)
    ours, theirs = OrgFactory(name="兴化市人民医院"), OrgFactory(name="兴化市中医院")
    today = timezone.localdate()
    slot = services.slot_add(
        programme=programme, provider=ours, day=today, starts=datetime.time(0, 0), ends=datetime.time(23, 59), places=5
    )
    other = services.slot_add(
        programme=programme,
        provider=theirs,
        day=today,
        starts=datetime.time(0, 0),
        ends=datetime.time(23, 59),
        places=5,
    )
    sent, elsewhere = (
        _confirmed(programme, woman(phone="13800000001")),
        _confirmed(programme, woman(phone="13800000002")),
    )
    services.book(application=sent, slot=slot)
    services.book(application=elsewhere, slot=other)
    nurse = UserFactory()
    ProviderStaff.objects.create(provider=ours, user=nurse)
    with pytest.raises(ValidationError, match="没有被安排到本机构"):
        services.provider_checkin(by=nurse, code="13800000002")
    done = services.provider_checkin(by=nurse, code=engine.person_code(sent.person))
    assert done.enrolment.state == State.ATTENDED
    assert Enrolment.objects.get(pk=elsewhere.enrolment_id).state == State.CONFIRMED
    from apps.benefits.figures import delivered

    assert delivered(Kind.SCREENING, programme.year) == 1


def test_slot_places_cannot_be_overbooked_in_the_database():
    programme = make_programme(allocation="first_come")
    slot = services.slot_add(
        programme=programme,
        provider=OrgFactory(),
        day=timezone.localdate(),
        starts=datetime.time(8),
        ends=datetime.time(9),
        places=1,
    )
    with pytest.raises(IntegrityError):
        Slot.objects.filter(pk=slot.pk).update(booked=2)


def _member(union, n):
    from apps.membership.models import Member

    person = woman()
    Member.objects.create(
        person=person, real_name=person.real_name, union=union, number=f"T{n:05d}", since=timezone.localdate()
    )
    return person


def test_nomination_within_the_unions_share_and_never_two_places_across_channels():
    union = Organization.objects.create(name="戴南镇总工会", kind=Organization.Kind.UNION)
    staff = UserFactory()
    UnionStaff.objects.create(union=union, user=staff)
    programme = make_programme(kind=Kind.RETREAT, name="疗休养", channel="both", allocation="first_come")
    NominationQuota.objects.create(roster=programme.roster, union=union, places=1)
    first, second, own = _member(union, 1), _member(union, 2), _member(union, 3)
    with pytest.raises(ValidationError, match="不是本工会的会员"):
        services.nominate(programme=programme, union=union, person=UserFactory(), by=staff)
    with pytest.raises(ValidationError, match="不是"):
        services.nominate(programme=programme, union=union, person=first, by=UserFactory())
    nominated = services.nominate(programme=programme, union=union, person=first, by=staff)
    assert nominated.channel == "nominated" and nominated.nominated_by == union
    with pytest.raises(ValidationError, match="推荐名额"):
        services.nominate(programme=programme, union=union, person=second, by=staff)
    assert not Application.objects.filter(person=second).exists()
    # applied in person already: the union cannot give them a second place
    services.apply(programme=programme, person=own, consent=True, health_consent=True)
    NominationQuota.objects.filter(roster=programme.roster).update(places=5)
    with pytest.raises(ValidationError, match="只能有一个名额"):
        services.nominate(programme=programme, union=union, person=own, by=staff)
    assert Application.objects.filter(person=own).count() == 1


def test_the_evening_before_people_booked_for_tomorrow_are_told_once():
    from apps.reminders.models import Notification

    programme = make_programme(allocation="first_come", rules=WOMEN)
    slot = services.slot_add(
        programme=programme,
        provider=OrgFactory(name="兴化市人民医院"),
        day=timezone.localdate() + datetime.timedelta(days=1),
        starts=datetime.time(8),
        ends=datetime.time(11),
        places=3,
    )
    booked = _confirmed(programme, woman())
    services.book(application=booked, slot=slot)
    _confirmed(programme, woman())  # confirmed, not booked: not told
    from apps.benefits.services.delivery import appointments_tomorrow

    assert appointments_tomorrow() == 1
    assert appointments_tomorrow() == 0
    note = Notification.objects.get(kind="benefits.appointment")
    assert note.user_id == booked.person_id and note.url.endswith("#my-code") and "兴化市人民医院" in note.body


def _xlsx(rows):
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_insurer_file_all_or_nothing_with_a_report():
    from apps.benefits.services.insurance import insured_list, policies_import

    programme = make_programme(
        kind=Kind.INSURANCE, name="意外险", allocation="first_come", needs_appointment=False, proof="policy"
    )
    a = services.apply(programme=programme, person=UserFactory(occupation="truck"), consent=True)
    b = services.apply(programme=programme, person=UserFactory(occupation="courier"), consent=True)
    officer = UserFactory()
    assert insured_list(programme, by=officer).to_bytes()
    with pytest.raises(ValidationError, match="表头"):
        policies_import(programme=programme, upload=_xlsx([["姓名", "保单"], [a.reference, "P1"]]), by=officer)
    bad = policies_import(
        programme=programme,
        upload=_xlsx([["申请编号", "保单号"], [a.reference, "P1"], [b.reference, "P1"], ["PH0-404", "P2"]]),
        by=officer,
    )
    assert bad.imported == 0 and len(bad.problems) == 2
    assert "重复" in bad.problems[0] and "不属于" in bad.problems[1]
    assert not Application.objects.exclude(policy_number="").exists()
    good = policies_import(
        programme=programme,
        upload=_xlsx([["申请编号", "保单号"], [a.reference, "P1"], [b.reference, "P2"]]),
        by=officer,
    )
    assert good.imported == 2 and not good.problems
    assert Enrolment.objects.filter(state=State.ATTENDED).count() == 2
    from apps.benefits.figures import delivered

    assert delivered(Kind.INSURANCE, programme.year) == 2


def test_withdrawing_the_health_consent_cancels_the_application_and_passes_the_place_on():
    from django.apps import apps as django_apps

    programme = make_programme(allocation="first_come", places=1, rules=WOMEN)
    first, second = woman(), woman()
    held = services.apply(programme=programme, person=first, consent=True, health_consent=True)
    services.apply(programme=programme, person=second, consent=True, health_consent=True)
    config = django_apps.get_app_config("benefits")
    keys = [c.key for c in config.consents(first)]
    assert keys == [f"health:{held.pk}"]
    with pytest.raises(LookupError):
        config.consent_withdraw(second, keys[0])  # another person's consent
    config.consent_withdraw(first, keys[0])
    assert Application.objects.get(pk=held.pk).enrolment.state == State.CANCELLED
    assert Application.objects.get(pk=held.pk).health_consent_at is None
    assert Application.objects.get(person=second).enrolment.state == State.OFFERED
    assert list(config.consents(first)) == []
