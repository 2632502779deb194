"""The points ledger cannot be changed, only appended to."""

import pytest
from django.core.exceptions import ValidationError

from apps.innovation.models import PointsEntry

pytestmark = pytest.mark.django_db


def test_a_points_entry_cannot_be_edited_or_deleted(decided, worker):
    entry = worker.points_entries.get()
    with pytest.raises(ValidationError) as exc:
        entry.points = 1000
        entry.save()
    assert exc.value.messages == ["积分记录只能追加，不能修改；请添加冲正记录。"]
    with pytest.raises(ValidationError, match="不能删除"):
        entry.delete()
    with pytest.raises(ValidationError):
        PointsEntry.objects.filter(pk=entry.pk).update(points=1000)
    with pytest.raises(ValidationError):
        PointsEntry.objects.all().delete()
    assert PointsEntry.objects.get(pk=entry.pk).points == 7
