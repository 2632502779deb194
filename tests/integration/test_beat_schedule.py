"""Every periodic job names a task the Celery app really has (looked up in its registry)."""

import pytest
from django.conf import settings

from union_portal.celery_app import app


def _registered_tasks():
    app.loader.import_default_modules()  # autodiscovered tasks modules of every installed app
    return set(app.tasks)


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_beat_entry_refers_to_a_registered_task(name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    assert entry["task"] in _registered_tasks(), f"{name}: no task {entry['task']!r} in the Celery app"
    assert entry["schedule"] is not None


def test_a_misspelt_task_would_be_caught():
    assert "apps.stations.tasks.inspections_overdue_chek" not in _registered_tasks()
