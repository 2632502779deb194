"""Legal aid's audit log moves to the core audit log.

Every AuditLog row becomes an AuditEntry with the same time, actor, action and detail, and a
generic reference to its consultation or case (content type and id, and the record's name as
``str()`` gave it: "#<id> <topic>" for a consultation, the case number for a case). Then the
AuditLog table goes; officers read the legal-aid lines through the LegalAidAudit proxy.
"""

from django.db import migrations

BATCH = 1000


def _content_type(apps, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="legal_aid", model=model)[0]


def _consultation_repr(consultation) -> str:
    return f"#{consultation.pk} {consultation.get_topic_display()}"[:200]


def copy_to_core(apps, schema_editor):
    AuditLog = apps.get_model("legal_aid", "AuditLog")
    AuditEntry = apps.get_model("core", "AuditEntry")
    consultation_type = _content_type(apps, "consultation")
    case_type = _content_type(apps, "disputecase")
    rows = AuditLog.objects.select_related("consultation", "case").order_by("pk")
    batch = []
    for line in rows.iterator(chunk_size=BATCH):
        entry = AuditEntry(at=line.at, actor_id=line.actor_id, action=line.action, detail=line.detail)
        if line.consultation_id is not None:
            entry.content_type = consultation_type
            entry.object_id = str(line.consultation_id)
            entry.object_repr = _consultation_repr(line.consultation)
        elif line.case_id is not None:
            entry.content_type = case_type
            entry.object_id = str(line.case_id)
            entry.object_repr = line.case.number[:200]
        batch.append(entry)
        if len(batch) >= BATCH:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    """Unapplying: the legal-aid lines go back to AuditLog (and out of the core log)."""
    AuditLog = apps.get_model("legal_aid", "AuditLog")
    AuditEntry = apps.get_model("core", "AuditEntry")
    consultation_type = _content_type(apps, "consultation")
    case_type = _content_type(apps, "disputecase")
    ours = AuditEntry.objects.filter(content_type__in=[consultation_type, case_type]).order_by("pk")
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                at=entry.at,
                actor_id=entry.actor_id,
                action=entry.action,
                detail=entry.detail,
                consultation_id=int(entry.object_id) if entry.content_type_id == consultation_type.pk else None,
                case_id=int(entry.object_id) if entry.content_type_id == case_type.pk else None,
            )
            for entry in ours.iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
    )
    # The historical manager is a plain one: the core queryset's refusal to delete does not apply here.
    ours.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_calendar_and_audit"),
        ("legal_aid", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.CreateModel(
            name="LegalAidAudit",
            fields=[],
            options={
                "verbose_name": "访问与操作日志",
                "verbose_name_plural": "访问与操作日志",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("core.auditentry",),
        ),
        migrations.DeleteModel(
            name="AuditLog",
        ),
    ]
