"""Settings for the hotline, driven by environment variables.

With no variables at all the hotline runs for development: SQLite file, in-memory channel layer, private media
in ./var/, console e-mail, DEBUG on. Production differs only by environment variables (see README.md).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "")  # e.g. https://hotline.example.vn, used in e-mails and the API's links

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "phonenumber_field",
    "hotline",
    "cases",
    "escalation",
    "demo",
    "accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hotline.middleware.request_size_limit",
    "hotline.middleware.sensitive_request_data",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hotline.middleware.vietnamese_first",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.staff_sign_in",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hotline.middleware.privacy_headers",
    "hotline.middleware.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "hotline.urls"
ASGI_APPLICATION = "hotline.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hotline.context_processors.hotline",
            ],
            "builtins": ["cases.templatetags.times"],  # |isoformat for <time datetime>
        },
    },
]

# Database: SQLite by default, PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'hotline.sqlite3'}"))
}
# No persistent connections, whatever the environment says: under ASGI Django runs each request's database work in
# a thread of its own, so a connection kept for reuse stays with a thread that never comes back and is never closed
# (with DB_CONN_MAX_AGE=60, 8 clients exhausted PostgreSQL's 100 connections). PostgreSQL connections are pooled.
if env_int("DB_CONN_MAX_AGE", 0) != 0:
    raise ImproperlyConfigured(
        "DB_CONN_MAX_AGE is not supported: under ASGI persistent connections are never reused and pile up until "
        "PostgreSQL refuses new ones. Remove it; PostgreSQL connections are pooled per process (DB_POOL_MAX_SIZE)."
    )
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One pool per Daphne process (psycopg-pool), shared by all its threads. A request that finds every connection
    # busy waits up to DB_POOL_TIMEOUT seconds, then gets the calm 503 page: the database itself is never flooded.
    # Budget: processes x DB_POOL_MAX_SIZE (+ the worker's) must stay below PostgreSQL's max_connections.
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = "hotline"
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 1),
        "max_size": env_int("DB_POOL_MAX_SIZE", 8),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, for the test database: browser tests run a real Daphne process against it. One file
    # per test run, so that two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: channel layer and cache are shared by every Daphne process in production.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A socket's consumer waits on Redis with BZPOPMIN for up to 5 s at a time, so the connection has no
                # read timeout of its own: redis-py 8 made 5 s its default, and every idle socket then failed after
                # 5 s; with any read timeout, a cancelled wait (a socket closing) could swallow its cancellation
                # and keep the consumer alive. Connecting still gives up after 5 s; keepalive finds dead peers.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": None,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                    }
                ],
                "prefix": env_str("REDIS_PREFIX", "hotline"),
            },
        }
    }
    # The same names as cases.catalog.CATALOGUE_VERSION_KEY, cases.risk.PHRASES_VERSION_KEY,
    # hotline.library.VERSION_KEY and cases.models.HOTLINE_SETTINGS_CACHE_KEY (tests/hotline/test_shared_cache.py).
    LOCAL_CACHE_KEYS = ["catalogue-version", "risk:danger-phrases:version", "library:version", "hotline-settings"]
    CACHES = {
        "default": {
            # Django's RedisCache, with its connection pool shared by every thread of the process (hotline.cache).
            "BACKEND": "hotline.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("REDIS_PREFIX", "hotline"),
            # A cache that does not answer within 2 s counts as down (callers then work without it).
            # Small keys read by most public pages, answered from each process's memory for a second (version
            # tokens of the catalogue, the danger phrases and the library; the hotline settings row): hotline.cache.
            "OPTIONS": {
                "socket_connect_timeout": 2,
                "socket_timeout": 2,
                "local_keys": dict.fromkeys(LOCAL_CACHE_KEYS, 1),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Task queue (huey): work that runs later (paging, e-mails, web push, the daily purge and auto-close) runs in a
# worker process (`manage.py run_huey`) beside Daphne. Its queue survives a restart: a SQLite file in var/ on the
# embedded default, Redis (under its own key prefix) when REDIS_URL is set. Periodic tasks use local time.
TASK_QUEUE_FILE = env_str("TASK_QUEUE_FILE", str(BASE_DIR / "var" / "tasks.sqlite3"))
HUEY = {
    "name": env_str("TASK_QUEUE_NAME", f"{env_str('REDIS_PREFIX', 'hotline')}-tasks"),
    "immediate": env_bool("TASKS_IMMEDIATE", False),  # run tasks in the calling process (the tests do)
    "utc": False,
    "results": False,
    "consumer": {"workers": env_int("TASK_WORKERS", 2), "worker_type": "thread", "periodic": True},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": TASK_QUEUE_FILE})
    Path(TASK_QUEUE_FILE).parent.mkdir(parents=True, exist_ok=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"  # sends each role to its own start page

# Staff sign-in (README, "Staff sign-in"): every account signs in with a password and a second factor (an
# authenticator app's 6-digit code or a passkey); one without a device enrols first. A session left idle this many
# minutes is signed out.
STAFF_IDLE_TIMEOUT_MINUTES = env_int("STAFF_IDLE_TIMEOUT_MINUTES", 30)
if STAFF_IDLE_TIMEOUT_MINUTES < 1:
    raise ImproperlyConfigured(f"STAFF_IDLE_TIMEOUT_MINUTES must be at least 1, got {STAFF_IDLE_TIMEOUT_MINUTES}")
# An open staff websocket checks this often that its session has not ended (signed out everywhere, device reset).
STAFF_SOCKET_RECHECK_SECONDS = env_int("STAFF_SOCKET_RECHECK_SECONDS", 60)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Tong dai TTN Bac Ninh")
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Passkeys belong to the host of SITE_URL (set it in production); without SITE_URL (development, tests) to the
# host the request came to, which ALLOWED_HOSTS has checked. Only a password followed by a passkey signs in, never
# a passkey alone.
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_RP_ID = urlsplit(SITE_URL).hostname if SITE_URL else "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL.rstrip("/")] if SITE_URL else ["http://localhost:8000"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "accounts.passkeys"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret or recovery codes

# Language and time: Vietnamese first, English available; times in Asia/Ho_Chi_Minh.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "hotline_lang"
LANGUAGE_COOKIE_SAMESITE = "Lax"
PHONENUMBER_DEFAULT_REGION = "VN"
PHONENUMBER_DB_FORMAT = "E164"

# Static files are served by the app itself (WhiteNoise); nothing is loaded from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence and other uploads are private: no MEDIA_URL, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Request limits: a report carries at most EVIDENCE_MAX_FILES files of EVIDENCE_MAX_BYTES each.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env_int("EVIDENCE_MAX_FILES", 5)
# A picture in a library article (checked by content, re-encoded without its metadata).
LIBRARY_IMAGE_MAX_BYTES = env_int("LIBRARY_IMAGE_MAX_BYTES", 3 * 1024 * 1024)
LIBRARY_IMAGE_MAX_PIXELS = 4000 * 4000
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # non-file form fields and JSON bodies
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = EVIDENCE_MAX_FILES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Daphne buffers the whole body; anything larger than this is refused before Django reads it.
REQUEST_MAX_BYTES = EVIDENCE_MAX_FILES * EVIDENCE_MAX_BYTES + 1024 * 1024

# Throttles: (attempts, window in seconds), per client.
THROTTLE_STATUS_LOOKUP = (env_int("THROTTLE_STATUS_LOOKUP_ATTEMPTS", 10), 15 * 60)  # per client (address + browser)
THROTTLE_STATUS_REFERENCE = (env_int("THROTTLE_STATUS_REFERENCE_ATTEMPTS", 10), 15 * 60)  # per reference
THROTTLE_STATUS_ADDRESS = (env_int("THROTTLE_STATUS_ADDRESS_ATTEMPTS", 200), 15 * 60)  # per address, backstop
THROTTLE_REPORT_SUBMIT = (env_int("THROTTLE_REPORT_SUBMIT_ATTEMPTS", 20), 60 * 60)
THROTTLE_API_MESSAGES = (env_int("THROTTLE_API_MESSAGES", 20), 60)  # per case, over the API
THROTTLE_LOGIN = (env_int("THROTTLE_LOGIN_ATTEMPTS", 5), 15 * 60)
# Number of reverse proxies in front of Daphne that append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Retention: personal data of cases closed longer than this is removed by `manage.py purge_personal_data` (daily),
# except for cases on legal hold; the anonymous statistics stay.
RETENTION_DAYS = env_int("RETENTION_DAYS", 365)
# A resolved case the reporter did not come back to is closed after this many days (`manage.py close_resolved_cases`).
RESOLVED_GRACE_DAYS = env_int("RESOLVED_GRACE_DAYS", 14)
if RETENTION_DAYS < 1:
    raise ImproperlyConfigured(f"RETENTION_DAYS must be at least 1, got {RETENTION_DAYS}")

# Personal data protection (PDP Law 91/2025/QH15, Decree 356/2025/ND-CP; docs/privacy-law.md). A request from the
# person whose data we hold is answered within this many working days (Monday to Friday; public holidays are not
# known to the app, so the clock is, if anything, early). A personal-data breach is notified to the authority within
# this many hours of being found.
DATA_REQUEST_RESPONSE_DAYS = env_int("DATA_REQUEST_RESPONSE_DAYS", 2)
BREACH_NOTIFICATION_HOURS = env_int("BREACH_NOTIFICATION_HOURS", 72)
if DATA_REQUEST_RESPONSE_DAYS < 1 or BREACH_NOTIFICATION_HOURS < 1:
    raise ImproperlyConfigured("DATA_REQUEST_RESPONSE_DAYS and BREACH_NOTIFICATION_HOURS must be at least 1")

# First-response targets by priority, the hotline's own policy; P1 is imminent danger.
FIRST_RESPONSE_TARGETS = {
    1: timedelta(minutes=env_int("FIRST_RESPONSE_P1_MINUTES", 15)),
    2: timedelta(minutes=env_int("FIRST_RESPONSE_P2_MINUTES", 60)),
    3: timedelta(minutes=env_int("FIRST_RESPONSE_P3_MINUTES", 8 * 60)),
    4: timedelta(minutes=env_int("FIRST_RESPONSE_P4_MINUTES", 24 * 60)),
}

# Paging, the hotline's own policy: a P1 case still unclaimed at its first-response target pages the supervisors on
# duty (everyone with the supervisor role when nobody is); unacknowledged, every supervisor after
# PAGE_ESCALATE_MINUTES, then again every PAGE_REPEAT_MINUTES until someone acknowledges or claims the case.
PAGE_ESCALATE_AFTER = timedelta(minutes=env_int("PAGE_ESCALATE_MINUTES", 5))
PAGE_REPEAT_EVERY = timedelta(minutes=env_int("PAGE_REPEAT_MINUTES", 5))
# How often an open staff socket re-reads its pages from the database (the channel layer may lose a notice, and
# without Redis the worker's notices cannot reach Daphne's sockets at all).
STAFF_ALERT_SYNC_SECONDS = env_int("STAFF_ALERT_SYNC_SECONDS", 15)
# Web push (VAPID). Without VAPID_PRIVATE_KEY a key pair is generated once into VAPID_KEY_FILE (embedded default).
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")  # PEM, or base64url DER of the P-256 private key
VAPID_KEY_FILE = Path(env_str("VAPID_KEY_FILE", str(BASE_DIR / "var" / "vapid-private.pem")))
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:hotline@localhost")

# A mobile app opens a case's chat socket with a single-use ticket from POST /api/v1/reports/{reference}/chat-ticket,
# valid this many seconds (docs/chat-protocol.md).
CHAT_TICKET_SECONDS = env_int("CHAT_TICKET_SECONDS", 60)
# Notices to the reporter (README, "Reaching the reporter"): the SMS and Zalo backends (a dotted path to a class of
# cases.notices.TextBackend; "console" writes to the log without the number, nothing is sent), and the least time
# between two "a counsellor replied" notices for one case. Quiet hours and the check-in delay are in the admin's
# "Hotline settings" (the province edits them).
REPORTER_SMS_BACKEND = env_str("REPORTER_SMS_BACKEND", "cases.notices.ConsoleTextBackend")
REPORTER_ZALO_BACKEND = env_str("REPORTER_ZALO_BACKEND", "cases.notices.ConsoleTextBackend")
# The push services a reporter's browser may name as its endpoint (origins; "*." allows subdomains). An anonymous
# reporter must not be able to make the server POST wherever it likes; these are Chrome/Android's, Firefox's,
# Apple's and Edge's.
REPORTER_PUSH_SERVICES = env_list(
    "REPORTER_PUSH_SERVICES",
    [
        "https://fcm.googleapis.com",
        "https://android.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://web.push.apple.com",
        "https://*.notify.windows.com",
    ],
)
REPORTER_NOTICE_INTERVAL = timedelta(minutes=env_int("REPORTER_NOTICE_INTERVAL_MINUTES", 30))
# A callback asked for at intake is due at the case's first-response target; a retry after no answer by default
# this many minutes later.
CALLBACK_RETRY_MINUTES = env_int("CALLBACK_RETRY_MINUTES", 60)

# Escalation clocks: the agency acknowledges by priority (the hotline's own policy); a platform takes content down
# within 24 hours of an authority's request (Decree 147/2024), counted per link from the sending.
ESCALATION_ACK_TARGETS = {
    1: timedelta(minutes=env_int("ESCALATION_ACK_P1_MINUTES", 60)),
    2: timedelta(minutes=env_int("ESCALATION_ACK_MINUTES", 24 * 60)),
    3: timedelta(minutes=env_int("ESCALATION_ACK_MINUTES", 24 * 60)),
    4: timedelta(minutes=env_int("ESCALATION_ACK_MINUTES", 24 * 60)),
}
TAKEDOWN_TARGET = timedelta(hours=env_int("TAKEDOWN_HOURS", 24))
# Child protection (Decree 56/2017): the authority intervenes within 12 hours of being notified.
INTERVENTION_HOURS = env_int("INTERVENTION_HOURS", 12)

# Where the quick-exit button takes a frightened reporter: somewhere ordinary.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.google.com.vn/")
# The safety numbers, the hotline's own phone, Zalo and hours, and the annual report's signer are data: the admin's
# "Hotline settings" (cases.models.HotlineSettings), not settings.

# E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hotline@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The sender of the notices to reporters: choose an address that names no hotline (a shared phone shows it).
REPORTER_NOTICE_FROM_EMAIL = env_str("REPORTER_NOTICE_FROM_EMAIL", DEFAULT_FROM_EMAIL)

# Security. Production (DEBUG off) gets HTTPS-only cookies and HSTS.
# Sessions in the database (any process serves any request), written in fewer round trips: hotline/sessions.py.
SESSION_ENGINE = "hotline.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "hotline.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer Chromium sends "Origin: null" on same-site POSTs and
# Django's CSRF check refuses every form. Other sites still get no referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

# Logging: never personal data. Request bodies and form values are not logged anywhere.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # The task worker logs through the same handler (run_huey adds its own only to a logger without one).
        "huey": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False},
    },
}

SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from hotline.monitoring import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))
