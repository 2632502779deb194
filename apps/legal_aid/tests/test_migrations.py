"""The audit log's move to core keeps every line (both ways)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.models import AuditEntry

from .factories import ConsultationFactory, DisputeCaseFactory, UserFactory

BEFORE = [("legal_aid", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The models as the database now has them: every app's applied migrations.
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


@pytest.mark.slow  # migrates the whole schema back and forth: tens of seconds
@pytest.mark.django_db(transaction=True)
def test_every_audit_line_moves_to_the_core_log_and_back():
    officer = UserFactory()
    consultation = ConsultationFactory()
    case = DisputeCaseFactory(number="XHGH-TJ-2025-0007")
    audit_record(actor=officer, action="view", obj=consultation)
    audit_record(actor=None, action="change", obj=consultation, detail="按保存期限删除个人信息")
    audit_record(actor=officer, action="download", obj=case, detail="协议书")
    unrelated = audit_record(actor=officer, action="view", obj=officer, detail="另一个应用")
    lines = set(
        AuditEntry.objects.exclude(pk=unrelated.pk).values_list("at", "actor_id", "action", "detail", "object_repr")
    )
    try:
        old = _migrate(BEFORE)
        AuditLog = old.get_model("legal_aid", "AuditLog")
        assert set(AuditLog.objects.values_list("consultation_id", "case_id", "action")) == {
            (consultation.pk, None, "view"),
            (consultation.pk, None, "change"),
            (None, case.pk, "download"),
        }
        assert list(old.get_model("core", "AuditEntry").objects.values_list("pk", flat=True)) == [unrelated.pk]
        # A line written while the log was legal aid's own moves too.
        AuditLog.objects.create(
            at=timezone.now() - datetime.timedelta(days=3),
            actor_id=officer.pk,
            action="create",
            consultation_id=consultation.pk,
        )
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes("legal_aid"))
    moved = AuditEntry.objects.exclude(pk=unrelated.pk)
    assert lines < set(moved.values_list("at", "actor_id", "action", "detail", "object_repr"))
    assert moved.count() == 4
    assert AuditEntry.objects.for_object(consultation).count() == 3
    assert AuditEntry.objects.for_object(case).get().object_repr == "XHGH-TJ-2025-0007"
    assert set(AuditEntry.objects.for_object(consultation).values_list("object_repr", flat=True)) == {str(consultation)}


@pytest.mark.slow  # migrates legal aid back and forth: tens of seconds
@pytest.mark.django_db(transaction=True)
def test_event_registrations_move_into_the_enrolment_engine_with_their_states_and_check_ins():
    from apps.enrolment.models import Attendance, Enrolment, Roster

    from .factories import LegalEventFactory

    event = LegalEventFactory(capacity=2)
    confirmed, checked_in, waiting, cancelled = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    try:
        old = _migrate([("legal_aid", "0002_audit_to_core")])
        Registration = old.get_model("legal_aid", "Registration")
        for user, status, at in (
            (confirmed, "confirmed", None),
            (checked_in, "confirmed", timezone.now()),
            (waiting, "waiting", None),
            (cancelled, "cancelled", None),
        ):
            Registration.objects.create(event_id=event.pk, user_id=user.pk, status=status, checked_in_at=at)
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes("legal_aid"))
    roster = Roster.objects.get(owner_id=event.pk, owner_type__model="legalevent")
    assert (roster.places, roster.taken, roster.waiting) == (2, 2, 1)
    states = dict(Enrolment.objects.filter(roster=roster).values_list("person_id", "state"))
    assert states == {
        confirmed.pk: "confirmed",
        checked_in.pk: "attended",
        waiting.pk: "waiting",
        cancelled.pk: "cancelled",
    }
    assert list(Attendance.objects.values_list("enrolment__person_id", flat=True)) == [checked_in.pk]
