"""Turning a service's ValidationError (or an invalid form) into what the person sees."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def form_errors_from(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors by field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def formset_errors_from(formset, exc: ValidationError) -> None:
    """Put a service's ValidationError on a formset, above its rows (as a formset's own clean does)."""
    formset._non_form_errors = formset.error_class(exc.messages, renderer=formset.renderer)


def messages_from(request, source) -> None:
    """Flash each message of a ValidationError, or each error of an invalid form (pages that redirect)."""
    if isinstance(source, ValidationError):
        found = source.messages
    else:
        found = [error for errors in source.errors.values() for error in errors]
    for message in found:
        messages.error(request, message)
