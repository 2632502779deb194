"""One double-submit guard for every form that creates a record.

A double tap on a slow phone sends the same form twice (or six times). The form carries a
one-time token (``{% submission_token %}``); the view claims it with :func:`submission_once`
inside the transaction that creates the record, and stores where the result is. The token is
unique in the database, so of several identical posts exactly one creates; the others wait for
it (PostgreSQL holds a second insert of a unique key until the first commits) and answer with
the first one's result — the person sees one record, once.

    try:
        with submission_once(request) as once:
            consultation = consultation_submit(...)
            once.result(consultation.get_absolute_url())
    except AlreadySubmitted as first:
        return redirect(first.url)

If the creating transaction fails (a validation error), the claim rolls back with it and the
person can correct the form and send it again with the same token.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager

from django.db import IntegrityError, transaction

FIELD = "submission_token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class AlreadySubmitted(Exception):
    """This form was already sent: ``url`` is where its first result is."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class _Claim:
    def __init__(self, row):
        self.row = row

    def result(self, url: str) -> None:
        """Say where the record this submission created is (shown again to a repeat)."""
        if self.row is not None:
            self.row.result_url = url[:300]


@contextmanager
def submission_once(request, *, field: str = FIELD):
    """Claim the posted one-time token for this request's transaction (see module docs).

    A post without a token (an old form still open in a browser) is not guarded."""
    from .models import SubmissionToken

    token = (request.POST.get(field) or "").strip()[:64]
    if not token:
        with transaction.atomic():
            yield _Claim(None)
        return
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SubmissionToken.objects.create(token=token, user=user)
        except IntegrityError:
            first = SubmissionToken.objects.filter(token=token).first()
            url = first.result_url if first is not None and (first.user_id == getattr(user, "pk", None)) else ""
            raise AlreadySubmitted(url or request.path) from None
        claim = _Claim(row)
        yield claim
        row.save(update_fields=["result_url"])
