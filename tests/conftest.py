import contextlib
import os

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from huey.contrib.djhuey import HUEY
from hypothesis import settings as hypothesis_settings

from cases import roles
from cases.canned import seed_canned_replies
from cases.catalog import seed_catalog, seed_danger_phrases
from cases.models import CannedReply, Category, DangerPhrase, Platform
from escalation.catalog import seed_agencies, seed_referral_agencies
from escalation.models import Agency
from hotline.library_seed import seed_library
from hotline.models import Article, ArticleVersion

# In CI every property test's examples are derived from the test itself, so a red run can be replayed exactly. The
# profile is loaded here, before any test module is collected: a test's @settings copies the defaults when it is
# defined, so a profile loaded later (in a sub-directory's conftest) would not reach the modules collected before.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# Channels' test communicator gives up after 1 s waiting for a connection or a frame. A frame that never comes still
# fails a test, but on a loaded CI machine a frame that comes can take longer than 1 s: wait up to 5 s by default.
# (`receive_nothing`, which proves silence, keeps its own short wait.)
SOCKET_WAIT_SECONDS = 5
WebsocketCommunicator.connect.__defaults__ = (SOCKET_WAIT_SECONDS,)
WebsocketCommunicator.receive_from.__defaults__ = (SOCKET_WAIT_SECONDS,)
WebsocketCommunicator.receive_json_from.__defaults__ = (SOCKET_WAIT_SECONDS,)
WebsocketCommunicator.disconnect.__defaults__ = (1000, SOCKET_WAIT_SECONDS)
ApplicationCommunicator.receive_output.__defaults__ = (SOCKET_WAIT_SECONDS,)

def seed_reference_data():
    """The rows data migrations create (catalogue, roles, agencies). A transactional test empties every table
    when it ends, so transactional tests put them back first; every seed function is idempotent."""
    seed_catalog(Category, Platform)
    roles.sync_roles(Group, Permission)
    seed_agencies(Agency)
    seed_referral_agencies(Agency)
    seed_danger_phrases(DangerPhrase)
    seed_canned_replies(CannedReply, Category)
    seed_library(Article, ArticleVersion, Category)


@pytest.fixture
def reference_data(transactional_db):
    seed_reference_data()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: its own private media folder, an empty cache (throttles), fast password hashing."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each asyncio test has its own event loop; a channels-redis layer made in another loop holds locks bound to
    # it. A fresh layer per test.
    channel_layers.backends.clear()
    cache.clear()
    # Tasks run in the calling process, at once (huey's immediate mode); one test runs a real worker.
    HUEY.immediate = True
    yield
    HUEY.flush()  # retries a test left scheduled in the in-memory queue
    with contextlib.suppress(Exception):  # a test may have pointed the cache at a server that is down
        cache.clear()


def make_user(username, role=None, **kwargs):
    user = User.objects.create_user(username=username, password="a-long-test-password", **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def operator(db):
    return make_user("op1", roles.OPERATOR)


@pytest.fixture
def other_operator(db):
    return make_user("op2", roles.OPERATOR)


@pytest.fixture
def supervisor(db):
    return make_user("sup1", roles.SUPERVISOR)


@pytest.fixture
def outsider(db):
    """A logged-in user with no role: must be refused everywhere a role is needed."""
    return make_user("nobody")
