"""Django's password validators with the portal's own Chinese messages (AUTH_PASSWORD_VALIDATORS).

Django 5.2 changed the too-short message's msgid, so its zh_Hans catalogue no longer translates
it ("This password is too short…" on a Chinese page); each message here also says what to do.
"""

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "密码太短：请至少输入 %(min_length)d 个字符，可以用字母、数字和符号组合。",
            "密码太短：请至少输入 %(min_length)d 个字符，可以用字母、数字和符号组合。",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext("至少 %(min_length)d 个字符。", "至少 %(min_length)d 个字符。", self.min_length) % {
            "min_length": self.min_length
        }


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return _("这个密码太常见，容易被别人猜到：请换一个不常见的密码。")

    def get_help_text(self):
        return _("不要用常见的密码（如 12345678、password）。")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return _("密码不能全是数字：请加入字母或符号。")

    def get_help_text(self):
        return _("不能全是数字。")


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError(
                _("密码和您的%(verbose_name)s太相似：请换一个和个人信息无关的密码。"),
                code="password_too_similar",
                params=exc.params,
            ) from None

    def get_help_text(self):
        return _("不要和您的用户名、姓名、手机号或邮箱相似。")
