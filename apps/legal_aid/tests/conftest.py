import pytest
from django.contrib.auth.models import Group

from apps.accounts.services import role_permissions_sync, user_role_add

from .factories import LawyerProfileFactory, LegalStationFactory, OrganizationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def roles(db):
    role_permissions_sync()
    return Group.objects.all()


@pytest.fixture
def station(db):
    return LegalStationFactory(name="老黄维权站", kind="flagship")


@pytest.fixture
def worker(db):
    return UserFactory(username="worker1", real_name="刘师傅")


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger", real_name="路人")


@pytest.fixture
def officer(roles):
    user = UserFactory(username="officer", real_name="周部长")
    user_role_add(user=user, role="legal_officer")
    return user


@pytest.fixture
def mediator(roles):
    user = UserFactory(username="mediator1", real_name="陈调解员")
    user_role_add(user=user, role="mediator")
    return user


@pytest.fixture
def lawyer(roles, station):
    user = UserFactory(username="lawyer1", real_name="黄律师")
    user_role_add(user=user, role="lawyer")
    return LawyerProfileFactory(user=user, firm=OrganizationFactory(name="昭阳律所"), stations=[station])


@pytest.fixture
def pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="contract.pdf"):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    return make
