import pytest

from cases import roles
from escalation.models import Agency, Liaison
from tests.conftest import make_user
from tests.escalation.factories import INFO_DEPT, POLICE


def make_liaison(username, agency_code, **kwargs):
    user = make_user(username, roles.LIAISON, **kwargs)
    Liaison.objects.create(user=user, agency=Agency.objects.get(code=agency_code))
    return user


@pytest.fixture
def police(db):
    """A liaison of the provincial police's cyber unit (PA05)."""
    return make_liaison("pa05-minh", POLICE, first_name="Minh", email="minh@pa05.example.vn")


@pytest.fixture
def infodept(db):
    """A liaison of the department in charge of online information (Sở VHTTDL)."""
    return make_liaison("vhttdl-ha", INFO_DEPT, first_name="Hà", email="ha@vhttdl.example.vn")
