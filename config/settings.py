"""Settings, read from the environment and strict about it.

Every value comes from an environment variable. A missing secret or a value that does not
parse stops the start-up with ``ImproperlyConfigured`` instead of failing later in a
confusing way. ``python -m config.embedded`` (what ``make run`` and ``make test`` use)
fills in DATABASE_URL, REDIS_URL and a development secret key when they are not set.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable; anything but a clear yes or no is a configuration error."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default=str(default))
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_int_list(name: str, default: list[int]) -> list[int]:
    raw = env.str(name, default=",".join(str(v) for v in default))
    try:
        values = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be integers separated by commas.") from exc
    if any(v < 0 for v in values):
        raise ImproperlyConfigured(f"{name} must not contain negative numbers.")
    return values


# --- Core -------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to at least 32 random characters "
        "(python -m config.embedded sets a development key under var/)."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links in e-mails point here.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "django_filters",
    "django_htmx",
    "config.apps.PeriodicTasksConfig",
    "treebeard",
    "pgtrigger",
    "config.apps.HistoryConfig",
    "config.apps.HistoryAdminConfig",
    "dbbackup",
    "rules",
    "config.apps.LoginThrottleConfig",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Ours
    "units",
    "access",
    "directives",
    "reports",
    "notifications",
    "backup",
    "search",
    "api",
    # Ours, tooling: sample data and measurement (nothing above imports them)
    "sampledata",
    "measure",
    "config.apps.ConfigConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.RejectNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "config.security.IdleSessionMiddleware",
    "config.security.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------


def env_postgres_url(name: str) -> dict:
    """A PostgreSQL URL; anything else (mysql://, a bare word) is a configuration error."""
    raw = env.str(name, default="")
    if not raw.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(
            f"{name} must be a PostgreSQL URL (postgres://user:pass@host:5432/name)."
        )
    config = env.db_url_config(raw)
    # No JIT compilation: the dashboards' counts are one big expression each (a status
    # CASE per month and column, a subquery per recurring duty), so the planner's cost
    # estimate passes JIT's threshold and compiling them took tens of seconds for a query
    # that runs in a fraction of one.
    options = config.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


DATABASES = {"default": env_postgres_url("DATABASE_URL")}
# A Unix socket directory arrives percent-encoded in the host part of the URL.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"] or "")
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional streaming replica for the heavy reads of dashboards and roll-ups.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env_postgres_url("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and Celery -------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("REDIS_URL must be set to redis://host:port/db.")

CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task not acknowledged within this time is handed to another worker; every retry
# countdown stays well below it so a retried task is never delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# The web tier's connections to Redis (handing jobs over, /healthz) give up after this
# many seconds, connecting or reading: a hung Redis never holds a request. After a failure
# the web tier leaves the broker alone for BROKER_RETRY_AFTER_SECONDS (the periodic jobs
# send what was recorded meanwhile).
BROKER_WEB_TIMEOUT_SECONDS = env.float("BROKER_WEB_TIMEOUT_SECONDS", default=0.5)
BROKER_RETRY_AFTER_SECONDS = env.float("BROKER_RETRY_AFTER_SECONDS", default=5.0)
# /healthz turns "degraded" when a queue's oldest waiting job is older than this.
HEALTH_QUEUE_MAX_AGE_SECONDS = env_int("HEALTH_QUEUE_MAX_AGE_SECONDS", 300, minimum=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660, minimum=1)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must exceed CELERY_TASK_SOFT_TIME_LIMIT.")
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Pages never depend on Redis: if it is down they must still render.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication ---------------------------------------------------------------------

AUTH_USER_MODEL = "units.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "config.security.NotCurrentPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Language, time and formats ---------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Ours first; then Vietnamese for third-party apps whose catalogues lack it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "thirdparty"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's "vi" locale has no input formats: ours make "05/04/2025" mean 5 April.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files and uploads -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("DJANGO_STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Backups (make backup / make restore; see backup/) -----------------------------------

BACKUP_DIR = Path(env.str("DJANGO_BACKUP_DIR", default=str(BASE_DIR / "backups")))
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BACKUP_DIR)},
}
# pg_dump must be at least as new as the server: use the client tools of the pgserver wheel
# (PostgreSQL 16) when no PG_BIN_DIR is given; they dump and restore older servers too.
_pgserver_spec = importlib.util.find_spec("pgserver")
PG_BIN_DIR = env.str(
    "PG_BIN_DIR",
    default=(
        str(Path(_pgserver_spec.submodule_search_locations[0]) / "pginstall" / "bin")
        if _pgserver_spec
        else ""
    ),
)
DBBACKUP_CONNECTORS = {
    "default": {
        "CONNECTOR": "dbbackup.db.postgresql.PgDumpBinaryConnector",
        "DUMP_CMD": str(Path(PG_BIN_DIR) / "pg_dump") if PG_BIN_DIR else "pg_dump",
        "RESTORE_CMD": str(Path(PG_BIN_DIR) / "pg_restore") if PG_BIN_DIR else "pg_restore",
    }
}
DBBACKUP_SEND_EMAIL = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------

