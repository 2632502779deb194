"""The points ledger: corrections are reversing entries."""

import pytest
from django.core.exceptions import ValidationError

from apps.innovation import services

pytestmark = pytest.mark.django_db


def test_a_correction_is_a_reversing_entry_and_the_balance_is_the_sum(decided, worker, officer):
    entry = worker.points_entries.get()
    reversal = services.points_reverse(entry=entry, by=officer, reason="份额登记错误")
    assert reversal.points == -7 and reversal.reverses == entry
    assert sum(worker.points_entries.values_list("points", flat=True)) == 0
    with pytest.raises(ValidationError, match="已经冲正过"):
        services.points_reverse(entry=entry, by=officer, reason="再来一次")
