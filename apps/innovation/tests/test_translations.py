"""Innovation's own English catalogue is the one shown for its words, even where the project
catalogue translates the same Chinese differently (a context tells them apart)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from apps.innovation.models import Attachment, Category, Project, Score

from .factories import ServiceVisitFactory

pytestmark = pytest.mark.django_db


def test_short_words_with_a_context_read_as_innovation_translates_them():
    with translation.override("en"):
        assert str(Project._meta.get_field("summary").verbose_name) == "Summary"
        assert str(Category._meta.get_field("group").verbose_name) == "Group"
        assert str(Category._meta.get_field("sort_order").verbose_name) == "Order"
        assert str(Attachment._meta.get_field("title").verbose_name) == "Description"
        assert str(Score._meta.verbose_name) == "Score"
        assert pgettext("review", "评分") == "Score"
        # Without the context the project catalogue answers: the words it shadowed.
        assert gettext("评分") == "Rating" and gettext("简介") == "Description"


def test_the_index_in_english_counts_training_in_person_times(client):
    ServiceVisitFactory(workers_trained=12)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("innovation:index")).content.decode()
    assert "person-times" in page
