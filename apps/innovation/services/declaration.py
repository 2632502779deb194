"""Declaration: drafts, the team, attachments, submitting, endorsement, returns and screening."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import user_holds, users_holding
from apps.core.private_files import checked_file
from apps.reminders.services import notify_all

from ..models import Attachment, Campaign, Project, TeamMember
from .points import points_for_project
from .transitions import locked_project, status_set

S = Project.Status


# --- Declaration --------------------------------------------------------------------------


def _check_window(campaign: Campaign, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if not campaign.entry_open_on(today):
        raise ValidationError(
            _("申报时间为 %(opens)s 至 %(closes)s，当前不在申报期内，不能提交。")
            % {"opens": campaign.entry_opens.isoformat(), "closes": campaign.entry_closes.isoformat()},
            code="outside_window",
        )


def validate_team(members: list[dict]) -> None:
    """A team: at least one person, exactly one 第一完成人, shares of 1–100 totalling 100."""
    if not members:
        raise ValidationError(_("请至少填写一名完成人。"), code="team_empty")
    names = [m["name"].strip() for m in members]
    if len(set(names)) != len(names):
        raise ValidationError(_("完成人姓名不能重复。"), code="team_duplicate")
    firsts = sum(1 for m in members if m["role"] == TeamMember.Role.FIRST)
    if firsts != 1:
        raise ValidationError(_("必须有且只有一名第一完成人。"), code="team_first")
    total = sum(int(m["share"]) for m in members)
    if total != 100:
        raise ValidationError(
            _("完成人贡献份额合计必须为 100%%，现在是 %(total)s%%。") % {"total": total}, code="team_shares"
        )


@transaction.atomic
def project_draft_save(*, owner, project: Project | None = None, **fields) -> Project:
    """Create or update a draft (also a project returned for changes)."""
    if project is None:
        project = Project(owner=owner, status=S.DRAFT)
    elif project.owner_id != owner.pk:
        raise PermissionDenied
    elif project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能再修改。"), code="not_editable")
    for name, value in fields.items():
        setattr(project, name, value)
    if (
        project.category_id
        and project.campaign_id
        and not project.campaign.categories.filter(pk=project.category_id).exists()
    ):
        raise ValidationError({"category": _("本次活动不接受该类别的申报。")})
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_team_set(*, project: Project, owner, members: list[dict]) -> list[TeamMember]:
    """Replace a draft's team; refused (nothing changed) unless shares total 100 and one first."""
    project = locked_project(project.pk)
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能再修改。"), code="not_editable")
    validate_team(members)
    project.team.all().delete()
    team = []
    for i, member in enumerate(members):
        row = TeamMember(
            project=project,
            name=member["name"].strip(),
            role=member["role"],
            share=int(member["share"]),
            user=member.get("user"),
            sort_order=i,
            is_demo=project.is_demo,
        )
        row.full_clean()
        team.append(row)
    return TeamMember.objects.bulk_create(team)


@transaction.atomic
def attachment_add(*, project: Project, owner, file, title: str, kind: str = Attachment.Kind.ATTACHMENT) -> Attachment:
    """Store a proof or attachment after checking its real content (not its name)."""
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能再修改。"), code="not_editable")
    attachment = Attachment(project=project, kind=kind, title=title or _("附件"))
    attachment.file = checked_file(file)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def project_submit(*, project: Project, owner, today: datetime.date | None = None) -> Project:
    """Submit a complete draft within the entry window; the enterprise union is told."""
    project = locked_project(project.pk)
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status not in (S.DRAFT, S.RETURNED, S.RETURNED_FOR_FIX):
        raise ValidationError(_("项目已提交，不能重复提交。"), code="not_editable")
    _check_window(project.campaign, today)
    missing = [
        label
        for label, value in ((_("要解决的问题"), project.problem), (_("创新内容与解决方案"), project.solution))
        if not value.strip()
    ]
    if missing:
        raise ValidationError(_("请先填写：%(fields)s。") % {"fields": "、".join(str(m) for m in missing)})
    validate_team(list(project.team.values("name", "role", "share")))
    back_to_officer = project.status == S.RETURNED_FOR_FIX
    project.submitted_at = timezone.now()
    project.status_note = ""
    status_set(project, S.ENDORSED if back_to_officer else S.SUBMITTED, actor=owner)
    if not back_to_officer:
        _endorsement_notify(project)
    return project


