"""The one settings module. Every value comes from the environment; see .env.example."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from altavoz.envconf import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("ALTAVOZ_VAR_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("DEBUG")
# Demo mode: the embedded demo (`make demo`). Letters go to the local outbox, never to
# officials, and the pages say so.
DEMO = env_bool("ALTAVOZ_DEMO")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured(
            "SECRET_KEY is required (or SECRET_KEY_FILE). Only DEBUG=1 or ALTAVOZ_DEMO=1 "
            "may run without one."
        )
    SECRET_KEY = "insecure-demo-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or DEMO else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "altavoz.districts",
    "altavoz.campaigns",
    "altavoz.delivery",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "altavoz.urls"
WSGI_APPLICATION = "altavoz.wsgi.application"

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
                "altavoz.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'altavoz.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the one writer; IMMEDIATE transactions take the write
    # lock up front, so concurrent signers queue instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "altavoz",
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("ht", _("Haitian Creole"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the source folders (no collectstatic step needed);
# production may set STATIC_FROM_FINDERS=0 and run `altavoz collectstatic` into STATIC_ROOT.
WHITENOISE_USE_FINDERS = env_bool("STATIC_FROM_FINDERS", True)
STATIC_ROOT = (
    None if WHITENOISE_USE_FINDERS else Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
)
WHITENOISE_AUTOREFRESH = DEBUG

# Email. The demo keeps every message in the local outbox (admin > Outbox messages).
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "altavoz.delivery.outbox.OutboxBackend"
    if DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "127.0.0.1"),
    "port": env_int("EMAIL_PORT", 25, minimum=1),
    "username": env_str("EMAIL_HOST_USER"),
    "password": env_str("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS"),
    "use_ssl": env_bool("EMAIL_USE_SSL"),
    "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": SMTP_OPTIONS if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "letters@altavoz.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Salt for hashing IP addresses: never store a raw IP.
IP_HASH_SALT = env_str("IP_HASH_SALT", SECRET_KEY)

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or DEMO))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 64 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Districts and geocoding: boundary lookup, geocoder chain, the lookup endpoint ---
# Every outside HTTP call (altavoz.httpclient) has this timeout and User-Agent.
HTTP_TIMEOUT_SECONDS = env_int("HTTP_TIMEOUT_SECONDS", 20, minimum=1)
HTTP_USER_AGENT = env_str("HTTP_USER_AGENT", f"Altavoz/0.1 (+{SITE_URL})")
# A point this close to a district edge asks the person to confirm their district.
NEAR_BOUNDARY_METRES = env_int("NEAR_BOUNDARY_METRES", 25, minimum=0)
# Geocoders asked in order: census, address_points, or a geopy service name (nominatim...).
GEOCODERS = env_list("GEOCODERS", "census")
GEOCODER_TIMEOUT_SECONDS = env_int("GEOCODER_TIMEOUT_SECONDS", 4, minimum=1)
GEOCODER_CENSUS_URL = env_str(
    "GEOCODER_CENSUS_URL", "https://geocoding.geo.census.gov/geocoder"
).rstrip("/")
GEOCODER_CENSUS_BENCHMARK = env_str("GEOCODER_CENSUS_BENCHMARK", "Public_AR_Current")
GEOCODER_ADDRESS_POINTS_FILE = env_str("GEOCODER_ADDRESS_POINTS_FILE")
# JSON options for the geopy geocoder, e.g. {"domain": "nominatim.example.org"} or an api_key.
GEOCODER_GEOPY_OPTIONS = env_str("GEOCODER_GEOPY_OPTIONS", "{}")
GEOCODE_CACHE_SECONDS = env_int("GEOCODE_CACHE_SECONDS", 30 * 24 * 3600, minimum=0)
# Address lookups per minute from one (hashed) IP address on the JSON endpoint.
LOOKUP_RATE_PER_MINUTE = env_int("LOOKUP_RATE_PER_MINUTE", 30, minimum=1)
