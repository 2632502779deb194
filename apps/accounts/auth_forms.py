"""allauth's forms with the portal's Chinese labels (ACCOUNT_FORMS).

Kept apart from forms.py: allauth's SignupForm subclasses ACCOUNT_SIGNUP_FORM_CLASS, which lives there.
"""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _


class NoColonMixin:
    """Chinese labels take no ASCII colon; the templates lay labels out above the inputs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignupForm(NoColonMixin, allauth_forms.SignupForm):
    """allauth's sign-up with Chinese labels: a mobile number first, user name and e-mail optional."""

    field_order = ["real_name", "phone", "password1", "password2", "username", "email", "town"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "phone": _("手机号码"),
            "username": _("用户名（选填）"),
            "email": _("电子邮箱（选填）"),
            "password1": _("设置密码"),
            "password2": _("再次输入密码"),
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].widget.attrs.pop("placeholder", None)
        if "phone" in self.fields:
            self.fields["phone"].help_text = _("我们会发送一条短信验证码到这个号码。")
        self.order_fields(self.field_order)


class LoginForm(NoColonMixin, allauth_forms.LoginForm):
    """Password sign-in: one box for user name, mobile number or e-mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("用户名或手机号/邮箱")
        self.fields["login"].widget.attrs.update({"placeholder": "", "autocomplete": "username"})
        self.fields["password"].label = _("密码")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("记住我")


class RequestLoginCodeForm(NoColonMixin, allauth_forms.RequestLoginCodeForm):
    """Sign-in by SMS code: the mobile number only (e-mail codes stay available at the same address)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].label = _("或电子邮箱")
            self.fields["email"].widget.attrs.pop("placeholder", None)
        if "phone" in self.fields:
            self.fields["phone"].label = _("手机号码")
            self.order_fields(["phone", "email"])


class ConfirmCodeMixin(NoColonMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("短信验证码")
        attrs = {"placeholder": "", "autocomplete": "one-time-code", "inputmode": "numeric"}
        self.fields["code"].widget.attrs.update(attrs)


class ConfirmLoginCodeForm(ConfirmCodeMixin, allauth_forms.ConfirmLoginCodeForm):
    pass


class VerifyPhoneForm(ConfirmCodeMixin, allauth_forms.VerifyPhoneForm):
    pass
