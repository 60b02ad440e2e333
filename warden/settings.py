"""Warden settings: read from the environment only (see .env.example)."""

from __future__ import annotations

import base64
import importlib.metadata
import secrets
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from warden.lib.env import email_settings, envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("WARDEN_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
# Serving over HTTPS (the default outside DEBUG): secure cookies, HSTS, redirect to https.
HTTPS = envbool("HTTPS", not DEBUG)


def _secret_key() -> tuple[str, bool]:
    """The configured SECRET_KEY, or a key generated once into the data directory.

    The second value says whether the key was generated; warden.W001 reports that.
    """
    configured = envsecret("SECRET_KEY")
    if configured:
        return configured, False
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip(), True


SECRET_KEY, SECRET_KEY_GENERATED = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
    "warden.audit",
    "warden.accounts",
    "warden.geo",
    "warden.advisories",
    "warden.people",
    "warden.missions",
    "warden.incidents",
    "warden.alerting",
    "warden.welfare",
    "warden.console",
    "warden.site",
    "warden.ops",
    "warden.demo",
    "warden.apps.WardenConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "warden.audit.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "warden.urls"
WSGI_APPLICATION = "warden.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "warden" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "warden.accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # Django's cursors never prepare; ``warden.lib.prepared`` does (decisions/0016).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        5 if envbool("DATABASE_PREPARED_STATEMENTS", True) else None
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(DATA_DIR / "warden.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": envint("SQLITE_BUSY_TIMEOUT", 20),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "accounts:login"
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "Warden")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security headers -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("SECURE_HSTS_PRELOAD", True)
# Behind a reverse proxy, the peer of every request is the proxy: ``warden.wsgi`` takes the
# client's address from the X-Forwarded-For the proxy appends to (PROXY_HOPS proxies).
WARDEN_BEHIND_PROXY = envbool("BEHIND_PROXY", False)
WARDEN_PROXY_HOPS = envint("PROXY_HOPS", 1)
if WARDEN_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("he", _("Hebrew"))]
LOCALE_PATHS = [BASE_DIR / "warden" / "locale"]
USE_I18N = True
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Leaflet's JavaScript and CSS come from the xstatic-leaflet package, served at /static/leaflet/.
STATICFILES_DIRS = [("leaflet", xstatic_leaflet.BASE_DIR)]

