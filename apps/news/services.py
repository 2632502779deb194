"""Writes of the news app: saving, the review workflow, scheduled publishing, alerts."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pagecache import pages_changed

from .models import Article, ArticleImage
from .renditions import renditions_build
from .sanitize import body_plain_text, body_sanitize
from .search import index_terms, segment

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "news.publish_article"
OVERDUE_AFTER = timedelta(minutes=10)


# --- content -------------------------------------------------------------------------------
def _content_derive(article: Article) -> None:
    article.body = body_sanitize(article.body)
    article.body_text = body_plain_text(article.body)
    article.search_text = segment("\n".join([article.title, article.summary, article.body_text]))


def _search_vector_update(article: Article) -> None:
    """PostgreSQL: store the weighted tsvector of title (A), summary (B) and body (C)."""
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    vector = (
        SearchVector(Value(index_terms(article.title)), weight="A", config="simple")
        + SearchVector(Value(index_terms(article.summary)), weight="B", config="simple")
        + SearchVector(Value(index_terms(article.body_text)), weight="C", config="simple")
    )
    Article.objects.filter(pk=article.pk).update(search_vector=vector)
    # Keep the instance in step: a later full save of it (publishing right after creating, in
    # one admin action) would otherwise write its stale empty vector back.
    article.refresh_from_db(fields=["search_vector"])


def _renditions_refresh(article: Article) -> None:
    name = article.cover.name if article.cover else ""
    if (article.renditions or {}).get("source", "") == name:
        return
    article.renditions = renditions_build(name) if name else {}
    Article.objects.filter(pk=article.pk).update(renditions=article.renditions)


def article_save(*, article: Article, user) -> Article:
    """Create or update an article's content: body sanitised, text segmented, cover resized."""
    with transaction.atomic():
        if article.author_id is None:
            article.author = user
        _content_derive(article)
        article.full_clean()
        article.save()
        _renditions_refresh(article)
        _search_vector_update(article)
    return article


def article_image_save(*, image: ArticleImage) -> ArticleImage:
    """Store an article image (validated, re-encoded by the field) and make its renditions once."""
    with transaction.atomic():
        image.full_clean()
        image.save()
        name = image.image.name
        if (image.renditions or {}).get("source", "") != name:
            image.renditions = renditions_build(name)
            ArticleImage.objects.filter(pk=image.pk).update(renditions=image.renditions)
    return image


def article_image_delete(*, image: ArticleImage) -> None:
    """Remove an image from its article (pages read images live; nothing cached to clear)."""
    image.delete()


# --- workflow ------------------------------------------------------------------------------
def _require_publisher(user) -> None:
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("只有审核编辑可以发布或退回稿件。"))


def _admin_url(article: Article) -> str:
    return reverse("admin:news_article_change", args=[article.pk])


def article_submit(*, article: Article, user) -> Article:
    """Send a draft to review; chief editors are told."""
    if message := Article.transition_error("submit", article.status):
        raise ValidationError(message)
    if not user.has_perm("news.change_article"):
        raise PermissionDenied
    from apps.accounts.roles import users_holding
    from apps.reminders.services import notify_all

    with transaction.atomic():
        article.status = Article.Status.IN_REVIEW
        article.full_clean()
        article.save(update_fields=["status", "updated_at"])
        stamp = int(article.updated_at.timestamp())
        notify_all(
            users_holding(PUBLISH_PERMISSION).exclude(pk=user.pk),
            key=f"news.in_review:{article.pk}:{stamp}",
            kind="news.in_review",
            title=_("待审核稿件：%(title)s") % {"title": article.title},
            body=_("%(who)s 提交了稿件《%(title)s》，请审核。") % {"who": user.display_name, "title": article.title},
            url=_admin_url(article),
        )
    return article