try:
    EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
except Exception as exc:
    raise ImproperlyConfigured(
        "EMAIL_URL must be an e-mail URL such as smtp+tls://user:pass@host:587."
    ) from exc
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Theo dõi văn bản <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A hung SMTP server must not hold a worker: the send fails after this many seconds and is
# retried with backoff like any other SMTP failure.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)

# --- Logging ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-dbbackup logs every command line it runs at DEBUG on its own handler.
    "loggers": {"dbbackup": {"level": "WARNING"}},
}

# --- Product settings -------------------------------------------------------------------

# Dashboard figures whose last computation took longer than this (milliseconds) are
# recomputed by a worker while the stored ones are shown; quicker ones inside the request.
FIGURES_INLINE_LIMIT_MS = env_int("FIGURES_INLINE_LIMIT_MS", 500, minimum=0)
# A view nobody has opened is computed inside the request unless another view of the same
# units took longer than this (milliseconds); then a worker computes it while the page waits.
FIGURES_FIRST_VIEW_LIMIT_MS = env_int("FIGURES_FIRST_VIEW_LIMIT_MS", 2000, minimum=0)
# An assignment is "due soon" this many days before its due date.
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", 7)
# Days before a due date on which the morning digest mentions an item.
REMINDER_OFFSETS_DAYS = env_int_list("REMINDER_OFFSETS_DAYS", [7, 3, 1])
# Days overdue after which the unit leader, then the monitors, are told.
ESCALATE_TO_LEADER_AFTER_DAYS = env_int("ESCALATE_TO_LEADER_AFTER_DAYS", 3)
ESCALATE_TO_MONITOR_AFTER_DAYS = env_int("ESCALATE_TO_MONITOR_AFTER_DAYS", 7)
# Largest accepted attachment, in megabytes.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20, minimum=1)
# A deadline on a weekend, a public holiday or a day off counts, for reminders, as due on
# the next working day (notifications/workdays.py).
MOVE_DEADLINES_TO_WORKING_DAY = env_bool("MOVE_DEADLINES_TO_WORKING_DAY", True)
# E-mail sends tried this many times (with doubling waits from the base) before "failed".
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5, minimum=1)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 60, minimum=1)
# The in-flight window of an e-mail: a row claimed by a worker that died mid-send is sent
# again after this many seconds. The send task's time limit stays below it; it must leave
# room for the SMTP exchange (several steps of up to EMAIL_TIMEOUT each).
NOTIFICATION_CLAIM_SECONDS = env_int("NOTIFICATION_CLAIM_SECONDS", 180, minimum=10)
# Webhooks (notifications/webhooks.py): a POST waits this long for the receiver; a delivery
# is tried this many times (doubling waits from the base) before "failed"; one claimed by a
# worker that died is tried again after WEBHOOK_CLAIM_SECONDS (above the request timeout).
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60, minimum=1)
WEBHOOK_CLAIM_SECONDS = env_int("WEBHOOK_CLAIM_SECONDS", 120, minimum=5)
if WEBHOOK_CLAIM_SECONDS <= WEBHOOK_TIMEOUT_SECONDS + 2:
    raise ImproperlyConfigured("WEBHOOK_CLAIM_SECONDS must exceed WEBHOOK_TIMEOUT_SECONDS + 2.")
