"""The audit log of private records is the core log (``apps.core.models.AuditEntry``).

Legal officers read the part of it about consultations and cases through this proxy: no table
of its own, only its own admin and view permission, so reading the legal-aid lines does not
open every app's audit lines (help requests, benefits …) to them.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditEntry


class LegalAidAudit(AuditEntry):
    """Who viewed or changed which consultation or case, and when (rows of the core audit log)."""

    class Meta:
        proxy = True
        verbose_name = _("访问与操作日志")
        verbose_name_plural = _("访问与操作日志")
