"""The main journey in headless Chromium: written and submitted by an editor in the admin,
published by the chief editor, found by a worker on a phone by browsing and by Chinese search."""

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.images import png_bytes
from apps.news.models import Article
from apps.news.tests.factories import ArticleFactory, ColumnFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "沧浪公园户外劳动者驿站正式开放"


def test_staff_write_review_publish_and_a_worker_finds_it_on_a_phone(
    live_server, browser, phone_page, browser_login, tmp_path
):
    column = ColumnFactory(slug="fuwu", name="职工服务")
    ArticleFactory(title="其他新闻：清明祭扫活动", column=column)
    editor = UserFactory(username="editor1", real_name="王编辑", roles=["editor"])
    chief = UserFactory(username="chief1", real_name="李主编", roles=["chief_editor"])
    cover = tmp_path / "cover.png"
    cover.write_bytes(png_bytes((1280, 720)))

    # The editor writes the article with a cover image and submits it for review.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    browser_login(page, editor)
    page.goto(f"{live_server.url}/admin/news/article/add/")
    # A writing area, not a one-line box; full-width headline; the toolbar speaks Chinese.
    page.wait_for_selector(".prose-menubar__button[title='加粗']")
    assert page.locator(".ProseMirror[contenteditable=true]").bounding_box()["height"] >= 400
    assert page.locator("#id_title").bounding_box()["width"] >= 600
    assert page.locator(".prose-menubar [title='Insert table'], .prose-menubar [title='bold']").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "环卫工人可以在驿站热饭、饮水、休息。")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("沧浪公园“兴惠有你”24小时户外劳动者驿站今天开放，环卫工人能坐在桌子旁吃上热饭菜。")
    page.select_option("#id_column", str(column.pk))
    page.set_input_files("#id_cover", str(cover))
    page.click("input[name=_news_submit]")
    page.wait_for_load_state("networkidle")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.IN_REVIEW
    assert "热饭菜" in article.body_text
    assert article.renditions.get("thumb")
    context.close()

    # The chief editor previews it, then publishes it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    browser_login(page, chief)
    page.goto(f"{live_server.url}/news/{article.pk}/preview/")
    assert TITLE in page.inner_text("h1")
    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")
    page.click("input[name=_news_publish]")
    page.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    context.close()

    # A worker on a phone finds it by browsing …
    phone_page.goto(f"{live_server.url}/news/")
    phone_page.click(f"text={TITLE}")
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.url.endswith(f"/news/{article.pk}/")
    assert "热饭菜" in phone_page.inner_text(".news-body")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the article page scrolls sideways on a phone"
    # … and by Chinese search.
    phone_page.goto(f"{live_server.url}/news/")
    phone_page.fill("input[name=q]", "驿站")
    phone_page.click("form[role=search] button[type=submit]")
    phone_page.wait_for_load_state("networkidle")
    first = phone_page.locator(".news-item").first
    assert TITLE in first.inner_text()
    assert first.locator("mark").count() >= 1
    assert "清明祭扫" not in phone_page.inner_text(".news-list")
