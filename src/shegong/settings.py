"""The one settings module. Every knob is an environment variable; docs/deployment in README lists them.

Safe by default: DEBUG is off unless demo mode turns it on, and outside demo mode and tests a missing
SECRET_KEY stops the process instead of running with a guessable key.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from shegong.lib.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SHEGONG_DATA_DIR", str(Path.cwd() / "var"))).resolve()

# Only the test settings (shegong/settings_test.py, which pytest uses) turn this on: it relaxes the key checks
# and switches to the fast MD5 password hasher, so merely having pytest installed must not.
TESTING = env_bool("SHEGONG_TESTING")
DEMO = env_bool("SHEGONG_DEMO") and not TESTING

# Off in the demo too: the demo shows the Chinese error pages a user would see, not Django's debug pages.
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEMO or TESTING:
        SECRET_KEY = "demo-and-tests-only-not-secret-" + "x" * 32
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string (see README, 部署), "
            "or set SHEGONG_DEMO=1 to run the demo."
        )

# Encryption of ID numbers and phones at rest (lib/fieldcrypto.py, docs/security.md). FIELD_CRYPTO picks the
# algorithms new values are written with: "fernet" (AES-128-CBC + HMAC-SHA256, lookup hash HMAC-SHA256) or
# "sm4" (SM4-GCM, lookup hash HMAC-SM3, the national algorithms 密评 expects). Each key variable may list
# several comma-separated keys: the first is current, the others are kept to read rows that
# `shegong rotate_keys` has not moved yet. Demo and tests derive keys from SECRET_KEY; production must set
# the current algorithm's key and back it up.
FIELD_CRYPTO = env_str("FIELD_CRYPTO", "fernet").strip().lower()
if FIELD_CRYPTO not in ("fernet", "sm4"):
    raise ImproperlyConfigured("FIELD_CRYPTO must be fernet or sm4.")
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")  # Fernet keys (urlsafe base64 of 32 bytes)
FIELD_SM4_KEY = env_str("FIELD_SM4_KEY")  # SM4 keys (32 hexadecimal digits = 128 bits)
# Keys of the lookup hash, apart from the encryption keys so each rotates on its own. Unset, or the word
# "derived" in the list: a key derived from each encryption key (how hashes were keyed before this setting).
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY")
if not FIELD_HASH_KEY and not (DEMO or TESTING):
    raise ImproperlyConfigured(
        "FIELD_HASH_KEY is not set (see README, 部署). For a database made before this setting, "
        "set FIELD_HASH_KEY=<new key>,derived and run `shegong rotate_keys`."
    )
_current_key = FIELD_SM4_KEY if FIELD_CRYPTO == "sm4" else FIELD_ENCRYPTION_KEY
if not _current_key and not (DEMO or TESTING):
    raise ImproperlyConfigured(
        f"{'FIELD_SM4_KEY' if FIELD_CRYPTO == 'sm4' else 'FIELD_ENCRYPTION_KEY'} is not set (see README, 部署)."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEMO or DEBUG or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "shegong.jobs",  # before django_tasks_db: its db_worker command (jobs/management) is the one that runs
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "django_tables2",
    "shegong.core",
    "shegong.accounts",
    "shegong.regions",
    "shegong.audit",
    "shegong.lib.importer",
    "shegong.network",
    "shegong.workforce",
    "shegong.api",
    "shegong.clients",
    "shegong.casework",
    "shegong.community",
    "shegong.hotline",
    "shegong.projects",
    "shegong.evaluations",
    "shegong.bulletins",
    "shegong.workbench",
]
# The benchmark (`shegong generate`, `shegong bench`) writes synthetic data: it is not part of a production
# installation. The demo and the tests carry it; the console script adds it when those commands are run.
if DEMO or TESTING or env_bool("SHEGONG_BENCH"):
    INSTALLED_APPS.append("shegong.scale")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shegong.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shegong.accounts.middleware.SessionRenewalMiddleware",
    # Before anything reads the body (CSRF reads the form), after the user is known (for the error page).
    "shegong.core.middleware.RequestSizeLimitMiddleware",
    "shegong.accounts.middleware.AccountPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shegong.audit.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "shegong.core.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "shegong.urls"
WSGI_APPLICATION = "shegong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shegong.core.context_processors.shell",
            ],
        },
    }
]

# Django's form renderer, with its select and input widgets printed in Python (lib/widgets.py): the filter bars.
FORM_RENDERER = "shegong.lib.widgets.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'shegong.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's worker write job progress while the web process reads it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # A writer waits this long for the lock before "database is locked" (answered 503 by lib/busy.py).
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication, 等保 level 3 ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shegong.accounts.validators.CharacterClassValidator"},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor login (TOTP) for administrator roles. Only the demo may turn it off, and the login page says so.
# The deploying bureau's name, shown in the page footer and on the login page (README, 部署).
SHEGONG_BUREAU_NAME = env_str("SHEGONG_BUREAU_NAME", "黔西南州民政局（演示）" if DEMO else "")

TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=not DEMO)
OTP_TOTP_ISSUER = "社工站系统"  # shown in the authenticator app beside the account

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shegong.accounts.views.locked_out"
AXES_VERBOSE = False
# django-axes keeps the form of each failed login: it always masks the password; axes's defaults and the
# one-time code are masked too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp", "otp_token"]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# The client's address comes from one function (lib/http.py), for the lockout as for the audit trail and logs.
AXES_CLIENT_IP_CALLABLE = "shegong.lib.http.client_ip"
# How many reverse proxies of our own stand in front of the application. 0 (no proxy): X-Forwarded-For is
# the client's to write and is ignored. N: each proxy must append (or, the first one, overwrite) the header,
# and the client is the Nth address from its right end.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

SESSION_COOKIE_AGE = env_int("SESSION_TIMEOUT_MINUTES", 30) * 60
# Renewed at most once a minute by accounts.middleware.SessionRenewalMiddleware, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not (DEBUG or DEMO or TESTING))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
# Behind the TLS proxy a request that still arrives as plain HTTP is redirected here as well.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or DEMO or TESTING) else 31536000)
# HSTS for every subdomain, and the browsers' preload list, bind all sites of the domain: the domain owner's
# decision, not this system's (it usually runs on a subdomain of a government domain whose other sites it
# does not control). Off unless the deployer turns them on; Django's reminders about them are silenced below.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Audit trail -----------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["shegong.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Figures get separators explicitly with |intcomma; a global setting would also print years as 2,024.
USE_THOUSAND_SEPARATOR = False

# --- Static files: everything served from our own origin, nothing from a CDN ---------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING or DEMO)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Uploaded files of background jobs (imports carry ID numbers in clear): a directory outside MEDIA_ROOT that
    # nothing serves; the job deletes its file when it finishes or fails, prune_jobs the ones left behind.
    "jobs": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("JOB_FILES_DIR", str(DATA_DIR / "private" / "jobs")),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    # Files that are personal data (visit photos): outside MEDIA_ROOT, never served by the web server; a view
    # that checks the person is visible to the user streams them (clients/views_visits.py visit_photo).
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("PRIVATE_FILES_DIR", str(DATA_DIR / "private" / "files")),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
# The demo and development serve static files straight from the source tree (no collectstatic step).
WHITENOISE_USE_FINDERS = DEBUG or DEMO or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or DEMO
MEDIA_ROOT = DATA_DIR / "media"
# Uploads (lib/uploads.py, core/middleware.py): a request whose declared body exceeds MAX_UPLOAD_MB is refused
# before it is read (set the proxy's client_max_body_size to the same); an uploaded file above 2.5 MB is
# spooled to a temporary file rather than held in memory.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Workbooks are bounded before they are parsed (lib/excel.py check_workbook_bounds): a 100,000-row ledger of
# twelve columns unpacks to about 70 MB.
SHEET_MAX_UNCOMPRESSED_MB = env_int("SHEET_MAX_UNCOMPRESSED_MB", 256)
SHEET_MAX_ROWS = env_int("SHEET_MAX_ROWS", 200_000)

# --- Background jobs ------------------------------------------------------------------------
# A running job's worker renews its lease on the job every quarter of this; a job whose lease ran out for
# this long has lost its worker and is failed (or retried, where that is safe) by jobs/recovery.py.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)
# The job workers (`shegong db_worker`, `shegong rqworker`) lower their own CPU priority to this niceness
# (0-19) when they start, so that an import or export on an app server leaves the pages their budget
# (docs/performance.md, issue 18). 0 leaves the priority as it is.
SHEGONG_JOB_NICENESS = env_int("SHEGONG_JOB_NICENESS", 10)
REDIS_URL = env_str("REDIS_URL")
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["shegong.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "shegong.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "shegong.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 8)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shegong API",
    "DESCRIPTION": "社工站管理信息系统 REST API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request bodies get their own components, without the read-only fields of the answers.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"StationStatusEnum": "shegong.network.models.FacilityStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shegong.api.schema.document_errors",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Records about a request (django.request's 4xx and 5xx) name the client by the same rule as the audit trail.
    "filters": {"client_ip": {"()": "shegong.lib.http.ClientIpLogFilter"}},
    "formatters": {"default": {"format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_ip"], "formatter": "default"}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "shegong.core.views.csrf_failure"

# Lockout is by username: rotating addresses does not unlock an account. Locking by address as well would
# lock whole offices, which on government intranets often share one NAT address.
# security.W005 and W021: HSTS for subdomains and preload are the domain owner's to turn on (see above).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W005", "security.W021"]

if TESTING:
    import tempfile

    # Uploaded photos and evidence written by tests go to a throw-away directory, not ./var/media.
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="shegong-test-media-"))
    STORAGES["jobs"]["OPTIONS"]["location"] = str(MEDIA_ROOT / "private-jobs")
    STORAGES["private"]["OPTIONS"]["location"] = tempfile.mkdtemp(prefix="shegong-test-private-")
    # Hashing with the production hasher costs a third of a second per account; tests make many accounts.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
