"""Clock-driven: the caseworkers are told a month before a family's yearly re-check is due."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.reminders.services import notify_all

from ..models import HelpRequest
from .common import caseworkers

RECHECK_NOTICE = datetime.timedelta(days=30)


def recheck_remind(today=None) -> int:
    """Daily: every case in the scheme whose re-check falls within a month (or is overdue) tells
    its union's staff once per due date (the natural key makes a rerun send nothing)."""
    today = today or timezone.localdate()
    told = 0
    due = HelpRequest.objects.in_scheme().filter(recheck_due_on__lte=today + RECHECK_NOTICE).select_related("union")
    for request in due.iterator():
        told += notify_all(
            caseworkers(request),
            kind="assistance.recheck",
            key=f"assistance.recheck:{request.pk}:{request.recheck_due_on:%Y%m%d}",
            title=_("帮扶对象年度复核：%(request)s 应于 %(day)s 前完成")
            % {"request": request, "day": request.recheck_due_on.isoformat()},
            url=request.get_absolute_url(),
        )
    return told
