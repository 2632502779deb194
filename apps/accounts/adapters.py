import re

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .sms import send_verification_code

_MAINLAND_MOBILE = re.compile(r"^1\d{10}$")


class MobileNumberField(forms.CharField):
    """A mainland mobile number, typed as people write it (138 0013 8000, +86 138…), kept as 11 digits.

    allauth expects E.164 by default; the portal stores the 11 digits users know, so every
    allauth flow (sign-up, sign-in by code, verification) compares the same form.
    """

    default_error_messages = {"invalid": _("请输入 11 位手机号码。")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("手机号码"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric", "placeholder": ""}),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        digits = re.sub(r"[\s\-()]", "", value)
        if digits.startswith("+86"):
            digits = digits[3:]
        elif digits.startswith("0086"):
            digits = digits[4:]
        if not _MAINLAND_MOBILE.match(digits):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return digits


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open unless ACCOUNT_ALLOW_REGISTRATION is set to False; phone numbers live on User."""

    # allauth's messages in the portal's words: 验证码 (not 代码), and what to do next.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _("验证码不正确，请重新输入。"),
        "email_taken": _("这个电子邮箱已被其他账号使用：请换一个邮箱，或用它登录。"),
        "phone_taken": _("这个手机号码已被其他账号使用：请直接登录，或用短信验证码登录。"),
        "username_taken": _("这个用户名已被使用：请换一个，或留空由系统生成。"),
        "username_password_mismatch": _("用户名或密码不正确，请检查后重新输入。"),
        "email_password_mismatch": _("电子邮箱或密码不正确，请检查后重新输入。"),
        "phone_password_mismatch": _("手机号码或密码不正确，请检查后重新输入。"),
        "invalid_login": _("无法登录，请检查后重新输入。"),
        "incorrect_password": _("密码不正确，请重新输入。"),
        "invalid_or_expired_key": _("链接无效或已过期，请重新申请。"),
        "invalid_password_reset": _("重置密码的链接无效或已过期，请重新申请。"),
        "too_many_login_attempts": _("登录失败次数过多，请稍后再试，或用短信验证码登录。"),
        "rate_limited": _("您提交得太频繁了，请稍等一会儿再试。"),
    }

    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", True)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins count per account, not per typed text: a person's user name, e-mail
        and mobile number share one limit (allauth's default keys on what was typed, so each
        spelling had a limit of its own). Unknown logins keep allauth's key."""
        from django.db.models import Q

        from .models import User

        typed = (credentials.get("email") or credentials.get("username") or credentials.get("phone") or "").strip()
        if typed:
            match = Q(username__iexact=typed) | Q(email__iexact=typed)
            digits = re.sub(r"[\s\-()]", "", typed).removeprefix("+86")
            if _MAINLAND_MOBILE.match(digits):
                match |= Q(phone=digits)
            user_id = User.objects.filter(match).values_list("pk", flat=True).order_by("pk").first()
            if user_id is not None:
                return f"account:{user_id}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def post_login(self, request, user, **kwargs):
        # A person just signed up is welcomed (欢迎加入), not welcomed back (see add_message).
        request._portal_signup = bool(kwargs.get("signup"))
        return super().post_login(request, user, **kwargs)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        if message_template == "account/messages/logged_in.txt" and getattr(request, "_portal_signup", False):
            message_template = "account/messages/signed_up.txt"
        return super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )

    def get_login_redirect_url(self, request):
        """A ``?next=`` wins; otherwise each role lands on its work (the app contract's ``landing``)."""
        from apps.core.registry import landing_url

        return landing_url(request.user) or super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        """Account mail (confirmation, password reset …) leaves through the outbox, never inside
        the request: a stalled mail server cannot hang the page or tie up a web worker, and a
        broker outage only delays the message (the sweep sends it)."""
        from apps.reminders.outbox import enqueue

        from .tasks import account_mail_send

        message = self.render_mail(template_prefix, email, context)
        html = next((body for body, kind in getattr(message, "alternatives", ()) if kind == "text/html"), "")
        enqueue(account_mail_send, message.subject, message.body, html, message.from_email, list(message.to))

    # --- mobile number support (allauth's phone hooks) -------------------------------------

    def phone_form_field(self, **kwargs):
        kwargs.pop("label", None)  # allauth passes its English "Phone"
        return MobileNumberField(**kwargs)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone: str) -> None:
        from .models import User

        with transaction.atomic():
            # Whoever proves the number owns it: an older account that merely typed it loses the claim.
            User.objects.filter(phone=phone, phone_verified=True).exclude(pk=user.pk).update(phone_verified=False)
            user.phone = phone
            user.phone_verified = True
            user.save(update_fields=["phone", "phone_verified"])

    def get_user_by_phone(self, phone: str):
        """The account that proved this number by an SMS code — never one that merely typed it:
        whoever holds a typed-in number must not get the account (sign-in, password reset)."""
        from .models import User

        return User.objects.filter(phone=phone, phone_verified=True, is_active=True).first()

    def get_login_stages(self):
        return [
            "apps.accounts.stages.SignupPhoneVerificationStage"
            if path == "allauth.account.stages.PhoneVerificationStage"
            else path
            for path in super().get_login_stages()
        ]

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        send_verification_code(phone, code)

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        # Enumeration prevention: nothing is sent to a number nobody registered, so a stranger
        # cannot use the portal to text arbitrary numbers.
        return None

    def save_user(self, request, user, form, commit=True):
        # allauth stores the number only after saving; set it first so populate_username can use it.
        user.phone = form.cleaned_data.get("phone") or ""
        return super().save_user(request, user, form, commit=commit)

    def populate_username(self, request, user):
        """Workers may sign up with a phone number alone; give them a username they never need to type."""
        from allauth.account.utils import user_field, user_username

        if not user_username(user) and getattr(user, "phone", ""):
            user_field(user, "username", self.generate_unique_username([f"m{user.phone}", "worker"]))
        return super().populate_username(request, user)
