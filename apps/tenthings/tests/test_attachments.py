"""Report attachments: stored privately under a checked name, downloaded (never rendered) by the
reporter and the verifiers only; the plan export needs the permission to view plans."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory

from .factories import IndicatorFactory, PlanFactory
from .test_services import submit

pytestmark = pytest.mark.django_db

PDF_WITH_HTML = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"


def test_a_pdf_named_html_is_stored_privately_as_pdf_and_only_downloaded():
    indicator = IndicatorFactory()
    report = submit(
        indicator, amount=1, attachment=SimpleUploadedFile("evil.html", PDF_WITH_HTML, content_type="text/html")
    )
    name = report.attachment.name
    assert name.startswith("tenthings/reports/") and name.endswith(".pdf") and "evil" not in name
    assert (settings.PRIVATE_MEDIA_ROOT / name).exists()
    assert not (settings.MEDIA_ROOT / name).exists()  # never under the public media folder


def test_the_attachment_goes_to_its_reporter_and_verifiers_and_is_404_for_anyone_else(client):
    indicator = IndicatorFactory()
    report = submit(indicator, amount=1, attachment=SimpleUploadedFile("r.pdf", PDF_WITH_HTML))
    url = reverse("tenthings:report_attachment", args=[report.pk])

    client.force_login(report.reporter)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"

    client.force_login(UserFactory(roles=["tenthings_verifier"]))
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())  # a stranger guessing the id
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(roles=["tenthings_verifier"]))
    assert client.get(reverse("tenthings:report_attachment", args=[report.pk + 999])).status_code == 404


def test_only_staff_who_may_view_plans_download_a_plan(client):
    plan = PlanFactory(year=2031, published=False)
    url = reverse("admin:tenthings_plan_export", args=[plan.pk])
    client.force_login(UserFactory(roles=["editor"]))  # staff, but news only
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_a_double_tapped_first_rating_answers_with_a_message_not_a_500():
    from django.core.exceptions import ValidationError

    from apps.tenthings import services
    from apps.tenthings.models import Rating

    indicator = IndicatorFactory()
    worker = UserFactory()
    services.rating_add(item=indicator.item, user=worker, stars=4)
    with pytest.raises(ValidationError, match="已经评价过"):
        services.rating_add(item=indicator.item, user=worker, stars=5)
    assert Rating.objects.filter(item=indicator.item, user=worker).count() == 1
