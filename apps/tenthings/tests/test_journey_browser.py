import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.images import png_bytes
from apps.tenthings.models import ProgressReport

from .factories import IndicatorFactory, PlanFactory


def _verified(user):
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@pytest.mark.browser
def test_report_with_photo_then_verify_moves_public_page_and_dashboard(
    transactional_db, live_server, browser, phone_page, desktop_page, browser_login, tmp_path, user_with_role
):
    this_year = datetime.date.today().year
    plan = PlanFactory(year=this_year)
    reporter = _verified(user_with_role("tenthings_reporter", username="tt-reporter"))
    ind = IndicatorFactory(item__plan=plan, item__number=5, item__responsible=reporter, name="健康体检", target=600)
    staff = _verified(UserFactory(username="tt-staff", is_staff=True))
    staff.user_permissions.add(Permission.objects.get(codename="verify_progressreport"))
    leader = _verified(user_with_role("leader", username="tt-leader"))
    photo = tmp_path / "site.png"
    photo.write_bytes(png_bytes())

    # The responsible person reports on a phone, with a photo.
    page = phone_page
    browser_login(page, reporter)
    page.goto(f"{live_server.url}/ten-things/{this_year}/5/report/")
    page.fill("input[name=amount]", "300")
    page.fill("textarea[name=narrative]", "健康体检新增 300 名")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=my-report]")
    assert ProgressReport.objects.get().status == "submitted"
    page.goto(f"{live_server.url}/ten-things/{this_year}/5/")
    assert page.inner_text("[data-testid=item-percent]") == "0%"

    # Staff verify it on the review page.
    page = desktop_page
    browser_login(page, staff)
    page.goto(f"{live_server.url}/ten-things/review/")
    page.click("button[value=verify]")
    page.wait_for_load_state("networkidle")
    assert ProgressReport.objects.get().status == "verified"

    # The public page shows the figure and the photo; the leader's dashboard moved.
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/ten-things/{this_year}/5/")
    assert public.inner_text("[data-testid=item-percent]") == "50%"
    assert "300 / 600 名" in public.inner_text(f"[data-testid=indicator-{ind.pk}]")
    assert public.locator(".tt-photos img").count() == 1
    public.context.close()
    page.context.clear_cookies()
    browser_login(page, leader)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.inner_text("[data-testid=dash-percent]") == "50%"
