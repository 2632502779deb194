from datetime import UTC, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.images import png_bytes
from apps.news.models import Article
from apps.news.tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def column():
    return ColumnFactory(slug="yaowen", name="工会要闻")


def form_data(column, **extra):
    local = timezone.localtime(timezone.now() - timedelta(minutes=1))
    data = {
        "title": "驿站新闻",
        "summary": "摘要",
        "body": '<p>正文<script>alert(1)</script><img src="x" onerror="alert(1)"></p>',
        "column": column.pk,
        "source": "兴化市总工会",
        "publish_at_0": local.strftime("%Y-%m-%d"),
        "publish_at_1": local.strftime("%H:%M:%S"),
        # The article-images inline, empty.
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_editor_writes_an_article_with_cover_in_the_admin_and_submits(client, column):
    editor = UserFactory(roles=["editor"])
    client.force_login(editor)
    data = form_data(column, _news_submit="1")
    data["cover"] = SimpleUploadedFile("cover.png", png_bytes((800, 600)), content_type="image/png")
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.author == editor
    assert article.status == Article.Status.IN_REVIEW
    assert "script" not in article.body and "onerror" not in article.body
    assert article.renditions["card"]["width"] == 640


def test_crafted_post_with_status_published_by_an_editor_publishes_nothing(client, column):
    editor = UserFactory(roles=["editor"])
    client.force_login(editor)
    client.post(
        reverse("admin:news_article_add"), form_data(column, status="published", published_at="2024-01-01 00:00")
    )
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


def test_editor_cannot_use_the_publish_button(client, column):
    editor = UserFactory(roles=["editor"])
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT, column=column)
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[article.pk])
    assert client.post(url, form_data(column, _news_publish="1")).status_code == 403
    assert client.post(reverse("admin:news_article_add"), form_data(column, _news_publish="1")).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_editor_cannot_change_an_article_after_submitting_it(client, column):
    editor = UserFactory(roles=["editor"])
    article = ArticleFactory(author=editor, status=Article.Status.IN_REVIEW, column=column, title="原标题")
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[article.pk])
    assert client.post(url, form_data(column, title="偷偷改的标题")).status_code == 403
    article.refresh_from_db()
    assert article.title == "原标题"


def test_chief_publishes_from_the_admin(client, column):
    chief = UserFactory(roles=["chief_editor"])
    article = ArticleFactory(status=Article.Status.IN_REVIEW, column=column)
    client.force_login(chief)
    url = reverse("admin:news_article_change", args=[article.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(column, _news_publish="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_chief_schedules_with_a_future_time_in_shanghai(client, column):
    chief = UserFactory(roles=["chief_editor"])
    article = ArticleFactory(status=Article.Status.IN_REVIEW, column=column)
    client.force_login(chief)
    data = form_data(column, _news_publish="1", publish_at_0="2099-01-01", publish_at_1="08:00:00")
    client.post(reverse("admin:news_article_change", args=[article.pk]), data)
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    # 08:00 in Asia/Shanghai is 00:00 UTC
    assert article.publish_at.astimezone(UTC).hour == 0


def test_reject_without_a_comment_is_refused_in_the_form(client, column):
    chief = UserFactory(roles=["chief_editor"])
    article = ArticleFactory(status=Article.Status.IN_REVIEW, column=column)
    client.force_login(chief)
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, form_data(column, _news_reject="1"))
    assert response.status_code == 200
    assert "退回稿件必须填写审核意见" in response.content.decode()
    response = client.post(url, form_data(column, _news_reject="1", workflow_comment="标题要改"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.review_comment == "标题要改"


def test_admin_list_runs_a_constant_number_of_queries(client, column, django_assert_max_num_queries):
    chief = UserFactory(roles=["chief_editor"])
    for _ in range(20):
        ArticleFactory(column=column)
    client.force_login(chief)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:news_article_changelist")).status_code == 200


def test_the_editor_gets_one_row_of_actions_and_no_stock_save_buttons(client, column):
    editor = UserFactory(roles=["editor"])
    client.force_login(editor)
    html = client.get(reverse("admin:news_article_add")).content.decode()
    assert 'data-testid="news-actions"' in html
    assert "保存草稿" in html and 'name="_news_submit"' in html
    assert 'name="_news_publish"' not in html  # only those allowed to publish see 发布
    assert 'name="_addanother"' not in html and 'name="_save"' not in html
    assert "js/prose_editor_zh.js" in html


def test_the_chief_editor_sees_publish_in_the_same_row(client, column):
    client.force_login(UserFactory(roles=["chief_editor"]))
    article = ArticleFactory(status=Article.Status.IN_REVIEW, column=column)
    html = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    row = html[html.index('data-testid="news-actions"') :]
    assert 'name="_news_publish"' in row and 'name="_news_reject"' in row


def test_save_draft_keeps_the_article_a_draft_and_stays_on_the_page(client, column):
    client.force_login(UserFactory(roles=["editor"]))
    response = client.post(reverse("admin:news_article_add"), form_data(column, _continue="1"))
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert response["Location"] == reverse("admin:news_article_change", args=[article.pk])


def test_a_submitted_article_reads_as_rendered_html_with_chinese_labels(client, column):
    editor = UserFactory(roles=["editor"])
    article = ArticleFactory(
        author=editor, status=Article.Status.IN_REVIEW, column=column, body="<p>职工<strong>驿站</strong></p>"
    )
    client.force_login(editor)
    html = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert '<div class="body-rendered"><p>职工<strong>驿站</strong></p></div>' in html
    assert "&lt;p&gt;" not in html
    assert "Workflow comment" not in html and "本次审核意见" not in html
    assert "上次审核意见" in html


def test_tags_are_chosen_with_autocomplete_and_the_two_comment_fields_have_distinct_labels(client, column):
    client.force_login(UserFactory(roles=["chief_editor"]))
    article = ArticleFactory(status=Article.Status.IN_REVIEW, column=column)
    html = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert 'class="admin-autocomplete' in html and 'name="tags"' in html
    assert "上次审核意见" in html and "本次审核意见" in html
    assert html.count(">审核意见") == 0


def test_the_admin_wears_the_portal_colours_and_logo(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert "--header-bg: #c8161d" in html and "img/logo.svg" in html


def test_an_article_created_and_published_in_one_action_is_found_by_search(client, column):
    chief = UserFactory(roles=["chief_editor"])
    client.force_login(chief)
    data = form_data(column, _news_publish="1")
    data.update(title="环卫工人冬季驿站开放", summary="新建驿站为户外劳动者提供热饭和饮水。")
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(title="环卫工人冬季驿站开放")
    assert article.status == Article.Status.PUBLISHED
    found = client.get(reverse("news:list"), {"q": "驿站"}).content.decode()
    assert "环卫工人冬季驿站开放" in found
    from django.db import connection

    if connection.vendor == "postgresql":  # the ranked full-text index, not only the plain fallback
        assert Article.objects.filter(pk=article.pk, search_vector__isnull=False).exists()
