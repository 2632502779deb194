import pytest

from .factories import LawyerProfileFactory, LegalStationFactory, OrganizationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
def officer(user_with_role):
    return user_with_role("legal_officer", username="officer", real_name="周部长")


@pytest.fixture
def mediator(user_with_role):
    return user_with_role("mediator", username="mediator1", real_name="陈调解员")


@pytest.fixture
def lawyer(user_with_role, station):
    user = user_with_role("lawyer", username="lawyer1", real_name="黄律师")
    return LawyerProfileFactory(user=user, firm=OrganizationFactory(name="昭阳律所"), stations=[station])


@pytest.fixture
def pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="contract.pdf"):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    return make
