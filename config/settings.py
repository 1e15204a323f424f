"""Settings for the anti-corruption portal.

One module driven by environment variables. With no environment at all the portal runs on SQLite with Celery
tasks executed in-process (the embedded default used by `scripts/run`). Setting DATABASE_URL and REDIS_URL switches
it to PostgreSQL, a Redis broker and a separate worker.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from celery.schedules import crontab
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-secret-key-never-use-in-production-0123456789"
# A fixed development key (not a random one) so that sessions survive restarts and every process agrees.
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5ldmVyLWluLXByb2Q="


YES_WORDS = {"1", "true", "yes", "on"}
NO_WORDS = {"0", "false", "no", "off"}


def envbool(name: str, default: bool) -> bool:
    """A yes/no variable. An unknown word is an error: `DEBUG=flase` must not quietly mean "no" (or "yes")."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: write one of {', '.join(sorted(YES_WORDS | NO_WORDS))}."
    )


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def encryption_keys(*, keys: str | None, key: str | None, debug: bool) -> tuple[str, ...]:
    """The Fernet keys of data at rest, newest first: the first encrypts, every one decrypts (rotation).

    FIELD_ENCRYPTION_KEYS is the list; FIELD_ENCRYPTION_KEY, the older name, is still accepted (comma-separated too).
    Both at once are refused rather than one silently ignored: during a rotation that could drop the key still needed.
    """
    if keys and key:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS or FIELD_ENCRYPTION_KEY, not both.")
    text = keys or key or (DEV_FIELD_ENCRYPTION_KEY if debug else "")
    parsed = tuple(item.strip() for item in text.split(",") if item.strip())
    if not parsed:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set from the environment when DEBUG is off.")
    for number, item in enumerate(parsed, start=1):
        try:
            Fernet(item.encode())
        except ValueError:
            # The key itself is never echoed: error messages end up in logs.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {number} of {len(parsed)} is not a Fernet key (url-safe base64 of 32 "
                'bytes). Generate one with: python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"'
            ) from None
    if len(set(parsed)) != len(parsed):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS lists the same key twice.")
    if not debug and DEV_FIELD_ENCRYPTION_KEY in parsed:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must not contain the development key when DEBUG is off.")
    return parsed


