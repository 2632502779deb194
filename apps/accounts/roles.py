"""The portal's roles. Groups are created by a data migration; their permissions are
declared by each app on its AppConfig (``role_permissions``) and synced after migrate."""

from django.utils.translation import gettext_lazy as _

EDITOR = "editor"
CHIEF_EDITOR = "chief_editor"
TENTHINGS_REPORTER = "tenthings_reporter"
LEADER = "leader"
LAWYER = "lawyer"
STATION_KEEPER = "station_keeper"
REVIEWER = "reviewer"

ROLES = {
    EDITOR: _("编辑（撰写新闻）"),
    CHIEF_EDITOR: _("审核编辑（审核并发布新闻）"),
    TENTHINGS_REPORTER: _("十件实事填报人"),
    LEADER: _("领导（查看驾驶舱）"),
    LAWYER: _("值班律师"),
    STATION_KEEPER: _("驿站管理员"),
    REVIEWER: _("创新成果评审专家"),
}

# Roles whose members work in the Django admin.
STAFF_ROLES = {EDITOR, CHIEF_EDITOR}


def user_has_role(user, role: str) -> bool:
    """True for superusers and members of the role's group (groups are prefetched per request)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role in user.role_names
