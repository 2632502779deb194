from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.images import jpeg_with_exif
from apps.news.models import Article, ArticleImage
from apps.news.sanitize import body_dropped_images, body_sanitize
from apps.news.tests.factories import ArticleFactory, ArticleImageFactory, ColumnFactory

pytestmark = pytest.mark.django_db

INLINE = "images"  # the inline formset prefix (related_name)


def admin_data(column, **extra):
    data = {
        "title": "劳模风采",
        "summary": "摘要",
        "body": "<p>正文</p>",
        "column": column.pk,
        "source": "兴化市总工会",
        "publish_at_0": "",
        "publish_at_1": "",
        f"{INLINE}-TOTAL_FORMS": "1",
        f"{INLINE}-INITIAL_FORMS": "0",
        f"{INLINE}-MIN_NUM_FORMS": "0",
        f"{INLINE}-MAX_NUM_FORMS": "1000",
        f"{INLINE}-0-caption": "",
        f"{INLINE}-0-sort_order": "0",
    }
    data.update(extra)
    return data


@pytest.fixture
def editor(client):
    user = UserFactory(roles=["editor"])
    client.force_login(user)
    return user


@pytest.fixture
def column():
    return ColumnFactory(slug="laomo", name="劳模工匠")


# --- admin upload --------------------------------------------------------------------------
def test_editor_uploads_a_photo_through_the_article_inline(client, editor, column):
    upload = SimpleUploadedFile("现场.jpg", jpeg_with_exif((1600, 1000)), content_type="image/jpeg")
    data = admin_data(column, **{f"{INLINE}-0-image": upload, f"{INLINE}-0-caption": "劳模座谈会现场"})
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    image = ArticleImage.objects.get()
    assert image.article == Article.objects.get() and image.caption == "劳模座谈会现场"
    assert default_storage.exists(image.image.name)
    with default_storage.open(image.image.name) as fh, Image.open(fh) as stored:
        # Re-encoded by the foundation: EXIF rotation applied (portrait now), metadata gone.
        assert stored.size == (1000, 1600)
        assert not stored.getexif()
    assert image.renditions["source"] == image.image.name
    assert image.renditions["full"]["width"] == 1000
    for name in ("thumb", "card", "full"):
        assert default_storage.exists(image.renditions[name]["jpg"])


def test_renditions_are_made_once_not_on_every_save(editor):
    image = ArticleImageFactory()
    made = image.renditions
    image.caption = "新说明"
    from apps.news.services import article_image_save

    article_image_save(image=image)
    image.refresh_from_db()
    assert image.renditions == made


def test_a_fake_image_is_refused_with_the_chinese_message_and_nothing_is_stored(client, editor, column):
    fake = SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    response = client.post(reverse("admin:news_article_add"), admin_data(column, **{f"{INLINE}-0-image": fake}))
    assert response.status_code == 200
    assert "上传的文件不是有效的图片（支持 JPG、PNG、WebP、GIF）。" in response.content.decode()
    assert not Article.objects.exists() and not ArticleImage.objects.exists()
    stored = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert stored == []


def test_pasted_word_images_are_dropped_with_a_warning_to_upload_them(client, editor, column):
    body = '<p>正文</p><p><img src="file:///C:/Users/a/clip_image001.png"><img src="data:image/png;base64,iVBOR"></p>'
    response = client.post(reverse("admin:news_article_add"), admin_data(column, body=body), follow=True)
    article = Article.objects.get()
    assert "img" not in article.body
    warning = "正文中有 2 张图片未能保存（从 Word/WPS 粘贴的图片或外部网站的图片不会保留）"
    assert warning in response.content.decode()


def test_no_warning_when_the_body_images_are_our_own(client, editor, column):
    body = '<figure><img src="/media/news/renditions/abc/full.jpg" alt="现场"><figcaption>现场</figcaption></figure>'
    response = client.post(reverse("admin:news_article_add"), admin_data(column, body=body), follow=True)
    assert "未能保存" not in response.content.decode()
    assert '<img src="/media/news/renditions/abc/full.jpg" alt="现场">' in Article.objects.get().body


# --- sanitiser ----------------------------------------------------------------------------
def test_an_image_on_our_media_keeps_src_and_alt_only():
    html = body_sanitize('<img src="/media/news/a.jpg" alt="图" width="9" onerror="x()" data-file="3" class="c">')
    assert html == '<img src="/media/news/a.jpg" alt="图">'


def test_figure_with_caption_is_kept():
    html = body_sanitize(
        '<figure class="figure"><img src="/media/news/a.jpg" alt="图"><figcaption>劳模合影</figcaption></figure>'
    )
    assert html == '<figure><img src="/media/news/a.jpg" alt="图"><figcaption>劳模合影</figcaption></figure>'


@pytest.mark.parametrize(
    "src",
    [
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///C:/Users/editor/AppData/Local/Temp/clip_image002.jpg",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "https://evil.example.com/track.gif",
        "//evil.example.com/media/x.jpg",
        "/media/../settings.py",
        "/media/%2e%2e/secret.jpg",
        "/static/img/logo.png",
        "/media/",
        "",
    ],
)
def test_images_from_anywhere_but_our_media_are_removed(src):
    html = body_sanitize(f'<p>前<img src="{src}" alt="图">后</p>')
    assert html == "<p>前后</p>"


def test_a_figure_whose_image_was_removed_keeps_only_its_caption():
    assert body_sanitize('<figure><img src="data:x"><figcaption>说明</figcaption></figure>') == "<p>说明</p>"


def test_dropped_images_are_counted_from_the_raw_body():
    raw = '<img src="data:x"><img src="file:///a.png"><img src="/media/ok.jpg"><img data-src="x">'
    assert body_dropped_images(raw) == 2


# --- public page ---------------------------------------------------------------------------
def test_gallery_shows_images_not_in_the_body_as_renditions_with_captions(client):
    article = ArticleFactory()
    in_body = ArticleImageFactory(article=article, caption="正文里的图")
    extra = ArticleImageFactory(article=article, caption="座谈会合影")
    article.body = f'<p>正文</p><figure><img src="{in_body.full_url}" alt="a"></figure>'
    from apps.news.services import article_save

    article_save(article=article, user=article.author)
    html = client.get(article.get_absolute_url()).content.decode()
    gallery = html.split('class="news-gallery"', 1)[1].split("</section>", 1)[0]
    assert extra.full_url in gallery and "座谈会合影" in gallery and 'loading="lazy"' in gallery
    assert in_body.full_url not in gallery and "正文里的图" not in gallery
    assert html.count(in_body.full_url) == 1  # in the body only
    assert extra.image.url not in html and in_body.image.url not in html  # never the original


def test_list_pages_never_serve_article_images(client):
    image = ArticleImageFactory()
    for url in ("/", "/news/"):
        html = client.get(url).content.decode()
        assert image.image.url not in html and image.full_url not in html


@pytest.mark.parametrize("count", [1, 10])
def test_gallery_page_runs_a_constant_number_of_queries(client, count, django_assert_max_num_queries):
    article = ArticleFactory()
    for _ in range(count):
        ArticleImageFactory(article=article)
    with django_assert_max_num_queries(9):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="news-gallery-item"') == count


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED])
def test_images_of_unpublished_articles_are_not_shown_publicly(client, status):
    image = ArticleImageFactory(article=ArticleFactory(status=status))
    assert client.get(image.article.get_absolute_url()).status_code == 404
    for url in ("/", "/news/", "/news/feed/"):
        html = client.get(url).content.decode()
        assert image.full_url not in html and image.caption not in html
