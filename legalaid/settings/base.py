"""Settings shared by every profile. Everything that differs between machines comes from the
environment (DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, ...)."""
import datetime as dt
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# Runtime state of an embedded installation: SQLite database, broker folders, uploads, caches.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "legalaid",
    "cases",
    "cases.statistics",
    "assignments",
    "quality",
    "quality.subsidies",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "legalaid.middleware.SecurityHeadersMiddleware",
    "legalaid.middleware.NoStoreWhenAuthenticatedMiddleware",
    "legalaid.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "legalaid.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "legalaid.urls"
WSGI_APPLICATION = "legalaid.wsgi.application"

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
                "legalaid.context_processors.navigation",
                "notifications.context_processors.unread_count",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the web process, a worker and beat at once: WAL lets readers
    # run beside the writer, IMMEDIATE transactions avoid lock upgrades that fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool("DATABASE_JIT", False):
        # PostgreSQL compiles any statement its planner costs above jit_above_cost: for the ranking
        # of a large pool or a statistics aggregate that is 100-200 ms of compiling for a few tens
        # of milliseconds of work (docs/benchmarks.md). Short statements, so no JIT.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "legalaid.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it counts failed logins and refuses a locked-out one before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"  # stored and handled in UTC; legal dates are Beijing dates (see legalaid.clock)
LEGAL_TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded case documents live outside the web root and are served only through views that
    # check permissions; MEDIA_URL is deliberately unused.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "uploads"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "uploads"
FILE_UPLOAD_PERMISSIONS = 0o640
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # docs/court-api.md: at most 20 MiB per document
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # JSON bodies; files are streamed to disk

# --- Cache, broker, Celery ------------------------------------------------------------------
def filesystem_broker(folder: Path) -> dict:
    """Kombu's filesystem transport in `folder` (made if missing): the embedded default's broker."""
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {"data_folder_in": str(folder / "queue"), "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"), "control_folder": str(folder / "control"),
            "store_processed": False}


REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # A cache that falls back to memory while Redis is down (legalaid/cache.py): the API throttle
    # must not turn a Redis outage into failed notices. Short socket timeouts: fail fast.
    CACHES = {"default": {"BACKEND": "legalaid.cache.FailSafeRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2,
                                       "socket_timeout": 5}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker(VAR_DIR / "broker")
# Queuing a task while the broker is down fails fast (legalaid.dispatch keeps it for the catch-up)
# instead of holding the request through kombu's default retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.2}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task that dies with its worker is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# How often the deadline sweep runs (seconds); see legalaid/celery.py for every periodic task.
DEADLINE_SWEEP_INTERVAL = env.int("DEADLINE_SWEEP_INTERVAL", default=300)

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "legalaid.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "legalaid.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "legalaid.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "legalaid.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "legalaid.api.throttling.PerTokenThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_THROTTLE_TOKEN", default="1200/min"),
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        # Wrong keys per client address (legalaid.api.throttling.FailedTokenThrottle).
        "token_failure": env("API_THROTTLE_TOKEN_FAILURES", default="20/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
# The benchmark's minimal endpoint (legalaid/api/bench.py); `make bench` sets it for its own server.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)
IDEMPOTENCY_KEY_TTL_DAYS = 7  # docs/court-api.md: keys are kept at least 7 days

SPECTACULAR_SETTINGS = {
    "TITLE": "Legal aid defence — full coverage API",
    "DESCRIPTION": "Court-facing API v1 (notices of defence, deadline rules) and the staff and lawyer APIs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The docs page is served from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the errors any call may get, in the contract's shape.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "legalaid.api.schema.add_error_responses",
                             "legalaid.api.schema.allow_empty_query_values"],
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "cases.models.Category", "ProcedureEnum": "cases.models.Procedure",
        # The lawyer's work (assignments.work): choice sets whose field names other components share.
        "WorkEntryKindEnum": "assignments.work.rules.EntryKind",
        "WorkEntryStatusEnum": "assignments.work.models.WorkLogEntry.Status",
        "WorkDocumentKindEnum": "assignments.work.models.WorkDocument.Kind",
        "CourtFeedbackKindEnum": "assignments.work.models.CourtFeedback.Kind",
        "VerifiedRecordKindEnum": "assignments.work.models.VerifiedRecord.Kind",
        "ClosingStatusEnum": "assignments.work.models.Closing.Status",
        "CourtDecisionEnum": "assignments.work.rules.CourtDecision",
        "ProceduralDecisionEnum": "assignments.work.rules.ProceduralDecision",
    },
}

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="legalaid@localhost")

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# Login throttling and lockout (django-axes): AXES_FAILURE_LIMIT wrong passwords for one account
# from one address lock that pair out for AXES_COOLOFF_TIME; a good login resets the count. Records
# live in the database, so a Redis outage does not lift a lockout. The address is REMOTE_ADDR: behind
# a reverse proxy that is the proxy's, and the lockout is then per account (docs/security.md).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"},
                # django-axes logs every login at INFO; failures and lockouts come at WARNING.
                "axes": {"level": "WARNING"}},
}
