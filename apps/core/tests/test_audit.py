"""The one audit log: append-only, a generic reference, read-only in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory
from apps.core.audit import audit_entries, audit_record
from apps.core.models import AuditEntry, Town

pytestmark = pytest.mark.django_db


def test_an_entry_names_the_record_by_type_and_id():
    town = Town.objects.create(name="审计镇")
    actor = UserFactory()
    entry = audit_record(actor=actor, action="change", obj=town, detail="改名")
    assert (entry.object_id, entry.object_repr, entry.actor) == (str(town.pk), "审计镇", actor)
    assert list(audit_entries(town)) == [entry]
    assert list(audit_entries(Town.objects.create(name="别的镇"))) == []


def test_entries_can_be_neither_changed_nor_deleted():
    entry = audit_record(actor=None, action="view", detail="x")
    entry.detail = "y"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.update(detail="z")
    assert AuditEntry.objects.get().detail == "x"


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        audit_record(actor=None, action="erase")


def test_the_admin_shows_the_log_but_offers_no_add_change_or_delete(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    entry = audit_record(actor=admin, action="view", detail="看过")
    client.force_login(admin)
    listing = client.get(reverse("admin:core_auditentry_changelist"))
    assert listing.status_code == 200 and "看过" in listing.content.decode()
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    response = client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
