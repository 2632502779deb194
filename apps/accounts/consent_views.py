"""/me/consents/: the consents a person has given, each withdrawn after its consequence is said."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core import registry
from apps.core.audit import audit_record
from apps.core.models import AuditEntry


@login_required
def consents(request):
    rows = [{"app": app, "consent": consent} for app, consent in registry.consents(request.user)]
    return render(request, "accounts/consents.html", {"rows": rows})


@login_required
def consent_withdraw(request, app: str, key: str):
    """GET: what stops if the consent is withdrawn; POST: withdraw it (a guessed key is 404)."""
    found = next((c for a, c in registry.consents(request.user) if a == app and c.key == key), None)
    if found is None:
        raise Http404("no such consent")
    if request.method == "POST":
        try:
            registry.consent_withdraw(request.user, app, key)
        except LookupError:
            raise Http404("no such consent") from None
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.CHANGE,
            obj=request.user,
            detail=f"撤回同意：{found.label}"[:300],
        )
        messages.success(request, _("已撤回同意：%(what)s") % {"what": found.label})
        return redirect("accounts:consents")
    return render(request, "accounts/consent_withdraw.html", {"app": app, "consent": found})
