from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.news.models import Article
from apps.news.selectors import home_panel_data
from apps.news.services import (
    article_archive,
    article_publish,
    article_reject,
    article_submit,
    articles_overdue_alert,
    articles_publish_due,
)
from apps.news.tests.factories import ArticleFactory
from apps.reminders.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(username="ed", roles=["editor"])


@pytest.fixture
def chief():
    return UserFactory(username="chief1", roles=["chief_editor"])


def draft(author, **kwargs):
    return ArticleFactory(author=author, status=Article.Status.DRAFT, **kwargs)


def test_editor_submits_and_chief_is_told(editor, chief):
    article = draft(editor)
    article_submit(article=article, user=editor)
    assert article.status == Article.Status.IN_REVIEW
    assert Notification.objects.filter(user=chief, kind="news.in_review").count() == 1


def test_editor_without_publish_permission_cannot_publish(editor):
    article = draft(editor)
    with pytest.raises(PermissionDenied):
        article_publish(article=article, user=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_publish_without_time_publishes_now(editor, chief):
    article = draft(editor)
    article_submit(article=article, user=editor)
    article_publish(article=article, user=chief)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publish_at_in_the_past_publishes_at_once(editor, chief):
    past = timezone.now() - timedelta(days=3)
    article = draft(editor, publish_at=past)
    article_publish(article=article, user=chief)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == past


def test_publish_at_in_the_future_schedules_and_stays_invisible(editor, chief):
    article = draft(editor, publish_at=timezone.now() + timedelta(hours=2))
    article_publish(article=article, user=chief)
    assert article.status == Article.Status.SCHEDULED
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_beat_job_publishes_due_articles_once_and_never_early(editor, chief):
    now = timezone.now()
    due = draft(editor, publish_at=now + timedelta(minutes=5))
    later = draft(editor, publish_at=now + timedelta(hours=5))
    article_publish(article=due, user=chief)
    article_publish(article=later, user=chief)

    assert articles_publish_due(now=now) == 0  # not yet
    assert articles_publish_due(now=now + timedelta(minutes=6)) == 1
    assert articles_publish_due(now=now + timedelta(minutes=7)) == 0  # idempotent
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Article.Status.PUBLISHED and due.published_at == due.publish_at
    assert later.status == Article.Status.SCHEDULED and later.published_at is None


def test_publish_task_runs_through_celery(editor, chief):
    from apps.news.tasks import articles_publish_due as task

    article = draft(editor, publish_at=timezone.now() + timedelta(seconds=1))
    article_publish(article=article, user=chief)
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert task.delay().get() == 1


def test_overdue_article_alerts_editors_once(editor, chief):
    now = timezone.now()
    article = draft(editor, publish_at=now - timedelta(minutes=30))
    article_submit(article=article, user=editor)  # waiting for a chief who never came
    on_time = draft(editor, publish_at=now - timedelta(minutes=5))
    assert articles_overdue_alert(now=now) == 2  # editor + chief, for the late one only
    assert articles_overdue_alert(now=now + timedelta(minutes=5)) == 0
    assert set(Notification.objects.filter(kind="news.overdue").values_list("user__username", flat=True)) == {
        "ed",
        "chief1",
    }
    assert not Notification.objects.filter(key__contains=f":{on_time.pk}:").exists()


def test_reject_requires_a_comment(editor, chief):
    article = draft(editor)
    article_submit(article=article, user=editor)
    with pytest.raises(ValidationError):
        article_reject(article=article, user=chief, comment="  ")


def test_rejected_author_gets_the_comment_in_site_and_by_mail(editor, chief, django_capture_on_commit_callbacks):
    article = draft(editor, title="驿站建设新闻")
    article_submit(article=article, user=editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article_reject(article=article, user=chief, comment="请补充驿站地址")
    assert article.status == Article.Status.DRAFT
    note = Notification.objects.get(user=editor, kind="news.rejected")
    assert "请补充驿站地址" in note.body
    assert any("请补充驿站地址" in m.body and m.to == [editor.email] for m in mail.outbox)


def test_publishing_refreshes_the_shared_home_panel(editor, chief, settings, django_capture_on_commit_callbacks):
    settings.FRAGMENT_CACHE_ENABLED = True
    ArticleFactory(title="旧新闻")
    assert [c["title"] for g in home_panel_data()["columns"] for c in g["articles"]] == ["旧新闻"]
    article = draft(editor, title="新发布的新闻")
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=article, user=chief)
    titles = [c["title"] for g in home_panel_data()["columns"] for c in g["articles"]]
    assert "新发布的新闻" in titles


def test_archived_article_leaves_the_public_site(chief):
    article = ArticleFactory()
    article_archive(article=article, user=chief)
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_database_refuses_a_published_article_without_date():
    from django.db import IntegrityError, transaction

    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)
