import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.core.tests.images import huge_png_header, jpeg_with_exif

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("fake.jpg", b"just some text, not a picture" * 20), "不是有效的图片"),
        (lambda: SimpleUploadedFile("bomb.png", huge_png_header()), "图片尺寸过大"),
        (lambda: SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * (30 * 1024 * 1024)), "文件太大"),
    ],
    ids=["text-renamed-jpg", "20000x20000-png", "30MB-file"],
)
def test_bad_avatar_is_refused_with_a_clear_message_and_nothing_is_stored(client, settings, upload, message):
    user = UserFactory(real_name="原名")
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), {"real_name": "新名字", "avatar": upload()})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.real_name == "原名" and not user.avatar
    assert stored_files(settings) == []


def test_good_avatar_is_stored_upright_without_location(client, settings):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"real_name": "刘师傅", "avatar": SimpleUploadedFile("me.jpg", jpeg_with_exif((60, 40)))},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    image = Image.open(io.BytesIO(user.avatar.read()))
    assert image.size == (40, 60)
    assert 0x8825 not in image.getexif()
    assert len(stored_files(settings)) == 1
