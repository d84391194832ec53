import contextlib

import pytest
from channels.layers import channel_layers
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from huey.contrib.djhuey import HUEY

from cases import roles
from cases.canned import seed_canned_replies
from cases.catalog import seed_catalog, seed_danger_phrases
from cases.models import CannedReply, Category, DangerPhrase, Platform
from escalation.catalog import seed_agencies, seed_referral_agencies
from escalation.models import Agency
from hotline.library_seed import seed_library
from hotline.models import Article, ArticleVersion


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