def database_from_url(url: str) -> dict:
    """Translate `postgres://user:pass@host:port/name` or `sqlite:///path` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)[1:] if parsed.path.startswith("//") else unquote(parsed.path).lstrip("/")
        name = path or str(BASE_DIR / "db.sqlite3")
        if not Path(name).is_absolute():
            name = str(BASE_DIR / name)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # Public submissions arrive at once: in WAL mode readers never block the writer nor it them;
            # IMMEDIATE transactions take the write lock when they begin (a deferred one that read first and must
            # then upgrade fails at once with "database is locked", whatever the timeout, and two appends to the
            # audit chain would both read the same last entry); a writer waits up to 20 s for the lock, not failing.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            # A new PostgreSQL connection costs ~100 ms on the target machines: keep them.
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL has an unsupported scheme: {parsed.scheme!r}")


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set from the environment when DEBUG is off.")
FIELD_ENCRYPTION_KEYS = encryption_keys(
    keys=os.environ.get("FIELD_ENCRYPTION_KEYS"), key=os.environ.get("FIELD_ENCRYPTION_KEY"), debug=DEBUG
)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # The second factor: authenticator-app codes (TOTP) and one-time recovery codes (programs/second_factor.py);
    # the devices are the portal's own (secrets encrypted), the TOTP checks django-otp's (otp_totp lends them).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "programs",
    "risks",
    "measures",
    "reports",
    "whistleblowers",
    "idempotency",
    "audit",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): whether this session has confirmed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Officers, administrators and staff reach nothing but the code pages and sign-out until it has.
    "programs.second_factor_middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication and the language: a retried API POST gets its first answer (Idempotency-Key).
    "idempotency.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programs.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A hung Redis fails fast; the public pages then carry on without the cache (whistleblowers/security.py).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: read through Redis when there is one (no database query per request), always kept in the database
# (config/sessions.py). Without Redis the cache is each process's own memory, which would not see a sign-out made in
# another process: the database alone then.
SESSION_ENGINE = "config.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
# How long a session's copy in Redis lives before it is read from the database again.
SESSION_CACHE_SECONDS = envint("SESSION_CACHE_SECONDS", 300)
# Rendered template fragments that depend only on the code and the language (the public form's fields): kept in
# each process, so a deployment, which restarts the processes, never serves fragments of the previous version.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}
# Short-lived copies of public data (a body's name and deadlines on its whistleblower form), kept in each process so
# the form's GET makes no round trip at all (whistleblowers/public_profile.py).
CACHES["public"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public"}

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
# The sign-in lockout (programs/lockout.py): ModelBackend that refuses a locked account or address before any
# password is hashed.
AUTHENTICATION_BACKENDS = ["programs.lockout.LockoutModelBackend"]
# The bodies people hold roles in, for the permission mechanism (core.access).
ACCESS_ORGANISATION_MODEL = "programs.Organisation"
LOGIN_FAILURES_PER_ACCOUNT = envint("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The name authenticator apps show beside the codes; the portal's name in the user's language when not set.
SECOND_FACTOR_ISSUER = os.environ.get("SECOND_FACTOR_ISSUER", "")


def _totp_issuer(device) -> str:
    from django.conf import settings
    from django.utils.translation import gettext

    return settings.SECOND_FACTOR_ISSUER or gettext("Anti-corruption program portal")


OTP_TOTP_ISSUER = _totp_issuer

# Ukrainian is the primary language; Russian serves the Kyrgyz practice, English international partners.
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Chart.js comes from the npm registry (package-lock.json, installed by scripts/bootstrap) and is served as ours.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist")]
# Uploaded evidence, generated reports and whistleblower attachments are private: they live outside the web root
# and are only ever served through views that check permissions.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "var" / "private"))
MEDIA_ROOT = PRIVATE_STORAGE_ROOT
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Celery: with no broker configured, tasks run in-process so the embedded default needs nothing else running.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "portal")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A task whose worker was killed (kill -9, out of memory) stays unacknowledged in Redis and is handed to another
# worker once its visibility timeout passes. It must outlast the hard time limit, or a render still running would be
# given to a second worker as well; Celery's default of one hour left a killed report "rendering" that long.
CELERY_VISIBILITY_TIMEOUT = envint("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT.")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for the messages of dead workers every few seconds, not kombu's default of every 100 s.
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # A broker that stops answering must not hold a web request (a whistleblower's receipt page) for ever.
    "socket_connect_timeout": 3,
    "socket_timeout": 3,
}
# The sweep re-sends reports the broker never took and reports whose worker died; past the redelivery a pending or
# rendering report is lost. Officers' notices left unsent (broker or mail server down) are retried as often.
REPORT_SWEEP_SECONDS = envint("REPORT_SWEEP_SECONDS", 60)
REPORT_STALE_SECONDS = envint("REPORT_STALE_SECONDS", CELERY_VISIBILITY_TIMEOUT + REPORT_SWEEP_SECONDS)
if REPORT_STALE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("REPORT_STALE_SECONDS must be longer than CELERY_TASK_TIME_LIMIT.")
# The organisation's electronic seal on approved execution reports (PAdES, see README "Sealed reports"): a PKCS#12
# file and its password, per deployment. Unset: reports are produced unsigned and the pages say so. With
# REPORT_SIGNING_TSA_URL the seal carries a signature timestamp (PAdES B-T). The certificate in the PKCS#12 is
# trusted explicitly; REPORT_SIGNING_TRUST_ROOTS (a PEM file) adds the root(s) of a qualified (KEP) chain.
REPORT_SIGNING_PKCS12 = os.environ.get("REPORT_SIGNING_PKCS12", "")
REPORT_SIGNING_PKCS12_PASSWORD = os.environ.get("REPORT_SIGNING_PKCS12_PASSWORD", "")
REPORT_SIGNING_TSA_URL = os.environ.get("REPORT_SIGNING_TSA_URL", "")
REPORT_SIGNING_TRUST_ROOTS = os.environ.get("REPORT_SIGNING_TRUST_ROOTS", "")
WHISTLEBLOWER_NOTICE_RETRY_SECONDS = envint("WHISTLEBLOWER_NOTICE_RETRY_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "sweep-reports": {"task": "reports.tasks.sweep_reports", "schedule": float(REPORT_SWEEP_SECONDS)},
    "send-officer-notices": {
        "task": "whistleblowers.tasks.send_pending_officer_notices",
        "schedule": float(WHISTLEBLOWER_NOTICE_RETRY_SECONDS),
    },
    # The outbox of reminders to units, retried like the officers' notices.
    "send-reminders": {
        "task": "reports.reminders.send_pending_reminders",
        "schedule": float(WHISTLEBLOWER_NOTICE_RETRY_SECONDS),
    },
    # Reminders before a quarter's due date and to late units (`manage.py run_daily_jobs` without a worker).
    "daily-jobs": {"task": "reports.tasks.daily_jobs", "schedule": crontab(hour=7, minute=0)},
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

REST_FRAMEWORK = {
    # The token class first: DRF lets the first class name the challenge, so a request without credentials gets
    # 401 with `WWW-Authenticate: Token` (a client knows to send its token), not a bare 403. The browser's session
    # is still read, with its CSRF check, when no token is sent.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter's backend, made to refuse `unit=0.5` or `is_public=null` (400) as the schema does.
        "core.api.filtering.StrictFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # drf-spectacular's generator, stating non-blank texts and web-address patterns (core.api.schema).
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    # Every error answer has one body (code, message, field errors) in the language of the request.
    "EXCEPTION_HANDLER": "core.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anti-corruption program portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get components of their own (`…Request`): without read-only fields, with files as binary.
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema maps every endpoint and field: signed-in users (session or token) only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its error answers with the one error body, and POSTs their Idempotency-Key.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_errors",
    ],
    # Several models have a "kind" or a "status"; name each choice set after its class.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "programs.choices.OrganisationKind",
        "ProgramStatusEnum": "programs.choices.ProgramStatus",
        "SectionKindEnum": "measures.choices.SectionKind",
        "PeriodKindEnum": "core.periods.PeriodKind",
        "ReportKindEnum": "reports.choices.ReportKind",
        "ReportStatusEnum": "reports.choices.ReportStatus",
        "ExecutionStatusEnum": "reports.choices.ExecutionStatus",
        "EntryStateEnum": "reports.choices.EntryState",
        "PeriodStateEnum": "reports.choices.PeriodState",
        "EvidenceKindEnum": "reports.choices.EvidenceKind",
        "CaseStatusEnum": "whistleblowers.choices.CaseStatus",
        "RoleEnum": "core.roles.Role",
        "ReassessmentRoundStatusEnum": "risks.choices.RoundStatus",
        "CommissionRoleEnum": "programs.choices.CommissionRole",
        "MeetingFormatEnum": "programs.choices.MeetingFormat",
        "ReportFormatEnum": "reports.choices.ReportFormat",
        "GradeEnum": "reports.choices.Grade",
    },
}

# Security headers. Public whistleblower pages add a stricter policy of their own.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF cookie lasts until the browser closes instead of a year: a whistleblower's visit to the public form must
# not leave a year-long trace on their device. (CSRF_USE_SESSIONS would instead store a session row for every
# anonymous visitor.) Staff lose nothing: a new token is issued with the first page after a restart.
CSRF_COOKIE_AGE = None
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # runserver's request log holds client addresses; whistleblower pages must leave none behind.
    "loggers": {
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Domain defaults that the regulator changes; each program or organisation can override them in data.
# Whistleblower channel. Changing the receipt pepper makes every receipt already handed out unusable.
WHISTLEBLOWER_RECEIPT_PEPPER = os.environ.get("WHISTLEBLOWER_RECEIPT_PEPPER", "")
if not DEBUG and not WHISTLEBLOWER_RECEIPT_PEPPER:
    # Without its own pepper the receipts hang on SECRET_KEY, and rotating that key would void every receipt handed
    # out: a whistleblower could no longer follow their report. An installation that ran without a pepper keeps its
    # receipts by setting it to the SECRET_KEY it has used so far.
    raise ImproperlyConfigured(
        "WHISTLEBLOWER_RECEIPT_PEPPER must be set from the environment when DEBUG is off "
        "(an installation that ran without it sets it to its current SECRET_KEY, so receipts keep working)."
    )
# Behind a reverse proxy, the header carrying the client address (e.g. HTTP_X_REAL_IP); used only, hashed, for
# short-lived rate-limit counters in the cache. For a list header (HTTP_X_FORWARDED_FOR) the entry appended by the
# outermost of the WHISTLEBLOWER_TRUSTED_PROXIES proxies is used, never the client-written first one.
WHISTLEBLOWER_CLIENT_IP_HEADER = os.environ.get("WHISTLEBLOWER_CLIENT_IP_HEADER", "")
WHISTLEBLOWER_TRUSTED_PROXIES = envint("WHISTLEBLOWER_TRUSTED_PROXIES", 1)
# Closed whistleblower cases are erased this many days after closing (the journal's registration record stays).
# Five years: the Ministry of Justice's list of typical documents (наказ № 578/5 of 12.04.2012) keeps citizens'
# proposals, applications and complaints five years, and the law on whistleblowers sets no period of its own; a body
# whose nomenclature of files (номенклатура справ) says otherwise sets its own number.
WHISTLEBLOWER_RETENTION_DAYS = envint("WHISTLEBLOWER_RETENTION_DAYS", 5 * 365 + 1)
if WHISTLEBLOWER_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("WHISTLEBLOWER_RETENTION_DAYS must be a positive number of days.")
WHISTLEBLOWER_MAX_FILES = envint("WHISTLEBLOWER_MAX_FILES", 5)
WHISTLEBLOWER_MAX_FILE_SIZE = envint("WHISTLEBLOWER_MAX_FILE_SIZE", 10 * 1024 * 1024)

PORTAL = {
    "SUBMISSION_DUE_DAYS": envint("PORTAL_SUBMISSION_DUE_DAYS", 15),
    # How long an invitation link (to set a password and take one's roles) can be used.
    "INVITATION_DAYS": envint("PORTAL_INVITATION_DAYS", 7),
}
