"""A worker's own account through ``/api/v1/accounts/``: read and change the profile through the
same form as ``/me/profile/``. Signing in is allauth's headless mode (``/_allauth/app/v1/``):
a mobile number and SMS code, or a password, give a session token sent as ``X-Session-Token``."""

from __future__ import annotations

import datetime

from django.forms.models import model_to_dict
from ninja import Router, Schema

from apps.core.api import ERRORS, form_invalid, session_token

from .forms import ProfileForm

router = Router(tags=["accounts"], auth=session_token)

# What the API lets a worker change: the profile form's fields less the photo (a page upload).
# The mobile number is not among them: it changes only through its SMS proof (allauth headless,
# ``/_allauth/app/v1/account/phone``), as on the page.
PROFILE_FIELDS = tuple(name for name in ProfileForm._meta.fields if name != "avatar")


class ProfileOut(Schema):
    id: int
    username: str
    display_name: str
    real_name: str
    email: str
    phone: str
    phone_verified: bool
    town: int | None
    town_name: str
    employer: int | None
    employer_name: str
    sex: str
    birth_date: datetime.date | None
    occupation: str


class ProfileIn(Schema):
    """Only the fields sent are changed."""

    real_name: str | None = None
    town: int | None = None
    employer: int | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None
    occupation: str | None = None


def _profile(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "real_name": user.real_name,
        "email": user.email,
        "phone": user.phone,
        "phone_verified": user.phone_verified,
        "town": user.town_id,
        "town_name": user.town.name if user.town_id else "",
        "employer": user.employer_id,
        "employer_name": str(user.employer) if user.employer_id else "",
        "sex": user.sex,
        "birth_date": user.birth_date,
        "occupation": user.occupation,
    }


@router.get("/me", response={200: ProfileOut, 401: ERRORS[401]}, summary="我的资料", url_name="accounts_me")
def me(request):
    """The signed-in worker's profile."""
    return _profile(request.user)


@router.patch(
    "/me",
    response={200: ProfileOut, 401: ERRORS[401], 422: ERRORS[422]},
    summary="修改资料",
    url_name="accounts_me_update",
)
def me_update(request, payload: ProfileIn):
    """Change the profile (the page's form and messages)."""
    user = request.user
    data = {name: value for name, value in model_to_dict(user, fields=PROFILE_FIELDS).items() if value is not None}
    data.update({name: ("" if value is None else value) for name, value in payload.dict(exclude_unset=True).items()})
    form = ProfileForm(data, instance=user)
    for name in set(form.fields) - set(PROFILE_FIELDS):
        del form.fields[name]
    if not form.is_valid():
        raise form_invalid(form)
    form.save()
    return _profile(user)
