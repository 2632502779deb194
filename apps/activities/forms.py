import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization
from apps.enrolment.models import Roster

from .models import Activity

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.ModelForm):
    """The organiser's form: the activity and the rules of its sign-up (kept on its roster)."""

    places = forms.IntegerField(label=_("名额"), min_value=0, initial=30, help_text=_("0 表示不限名额"))
    opens_at = forms.DateTimeField(label=_("报名开始"), required=False, widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("报名截止"), required=False, widget=DATETIME)
    allocation = forms.ChoiceField(label=_("名额分配"), choices=Roster.Allocation.choices, initial="first_come")
    waiting_list = forms.BooleanField(label=_("名额满后可候补"), required=False, initial=True)
    hold_hours = forms.IntegerField(label=_("候补名额保留（小时）"), min_value=1, max_value=168, initial=24)
    walk_ins_allowed = forms.BooleanField(label=_("允许未报名的职工现场签到"), required=False)

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "series_number",
            "organiser",
            "partner",
            "description",
            "audience",
            "place_name",
            "town",
            "address",
            "latitude",
            "longitude",
            "signup_required",
            "completion_sessions",
            "child_min_age",
            "child_max_age",
            "news_url",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    ROSTER_FIELDS = ("places", "opens_at", "closes_at", "allocation", "waiting_list", "hold_hours", "walk_ins_allowed")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Organization.objects.filter(kind=Organization.Kind.UNION)
        if user is not None and not user.is_superuser:
            units = units.filter(pk=user.employer_id)
        self.fields["organiser"].queryset = units
        roster = self.instance.roster if self.instance.pk else None
        if roster is not None:
            for name in self.ROSTER_FIELDS:
                value = getattr(roster, name)
                self.initial[name] = timezone.localtime(value) if isinstance(value, datetime.datetime) else value

    def roster_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.ROSTER_FIELDS}


class SessionForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    topic = forms.CharField(label=_("本场内容"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(data["day"], data["start"]), tz)
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(data["day"], data["end"]), tz)
            if data["ends_at"] <= data["starts_at"]:
                raise forms.ValidationError(_("结束时间须晚于开始时间。"))
        return data


class ChildForm(forms.Form):
    dependant_name = forms.CharField(label=_("孩子姓名"), max_length=30)
    dependant_age = forms.IntegerField(label=_("孩子年龄（周岁）"), min_value=0, max_value=18)
    guardian_phone = forms.CharField(label=_("监护人手机号码"), max_length=11, min_length=11)
    guardian_consent = forms.BooleanField(
        label=_("我是孩子的监护人，同意为其报名，并同意主办方为托管需要使用以上信息（不会公开）。"), required=False
    )


class CheckinForm(forms.Form):
    code = forms.CharField(label=_("个人签到码或手机号码"), max_length=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class MessageForm(forms.Form):
    title = forms.CharField(label=_("通知标题"), max_length=80)
    body = forms.CharField(label=_("通知内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class HeadCountForm(forms.Form):
    head_count = forms.IntegerField(label=_("到场人数"), min_value=0, max_value=100000)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("您对本次活动满意吗？"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("一句话意见（可不填）"), max_length=200, required=False)
