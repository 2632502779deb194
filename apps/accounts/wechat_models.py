"""A person's WeChat identities: an openid of the 公众号 (official account) or of the
mini-program, bound to their account. Imported by ``models.py`` so Django registers it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class WeChatBinding(TimeStampedModel):
    """One openid bound to one account. An openid is per WeChat app, so a person may have one of
    each; an openid belongs to one account at a time (binding it elsewhere moves it).

    The openid only ever comes from WeChat's own answer to a code exchange on the server
    (``sns/oauth2/access_token`` for the 公众号, ``jscode2session`` for the mini-program), never
    from the client. The mini-program's session key is not kept.
    """

    class App(models.TextChoices):
        OFFICIAL = "mp", _("公众号")
        MINI = "mini", _("小程序")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="wechat_bindings"
    )
    app = models.CharField(_("微信应用"), max_length=4, choices=App.choices)
    openid = models.CharField(_("openid"), max_length=64)
    unionid = models.CharField(_("unionid"), max_length=64, blank=True)
    # A live subscription: the person follows the 公众号 (checked at binding) or accepted the
    # mini-program's 订阅消息; a refusal by WeChat ("not subscribed") turns it off.
    subscribed = models.BooleanField(_("可接收微信通知"), default=False)

    class Meta:
        ordering = ["user_id", "app"]
        verbose_name = _("微信绑定")
        verbose_name_plural = _("微信绑定")
        constraints = [
            models.UniqueConstraint(fields=["app", "openid"], name="accounts_wechat_openid_unique"),
            models.UniqueConstraint(fields=["user", "app"], name="accounts_wechat_one_per_app"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.get_app_display()}"
