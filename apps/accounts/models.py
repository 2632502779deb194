from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, Town
from apps.core.uploads import ImageField

phone_validator = RegexValidator(r"^1\d{10}$", _("请输入 11 位手机号码。"))


class Occupation(models.TextChoices):
    """What a person does for a living, as they declare it: new-form kinds (新就业形态) first."""

    COURIER = "courier", _("快递员")
    DELIVERY = "delivery", _("外卖配送员")
    RIDE_HAILING = "ride_hailing", _("网约车司机")
    TRUCK = "truck", _("货车司机")
    LIVE_STREAMER = "live_streamer", _("网络主播")
    DOMESTIC = "domestic", _("家政服务员")
    SANITATION = "sanitation", _("环卫工人")
    FACTORY = "factory", _("企业职工")
    CONSTRUCTION = "construction", _("建筑工人")
    PUBLIC_SERVICE = "public_service", _("机关事业单位")
    OTHER = "other", _("其他")


# The occupations that count as new-form work (新就业形态劳动者) in the seed's "5+N" actions.
NEW_FORM_OCCUPATIONS = frozenset(
    {
        Occupation.COURIER,
        Occupation.DELIVERY,
        Occupation.RIDE_HAILING,
        Occupation.TRUCK,
        Occupation.LIVE_STREAMER,
        Occupation.DOMESTIC,
    }
)


class User(AbstractUser):
    """A person who uses the portal: a worker, a union staff member, a lawyer, a leader."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("女")
        MALE = "male", _("男")

    real_name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[phone_validator])
    # Set only when the person proved the number by entering an SMS code; a verified number
    # signs in, so two accounts may not both claim the same one.
    phone_verified = models.BooleanField(_("手机号码已验证"), default=False)
    employer = models.ForeignKey(
        Organization,
        verbose_name=_("工作单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    town = models.ForeignKey(
        Town,
        verbose_name=_("所在乡镇/街道"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
    )
    # Facts only the person can declare; optional until a service needs one (a women's
    # screening asks for sex and age, a new-form worker's action for the occupation).
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    occupation = models.CharField(_("职业"), max_length=20, choices=Occupation.choices, blank=True)
    # A face at 512 px needs nothing like a camera photo: 4 M pixels is plenty, and cheap to check.
    avatar = ImageField(_("头像"), upload_to="avatars/%Y/%m/", blank=True, max_pixels=4_000_000)

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(phone_verified=True),
                name="accounts_user_verified_phone_unique",
            )
        ]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def public_name(self) -> str:
        """How a person is signed on public pages (approved comments): the family name only."""
        name = self.real_name or self.username
        return name[:1] + "**"

    def age_on(self, day) -> int | None:
        """Whole years of age on ``day`` (None when no birth date is given)."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))


def user_display(user) -> str:
    """How allauth names a person in its messages (ACCOUNT_USER_DISPLAY): the real name first."""
    return user.display_name


from .wechat_models import WeChatBinding  # noqa: E402,F401  (registered with the accounts app)
