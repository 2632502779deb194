"""Who holds what. Roles themselves are declared by the apps that own them (the app
contract's ``roles()`` hook); this module only answers questions about people.

- ``user_holds(user, "leader")`` / ``user_holds(user, "news.publish_article")``: yes or no in code;
- ``users_holding(role_or_perm, obj=...)``: the one place that says "who gets told";
- ``role_required`` (views) and ``object_or_404``: the one way to guard a page or a record.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from apps.core.registry import user_holds  # noqa: F401  (re-exported: one definition)


def users_holding(role_or_perm: str, *, obj=None, include_superusers: bool = True) -> QuerySet:
    """Active users who hold a role (group name) or a permission (``app.codename``).

    With ``obj``, only those the object itself names for that role: the object's
    ``role_holders(role_or_perm)`` returns them (e.g. a station's keepers). Superusers are
    included unless ``include_superusers`` is False; for an object they are never included
    (nobody is told about a station they do not keep).
    """
    User = get_user_model()
    if "." in role_or_perm:
        app_label, codename = role_or_perm.split(".", 1)
        holds = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label) | Q(
            groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label
        )
    else:
        holds = Q(groups__name=role_or_perm)
    if obj is not None:
        named = obj.role_holders(role_or_perm).values("pk")
        return User.objects.filter(is_active=True, pk__in=named).filter(holds | Q(is_superuser=True)).distinct()
    if include_superusers:
        holds |= Q(is_superuser=True)
    return User.objects.filter(is_active=True).filter(pk__in=User.objects.filter(holds).values("pk"))


class RoleRequired(PermissionDenied):
    """A page needs a role the visitor lacks; the 403 page names it and says who to ask."""

    def __init__(self, role_or_perm: str):
        super().__init__(role_or_perm)
        self.role_or_perm = role_or_perm


def role_required(role_or_perm: str):
    """Guard a view: anonymous visitors go to sign in; signed-in people without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_holds(request.user, role_or_perm):
                raise RoleRequired(role_or_perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def object_or_404(queryset: QuerySet, **lookup):
    """One record from a queryset already narrowed to what the visitor may see, else 404.

    Private records answer 404, never 403, so a guessed id reveals nothing.
    """
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
