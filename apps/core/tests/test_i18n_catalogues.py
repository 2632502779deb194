"""No msgid is translated two ways across the project's and the apps' catalogues: Django shows
one catalogue's words everywhere, so the other's would never be used (a failed conflict check
read "Rejected" instead of "Not cleared")."""

from django.conf import settings

from apps.core.catalogues import conflicts


def test_one_msgid_has_one_english_translation_across_catalogues():
    found = conflicts(settings.BASE_DIR)
    assert not found, "give these a context (pgettext) in one app: " + "; ".join(
        f"{msgid!r} ({ctxt or 'no context'}): {sorted(set(names.values()))}" for (ctxt, msgid), names in found.items()
    )
