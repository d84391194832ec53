import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotline import settings as hotline_settings


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        hotline_settings.env_bool("X_FLAG", False)
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured):
        hotline_settings.env_int("X_NUM", 1)
    monkeypatch.setenv("X_LIST", "a.vn, b.vn,")
    assert hotline_settings.env_list("X_LIST") == ["a.vn", "b.vn"]


def run_settings(env):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "hotline.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_with_no_variables_it_runs_on_sqlite_and_memory():
    result = run_settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "Asia/Ho_Chi_Minh",
        "vi",
    ]


def test_production_uses_postgres_and_redis_and_needs_a_secret_key():
    env = {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "hotline.example.vn",
        "DATABASE_URL": "postgres://u@db/hotline",
        "REDIS_URL": "redis://cache:6379/0",
    }
    refused = run_settings(env)
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    result = run_settings({**env, "SECRET_KEY": "x" * 60})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == [
        "django.db.backends.postgresql",
        "channels_redis.core.RedisChannelLayer",
    ]
