"""Dimos settings: everything from the environment, safe defaults for a laptop.

Every variable is documented in README.md ("Production"). Bad values fail loudly at start-up.
"""

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from stdnum import iban

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def secret(name: str, default: str | None = None) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    value = env.str(name, default=default)
    if value is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set")
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable; anything but true/false/1/0/yes/no/on/off stops the start-up."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false")
    return raw in _TRUE


DEVELOPMENT_SECRET_KEY = "dimos-development-only-not-secret"

PRODUCTION = env_bool("DIMOS_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = secret("SECRET_KEY", default=None if PRODUCTION else DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SANDBOX_ENABLED = env_bool("DIMOS_SANDBOX", not PRODUCTION)
# `make bench` only: /bench/bare/ answers "ok" through every middleware, the yardstick pages
# are measured against. Off everywhere else (the URL does not exist).
DIMOS_BENCH_BARE_VIEW = env_bool("DIMOS_BENCH_BARE_VIEW", False)

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs its own SECRET_KEY of 50+ characters")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")
    if SANDBOX_ENABLED:
        raise ImproperlyConfigured("The sandbox (DIMOS_SANDBOX) must be off in production")

INSTALLED_APPS = [
    "dimos.core",
    "dimos.accounts",
    "dimos.notifications",
    "dimos.registry",
    "dimos.service_requests",
    "dimos.open311",
    "dimos.payments",
    "dimos.fines",
    "dimos.business_tax",
    "dimos.polls",
    "dimos.decisions",
    "dimos.sandbox",
    "dimos.core.apps.DimosAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "dimos.core.security_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dimos.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dimos.core.middleware.NoStoreForPeopleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dimos.core.sessions.SessionTimeoutMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dimos.urls"
WSGI_APPLICATION = "dimos.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dimos" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dimos.core.context_processors.municipality",
                "dimos.core.context_processors.language_switch",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL in production (DATABASE_URL) ---
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dimos.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Connections are kept between requests (opening one per page was a tenth of a page's time).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://dimos")}
if env.str("CACHE_URL", default=""):
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- People ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account+address
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Breached passwords (ASVS 5.0 6.2.12): Have I Been Pwned's range API, k-anonymity (only the
# first 5 hex digits of the SHA-1 leave the server). Unreachable → Django's common-password list.
if env_bool("DIMOS_BREACHED_PASSWORD_CHECK", True):
    AUTH_PASSWORD_VALIDATORS.append(
        {
            "NAME": "pwned_passwords_django.validators.PwnedPasswordsValidator",
            "OPTIONS": {
                "error_message": _(
                    "This password has appeared in a data breach, so others may try it. "
                    "Choose another password."
                ),
                "help_message": _("Your password must not be one that appeared in a data breach."),
            },
        }
    )
PWNED_PASSWORDS = {"API_TIMEOUT": env.float("DIMOS_BREACHED_PASSWORD_TIMEOUT", default=2.0)}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"

ACCOUNT_ADAPTER = "dimos.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Changing the e-mail address or the second factor asks for the password again (ASVS 7.5.1);
# the details page (phone, channel) does so through `reauthentication_required`.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Failed logins: allauth slows down one address; django-axes locks an account+address pair.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip"}
MFA_ADAPTER = "dimos.accounts.adapter.MFAAdapter"
ACCOUNT_FORMS = {"signup": "dimos.accounts.forms.PersonSignupForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("DIMOS_MUNICIPALITY_NAME", default="Δήμος Κοζάνης")

# --- Language, time, money ---
LANGUAGE_CODE = "el"
LANGUAGES = [("el", _("Greek")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Athens"

# --- Static files and uploads (file system by default) ---
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DIMOS_PROOF_MAX_BYTES = env.int("DIMOS_PROOF_MAX_BYTES", default=5 * 1024 * 1024)
DIMOS_ATTACHMENT_MAX_BYTES = env.int("DIMOS_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
DIMOS_ATTACHMENT_MAX_COUNT = env.int("DIMOS_ATTACHMENT_MAX_COUNT", default=5)
# ClamAV's daemon, e.g. unix:///run/clamav/clamd.ctl or tcp://127.0.0.1:3310; empty: no scanning.
# When set, every upload is scanned before it is stored, and refused while clamd cannot answer.
DIMOS_CLAMAV_URL = env.str("DIMOS_CLAMAV_URL", default="")
if DIMOS_CLAMAV_URL and not DIMOS_CLAMAV_URL.startswith(("unix:///", "tcp://")):
    raise ImproperlyConfigured("DIMOS_CLAMAV_URL must start with unix:/// or tcp://")

# --- E-mail: console in development, SMTP by EMAIL_URL in production ---
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@dimos.example.gr")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Notifications: SMS, fax, telephone call-backs (dimos/notifications) ---
# A send must end well before a delivery counts as interrupted (CLAIM_TIMEOUT, 10 minutes).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DIMOS_SMS_PROVIDER = env.str("DIMOS_SMS_PROVIDER", default="sandbox" if SANDBOX_ENABLED else "http")
if DIMOS_SMS_PROVIDER not in {"http", "sandbox"}:
    raise ImproperlyConfigured(f"DIMOS_SMS_PROVIDER={DIMOS_SMS_PROVIDER!r}: use http or sandbox")
if DIMOS_SMS_PROVIDER == "sandbox" and not SANDBOX_ENABLED:
    raise ImproperlyConfigured(
        "DIMOS_SMS_PROVIDER=sandbox needs DIMOS_SANDBOX, which production refuses; use http"
    )
DIMOS_SMS_HTTP_URL = env.str("DIMOS_SMS_HTTP_URL", default="")
DIMOS_SMS_HTTP_TOKEN = secret("DIMOS_SMS_HTTP_TOKEN", default="")
DIMOS_SMS_HTTP_TIMEOUT = env.int("DIMOS_SMS_HTTP_TIMEOUT", default=10)
DIMOS_SMS_SENDER = env.str("DIMOS_SMS_SENDER", default="Dimos")  # ≤ 11 letters/digits
DIMOS_FAX_EMAIL_PATTERN = env.str(
    "DIMOS_FAX_EMAIL_PATTERN", default="{number}@fax.example.gr" if SANDBOX_ENABLED else ""
)
DIMOS_NOTIFICATION_CLAIM_TIMEOUT = env.int("DIMOS_NOTIFICATION_CLAIM_TIMEOUT", default=600)

# --- Background work: django-tasks with its database backend (`manage.py db_worker`) ---
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}

# --- The municipality: nothing in code assumes Kozani ---
DIMOS_MUNICIPALITY = {
    "name": env.str("DIMOS_MUNICIPALITY_NAME", default="Δήμος Κοζάνης"),
    "name_en": env.str("DIMOS_MUNICIPALITY_NAME_EN", default="Municipality of Kozani"),
    "address": env.str("DIMOS_MUNICIPALITY_ADDRESS", default="Πλατεία Νίκης, 50100 Κοζάνη"),
    "phone": env.str("DIMOS_MUNICIPALITY_PHONE", default="24613 50300"),
    "email": env.str("DIMOS_MUNICIPALITY_EMAIL", default="info@dimos.example.gr"),
    "dpo_email": env.str("DIMOS_DPO_EMAIL", default="dpo@dimos.example.gr"),
}
# The portal's public address, printed on every PDF and in its QR code (/verify/<code>/).
DIMOS_PUBLIC_URL = env.str(
    "DIMOS_PUBLIC_URL", default="" if PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")
if PRODUCTION and not DIMOS_PUBLIC_URL.startswith("https://"):
    raise ImproperlyConfigured("DIMOS_PUBLIC_URL must be the portal's https:// address")
# --- Card payments: Cardlink / Nexi / Worldline VPOS (dimos/payments/gateways) ---
DIMOS_CARD_GATEWAY = env.str(
    "DIMOS_CARD_GATEWAY", default="sandbox" if SANDBOX_ENABLED else "cardlink"
)
if DIMOS_CARD_GATEWAY not in {"cardlink", "sandbox"}:
    raise ImproperlyConfigured(
        f"DIMOS_CARD_GATEWAY={DIMOS_CARD_GATEWAY!r}: use cardlink or sandbox"
    )
if DIMOS_CARD_GATEWAY == "sandbox" and not SANDBOX_ENABLED:
    raise ImproperlyConfigured(
        "DIMOS_CARD_GATEWAY=sandbox needs DIMOS_SANDBOX, which production refuses; use cardlink"
    )
DIMOS_CARDLINK_MID = env.str("DIMOS_CARDLINK_MID", default="")
DIMOS_CARDLINK_SECRET = secret("DIMOS_CARDLINK_SECRET", default="")
DIMOS_CARDLINK_URL = env.str("DIMOS_CARDLINK_URL", default="")  # https://…/vpos/shophandlermpi
DIMOS_CARDLINK_DIGEST = env.str("DIMOS_CARDLINK_DIGEST", default="sha256")
if DIMOS_CARDLINK_DIGEST not in {"sha256", "sha1"}:
    raise ImproperlyConfigured(
        f"DIMOS_CARDLINK_DIGEST={DIMOS_CARDLINK_DIGEST!r}: use sha256 or sha1"
    )
DIMOS_SANDBOX_CARDLINK_MID = env.str("DIMOS_SANDBOX_CARDLINK_MID", default="sandbox-mid")
DIMOS_SANDBOX_CARDLINK_SECRET = env.str("DIMOS_SANDBOX_CARDLINK_SECRET", default="sandbox-secret")

# Where web-banking payments go (shown with the RF and in the EPC QR code). The development
# default is a fictitious account of the sample statement; production must set its own.
DIMOS_BANK = {
    "beneficiary": env.str("DIMOS_BANK_BENEFICIARY", default=DIMOS_MUNICIPALITY["name"]),
    "iban": env.str("DIMOS_IBAN", default="" if PRODUCTION else "GR8300000000000000012345678"),
    "bic": env.str("DIMOS_BIC", default=""),
}
if PRODUCTION and not DIMOS_BANK["iban"]:
    raise ImproperlyConfigured("DIMOS_IBAN (the municipality's account) must be set")
if DIMOS_BANK["iban"] and not iban.is_valid(DIMOS_BANK["iban"]):
    raise ImproperlyConfigured(f"DIMOS_IBAN={DIMOS_BANK['iban']!r} is not a valid IBAN")
DIMOS_BANK["iban"] = iban.compact(DIMOS_BANK["iban"])
DIMOS_RF_PREFIX = env.str("DIMOS_RF_PREFIX", default="")  # the bank assigns it (DIAS onboarding)
DIMOS_RF_BODY_LENGTH = env.int("DIMOS_RF_BODY_LENGTH", default=21)
# Municipal tax: does the declared base include the 0.5 %/5 % fee (VAT-return outputs)? [ASK]
DIMOS_TAX_BASE_INCLUDES_FEE = env_bool("DIMOS_TAX_BASE_INCLUDES_FEE", False)
# Local holidays as "MM-DD", e.g. the town's patron saint; deadlines move off them.
DIMOS_LOCAL_HOLIDAYS = env.list("DIMOS_LOCAL_HOLIDAYS", default=[])
# The map on the request form (Leaflet, vendored); tiles from OpenStreetMap unless set.
DIMOS_MAP = {
    "lat": env.float("DIMOS_MAP_LAT", default=40.3007),
    "lon": env.float("DIMOS_MAP_LON", default=21.7887),
    "zoom": env.int("DIMOS_MAP_ZOOM", default=14),
    "tiles": env.str("DIMOS_MAP_TILES", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "attribution": env.str("DIMOS_MAP_ATTRIBUTION", default="© OpenStreetMap contributors"),
}
# Which roles may use which service, beyond the defaults of dimos/core/access.py,
# e.g. DIMOS_SERVICE_ACCESS='{"decisions": ["public"]}' opens decisions to everyone.
try:
    DIMOS_SERVICE_ACCESS = json.loads(env.str("DIMOS_SERVICE_ACCESS", default="{}"))
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured(f"DIMOS_SERVICE_ACCESS is not valid JSON: {exc}") from exc

# --- Personal data (GDPR) ---
# Accounts not used (no login) for this long are warned by e-mail, then anonymised by the daily
# `manage.py anonymise_inactive_accounts`: a policy of the municipality (storage limitation).
DIMOS_INACTIVE_WARN_MONTHS = env.int("DIMOS_INACTIVE_WARN_MONTHS", default=35)
DIMOS_INACTIVE_ANONYMISE_MONTHS = env.int("DIMOS_INACTIVE_ANONYMISE_MONTHS", default=36)
if not 0 < DIMOS_INACTIVE_WARN_MONTHS < DIMOS_INACTIVE_ANONYMISE_MONTHS:
    raise ImproperlyConfigured(
        "DIMOS_INACTIVE_WARN_MONTHS must be positive and less than DIMOS_INACTIVE_ANONYMISE_MONTHS"
    )

# --- Council decisions ---
# A search ranks by relevance only among this many matches (the newest; the oldest when sorted
# so) and lists at most this many: a common word cannot rank half the table (issue 10).
DIMOS_SEARCH_CANDIDATES = env.int("DIMOS_SEARCH_CANDIDATES", default=5000)
# Every query of a search gives up after this long (PostgreSQL): «too many decisions match».
DIMOS_SEARCH_TIMEOUT_MS = env.int("DIMOS_SEARCH_TIMEOUT_MS", default=5000)

# --- Security ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after a time of inactivity and after an absolute lifetime (ASVS 7.3.1/7.3.2;
# NIST 800-63B AAL2: 30 minutes idle, 12 hours in all) — enforced by SessionTimeoutMiddleware.
DIMOS_SESSION_LIMITS = {
    "person_idle": env.int("DIMOS_SESSION_IDLE_MINUTES", default=60) * 60,
    "person_absolute": env.int("DIMOS_SESSION_MAX_HOURS", default=12) * 3600,
    "staff_idle": env.int("DIMOS_STAFF_SESSION_IDLE_MINUTES", default=30) * 60,
    "staff_absolute": env.int("DIMOS_STAFF_SESSION_MAX_HOURS", default=12) * 3600,
}
if min(DIMOS_SESSION_LIMITS.values()) <= 0:
    raise ImproperlyConfigured("Session limits (DIMOS_*SESSION_*) must be positive")
SESSION_COOKIE_AGE = max(
    DIMOS_SESSION_LIMITS["person_absolute"], DIMOS_SESSION_LIMITS["staff_absolute"]
)
# django-axes: 10 failed logins for one account from one address lock that pair for 15 minutes
# (ASVS 5.0 6.3.1). The pair, not the account alone, so nobody can lock a citizen out at will.
AXES_FAILURE_LIMIT = env.int("DIMOS_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DIMOS_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "dimos.accounts.security.typed_login"
AXES_CLIENT_IP_CALLABLE = "dimos.core.clients.client_ip"  # the same address the audit log keeps
AXES_LOCKOUT_CALLABLE = "dimos.accounts.security.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the security log already
AXES_VERBOSE = False  # its own lines would repeat the typed e-mail; ours carry a digest
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # ASVS 5.0.0 3.4.1: HSTS for at least a year, subdomains included.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # ASVS 5.0.0 3.3.1/3.3.3: __Host- cookies are Secure, for this host only, path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


def origin_of(url: str) -> list[str]:
    """The origin of an absolute URL as a CSP source ({s} tile subdomains become *);
    nothing for a relative URL, which 'self' already covers."""
    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# ASVS 5.0.0 3.4.3/3.4.6 (django-csp; Django 5.2 has none): only our own files, no inline
# script or style anywhere; map tiles from DIMOS_MAP's host; card forms post to the gateway.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *origin_of(DIMOS_MAP["tiles"])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *origin_of(DIMOS_CARDLINK_URL)],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Logs go to standard output (systemd/journald or the container runtime ships them off the
# box). Security events are JSON lines on the `dimos.security` logger (dimos/core/security_log.py);
# LOG_FORMAT=json makes every other line JSON too (the production default).
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "dimos.core.security_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "dimos.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        # django-axes repeats every login at INFO; the security events above carry them.
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools log a dozen INFO lines per PDF.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
