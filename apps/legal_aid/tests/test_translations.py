"""Legal aid's own English catalogue is the one shown: no project-wide translation shadows it."""

import gettext
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.legal_aid import services

from .factories import DisputeCaseFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.mo"


def _catalogue() -> dict:
    """The compiled catalogue (``make test`` and CI compile it first), as {msgid or "ctx\\x04msgid": msgstr}."""
    assert CATALOGUE.exists(), "run: .venv/bin/python manage.py compilemessages --ignore=.venv"
    with CATALOGUE.open("rb") as handle:
        return {key: value for key, value in gettext.GNUTranslations(handle)._catalog.items() if key and value}


def test_a_failed_conflict_check_reads_not_cleared_in_english(client, officer):
    employer = OrganizationFactory(name="恒兴科技园")
    case = DisputeCaseFactory(respondent_name="恒兴科技园")
    insider = UserFactory(real_name="内部调解员", employer=employer)
    with pytest.raises(ValidationError):  # refused, and the failed check is recorded on the case
        services.case_mediator_assign(case=case, mediator=insider, by=officer)
    client.force_login(officer)
    with translation.override("en"):
        page = client.get(reverse("legal_aid:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not cleared" in page
    assert "Rejected" not in page


def test_every_legal_aid_translation_is_the_one_shown():
    shadowed = []
    with translation.override("en"):
        for key, english in _catalogue().items():
            if isinstance(key, tuple):  # plural forms: (msgid, index)
                continue
            context, _sep, msgid = key.rpartition("\x04")
            shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            if shown != english:
                shadowed.append(f"{key!r}: ours {english!r}, shown {shown!r}")
    assert not shadowed, "give these a context (pgettext) in legal_aid:\n" + "\n".join(shadowed)