def article_publish(*, article: Article, user, now: datetime | None = None) -> Article:
    """Approve an article: published now if its time has come (or none is set), else scheduled."""
    _require_publisher(user)
    if message := Article.transition_error("publish", article.status):
        raise ValidationError(message)
    now = now or timezone.now()
    with transaction.atomic():
        article.reviewed_by = user
        article.review_comment = ""
        if article.publish_at and article.publish_at > now:
            article.status = Article.Status.SCHEDULED
        else:
            article.status = Article.Status.PUBLISHED
            article.published_at = article.publish_at or now
        article.full_clean()
        article.save()
    return article


def article_reject(*, article: Article, user, comment: str) -> Article:
    """Return an article to its author with a comment (in-site and by e-mail)."""
    _require_publisher(user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": _("退回稿件必须填写审核意见。")})
    if message := Article.transition_error("reject", article.status):
        raise ValidationError(message)
    from apps.reminders.services import notification_send

    with transaction.atomic():
        article.status = Article.Status.DRAFT
        article.review_comment = comment
        article.reviewed_by = user
        article.full_clean()
        article.save()
        notification_send(
            user=article.author,
            key=f"news.rejected:{article.pk}:{int(article.updated_at.timestamp())}",
            kind="news.rejected",
            title=_("稿件被退回：%(title)s") % {"title": article.title},
            body=_("%(who)s 退回了您的稿件《%(title)s》。审核意见：%(comment)s")
            % {"who": user.display_name, "title": article.title, "comment": comment},
            url=_admin_url(article),
        )
    return article


def article_archive(*, article: Article, user) -> Article:
    """Take a published article off the public site (kept for the record)."""
    _require_publisher(user)
    if message := Article.transition_error("archive", article.status):
        raise ValidationError(message)
    with transaction.atomic():
        article.status = Article.Status.ARCHIVED
        article.pinned = False
        article.full_clean()
        article.save()
    return article


def article_view_count_increment(*, article_id: int) -> bool:
    """One more reader of a published article (a single UPDATE, safe under concurrency).

    False when no published article has that id. A counter, not content: it does not make cached
    pages stale (they show the count as of when they were rendered).
    """
    return bool(Article.objects.published().filter(pk=article_id).update(view_count=F("view_count") + 1))


# --- scheduled work ------------------------------------------------------------------------
def articles_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled article whose time has come; safe to run any number of times.

    Each row flips with a conditional UPDATE, so two concurrent runs cannot both publish it,
    and an article whose time has not come is never touched.
    """
    now = now or timezone.now()
    published = 0
    due = Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        published += Article.objects.filter(pk=pk, status=Article.Status.SCHEDULED, publish_at__lte=now).update(
            status=Article.Status.PUBLISHED,
            published_at=Coalesce(F("publish_at"), Value(now)),
            updated_at=now,
        )
    if published:
        logger.info("news: published %s scheduled article(s)", published)
        pages_changed()  # the UPDATE above sends no model signal
    return published


def articles_overdue_alert(*, now: datetime | None = None) -> int:
    """Tell editors about articles more than 10 minutes past their time and still unpublished."""
    from apps.accounts.roles import users_holding
    from apps.reminders.services import notify_all

    now = now or timezone.now()
    overdue = list(
        Article.objects.filter(
            status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.SCHEDULED],
            publish_at__lt=now - OVERDUE_AFTER,
            publish_at__gt=now - timedelta(days=2),  # an old forgotten draft is not an emergency
        ).select_related("author")
    )
    if not overdue:
        return 0
    editors = users_holding("news.change_article")
    sent = 0
    for article in overdue:
        when = timezone.localtime(article.publish_at)
        sent += notify_all(
            editors,
            key=f"news.overdue:{article.pk}:{when:%Y%m%d%H%M}",
            kind="news.overdue",
            title=_("稿件逾期未发布：%(title)s") % {"title": article.title},
            body=_("稿件《%(title)s》计划于 %(when)s 发布，目前状态为「%(status)s」，已超过 10 分钟仍未发布。")
            % {"title": article.title, "when": f"{when:%Y-%m-%d %H:%M}", "status": article.get_status_display()},
            url=_admin_url(article),
        )
    return sent
