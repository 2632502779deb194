from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.status import grace_date, past_grace
from apps.core.uploads import ImageFormField, validate_document

from .completion import as_of_date
from .models import Indicator

MAX_PHOTOS = 6


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(ImageFormField):
    """Several photos in one input, each checked by the portal's upload validator."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            if len(data) > MAX_PHOTOS:
                raise forms.ValidationError(_("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS})
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.none(), empty_label=None)
    reported_on = forms.DateField(
        label=_("进展日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount = forms.DecimalField(
        label=_("本次完成数"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("数量指标填写本次新增的数量（不是累计数，也不是百分比）；更正时可填负数。节点指标不填。"),
    )
    milestone_done = forms.BooleanField(label=_("节点已完成（节点指标）"), required=False)
    narrative = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    photos = MultipleImageField(label=_("现场照片"), required=False, help_text=_("可选多张，最多 6 张"))
    attachment = forms.FileField(
        label=_("附件"), required=False, validators=[validate_document], help_text=_("PDF、Word 或 Excel")
    )
    late_reason = forms.CharField(
        label=_("补报原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        reportable = [ind for ind in item.indicators.all() if not ind.metric_key]
        self.fields["indicator"].queryset = item.indicators.filter(metric_key="")
        # The milestone box only where a milestone can be reported, the amount only for quantities;
        # with both kinds on one item the page's script shows the one the chosen indicator needs.
        if not any(ind.is_milestone for ind in reportable):
            del self.fields["milestone_done"]
        if reportable and all(ind.is_milestone for ind in reportable):
            del self.fields["amount"]
        self.fields["photos"].widget.attrs["data-photo-preview"] = "tt-photo-preview"
        self.fields["indicator"].label_from_instance = lambda ind: f"{ind.name}（{ind.target_label}）"
        # Reports are dated within the plan's year: offer today, or the nearest day of that year.
        year = item.plan.year
        if past_grace(year, timezone.localdate()):
            self.fields["late_reason"].help_text = _(
                "%(year)s 年度已于 %(date)s 截止填报，现在提交的是补报：请说明原因，它将与已冻结的年度数字并列显示。"
            ) % {"year": year, "date": f"{grace_date(year):%Y-%m-%d}"}
        else:
            del self.fields["late_reason"]
        self.fields["reported_on"].initial = as_of_date(year, timezone.localdate())
        self.fields["reported_on"].widget.attrs.update({"min": f"{year}-01-01", "max": f"{year}-12-31"})

    def clean(self):
        data = super().clean()
        data.setdefault("amount", None)
        data.setdefault("milestone_done", False)
        data.setdefault("late_reason", "")
        return data


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("满意度"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)], widget=forms.RadioSelect
    )
    change = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    review_comment = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
