"""allauth's forms with the portal's Chinese labels (ACCOUNT_FORMS).

Kept apart from forms.py: allauth's SignupForm subclasses ACCOUNT_SIGNUP_FORM_CLASS, which lives there.
"""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PASSWORD_FIELDS = ("password1", "password2")


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
        required = {
            "phone": _("请填写您的手机号码，验证码会发到这个号码。"),
            "password1": _("请设置一个密码。"),
            "password2": _("请再输入一遍密码，确认没有输错。"),
        }
        for name, message in required.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        for name in PASSWORD_FIELDS:
            if name in self.fields:
                # Kept after an error elsewhere (a user name taken, a number mistyped); see full_clean.
                self.fields[name].widget.render_value = True
        self.order_fields(self.field_order)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._errors is None:
            return
        mismatch = gettext("You must type the same password each time.")
        for name in PASSWORD_FIELDS:
            errors = self._errors.get(name)
            if errors:
                self._errors[name] = self.error_class(
                    [_("两次输入的密码不一样：请重新输入两遍。") if str(e) == mismatch else e for e in errors]
                )
        if any(name in self._errors for name in PASSWORD_FIELDS):
            # A refused password is typed again (both boxes), never sent back into the page.
            for name in PASSWORD_FIELDS:
                if name in self.fields:
                    self.fields[name].widget.render_value = False


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
    """Sign-in by SMS code: the mobile number only (the page is about 短信验证码; no e-mail box)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            self.fields.pop("email", None)
            self.fields["phone"].label = _("手机号码")
            self.fields["phone"].required = True
            self.fields["phone"].error_messages["required"] = _("请输入您注册时的手机号码。")


class ConfirmCodeMixin(NoColonMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("短信验证码")
        self.fields["code"].error_messages["required"] = _("请输入短信里的 6 位验证码。")
        attrs = {"placeholder": "", "autocomplete": "one-time-code", "inputmode": "numeric"}
        self.fields["code"].widget.attrs.update(attrs)


class ConfirmLoginCodeForm(ConfirmCodeMixin, allauth_forms.ConfirmLoginCodeForm):
    pass


class VerifyPhoneForm(ConfirmCodeMixin, allauth_forms.VerifyPhoneForm):
    pass
