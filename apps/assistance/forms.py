"""Forms of the request steps and the casework actions (services do every check that matters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Town

from .models import AskedHelp, Band, Document, HelpRequest, HomeVisit, LedgerEntry


def _no_blank_radios(form):
    """Radio groups offer the real choices only (no "---------" button)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
            field.choices = [choice for choice in field.choices if choice[0]]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads


class HouseholdForm(forms.ModelForm):
    """Step 1: who asks and the household."""

    worker_phone = forms.CharField(
        label=_("职工注册的手机号（工会代为申请时填写）"),
        max_length=11,
        required=False,
        help_text=_("申请会归入这位职工的账号，职工本人在“我的”中查看进度。"),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    class Meta:
        model = HelpRequest
        fields = [
            "filer",
            "worker_phone",
            "applicant_name",
            "phone",
            "town",
            "employer_name",
            "household_size",
            "household_members",
        ]
        widgets = {"filer": forms.RadioSelect}
        help_texts = {
            "household_members": _("例如：妻子（务农）、儿子（读高中）、母亲（74 岁）。"),
            "applicant_name": _("公示时只显示姓氏，例如“刘*”。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.order_by("sort_order", "name")
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["household_size"].widget.attrs.update({"inputmode": "numeric", "min": 1, "max": 20})
        for field in self.fields.values():
            field.required = False  # a draft saves what is there; submitting checks every step
        _no_blank_radios(self)

    def clean_household_size(self):
        size = self.cleaned_data["household_size"]
        if size is not None and not 1 <= size <= 20:
            raise forms.ValidationError(_("家庭人口应在 1 到 20 人之间。"))
        return size


class HardshipForm(forms.ModelForm):
    """Step 2: income band, reason and what happened."""

    class Meta:
        model = HelpRequest
        fields = ["income_band", "reason", "story"]
        widgets = {
            "income_band": forms.RadioSelect,
            "reason": forms.RadioSelect,
            "story": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"story": _("请简要说明发生了什么、现在的困难。请不要填写身份证号。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        _no_blank_radios(self)


class AskForm(forms.ModelForm):
    """Step 3: what help is asked."""

    class Meta:
        model = HelpRequest
        fields = ["asked_help", "asked_amount"]
        widgets = {"asked_help": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_help"].required = False
        _no_blank_radios(self)
        self.fields["asked_amount"].widget.attrs.update({"inputmode": "decimal", "min": 0})

    def clean_asked_amount(self):
        amount = self.cleaned_data["asked_amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("金额不能为负数。"))
        return amount


class DocumentForm(forms.Form):
    """Step 4: one paper at a time (PDF or photo)."""

    kind = forms.ChoiceField(
        label=_("材料类型"),
        choices=[c for c in Document.Kind.choices if c[0] not in ("application", "authorisation")],
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_("PDF 或照片（JPG、PNG、WebP），单个不超过 10 MB。照片中的位置信息会被去除。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )


class ConsentForm(forms.Form):
    """Step 5: the consents, each on its own."""

    consent = forms.BooleanField(label=_("我已阅读并同意上述个人信息保护告知"), required=False)
    financial_consent = forms.BooleanField(
        label=_("我单独同意工会向民政部门核对本人及家庭成员的收入和财产信息"), required=False
    )
    health_consent = forms.BooleanField(
        label=_("我单独同意工会处理本申请中的病情、残疾等健康信息（因病、因残申请或上传病历时必选）"),
        required=False,
    )


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("初审意见"), choices=[("accept", _("初审通过")), ("return", _("退回补充"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("退回原因"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("入户日期"), widget=DATE)
    visitor_one = forms.CharField(label=_("调查人一"), max_length=40)
    visitor_two = forms.CharField(label=_("调查人二"), max_length=40)
    checklist = forms.MultipleChoiceField(
        label=_("核查事项"), choices=HomeVisit.CHECKLIST, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("调查记录"), widget=forms.Textarea(attrs={"rows": 4}))
    application = forms.FileField(label=_("申请人签字的申请书"), required=False)
    authorisation = forms.FileField(label=_("签字的家庭经济状况核对授权书"), required=False)


class CheckForm(forms.Form):
    result = forms.ChoiceField(
        label=_("民政核对结果"), choices=HelpRequest.CheckResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("核对说明"), max_length=300, required=False)


class PublicityForm(forms.Form):
    band = forms.ChoiceField(label=_("拟认定困难类别"), choices=Band.choices)
    help_kind = forms.ChoiceField(label=_("拟帮扶方式"), choices=AskedHelp.choices)


class DecideForm(forms.Form):
    band = forms.ChoiceField(label=_("困难类别"), choices=Band.choices)
    help_kind = forms.ChoiceField(label=_("帮扶方式"), choices=AskedHelp.choices)
    amount = forms.DecimalField(
        label=_("核定帮扶金额（元）"), min_value=0, max_digits=9, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("帮扶内容"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class LedgerForm(forms.Form):
    date = forms.DateField(label=_("发放日期"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("发放类型"), choices=[c for c in LedgerEntry.Kind.choices if c[0] != LedgerEntry.Kind.REVERSAL]
    )
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=9, decimal_places=2)
    description = forms.CharField(label=_("发放内容"), max_length=200, required=False)


class RecheckForm(forms.Form):
    still_eligible = forms.ChoiceField(
        label=_("复核结论"),
        choices=[("yes", _("仍然困难，继续帮扶")), ("no", _("已脱困或不再符合，退出帮扶"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("复核说明"), max_length=300, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(label=_("联系方式（选填）"), max_length=40, required=False)
