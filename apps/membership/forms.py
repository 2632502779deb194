from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import NEW_FORM_OCCUPATIONS, Occupation
from apps.core.models import Organization, Town

from .models import UnionSetupRequest


def occupation_choices():
    """New-form kinds first, grouped, so a courier finds theirs at the top."""
    new_form = [(value, label) for value, label in Occupation.choices if value in NEW_FORM_OCCUPATIONS]
    others = [(value, label) for value, label in Occupation.choices if value not in NEW_FORM_OCCUPATIONS]
    return [("", _("请选择")), (_("新就业形态"), new_form), (_("其他职业"), others)]


def employers():
    return Organization.objects.exclude(kind=Organization.Kind.UNION).only("name", "short_name").order_by("name")


class EmployerFields(forms.Form):
    employer = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("工作单位"), required=False, empty_label=_("列表里没有我的单位")
    )
    employer_name = forms.CharField(
        label=_("单位名称（列表里没有时填写）"),
        max_length=120,
        required=False,
        help_text=_("例如：某某快递兴化网点、某某平台（众包骑手可填平台名称）"),
    )
    town = forms.ModelChoiceField(queryset=Town.objects.all(), label=_("工作所在乡镇/街道"), empty_label=_("请选择"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers()
        self.fields["employer"].label_from_instance = lambda org: org.name


class JoinForm(EmployerFields):
    real_name = forms.CharField(
        label=_("真实姓名"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    occupation = forms.ChoiceField(label=_("职业"), choices=occupation_choices)
    consent = forms.BooleanField(label=_("我已阅读入会告知，自愿加入工会，遵守工会章程"), required=False)

    field_order = ["real_name", "employer", "employer_name", "occupation", "town", "consent"]


class TransferForm(EmployerFields):
    field_order = ["employer", "employer_name", "town"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReferForm(ReasonForm):
    union = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("转至工会"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = Organization.objects.filter(kind=Organization.Kind.UNION).exclude(
            union_level__in=["", Organization.UnionLevel.DEPARTMENT]
        )


class SetupRequestForm(forms.ModelForm):
    class Meta:
        model = UnionSetupRequest
        fields = ["employer_name", "size", "contact_name", "contact_phone", "town"]
        widgets = {"contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})}


class SetupMoveForm(forms.Form):
    state = forms.ChoiceField(
        choices=[(s.value, s.label) for s in UnionSetupRequest.State if s != UnionSetupRequest.State.SUBMITTED],
        label=_("改为"),
    )
    note = forms.CharField(label=_("办理说明"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
