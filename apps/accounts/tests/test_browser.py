import pytest

from apps.accounts import sms
from apps.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_signs_up_on_a_phone_with_a_mobile_number_and_an_sms_code(phone_page, live_server):
    sms.ConsoleSmsBackend.outbox.clear()
    page = phone_page
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("label[for=id_phone]").inner_text() == "手机号码"
    page.fill("input[name=real_name]", "王芳")
    page.fill("input[name=phone]", "139 1234 5678")
    page.fill("input[name=password1]", "Huanwei-2024!")
    page.fill("input[name=password2]", "Huanwei-2024!")
    page.click("main form.auth-form button[type=submit]")
    page.wait_for_url("**/accounts/phone/verify/")
    assert "13912345678" in page.locator("main").inner_text()
    code = sms.ConsoleSmsBackend.outbox[-1]["code"]
    page.fill("input[name=code]", code)
    page.click("main form.auth-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/phone/verify/" not in page.url
    assert "王芳" in page.locator("header").inner_text()
    assert User.objects.get(phone="13912345678").phone_verified


def test_the_login_page_keeps_remember_me_beside_its_box(phone_page, live_server):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    box = page.locator("input[name=remember]").bounding_box()
    label = page.get_by_text("记住我").bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 12
    assert label["x"] - (box["x"] + box["width"]) < 20
