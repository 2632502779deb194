"""Journey 7: a file chosen in step 4 and then 下一步 is uploaded, not dropped."""

import pytest
from django.urls import reverse

from ..factories import draft_project, pdf_upload

pytestmark = pytest.mark.django_db


def test_next_with_a_chosen_file_uploads_it_and_goes_on(client, campaign, worker):
    project = draft_project(campaign, worker)
    client.force_login(worker)
    url = reverse("innovation:wizard", args=[project.pk, 4])
    response = client.post(url, {"kind": "proof", "file": pdf_upload("效益证明.pdf"), "next": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("innovation:wizard", args=[project.pk, 5])
    attachment = project.attachments.get()
    assert attachment.title == "效益证明"  # the file's name when no description was typed


def test_next_without_a_file_just_goes_on(client, campaign, worker):
    project = draft_project(campaign, worker)
    client.force_login(worker)
    response = client.post(reverse("innovation:wizard", args=[project.pk, 4]), {"next": "1"})
    assert response["Location"] == reverse("innovation:wizard", args=[project.pk, 5])
    assert not project.attachments.exists()


def test_one_form_carries_both_buttons(client, campaign, worker):
    project = draft_project(campaign, worker)
    client.force_login(worker)
    body = client.get(reverse("innovation:wizard", args=[project.pk, 4])).content.decode()
    form = body[body.index('data-testid="attachment-form"') :]
    form = form[: form.index("</form>")]
    assert 'name="file"' in form and 'name="next"' in form
