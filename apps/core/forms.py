"""Form helpers shared by every app's views."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def form_errors_from(form, exc: ValidationError, *, request=None) -> None:
    """Put a service's ValidationError on the form: field errors by field, the rest on top.

    With ``request``, non-field messages are also flashed (for pages that redirect).
    """
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
            if request is not None and field not in form.fields:
                for message in errors:
                    messages.error(request, message)
    else:
        form.add_error(None, exc.messages)
        if request is not None:
            for message in exc.messages:
                messages.error(request, message)
