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
        fields = ["real_name", "phone", "town", "employer", "avatar"]

    def save(self, commit=True):
        if "phone" in self.changed_data:
            # A number typed here is not proven; it signs in only after an SMS code.
            self.instance.phone_verified = False
        return super().save(commit=commit)


__all__ = ["phone_validator"]
