import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.uploads import clean_image, validate_document, validate_image

from .images import huge_png_header, jpeg_with_exif, png_bytes


def test_accepts_a_real_png():
    validate_image(SimpleUploadedFile("ok.png", png_bytes(), content_type="image/png"))


def test_refuses_a_text_file_named_jpg():
    fake = SimpleUploadedFile("photo.jpg", "这不是图片".encode() * 10, content_type="image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        validate_image(fake)
    assert "不是有效的图片" in excinfo.value.messages[0]


def test_refuses_a_decompression_bomb_by_its_header():
    bomb = SimpleUploadedFile("big.png", huge_png_header(), content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        validate_image(bomb)
    assert "图片尺寸过大" in excinfo.value.messages[0]


def test_refuses_an_image_over_our_own_pixel_limit(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError) as excinfo:
        validate_image(SimpleUploadedFile("a.png", png_bytes((50, 50))))
    assert "图片尺寸过大" in excinfo.value.messages[0]


def test_refuses_a_file_over_the_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff" * (30 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        validate_image(big)
    assert "文件太大" in excinfo.value.messages[0]


def test_clean_image_applies_exif_rotation_and_strips_location():
    cleaned = clean_image(SimpleUploadedFile("p.jpg", jpeg_with_exif((60, 40), orientation=6)))
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.size == (40, 60)  # rotated upright
    exif = image.getexif()
    assert 0x8825 not in exif and 0x0112 not in exif and 0x010F not in exif
    assert cleaned.name == "p.jpg"


def test_clean_image_caps_the_longest_side(settings):
    settings.IMAGE_MAX_SIDE = 100
    cleaned = clean_image(SimpleUploadedFile("wide.png", png_bytes((400, 100))))
    assert Image.open(io.BytesIO(cleaned.read())).size == (100, 25)


@pytest.mark.parametrize(
    ("content", "ok"),
    [(b"%PDF-1.7 rest", True), (b"PK\x03\x04docx", True), (b"MZ\x90\x00exe", False), (b"<html>", False)],
)
def test_documents_are_checked_by_content_not_name(content, ok):
    upload = SimpleUploadedFile("file.pdf", content)
    if ok:
        validate_document(upload)
    else:
        with pytest.raises(ValidationError):
            validate_document(upload)


def test_a_field_can_allow_fewer_pixels_than_the_site(settings):
    from apps.core.uploads import ImageFormField

    settings.IMAGE_MAX_PIXELS = 24_000_000
    small_limit = ImageFormField(max_pixels=100_000)
    with pytest.raises(ValidationError) as excinfo:
        small_limit.clean(SimpleUploadedFile("avatar.png", png_bytes((400, 300))))
    assert "像素总数不能超过 10 万" in excinfo.value.messages[0]  # the field's limit, stated
    ImageFormField().clean(SimpleUploadedFile("photo.png", png_bytes((400, 300))))  # the site's limit: fine


@pytest.mark.django_db(transaction=True)
def test_a_replaced_or_cleared_image_file_is_deleted_after_commit(settings):
    from apps.accounts.tests.factories import UserFactory

    user = UserFactory()
    user.avatar = SimpleUploadedFile("first.png", png_bytes())
    user.save()
    first = user.avatar.name
    storage = user.avatar.storage
    assert storage.exists(first)
    user.avatar = SimpleUploadedFile("second.png", png_bytes((20, 20)))
    user.save()
    assert storage.exists(user.avatar.name) and not storage.exists(first)
    second = user.avatar.name
    user.avatar = None
    user.save()
    assert not storage.exists(second)
