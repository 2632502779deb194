from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import Organization
from apps.core.private_files import validate_private_file

from .models import Attachment, AwardLevel, Campaign, Category, Project, TeamMember
from .services import validate_team


class ProjectBasicsForm(forms.ModelForm):
    """Step 1: what the project is, where it comes from, and whether it is a business secret."""

    source_tags = forms.MultipleChoiceField(
        label=_("来源"), choices=Project.Source.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Project
        fields = ["campaign", "category", "title", "summary", "employer", "usage", "source_tags", "patents"]
        fields += ["is_confidential"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["campaign"].queryset = Campaign.objects.filter(entry_opens__lte=today, entry_closes__gte=today)
        self.fields["campaign"].empty_label = None
        self.fields["category"].queryset = Category.objects.filter(
            campaigns__in=self.fields["campaign"].queryset
        ).distinct()
        self.fields["employer"].queryset = Organization.objects.filter(kind=Organization.Kind.EMPLOYER)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=30, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=TeamMember.Role.choices)
    share = forms.IntegerField(label=_("份额（%）"), min_value=1, max_value=100, required=False)
    username = forms.CharField(label=_("平台账号（可选）"), max_length=150, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("share"):
            self.add_error("share", _("请填写份额。"))
        if data.get("username"):
            user = get_user_model().objects.filter(username=data["username"]).first()
            if user is None:
                self.add_error("username", _("没有这个账号。"))
            data["user"] = user
        return data


class BaseTeamFormSet(forms.BaseFormSet):
    def members(self) -> list[dict]:
        return [
            {
                "name": f.cleaned_data["name"],
                "role": f.cleaned_data["role"],
                "share": f.cleaned_data["share"] or 0,
                "user": f.cleaned_data.get("user"),
            }
            for f in self.forms
            if f.cleaned_data.get("name")
        ]

    def clean(self):
        if any(self.errors):
            return
        validate_team(self.members())


TeamFormSet = forms.formset_factory(TeamMemberForm, formset=BaseTeamFormSet, extra=0, min_num=1, max_num=15)


class ProjectContentForm(forms.ModelForm):
    """Step 3: the problem, the solution and the benefit with how it was computed."""

    class Meta:
        model = Project
        fields = ["problem", "solution", "money_saved", "money_method", "other_benefit"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ("problem", "solution", "money_method")}
        widgets["other_benefit"] = forms.Textarea(attrs={"rows": 3})


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("description", "说明"), max_length=80, required=False, help_text=_("不填则用文件名。")
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("文件"), validators=[validate_private_file], help_text=_("PDF、图片或 Word/Excel"))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and not data.get("title"):
            data["title"] = upload.name.rsplit(".", 1)[0][:80]
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class EndorseForm(forms.Form):
    note = forms.CharField(label=_("推荐意见"), max_length=300, required=False)
    public_consent = forms.BooleanField(label=_("企业同意公开项目名称和简介"), required=False)


class ReviewForm(forms.Form):
    """One field per rubric criterion: a 0–10 score (empty = n/a) or an option for independent ones."""

    private_comment = forms.CharField(
        label=_("评审意见（不公开）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    feedback = forms.CharField(
        label=_("给申报人的反馈（结果发布后可见）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        initial = {}
        if review is not None:
            initial = {"private_comment": review.private_comment, "feedback": review.feedback}
            for score in review.scores.all():
                key = f"c{score.criterion_id}"
                initial[key] = score.option if score.option else ("" if score.value is None else score.value)
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            name = f"c{criterion.pk}"
            if criterion.independent and criterion.option_list:
                self.fields[name] = forms.ChoiceField(
                    label=criterion.name,
                    choices=[("", "—")] + [(o, o) for o in criterion.option_list],
                    required=False,
                    help_text=_("独立项，不计入总分"),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=_("%(name)s（权重 %(weight)s）") % {"name": criterion.name, "weight": criterion.weight},
                    required=False,
                    help_text=_("0–10 分，可保留一位小数；留空表示不适用")
                    if not criterion.required
                    else _("0–10 分，必评"),
                    widget=forms.NumberInput(attrs={"min": 0, "max": 10, "step": "0.5", "inputmode": "decimal"}),
                )
        order = [f"c{c.pk}" for c in criteria] + ["private_comment", "feedback"]
        self.order_fields(order)

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria if not c.independent}

    def options(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria if c.independent}


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("评审专家"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = get_user_model().objects.filter(reviewer_profile__is_active=True)


class DecisionForm(forms.Form):
    level = forms.ChoiceField(label=_("评定等级"), choices=AwardLevel.choices)
    recommend_upward = forms.BooleanField(label=_("推荐参评泰州"), required=False)
    note = forms.CharField(label=_("评审委员会意见"), max_length=300, required=False)


class PublicityForm(forms.Form):
    starts = forms.DateField(label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ObjectionForm(forms.Form):
    project = forms.ModelChoiceField(label=_("对哪个项目"), queryset=Project.objects.none())
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("处理意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    upheld = forms.BooleanField(label=_("异议成立（该项目不予表彰）"), required=False)


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("难题"), max_length=120)
    description = forms.CharField(label=_("描述"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ConsentForm(forms.Form):
    show_name = forms.BooleanField(label=_("在积分榜公开我的姓名"), required=False)
