"""A project's status changes and its log: the steps every workflow service shares."""

from ..models import Project, ProjectEvent


def event_log(project: Project, actor, from_status: str, to_status: str, note: str = "") -> None:
    """Keep one line of the project's audit log (who, when, from what to what, why)."""
    ProjectEvent.objects.create(
        project=project,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_demo=project.is_demo,
    )


def status_set(project: Project, status: str, *, actor, note: str = "") -> None:
    """Change a project's status and log the change."""
    old = project.status
    project.status = status
    project.save(update_fields=["status", "status_note", "submitted_at", "updated_at"])
    event_log(project, actor, old, status, note)


def locked_project(project_id: int) -> Project:
    """The project row locked for the rest of the transaction, with its campaign."""
    return Project.objects.select_for_update().select_related("campaign").get(pk=project_id)