def _endorsement_notify(project: Project) -> None:
    # The employer's enterprise union: a few people, told in the submitting transaction.
    notify_all(
        users_holding("enterprise_union", obj=project),
        kind="innovation.endorsement",
        key=f"innovation:endorse:{project.pk}:{project.submitted_at:%Y%m%d%H%M%S}",
        title=_("有创新项目等待单位推荐：%(title)s") % {"title": project.title},
        url=reverse("innovation:endorse_queue"),
    )


@transaction.atomic
def project_withdraw(*, project: Project, owner) -> Project:
    project = locked_project(project.pk)
    if project.owner_id != owner.pk:
        raise PermissionDenied
    if project.status in (S.UNDER_REVIEW, S.RANKED, S.DECIDED, S.PUBLICITY, S.AWARDED, S.NOT_AWARDED, S.WITHDRAWN):
        raise ValidationError(_("评审开始后不能撤回。"))
    status_set(project, S.WITHDRAWN, actor=owner)
    return project


def _check_enterprise_union(user, project: Project) -> None:
    if not user_holds(user, "enterprise_union") or user.employer_id != project.employer_id:
        raise PermissionDenied


@transaction.atomic
def project_endorse(*, project: Project, by, note: str = "", public_consent: bool = False) -> Project:
    """The enterprise union recommends its worker's project (and may consent to its name being public)."""
    project = locked_project(project.pk)
    _check_enterprise_union(by, project)
    if project.status != S.SUBMITTED:
        raise ValidationError(_("只有待单位推荐的项目可以推荐或退回。"))
    if public_consent:
        project.public_consent = True
        project.save(update_fields=["public_consent", "updated_at"])
    project.status_note = note
    status_set(project, S.ENDORSED, actor=by, note=note)
    points_for_project(project=project, rule_code="declared", by=by)
    return project


@transaction.atomic
def project_return(*, project: Project, by, reason: str) -> Project:
    """The enterprise union (when submitted) or the officer (when endorsed) sends it back with a reason."""
    if not reason.strip():
        raise ValidationError(_("退回时请说明理由。"), code="reason_required")
    project = locked_project(project.pk)
    if project.status == S.SUBMITTED:
        _check_enterprise_union(by, project)
        status = S.RETURNED
    elif project.status == S.ENDORSED:
        if not user_holds(by, "innovation_officer"):
            raise PermissionDenied
        status = S.RETURNED_FOR_FIX
    else:
        raise ValidationError(_("该项目当前不能退回。"))
    project.status_note = reason.strip()
    status_set(project, status, actor=by, note=reason.strip())
    if project.owner_id:
        # One person, told in the same transaction as the return (nothing if it rolls back).
        notify_all(
            [project.owner_id],
            kind="innovation.returned",
            key=f"innovation:returned:{project.pk}:{timezone.now():%Y%m%d%H%M%S}",
            title=_("您的创新项目被退回修改：%(title)s") % {"title": project.title},
            body=reason.strip(),
            url=reverse("innovation:wizard", args=[project.pk, 1]),
        )
    return project


@transaction.atomic
def project_screen(*, project: Project, by) -> Project:
    """The officer passes a project in 形式审查; 通过形式审查 points are earned."""
    project = locked_project(project.pk)
    if project.status != S.ENDORSED:
        raise ValidationError(_("只有单位已推荐的项目可以通过形式审查。"))
    status_set(project, S.SCREENED, actor=by)
    points_for_project(project=project, rule_code="screened", by=by)
    return project
