from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Article, ArticleImage, Column, Edition, Tag
from .sanitize import body_dropped_images
from .services import (
    PUBLISH_PERMISSION,
    article_archive,
    article_image_delete,
    article_image_save,
    article_publish,
    article_reject,
    article_save,
    article_submit,
)

# Buttons of the change form (see templates/news/admin/article_change_form.html).
ACTION_SUBMIT = "_news_submit"
ACTION_PUBLISH = "_news_publish"
ACTION_REJECT = "_news_reject"
ACTION_ARCHIVE = "_news_archive"
PUBLISHER_ACTIONS = (ACTION_PUBLISH, ACTION_REJECT, ACTION_ARCHIVE)


class ArticleAdminForm(forms.ModelForm):
    workflow_comment = forms.CharField(
        label=_("本次审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回稿件时必填，撰稿人会在站内通知和邮件中收到。"),
    )
    request = None  # set by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "cover",
            "cover_alt",
            "column",
            "tags",
            "edition",
            "byline",
            "source",
            "pinned",
            "publish_at",
        ]

    def clean(self):
        cleaned = super().clean()
        status = self.instance.status if self.instance.pk else Article.Status.DRAFT
        data = self.data
        actions = {
            ACTION_SUBMIT: "submit",
            ACTION_PUBLISH: "publish",
            ACTION_REJECT: "reject",
            ACTION_ARCHIVE: "archive",
        }
        for button, action in actions.items():
            if button in data and (message := Article.transition_error(action, status)):
                raise forms.ValidationError(message)
        if ACTION_REJECT in data and not (cleaned.get("workflow_comment") or "").strip():
            self.add_error("workflow_comment", _("退回稿件必须填写审核意见。"))
        return cleaned


class ArticleImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 1
    fields = ["image", "preview", "caption", "sort_order", "body_address"]
    readonly_fields = ["preview", "body_address"]
    verbose_name = _("文章图片")
    verbose_name_plural = _("文章图片（未插入正文的图片在正文下方以图集显示）")

    @admin.display(description=_("缩略图"))
    def preview(self, obj):
        url = obj.thumb_url if obj and obj.pk else ""
        return format_html('<img src="{}" alt="" width="120">', url) if url else "—"

    @admin.display(description=_("正文插图地址"))
    def body_address(self, obj):
        url = obj.full_url if obj and obj.pk else ""
        if not url:
            return _("保存后生成")
        return format_html(
            '<input type="text" value="{}" readonly size="40" aria-label="{}"><br><span class="help">{}</span>',
            url,
            _("正文插图地址"),
            _("在正文工具栏点图片按钮，把此地址粘贴到“图片地址”一栏。"),
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticleImageInline]
    change_form_template = "news/admin/article_change_form.html"
    list_display = ["title", "column", "status", "publish_at", "published_at", "pinned", "view_count", "author"]
    list_filter = ["status", "column", "edition", "pinned"]
    list_select_related = ["column", "author", "edition"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags"]
    readonly_fields = [
        "status",
        "published_at",
        "view_count",
        "author",
        "reviewed_by",
        "last_review_comment",
        "preview_link",
        "cover_preview",
        "body_rendered",
    ]
    fieldsets = [
        (None, {"fields": ["title", "summary", "body"]}),
        (_("封面"), {"fields": ["cover", "cover_preview", "cover_alt"]}),
        (_("归类"), {"fields": ["column", "tags", "edition", "byline", "source", "pinned"]}),
        (_("发布"), {"fields": ["publish_at", "status", "published_at", "preview_link", "view_count", "author"]}),
        (_("审核"), {"fields": ["reviewed_by", "last_review_comment", "workflow_comment"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only (an editor looking at a submitted article): show the body as the reader will
        # see it, and leave out the form-only comment box, which has nothing to show.
        swapped = []
        for name, options in fieldsets:
            fields = ["body_rendered" if f == "body" else f for f in options["fields"] if f != "workflow_comment"]
            swapped.append((name, {**options, "fields": fields}))
        return swapped

    @admin.display(description=_("正文"))
    def body_rendered(self, obj):
        # The body was sanitised on save (apps/news/sanitize.py); it is the HTML readers get.
        return format_html('<div class="body-rendered">{}</div>', mark_safe(obj.body or ""))  # noqa: S308

    @admin.display(description=_("上次审核意见"))
    def last_review_comment(self, obj):
        return obj.review_comment or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and not request.user.has_perm(PUBLISH_PERMISSION):
            # An editor may change drafts (incl. returned ones); after submission it is the
            # chief editor's, so a crafted POST on such an article is refused.
            return obj.status == Article.Status.DRAFT
        return allowed

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        publisher_action = request.method == "POST" and any(a in request.POST for a in PUBLISHER_ACTIONS)
        if publisher_action and not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        extra_context = {
            **(extra_context or {}),
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
            "status_choices": Article.Status,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor needs an inline <script type="importmap">; CSP allows it by nonce.
        from js_asset import Media

        media = context.get("media")
        if media is not None and hasattr(request, "csp_nonce"):
            context["media"] = Media.from_media(media, nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        article_save(article=obj, user=request.user)
        # The form field keeps what was posted; the model field sanitised it on full_clean.
        dropped = body_dropped_images(form.cleaned_data.get("body") or "")
        if dropped:
            self.message_user(
                request,
                _(
                    "正文中有 %(count)s 张图片未能保存（从 Word/WPS 粘贴的图片或外部网站的图片不会保留）。"
                    "请在下方“文章图片”中上传这些图片，保存后把“正文插图地址”插入正文。"
                )
                % {"count": dropped},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleImage:
            return super().save_formset(request, form, formset, change)
        images = formset.save(commit=False)
        for image in formset.deleted_objects:
            article_image_delete(image=image)
        for image in images:
            image.article = form.instance
            article_image_save(image=image)
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        post = request.POST
        if ACTION_SUBMIT in post:
            article_submit(article=article, user=request.user)
            self.message_user(request, _("稿件已提交审核。"), messages.SUCCESS)
        elif ACTION_PUBLISH in post:
            article_publish(article=article, user=request.user)
            if article.status == Article.Status.SCHEDULED:
                self.message_user(request, _("审核通过，稿件将按计划时间自动发布。"), messages.SUCCESS)
            else:
                self.message_user(request, _("稿件已发布。"), messages.SUCCESS)
        elif ACTION_REJECT in post:
            article_reject(article=article, user=request.user, comment=form.cleaned_data["workflow_comment"])
            self.message_user(request, _("稿件已退回撰稿人。"), messages.WARNING)
        elif ACTION_ARCHIVE in post:
            article_archive(article=article, user=request.user)
            self.message_user(request, _("稿件已归档，公众不再可见。"), messages.SUCCESS)

    @admin.display(description=_("预览"))
    def preview_link(self, obj):
        if not obj.pk:
            return _("保存后可预览")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("news:preview", args=[obj.pk]), _("预览页面")
        )

    @admin.display(description=_("封面缩略图"))
    def cover_preview(self, obj):
        from .renditions import rendition_url

        url = rendition_url(obj.renditions, "thumb") if obj and obj.pk else ""
        return format_html('<img src="{}" alt="" width="160">', url) if url else "—"


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issued_on", "pdf"]
    list_filter = ["year"]