# A roll-up build handed to the workers but not started after this many seconds is handed
# again (its message may be lost), at most ROLLUP_MAX_HANDS times, then marked failed.
ROLLUP_RESEND_AFTER_SECONDS = env_int("ROLLUP_RESEND_AFTER_SECONDS", 600, minimum=1)
ROLLUP_MAX_HANDS = env_int("ROLLUP_MAX_HANDS", 5, minimum=1)
# The Word template of roll-up reports (docxtpl); replace it with your own layout by
# pointing this at another .docx (see reports/exports.py for the tags it must keep).
REPORTS_DOCX_TEMPLATE = Path(
    env.str("REPORTS_DOCX_TEMPLATE", default=str(BASE_DIR / "reports/templates_docx/rollup.docx"))
)
if REPORTS_DOCX_TEMPLATE.suffix.lower() != ".docx" or not REPORTS_DOCX_TEMPLATE.is_file():
    raise ImproperlyConfigured("REPORTS_DOCX_TEMPLATE must name an existing .docx file.")

# --- Error pages ------------------------------------------------------------------------

# Handlers for 400, 403, 404 and 500 are in config/urls.py; all render config/errors.py.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# --- Security ---------------------------------------------------------------------------
# What each variable does, and the values a production server uses, are in README
# "Security"; config/security.py holds the code behind them.

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one
# username the account is locked for LOGIN_LOCKOUT_MINUTES (0: until an administrator
# unlocks it in the admin's "Access attempts" or with ``manage.py axes_reset_username``).
# Then object permissions (access/permissions.py) through django-rules, then Django's own.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=_LOCKOUT_MINUTES) if _LOCKOUT_MINUTES else None
# Locked by username, not by address: a whole office often reaches the server from one
# NAT address, and five typos there must not lock everyone out. axes.W006 warns that
# without the address an attacker may rotate User-Agents or cookies; neither changes the
# username, so the warning does not apply to this choice.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Failed logins are logged with the username and address tried (never the password).
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# The request header a trusted reverse proxy writes the client's address into
# (e.g. X-Forwarded-For or X-Real-IP); empty: the address of the TCP peer.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="").strip()

# Sessions end after SESSION_IDLE_MINUTES without a request, and with the browser when
# SESSION_EXPIRE_AT_BROWSER_CLOSE is set.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
# The stored session outlives the idle limit by two minutes, so that the exact check in
# config.security.IdleSessionMiddleware ends it and tells the user why.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60 + 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# HTTPS. Behind a reverse proxy that terminates TLS, DJANGO_SECURE_PROXY_SSL_HEADER names
# the header it sets to "https" (e.g. X-Forwarded-Proto).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
_PROXY_SSL_HEADER = env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default="").strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_").removeprefix("HTTP_"),
        "https",
    )
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files;
# no inline script, no eval. Style attributes stay allowed (progress bars set a width).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Tasks a unit must have due (done + overdue) before the dashboard ranks it; below that it
# is listed unranked ("—"), so a couple of finished tasks do not put a unit on top.
RANKING_MIN_DUE = env_int("RANKING_MIN_DUE", 5, minimum=1)
# --- Integration API (api/) -------------------------------------------------------------

# Requests per API key; session users of the browser are not throttled.
API_KEY_RATE = env.str("API_KEY_RATE", default="600/min")
REST_FRAMEWORK = {
    # The key first: an anonymous request is told (401) how to authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API theo dõi văn bản chỉ đạo",
    "DESCRIPTION": (
        "API tích hợp cho hệ thống quản lý văn bản điều hành và hệ thống theo dõi nhiệm vụ "
        "cấp trên. Xác thực bằng khóa API: `Authorization: Api-Key <khóa>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStatusEnum": "directives.status.Status",
        "DirectiveStatusEnum": "directives.models.DirectiveStatus",
        "DirectiveKindEnum": "directives.models.DirectiveKind",
        "ReportStatusEnum": "directives.models.ReportStatus",
        "UnitKindEnum": "units.models.UnitKind",
        "DecisionStatusEnum": "directives.models.DecisionStatus",
        "PastDueEnum": "directives.importing.apply.PastDue",
        "RollupStatusEnum": "reports.models.RollupStatus",
        "TrackerStatusEnum": "reports.models.TrackerStatus",
        "UnitReportStatusEnum": "reports.models.UnitReportStatus",
    },
}
