import pytest

from apps.news.sanitize import body_plain_text, body_sanitize
from apps.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_script_tags_and_their_content_are_removed():
    assert body_sanitize("<p>正文<script>alert('x')</script></p>") == "<p>正文</p>"


def test_event_handler_attributes_are_removed():
    html = body_sanitize('<p onclick="steal()">a<img src="/media/a.jpg" onerror="alert(1)" alt="图"></p>')
    assert "onclick" not in html and "onerror" not in html
    assert '<img src="/media/a.jpg" alt="图">' in html


def test_javascript_links_lose_their_href():
    html = body_sanitize('<a href="javascript:alert(1)">点我</a><a href="JaVaScRiPt:alert(2)">再点</a>')
    assert "javascript" not in html.lower()


def test_word_paste_styles_are_cut_to_the_allow_list():
    pasted = (
        '<p class="MsoNormal" style="mso-char-indent-count:2.0;text-align:center;color:red;'
        'background:url(javascript:x)"><span style="font-family:仿宋_GB2312">通知</span></p>'
        "<!-- [if gte mso 9]>x<![endif]-->"
    )
    html = body_sanitize(pasted)
    assert html == '<p style="text-align:center">通知</p>'


def test_an_empty_editor_paragraph_counts_as_no_body():
    assert body_sanitize("<p></p>") == ""


def test_the_stored_body_is_already_safe_after_a_save():
    article = ArticleFactory(
        body='<p>驿站<script>x()</script><a href="javascript:x()">a</a></p><p style="color:red">b</p>'
    )
    article.refresh_from_db()
    assert "script" not in article.body and "javascript" not in article.body and "color" not in article.body
    assert article.body_text == "驿站a\nb"


def test_plain_text_keeps_one_paragraph_per_line():
    assert body_plain_text("<p>第一段&amp;</p><p>第二段<br>换行</p>") == "第一段&\n第二段\n换行"
