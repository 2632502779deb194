"""The whole journey in headless Chromium.

declare → endorse → screen → review → rank → decide → publicity → award → points in /me/.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.innovation.models import Phase, PhaseSetting, PointsRule, Project

from .factories import CategoryFactory, OrganizationFactory, ReviewerProfileFactory, UserFactory, campaign_factory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _as(browser, browser_login, user, *, phone=False):
    options = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True} if phone else {}
    context = browser.new_context(locale="zh-CN", **({"viewport": {"width": 1280, "height": 900}} | options))
    page = context.new_page()
    browser_login(page, user)
    return context, page


def test_a_project_goes_from_declaration_to_award_and_points_appear_in_me(
    browser, live_server, browser_login, user_with_role
):
    for code, points in [("declared", 10), ("screened", 10), ("city_award_first", 100)]:
        PointsRule.objects.create(code=code, description=code, points=points, split_by_share=True)
    category = CategoryFactory(name="小革新")
    campaign = campaign_factory(categories=[category], min_reviewers=3)
    PhaseSetting.objects.filter(campaign=campaign, phase=Phase.EXPERT_REVIEW).update(others_reviews="always")
    employer = OrganizationFactory(name="国网兴化市供电公司")
    worker = UserFactory(username="wangbz", real_name="王班长", employer=employer)
    union = user_with_role("enterprise_union", username="entunion", employer=employer)
    officer = user_with_role("innovation_officer", username="officer")
    reviewers = []
    for i in range(3):
        reviewer = user_with_role("reviewer", username=f"expert{i}", real_name=f"专家{i}")
        ReviewerProfileFactory(user=reviewer, employer=OrganizationFactory(name=f"外单位{i}"))
        reviewers.append(reviewer)
    base = live_server.url

    # 1. The worker declares on a phone, step by step.
    context, page = _as(browser, browser_login, worker, phone=True)
    page.goto(f"{base}/innovation/submit/")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=title]", "配电箱快速接线工装")
    page.get_by_label("QC").check()
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url("**/submit/*/2/")
    assert page.locator("input[name=form-0-share]").input_value() == "100"
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url("**/submit/*/3/")
    page.fill("textarea[name=problem]", "接线耗时长，易接错")
    page.fill("textarea[name=solution]", "快速接线工装与色标")
    page.fill("input[name=money_saved]", "12.5")
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url("**/submit/*/4/")
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/submit/*/5/")
    page.get_by_test_id("submit-project").click()
    page.wait_for_url("**/innovation/projects/*/")
    assert page.get_by_test_id("status").inner_text() == "待单位推荐"
    project = Project.objects.get(title="配电箱快速接线工装")
    context.close()

    # 2. The enterprise union endorses it.
    context, page = _as(browser, browser_login, union)
    page.goto(f"{base}/innovation/endorse/")
    page.get_by_test_id("endorse-item").get_by_role("button", name="推荐").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("没有等待推荐的项目")
    context.close()

    # 3. The officer screens it, moves to 专家评审 and assigns reviewers automatically.
    context, page = _as(browser, browser_login, officer)
    page.goto(f"{base}/innovation/manage/{campaign.pk}/")
    page.get_by_role("button", name="通过形式审查").click()
    for _step in range(3):
        page.get_by_test_id("advance").click()
        page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("已进入“专家评审”阶段")
    page.get_by_test_id("auto-assign").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("自动指派 3 人次")
    officer_context = context

    # 4. Two reviewers score (names hidden); the third recuses and then sees no scores.
    for reviewer, score in ((reviewers[0], "9"), (reviewers[1], "8")):
        context, page = _as(browser, browser_login, reviewer)
        page.goto(f"{base}/innovation/reviews/")
        page.get_by_test_id("review-queue").get_by_role("link").first.click()
        assert page.get_by_test_id("identity-hidden").is_visible()
        assert "王班长" not in page.content()
        for field in page.locator("[data-testid=score-form] input[type=number]").all():
            field.fill(score)
        page.select_option("[data-testid=score-form] select", "是")
        page.get_by_role("button", name="提交评审").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("review-status").inner_text() == "已提交"
        if reviewer == reviewers[1]:
            # This phase shows others' reviews: a reviewer who is not recused sees the first score.
            assert "9.00" in page.get_by_test_id("others").inner_text()
        context.close()
    context, page = _as(browser, browser_login, reviewers[2])
    page.goto(f"{base}/innovation/reviews/")
    page.get_by_test_id("review-queue").get_by_role("link").first.click()
    page.locator("details.innov-recuse summary").click()
    page.fill("textarea[name=recuse-reason]", "申报人是我的徒弟")
    page.get_by_role("button", name="确认回避").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("recused").is_visible()
    assert "9.00" not in page.content() and "8.00" not in page.content()
    assert page.locator("[data-testid=others]").count() == 0
    context.close()

    # 5. The officer ranks, records the decision, runs the publicity and publishes the awards.
    page = officer_context.pages[0]
    page.goto(f"{base}/innovation/manage/{campaign.pk}/ranking/")
    page.get_by_test_id("compute-ranking").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_test_id("rank-row")
    assert row.count() == 1 and "8.50" in row.inner_text()
    row.locator("select[name=level]").select_option("first")
    row.get_by_role("button", name="记录评定").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("已记录评定")
    page.goto(f"{base}/innovation/manage/{campaign.pk}/")
    week_ago = timezone.localdate() - datetime.timedelta(days=campaign.publicity_days)
    page.fill("input[name=starts]", week_ago.isoformat())
    page.get_by_test_id("open-publicity").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("publish").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("表彰已发布，共 1 项")
    officer_context.close()

    # 6. The worker sees the award's points in /me/, and the project is public.
    context, page = _as(browser, browser_login, worker, phone=True)
    page.goto(f"{base}/me/")
    assert page.get_by_test_id("me-balance").inner_text() == "120"
    assert "city_award_first：配电箱快速接线工装" in page.get_by_test_id("points-history").inner_text()
    context.close()
    anonymous = browser.new_context(locale="zh-CN")
    public = anonymous.new_page()
    public.goto(f"{base}/innovation/projects/{project.pk}/")
    assert public.get_by_role("heading", name="配电箱快速接线工装").is_visible()
    anonymous.close()