# --- Email ----------------------------------------------------------------------------
globals().update(email_settings(envstr("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Warden <warden@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Warden ---------------------------------------------------------------------------
# Months until an edition is due for review, by level (US practice: 12 for 1-2, 6 for 3-4).
WARDEN_REVIEW_MONTHS_LOW = envint("REVIEW_MONTHS_LOW", 12)
WARDEN_REVIEW_MONTHS_HIGH = envint("REVIEW_MONTHS_HIGH", 6)
# Editions due within this many days are listed as "review due soon".
WARDEN_REVIEW_WARNING_DAYS = envint("REVIEW_WARNING_DAYS", 14)
# Part of every public ETag, so that a new release never answers 304 with an old shape.
WARDEN_RELEASE = envstr("RELEASE", importlib.metadata.version("warden"))
# Pre-rendered public pages, feeds and API documents for a web server or CDN ("" = off).
WARDEN_SNAPSHOT_DIR = envstr("SNAPSHOT_DIR", "")
# Worker: seconds to sleep when no step found work, and between two review-reminder runs.
WARDEN_WORKER_IDLE_SECONDS = envint("WORKER_IDLE_SECONDS", 2)
WARDEN_WORKER_REVIEW_INTERVAL = envint("WORKER_REVIEW_INTERVAL", 3600)
# `warden serve`: address and gunicorn worker processes (0 = 2 x cores + 1, at most 8).
WARDEN_WEB_BIND = envstr("WEB_BIND", "127.0.0.1:8000")
WARDEN_WEB_WORKERS = envint("WEB_WORKERS", 0)
# --- People abroad (warden.people) ----------------------------------------------------


def _generated_key(filename: str) -> str:
    """A 32-byte key (urlsafe base64) generated once into the data directory."""
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def _people_keys() -> tuple[list[str], str, bool]:
    """Encryption keys (first encrypts, all decrypt), the blind-index key, and whether either
    was generated into the data directory (warden.W007 reports that)."""
    configured = envsecret("FIELD_ENCRYPTION_KEYS")
    blind = envsecret("BLIND_INDEX_KEY")
    keys = [k.strip() for k in configured.split(",") if k.strip()] if configured else []
    generated = not keys or not blind
    return (
        keys or [_generated_key("field_encryption_key")],
        blind or _generated_key("blind_index_key"),
        generated,
    )


WARDEN_FIELD_ENCRYPTION_KEYS, WARDEN_BLIND_INDEX_KEY, WARDEN_PEOPLE_KEYS_GENERATED = _people_keys()
# Contact data and trips are deleted this many months after the person's last departure.
WARDEN_RETENTION_MONTHS = envint("RETENTION_MONTHS", 18)
# Hours an email verification link stays valid.
WARDEN_VERIFICATION_LINK_HOURS = envint("VERIFICATION_LINK_HOURS", 72)
# Minutes a code sent to verify a phone number (SMS, messaging app) stays valid.
WARDEN_VERIFICATION_CODE_MINUTES = envint("VERIFICATION_CODE_MINUTES", 10)
# Seconds between two runs of the worker's retention purge step.
WARDEN_WORKER_RETENTION_INTERVAL = envint("WORKER_RETENTION_INTERVAL", 3600)

# Citizen enrolment: sign-in link and session lifetimes, and request limits per hour.
WARDEN_SIGN_IN_LINK_MINUTES = envint("SIGN_IN_LINK_MINUTES", 30)
WARDEN_CITIZEN_SESSION_MINUTES = envint("CITIZEN_SESSION_MINUTES", 60)
WARDEN_API_TOKEN_MINUTES = envint("API_TOKEN_MINUTES", 30)
WARDEN_SIGN_IN_RATE_PER_EMAIL = envint("SIGN_IN_RATE_PER_EMAIL", 5)
WARDEN_SIGN_IN_RATE_PER_IP = envint("SIGN_IN_RATE_PER_IP", 20)
# Incidents: seconds between two feed polls, and the timeout and size limit of one download.
WARDEN_INCIDENT_FEED_INTERVAL = envint("INCIDENT_FEED_INTERVAL", 600)
WARDEN_INCIDENT_FETCH_TIMEOUT = envint("INCIDENT_FETCH_TIMEOUT", 20)
WARDEN_INCIDENT_FETCH_MAX_BYTES = envint("INCIDENT_FETCH_MAX_BYTES", 5_000_000)
# `warden demo`: port of the local mail sink.
WARDEN_DEMO_SMTP_PORT = envint("DEMO_SMTP_PORT", 8025)

# Seconds between two evaluations of the posts' tripwires (warden.missions).
WARDEN_TRIPWIRE_INTERVAL = envint("TRIPWIRE_INTERVAL", 300)
# --- Alerting (warden.alerting) ------------------------------------------------------
# Publishing at this level or above ticks "notify the people there" by default.
WARDEN_NOTIFY_FROM_LEVEL = envint("NOTIFY_FROM_LEVEL", 3)
# Providers per channel, in failover order. EMAIL_URL first (smtp://, smtps://, anymail:<esp>;
# console: and locmem: send to the sandbox), then EMAIL_FALLBACK_URLS. SMS: a generic HTTP
# gateway (http(s)://...), an Apprise SMS URL, or sandbox:. Messaging apps: apprise: (each
# person's own Apprise URL) or sandbox:. A provider URL may end in ?rate=N (sends per second,
# shared by all workers).
WARDEN_ALERT_EMAIL_URLS = [envstr("EMAIL_URL", "console:"), *envlist("EMAIL_FALLBACK_URLS", [])]
WARDEN_ALERT_SMS_URLS = envlist("SMS_URLS", ["sandbox:"])
WARDEN_ALERT_MESSAGING_URLS = envlist("MESSAGING_URLS", ["apprise:"])
WARDEN_ALERT_WEBHOOK_URLS = envlist("WEBHOOK_URLS", ["direct:"])
# Web Push: VAPID keys from `warden vapid`; push is off until both are set.
WARDEN_WEBPUSH_PRIVATE_KEY = envsecret("WEBPUSH_PRIVATE_KEY") or ""
WARDEN_WEBPUSH_PUBLIC_KEY = envstr("WEBPUSH_PUBLIC_KEY", "")
WARDEN_WEBPUSH_SUBJECT = envstr("WEBPUSH_SUBJECT", "mailto:warden@localhost")
# Standard Webhooks signing secret (whsec_...); derived from SECRET_KEY when unset.
WARDEN_WEBHOOK_SECRET = envsecret("WEBHOOK_SECRET") or ""
# Inbound receipts from an HTTP SMS gateway must carry this token (Authorization: Bearer).
WARDEN_RECEIPT_TOKEN = envsecret("RECEIPT_TOKEN") or ""
# Sending: deliveries claimed per batch and channel, lease seconds, concurrent sends per
# provider, attempts per channel before a delivery fails, and the backoff between them.
WARDEN_ALERT_BATCH = envint("ALERT_BATCH", 500)
WARDEN_ALERT_LEASE_SECONDS = envint("ALERT_LEASE_SECONDS", 60)
WARDEN_ALERT_CONCURRENCY = envint("ALERT_CONCURRENCY", 32)
WARDEN_ALERT_MAX_ATTEMPTS = envlist(
    "ALERT_MAX_ATTEMPTS", ["email:8", "sms:5", "push:5", "messaging:5", "webhook:10"]
)
WARDEN_ALERT_RETRY_BASE_SECONDS = envint("ALERT_RETRY_BASE_SECONDS", 10)
WARDEN_ALERT_RETRY_MAX_SECONDS = envint("ALERT_RETRY_MAX_SECONDS", 1800)
WARDEN_ALERT_TIMEOUT_SECONDS = envint("ALERT_TIMEOUT_SECONDS", 20)
# A provider failing this many times in a row is skipped for ALERT_FAILOVER_SECONDS.
WARDEN_ALERT_FAILOVER_AFTER = envint("ALERT_FAILOVER_AFTER", 5)
WARDEN_ALERT_FAILOVER_SECONDS = envint("ALERT_FAILOVER_SECONDS", 60)
# Days the "I am safe / I need help / I have left" links in a message keep working.
WARDEN_ANSWER_LINK_DAYS = envint("ANSWER_LINK_DAYS", 14)

# --- Check-in rounds (warden.welfare) -------------------------------------------------
# Publishing an edition at one of these levels opens a check-in round for its country
# (empty: never automatically). Its deadline in hours, the reminders in minutes after
# opening, and the minutes before the cascade moves to each person's next contact point
# (0: no cascade). Seconds between two runs of the worker's check-in step.
WARDEN_CHECKIN_AUTO_LEVELS = envlist("CHECKIN_AUTO_LEVELS", ["3", "4"])
WARDEN_CHECKIN_DEADLINE_HOURS = envint("CHECKIN_DEADLINE_HOURS", 24)
WARDEN_CHECKIN_REMINDER_MINUTES = envlist("CHECKIN_REMINDER_MINUTES", ["240", "720"])
WARDEN_CHECKIN_CASCADE_MINUTES = envint("CHECKIN_CASCADE_MINUTES", 60)
WARDEN_CHECKIN_INTERVAL = envint("CHECKIN_INTERVAL", 15)
# Answers from links, the API and SMS replies wait in an inbox; the worker records up to
# this many per transaction.
WARDEN_ANSWER_BATCH = envint("ANSWER_BATCH", 500)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
