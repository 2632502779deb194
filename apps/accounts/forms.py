from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Town

from .models import User, phone_validator


class SignupProfileForm(forms.Form):
    """Extra sign-up fields, added to allauth's form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    real_name = forms.CharField(label=_("姓名"), max_length=30, required=False)
    town = forms.ModelChoiceField(label=_("所在乡镇/街道"), queryset=Town.objects.all(), required=False)

    def signup(self, request, user):
        user.real_name = self.cleaned_data.get("real_name", "")
        user.town = self.cleaned_data.get("town")
        user.save(update_fields=["real_name", "town"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        # No mobile number here: a number is changed only through the SMS proof
        # (allauth's phone change, linked from /me/), so typing one never claims it.
        fields = ["real_name", "town", "employer", "sex", "birth_date", "occupation", "avatar"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "sex": _("选填。报名女职工专项服务（如两癌筛查）时需要。"),
            "birth_date": _("选填。按年龄安排的服务（如体检、托管托育）时需要。"),
            "occupation": _("选填。快递员、外卖配送员等新就业形态劳动者可享受专项服务。"),
        }

    def clean_birth_date(self):
        from django.utils import timezone

        born = self.cleaned_data.get("birth_date")
        if born is not None:
            today = timezone.localdate()
            if born > today:
                raise forms.ValidationError(_("出生日期不能晚于今天。"))
            if today.year - born.year > 120:
                raise forms.ValidationError(_("请检查出生日期。"))
        return born


class AccountCloseForm(forms.Form):
    """Closing an account cannot be undone: the person types the word to confirm."""

    WORD = "注销"
    confirm = forms.CharField(
        label=_("请输入“注销”两个字确认"), max_length=10, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value != self.WORD:
            raise forms.ValidationError(_("请输入“注销”两个字确认。"))
        return value


__all__ = ["phone_validator"]
