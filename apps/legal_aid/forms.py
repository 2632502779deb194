"""Forms only collect and shape input; the services decide."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Attachment, Consultation, DisputeCase, LawyerProfile, LedgerEntry, LegalStation, Topic


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp,.doc,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in data]


class ShiftSelect(forms.Select):
    """Each time slot names its station (data-station), so the page can offer only the chosen station's."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-station"] = str(instance.station_id)
        return option


class ConsultationForm(forms.Form):
    """Checks everything a worker can fix in one pass (not one error per submit); the service decides the rest."""

    station = forms.ModelChoiceField(
        label=_("服务站"),
        queryset=LegalStation.objects.none(),
        required=False,
        empty_label=_("不确定，由工会分派"),
        help_text=_("不确定去哪个站就选“由工会分派”，法律工作部会安排离您最近的服务站。"),
    )
    topic = forms.ChoiceField(label=pgettext_lazy("legal topic", "问题类型"), choices=Topic.choices)
    employer_name = forms.CharField(label=_("用人单位"), max_length=120, required=False)
    question = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("请简要说明发生了什么、涉及金额和时间。不要填写身份证号。"),
    )
    channel = forms.ChoiceField(
        label=_("答复方式"), choices=Consultation.Channel.choices, widget=forms.RadioSelect, initial="callback"
    )
    shift = forms.ModelChoiceField(
        label=_("预约时段"), queryset=None, required=False, empty_label=_("（选择时段）"), widget=ShiftSelect
    )
    callback_date = forms.DateField(
        label=_("回拨日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    callback_window = forms.ChoiceField(
        label=_("方便接电话的时间"),
        required=False,
        choices=[("09-12", _("上午 9:00–12:00")), ("14-17", _("下午 14:00–17:00")), ("18-20", _("晚上 18:00–20:00"))],
    )
    contact_name = forms.CharField(label=_("称呼"), max_length=40)
    contact_phone = forms.CharField(label=pgettext_lazy("phone number", "联系电话"), max_length=30)
    is_new_form = forms.BooleanField(label=_("我是外卖、快递、网约车、货车司机等新就业形态劳动者"), required=False)
    attachment_kind = forms.ChoiceField(label=_("材料类型"), choices=Attachment.Kind.choices, required=False)
    attachments = MultipleFileField(
        label=_("上传材料（可选）"), required=False, help_text=_("劳动合同、工资条等，PDF 或图片，每个不超过 10 MB。")
    )
    health_consent = forms.BooleanField(
        label=_("我单独同意工会处理我上传的伤残鉴定等健康信息，仅用于本次咨询。"), required=False
    )
    consent = forms.BooleanField(label=_("我已阅读并同意《个人信息保护告知》"), required=False)

    def __init__(self, *args, shifts=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .models import DutyShift

        self.fields["station"].queryset = LegalStation.objects.filter(status=LegalStation.Status.OPEN).select_related(
            "town"
        )
        self.fields["shift"].queryset = DutyShift.objects.filter(pk__in=[s.pk for s in shifts]).select_related(
            "station", "lawyer__user"
        )
        self.fields["shift"].label_from_instance = lambda s: (
            f"{s.date:%m-%d} {s.start:%H:%M}–{s.end:%H:%M} · {s.station} · {s.get_mode_display()}"
        )
        self.fields["callback_date"].initial = timezone.localdate() + datetime.timedelta(days=1)
        self.fields["question"].error_messages["required"] = _("请简要描述您遇到的问题。")
        self.fields["contact_name"].error_messages["required"] = _("请填写怎么称呼您。")
        self.fields["contact_phone"].error_messages["required"] = _("请留下联系电话，律师会用它联系您。")

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        station, shift = data.get("station"), data.get("shift")
        if channel == Consultation.Channel.SLOT and "shift" not in self.errors:
            if shift is None:
                self.add_error("shift", _("请选择一个预约时段；没有合适的时段可以改选“电话回拨”。"))
            elif station is not None and shift.station_id != station.pk:
                self.add_error(
                    "shift",
                    _("这个时段属于%(other)s，不是您选的%(chosen)s：请重新选择时段，或把服务站改为%(other)s。")
                    % {"other": shift.station, "chosen": station},
                )
        if channel == Consultation.Channel.CALLBACK and "callback_date" not in self.errors:
            day = data.get("callback_date")
            if day is None:
                self.add_error("callback_date", _("请选择回拨日期。"))
            elif day < timezone.localdate():
                self.add_error("callback_date", _("回拨日期不能早于今天。"))
            if not data.get("callback_window"):
                self.add_error("callback_window", _("请选择方便接电话的时间。"))
        appraisal = data.get("attachment_kind") == Attachment.Kind.APPRAISAL and data.get("attachments")
        if appraisal and not data.get("health_consent"):
            self.add_error("health_consent", _("伤残鉴定等材料属于敏感个人信息（健康信息），请单独勾选同意后再上传。"))
        if not data.get("consent"):
            self.add_error("consent", _("请阅读并同意《个人信息保护告知》后再提交咨询。"))
        return data

    def callback_range(self):
        day = self.cleaned_data.get("callback_date")
        window = self.cleaned_data.get("callback_window")
        if not day or not window:
            return None, None
        start, end = (int(h) for h in window.split("-"))
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(day, datetime.time(start), tzinfo=tz),
            datetime.datetime.combine(day, datetime.time(end), tzinfo=tz),
        )


class AssignForm(forms.Form):
    lawyer = forms.ModelChoiceField(label=_("指派律师"), queryset=LawyerProfile.objects.select_related("user", "firm"))
    override_reason = forms.CharField(
        label=_("强制指派理由"),
        required=False,
        max_length=300,
        help_text=_("仅在利益冲突审查未通过、又确需指派时填写，会被记录。"),
    )


class MediatorForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("指派调解员"), queryset=None)
    override_reason = forms.CharField(
        label=_("强制指派理由"),
        required=False,
        max_length=300,
        help_text=_("仅在利益冲突审查未通过、又确需指派时填写，会被记录。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.accounts.roles import users_holding

        self.fields["mediator"].queryset = users_holding("mediator", include_superusers=False).order_by("username")
        self.fields["mediator"].label_from_instance = lambda user: user.display_name


class CallbackForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("结果"), choices=[("0", _("未接通")), ("1", _("已接通"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 5}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("办结结果"),
        choices=[c for c in Consultation.Outcome.choices if c[0] != Consultation.Outcome.UNREACHABLE],
    )
    amount_claimed = forms.DecimalField(
        label=_("转调解时：请求金额（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"), choices=[(i, "★" * i) for i in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("评价（可选）"), max_length=200, required=False)


class CaseMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("转到阶段"), choices=DisputeCase.Stage.choices)
    agreement_file = forms.FileField(label=_("调解协议书"), required=False)
    amount_agreed = forms.DecimalField(label=_("协议金额（元）"), required=False, min_value=0, decimal_places=2)
    payment_due = forms.DateField(
        label=_("约定履行日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    arbitration_commission = forms.CharField(label=_("仲裁委员会"), required=False, max_length=80)
    court = forms.CharField(label=_("法院"), required=False, max_length=80)
    court_case_number = forms.CharField(label=_("法院案号"), required=False, max_length=60)
    outcome = forms.ChoiceField(label=_("结案方式"), required=False, choices=[("", "—"), *DisputeCase.Outcome.choices])
    amount_recovered = forms.DecimalField(label=_("挽回金额（元）"), required=False, min_value=0, decimal_places=2)
    note = forms.CharField(label=pgettext_lazy("case stage note", "说明"), required=False, max_length=200)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [c for c in DisputeCase.Stage.choices if c[0] in allowed] or [("", "—")]


class CaseIntakeForm(forms.Form):
    station = forms.ModelChoiceField(label=_("受理站点"), queryset=LegalStation.objects.none())
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=40)
    applicant_phone = forms.CharField(label=_("申请人电话"), max_length=30, required=False)
    respondent_name = forms.CharField(label=_("被申请人（用人单位）"), max_length=120)
    topic = forms.ChoiceField(label=_("争议类型"), choices=Topic.choices)
    claim = forms.CharField(label=_("请求事项"), widget=forms.Textarea(attrs={"rows": 4}))
    amount_claimed = forms.DecimalField(label=_("请求金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    arose_on = forms.DateField(
        label=_("争议发生日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_new_form = forms.BooleanField(label=_("新就业形态劳动者"), required=False)

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations if stations is not None else LegalStation.objects.none()

    def clean_arose_on(self):
        day = self.cleaned_data["arose_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("争议发生日期不能晚于今天。"))
        return day


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("调解日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    attendees = forms.CharField(label=_("参加人员"), max_length=300)
    minutes = forms.CharField(label=_("调解笔录"), widget=forms.Textarea(attrs={"rows": 4}))


class PerformanceForm(forms.Form):
    performance = forms.ChoiceField(label=_("履行情况"), choices=DisputeCase.Performance.choices)


class LedgerForm(forms.ModelForm):
    class Meta:
        model = LedgerEntry
        fields = ["station", "date", "channel", "topic", "people", "new_form_people", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stations is not None:
            self.fields["station"].queryset = stations
        self.fields["date"].initial = timezone.localdate()
