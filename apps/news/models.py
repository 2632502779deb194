from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from apps.core.models import TimeStampedModel
from apps.core.paths import object_path
from apps.core.uploads import ImageField, validate_pdf

from .sanitize import body_sanitize

# What staff can produce in the body editor; apps/news/sanitize.py allows the same tags.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # Photos: staff upload them as article images and insert one's body address here.
    "Figure": True,
    "Image": True,
    "Caption": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}


class Column(TimeStampedModel):
    """A column (栏目) of the newsletter: 工会要闻, 劳模工匠, 维权服务 …"""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=40, unique=True, allow_unicode=False)
    description = models.CharField(_("简介"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('news:list')}?column={self.slug}"


class Tag(TimeStampedModel):
    """A free keyword that links articles across columns (劳模, 驿站, 法律服务 …)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    slug = models.SlugField(
        _("网址标识"), max_length=40, unique=True, allow_unicode=True, blank=True, help_text=_("留空则按名称生成。")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("标签")
        verbose_name_plural = _("标签")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:40]
        super().save(*args, **kwargs)


class Edition(TimeStampedModel):
    """A numbered issue of the printed newsletter (工会专刊), e.g. 2024年第1期."""

    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("期号"))
    issued_on = models.DateField(_("出刊日期"), null=True, blank=True)
    pdf = models.FileField(
        _("PDF 版"),
        upload_to="news/editions/%Y/",
        blank=True,
        validators=[validate_pdf],
        help_text=_("可选，上传本期专刊的 PDF 文件。"),
    )

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("专刊期次")
        verbose_name_plural = _("专刊期次")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="news_edition_unique_year_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="news_edition_number_positive"),
        ]

    def __str__(self):
        return _("%(year)s年第%(number)s期") % {"year": self.year, "number": self.number}


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and its time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_year(self, year: int):
        return self.filter(published_at__year=year)


class Article(TimeStampedModel):
    """A news article of the union's newsletter, written by staff and read by workers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待审核")
        SCHEDULED = "scheduled", _("已排期")
        PUBLISHED = "published", _("已发布")
        ARCHIVED = "archived", _("已归档")

    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True, help_text=_("列表和分享卡片上显示的简介。"))
    body = ProseEditorField(_("正文"), config={"extensions": EDITOR_EXTENSIONS}, sanitize=body_sanitize, blank=True)
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    cover = ImageField(_("封面图片"), upload_to="news/covers/%Y/%m/", blank=True)
    cover_alt = models.CharField(_("封面说明"), max_length=120, blank=True)
    # Resized copies of the cover, made once when the cover changes: {"source": name, "card": {...}}.
    renditions = models.JSONField(_("封面缩略图"), default=dict, blank=True, editable=False)
    column = models.ForeignKey(Column, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="articles")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰稿人"),
        on_delete=models.PROTECT,
        related_name="news_articles",
    )
    byline = models.CharField(_("署名"), max_length=60, blank=True, help_text=_("留空则显示撰稿人姓名。"))
    source = models.CharField(_("来源"), max_length=60, blank=True, default="兴化市总工会")
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("专刊期次"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        _("计划发布时间"),
        null=True,
        blank=True,
        help_text=_("北京时间（Asia/Shanghai）。留空则审核通过后立即发布；早于当前时间也立即发布。"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    pinned = models.BooleanField(_("置顶"), default=False)
    view_count = models.PositiveIntegerField(_("阅读量"), default=0, editable=False)
    review_comment = models.TextField(_("审核意见"), blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_reviewed",
        editable=False,
    )
    # jieba-segmented title + summary + body, words separated by spaces (search and snippets).
    search_text = models.TextField(_("分词文本"), blank=True, editable=False)
    # PostgreSQL only (stays empty on SQLite): weighted tsvector, GIN-indexed by a migration.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        verbose_name = _("新闻稿件")
        verbose_name_plural = _("新闻稿件")
        permissions = [("publish_article", _("可以审核并发布新闻"))]
        indexes = [
            # Published news newest first (feeds, the sitemap, "latest"); the modified date rides
            # along so the sitemap's pages deep into 100,000 articles are read from the index
            # alone instead of sorting the whole table (PostgreSQL; SQLite ignores INCLUDE).
            models.Index(
                fields=["status", "-published_at", "-id"], include=["updated_at"], name="news_article_status_pub_id"
            ),
            # The public list order (pinned first, newest next).
            models.Index(fields=["-pinned", "-published_at", "-id"], name="news_article_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["published", "archived"]) | Q(published_at__isnull=False),
                name="news_article_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="news_article_scheduled_has_time",
            ),
        ]

    # The workflow, once: action -> (statuses it may start from, message when it may not).
    TRANSITIONS = {
        "submit": (("draft",), _("只有草稿可以提交审核。")),
        "publish": (("draft", "in_review", "scheduled"), _("该稿件当前状态不能发布。")),
        "reject": (("in_review", "scheduled"), _("只有待审核或已排期的稿件可以退回。")),
        "archive": (("published",), _("只有已发布的稿件可以归档。")),
    }

    @classmethod
    def transition_error(cls, action: str, status: str):
        """Why an article in ``status`` cannot take ``action`` (None when it can)."""
        allowed, message = cls.TRANSITIONS[action]
        return None if status in allowed else message

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return object_path("news:detail", self.pk)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at is not None

    @property
    def byline_display(self) -> str:
        return self.byline or self.author.display_name

    def _rendition_url(self, name: str, ext: str = "jpg") -> str:
        from .renditions import rendition_url

        return rendition_url(self.renditions, name, ext)

    # Pages use these, never cover.url: the original upload is not served on lists.
    thumb_url = property(lambda self: self._rendition_url("thumb"))
    thumb_webp_url = property(lambda self: self._rendition_url("thumb", "webp"))
    card_url = property(lambda self: self._rendition_url("card"))
    full_url = property(lambda self: self._rendition_url("full"))
    full_webp_url = property(lambda self: self._rendition_url("full", "webp"))


class ArticleImage(TimeStampedModel):
    """A photo of an article: shown in the body where staff inserted it, else in the gallery."""

    article = models.ForeignKey(Article, verbose_name=_("新闻稿件"), on_delete=models.CASCADE, related_name="images")
    image = ImageField(_("图片"), upload_to="news/images/%Y/%m/")
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # Resized copies made once when the image changes (same shape as Article.renditions).
    renditions = models.JSONField(_("缩略图"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("文章图片")
        verbose_name_plural = _("文章图片")
        indexes = [models.Index(fields=["article", "sort_order", "id"], name="news_image_article_order")]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]

    def _rendition_url(self, name: str, ext: str = "jpg") -> str:
        from .renditions import rendition_url

        return rendition_url(self.renditions, name, ext)

    # Never image.url on pages: the original upload is not served.
    thumb_url = property(lambda self: self._rendition_url("thumb"))
    full_url = property(lambda self: self._rendition_url("full"))
    full_webp_url = property(lambda self: self._rendition_url("full", "webp"))

    @property
    def media_paths(self) -> set[str]:
        """Every stored file of this image, as a path under MEDIA_URL (to find it in a body)."""
        names = {self.image.name} if self.image else set()
        for entry in (self.renditions or {}).values():
            if isinstance(entry, dict):
                names.update(entry.get(ext) for ext in ("jpg", "webp") if entry.get(ext))
        return {settings.MEDIA_URL + name for name in names}
