"""Journey 15 on a 390 px phone: a legal officer and a reviewer sign in and arrive at their queues."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role, path", [("legal_officer", "/legal/triage/"), ("reviewer", "/innovation/reviews/")])
def test_a_role_signs_in_on_a_phone_and_lands_on_its_queue(
    phone_page, live_server, browser_login, user_with_role, role, path
):
    user = user_with_role(role, username=f"phone-{role}")
    browser_login(phone_page, user)
    assert phone_page.url == f"{live_server.url}{path}"
    assert phone_page.locator("h1").first.is_visible()
