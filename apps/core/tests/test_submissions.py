"""One double-submit guard: of several identical posts of a form, exactly one creates."""

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from apps.accounts.tests.factories import UserFactory
from apps.core.models import SubmissionToken, Town
from apps.core.submissions import AlreadySubmitted, new_token, submission_once


def _post(user, token):
    request = RequestFactory().post("/form/", {"submission_token": token} if token else {})
    request.user = user
    return request


def _create(request, name):
    with submission_once(request) as once:
        town = Town.objects.create(name=name)
        once.result(f"/towns/{town.pk}/")
    return town


@pytest.mark.django_db
def test_a_repeat_answers_with_the_first_result_and_creates_nothing():
    user, token = UserFactory(), new_token()
    first = _create(_post(user, token), "双击镇")
    with pytest.raises(AlreadySubmitted) as repeat:
        _create(_post(user, token), "双击镇")
    assert repeat.value.url == f"/towns/{first.pk}/"
    assert Town.objects.filter(name="双击镇").count() == 1


@pytest.mark.django_db
def test_a_failed_submission_releases_its_token():
    user, token = UserFactory(), new_token()
    with pytest.raises(RuntimeError), submission_once(_post(user, token)):
        Town.objects.create(name="失败镇")
        raise RuntimeError("the service refused the form")
    assert not SubmissionToken.objects.exists() and not Town.objects.filter(name="失败镇").exists()
    _create(_post(user, token), "失败镇")  # corrected and sent again: accepted
    assert Town.objects.filter(name="失败镇").count() == 1


@pytest.mark.django_db
def test_another_persons_token_never_shows_them_the_first_result():
    token = new_token()
    _create(_post(UserFactory(), token), "甲镇")
    with pytest.raises(AlreadySubmitted) as repeat:
        _create(_post(UserFactory(), token), "甲镇")
    assert repeat.value.url == "/form/"  # back to the form, not to someone else's record


@pytest.mark.django_db
def test_the_form_tag_renders_a_fresh_hidden_token():
    from django.template import Context, Template

    html = Template("{% load core %}{% submission_token %}{% submission_token %}").render(Context())
    tokens = [part.split('"')[0] for part in html.split('value="')[1:]]
    assert 'name="submission_token"' in html and len(set(tokens)) == 2 and all(len(t) >= 30 for t in tokens)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_posts_create_one_record():
    from conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "the race needs real concurrency")
    user, token = UserFactory(), new_token()
    barrier, outcomes = threading.Barrier(6), []

    def post():
        try:
            barrier.wait()
            _create(_post(user, token), "六连击镇")
            outcomes.append("created")
        except AlreadySubmitted:
            outcomes.append("repeat")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["repeat"] * 5
    assert Town.objects.filter(name="六连击镇").count() == 1


@pytest.mark.django_db
def test_claimed_tokens_are_forgotten_after_a_week():
    import datetime

    from django.utils import timezone

    from apps.core.tasks import submission_tokens_purge

    old = SubmissionToken.objects.create(token="old")
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    SubmissionToken.objects.create(token="new")
    assert submission_tokens_purge() == 1
    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["new"]
