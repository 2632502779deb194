"""Bad input to the admin's list pages answers 400, not 500."""

import logging

from django.db import DataError
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class AdminBadInputMiddleware:
    """The admin's changelist filters pass query values straight to the database: a NUL byte
    (PostgreSQL refuses it in text) or an integer beyond 64 bits would be a 500. Those are a
    visitor's mistake or a probe, so answer 400 with a plain message and log it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and any("\x00" in v for v in request.GET.values()):
            return self._bad(request, "NUL byte in query")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/admin/") and isinstance(exception, DataError | OverflowError):
            return self._bad(request, exception)
        return None

    @staticmethod
    def _bad(request, why):
        logger.warning("admin: bad filter input on %s: %s", request.path, why)
        return HttpResponseBadRequest(_("筛选条件无效。"), content_type="text/plain; charset=utf-8")
