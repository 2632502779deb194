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


def test_a_pixel_bomb_as_a_private_attachment_is_refused_with_the_limit_not_a_500():
    # Reproduces the probe: a bomb PNG attached to a consultation or a declaration raised
    # DecompressionBombError straight through the private-file check.
    from apps.core.private_files import checked_file, validate_private_file

    for check in (validate_private_file, checked_file):
        bomb = SimpleUploadedFile("scan.png", huge_png_header(), content_type="image/png")
        with pytest.raises(ValidationError) as excinfo:
            check(bomb)
        assert "图片尺寸过大" in excinfo.value.messages[0]


def test_a_private_image_attachment_is_stored_upright_without_its_location():
    from apps.core.private_files import checked_file

    stored = checked_file(SimpleUploadedFile("photo.jpg", jpeg_with_exif((60, 40), orientation=6, gps=True)))
    assert stored.name == "upload.jpg"
    image = Image.open(io.BytesIO(stored.read()))
    assert image.size == (40, 60) and not image.getexif()  # rotated, no EXIF (no GPS) left


def test_private_documents_keep_their_bytes_and_get_a_name_from_their_content():
    from apps.core.private_files import checked_file

    pdf = SimpleUploadedFile("evil.html", b"%PDF-1.4\n%...", content_type="text/html")
    assert checked_file(pdf).name == "upload.pdf" and pdf.read().startswith(b"%PDF-")
    with pytest.raises(ValidationError):
        checked_file(SimpleUploadedFile("page.pdf", b"<script>alert(1)</script>", content_type="application/pdf"))
