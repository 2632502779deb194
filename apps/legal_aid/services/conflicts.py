"""The conflict check before a lawyer or mediator takes a consultation or case."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import ConflictCheck, LawyerProfile


def conflict_check(*, person, employer_name: str, employer=None, by, consultation=None, case=None) -> ConflictCheck:
    """Compare the other side with the person's own employer and the clients of their law firm; record it."""
    names = {n.strip() for n in (employer_name, getattr(employer, "name", "")) if n and n.strip()}
    reason = ""
    own = getattr(person, "employer", None)
    if own is not None and (own.name in names or own.short_name in names or (employer and own.pk == employer.pk)):
        reason = _("本人在对方单位任职")
    profile = LawyerProfile.objects.filter(user=person).first()
    if not reason and profile is not None:
        advised = profile.advised_employers.filter(
            Q(name__in=names) | Q(short_name__in=names) | Q(pk=getattr(employer, "pk", None))
        )
        if advised.exists():
            reason = _("所在律所%(firm)s担任对方单位法律顾问") % {"firm": profile.firm}
    return ConflictCheck.objects.create(
        consultation=consultation,
        case=case,
        person=person,
        employer_name=", ".join(sorted(names))[:120],
        cleared=not reason,
        reason=reason,
        checked_by=by,
    )


def require_cleared(check: ConflictCheck, override_reason: str, person) -> None:
    if check.cleared:
        return
    if not (override_reason or "").strip():
        raise ValidationError(
            _("%(person)s未通过利益冲突审查（%(reason)s），不能指派。如确需指派，请填写书面理由。")
            % {"person": person.display_name, "reason": check.reason}
        )
    check.override_reason = override_reason.strip()
    check.save(update_fields=["override_reason", "updated_at"])
