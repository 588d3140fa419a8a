"""The one settings module. Every value comes from the environment; see .env.example."""

import json
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from altavoz.envconf import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    site_url_checked,
)
from altavoz.geocoding import registry as geocoder_registry

# --- The site: where it runs, its secret, its address ---
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
# The site's own address: share links, links in emails, hreflang. Checked against
# ALLOWED_HOSTS at start-up (envconf.site_url_checked).
SITE_URL = site_url_checked(env_str("SITE_URL", "http://127.0.0.1:8000"), ALLOWED_HOSTS)

# --- Applications, middleware, templates ---
INSTALLED_APPS = [
    "altavoz.apps.AltavozAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "altavoz.districts",
    "altavoz.campaigns",
    "altavoz.delivery",
    "altavoz.organising",
    "altavoz.onboarding",
    "altavoz.outcomes",
    "altavoz.shield",
    "altavoz.api",
    "altavoz.hooks",
    "altavoz.sync",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a form: one in another charset than UTF-8 gets a 400 page.
    "altavoz.shield.encoding.FormEncodingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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

# --- Database, cache and task queue ---
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'altavoz.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's prepared statements off (prepare_threshold None), and that also
    # ignores an explicit prepare=True: altavoz/statements.py's hot statements (a signature's
    # writes, a letter's outcome) were parsed and planned on every call, 0.5 ms of PostgreSQL
    # CPU per signature (bench/RESULTS.md). A threshold no query reaches keeps the ORM's own
    # queries unprepared, as Django has them, and lets those statements ask for it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)
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

# --- Languages and time: English, Spanish, Haitian Creole; Miami's time zone ---
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("ht", _("Haitian Creole"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_TZ = True
# Dates and numbers for languages Django has no formats for (Haitian Creole).
FORMAT_MODULE_PATH = ["altavoz.formats"]

# --- Static files ---
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the source folders (no collectstatic step needed);
# production may set STATIC_FROM_FINDERS=0 and run `altavoz collectstatic` into STATIC_ROOT.
WHITENOISE_USE_FINDERS = env_bool("STATIC_FROM_FINDERS", True)
STATIC_ROOT = (
    None if WHITENOISE_USE_FINDERS else Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
)
WHITENOISE_AUTOREFRESH = DEBUG

# --- Email: the mailers (the demo keeps every message in its local outbox, admin > Outbox
# messages) ---
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "altavoz.delivery.channels.email.outbox.OutboxBackend"
    if DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
# The email modules live in the email delivery channel; their earlier paths still work.
EMAIL_BACKEND_PATH = {
    "altavoz.delivery.outbox.OutboxBackend": "altavoz.delivery.channels.email.outbox.OutboxBackend",
    "altavoz.delivery.smtp.EmailBackend": "altavoz.delivery.channels.email.smtp.EmailBackend",
}.get(EMAIL_BACKEND_PATH, EMAIL_BACKEND_PATH)
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

# --- Privacy ---
# Salt for hashing IP addresses: never store a raw IP.
IP_HASH_SALT = env_str("IP_HASH_SALT", SECRET_KEY)

# --- HTTPS and browser protections: production defaults; a laptop (DEBUG or demo) serves
# http ---
PRODUCTION = not (DEBUG or DEMO)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere; the page loads only from this site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Organiser sign-in: throttled (django-axes, counters in the cache so no raw IP is
# stored), and a second factor (TOTP) when ORGANISER_2FA=1 ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "altavoz.privacy.client_ip_hash"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
ORGANISER_2FA = env_bool("ORGANISER_2FA")
# One process on a laptop: the process-local cache is right there (production uses Redis).
SILENCED_SYSTEM_CHECKS = [] if PRODUCTION else ["axes.W001"]
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 64 * 1024, minimum=1024)

# --- Abuse resistance (see SECURITY.md) ---
# Counters live in the cache: set REDIS_URL so that every web process shares them.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "altavoz.rediscache.RedisCache",
        "LOCATION": REDIS_URL,
    }
SHIELD_MIN_FILL_SECONDS = env_int("SHIELD_MIN_FILL_SECONDS", 3, minimum=0)
SHIELD_FORM_MAX_AGE = env_int("SHIELD_FORM_MAX_AGE", 86400, minimum=60)
SHIELD_IP_WINDOW = env_int("SHIELD_IP_WINDOW", 600, minimum=1)
SHIELD_IP_LIMIT = env_int("SHIELD_IP_LIMIT", 30, minimum=1)
SHIELD_POW_AFTER = env_int("SHIELD_POW_AFTER", 2, minimum=0)
SHIELD_EMAIL_WINDOW = env_int("SHIELD_EMAIL_WINDOW", 3600, minimum=1)
SHIELD_EMAIL_LIMIT = env_int("SHIELD_EMAIL_LIMIT", 5, minimum=1)
# Proof of work (ALTCHA): "adaptive" asks for it once a connection has sent
# SHIELD_POW_AFTER signatures in the window, "always" from everyone (needs JavaScript),
# "off" never.
PROOF_OF_WORK = env_str("PROOF_OF_WORK", "adaptive")
if PROOF_OF_WORK not in {"adaptive", "always", "off"}:
    raise ImproperlyConfigured(f"PROOF_OF_WORK={PROOF_OF_WORK!r}: use adaptive, always or off.")
ALTCHA_HMAC_KEY = env_str("ALTCHA_HMAC_KEY", "altcha:" + SECRET_KEY)
ALTCHA_MAX_NUMBER = env_int("ALTCHA_MAX_NUMBER", 200_000, minimum=1000)
ALTCHA_EXPIRES_SECONDS = env_int("ALTCHA_EXPIRES_SECONDS", 1200, minimum=60)
# Behind a reverse proxy, how many proxies append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Delivery: the worker that sends each letter, retries, digests, bounces ---
INSTALLED_APPS += ["anymail"]
# Demo campaigns (Campaign.is_demo) always write to the local outbox, whatever EMAIL_BACKEND.
MAILERS["outbox"] = {"BACKEND": "altavoz.delivery.channels.email.outbox.OutboxBackend"}
# Plain SMTP goes through Django's SMTP backend with faster message serialisation.
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["BACKEND"] = "altavoz.delivery.channels.email.smtp.EmailBackend"
# Tries per letter before it is marked failed; the waits between them double from the base
# up to the cap (with jitter): 14 tries span about a day.
DELIVERY_MAX_ATTEMPTS = env_int("DELIVERY_MAX_ATTEMPTS", 14, minimum=1)
DELIVERY_RETRY_BASE_SECONDS = env_int("DELIVERY_RETRY_BASE_SECONDS", 60, minimum=1)
DELIVERY_RETRY_CAP_SECONDS = env_int("DELIVERY_RETRY_CAP_SECONDS", 4 * 3600, minimum=1)
# A row claimed longer ago than this by a worker that never finished is taken back.
DELIVERY_LEASE_SECONDS = env_int("DELIVERY_LEASE_SECONDS", 600, minimum=1)
# How often the worker looks for due or stuck letters, and how many it takes at once.
DELIVERY_SWEEP_SECONDS = env_int("DELIVERY_SWEEP_SECONDS", 30, minimum=1)
DELIVERY_BATCH_SIZE = env_int("DELIVERY_BATCH_SIZE", 200, minimum=1)
# New letters wake the worker in one task per web process per this many milliseconds
# (delivery/wakeups.py); 0 sends one task per signature at once. A quarter second: a letter
# leaves that much later at most, and a spike costs each web process 4 queue writes a second
# instead of 20 (about 0.2 ms of CPU per signature, bench/RESULTS.md, issue 21).
DELIVERY_WAKE_SECONDS = env_int("DELIVERY_WAKE_MS", 250, minimum=0) / 1000
# Local hour (TIME_ZONE) at which daily digests go out.
DELIVERY_DIGEST_HOUR = env_int("DELIVERY_DIGEST_HOUR", 17, minimum=0)
# Tell each supporter when their letter was delivered (the "delivered" notice; the variable's
# earlier name, DELIVERY_CONFIRM_SUPPORTERS, is still read).
DELIVERY_NOTIFY_SUPPORTERS = env_bool(
    "DELIVERY_NOTIFY_SUPPORTERS", env_bool("DELIVERY_CONFIRM_SUPPORTERS", True)
)
# Bounces and complaints from an email provider (EMAIL_BACKEND=anymail.backends.postmark.
# EmailBackend): Postmark posts them to /anymail/postmark/tracking/ with basic auth
# (ANYMAIL_WEBHOOK_SECRET=user:password).
ANYMAIL = {
    "POSTMARK_SERVER_TOKEN": env_str("POSTMARK_SERVER_TOKEN"),
    "WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET") or None,
}
# The webhook is mounted only with Postmark and a secret (delivery/channels/email/
# webhooks.py); without one anyone could post forged bounces, so a production site refuses
# to start.
_postmark = EMAIL_BACKEND_PATH == "anymail.backends.postmark.EmailBackend"
if _postmark and PRODUCTION and not ANYMAIL["WEBHOOK_SECRET"]:
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is Postmark but ANYMAIL_WEBHOOK_SECRET is empty: anyone could post "
        "forged bounces. Set ANYMAIL_WEBHOOK_SECRET=user:password (long and random) and "
        "give Postmark https://user:password@<host>/anymail/postmark/tracking/ as its "
        "bounce and spam-complaint webhook."
    )

# --- Districts and geocoding: the area index, the geocoder chain, the lookup endpoint ---
# Every outside HTTP call (altavoz.httpclient) has this timeout and User-Agent.
HTTP_TIMEOUT_SECONDS = env_int("HTTP_TIMEOUT_SECONDS", 20, minimum=1)
HTTP_USER_AGENT = env_str("HTTP_USER_AGENT", f"Altavoz/0.1 (+{SITE_URL})")
# Outside calls (webhooks, syncs, geocoders, map layers) go over https to public addresses
# only, never to this machine or its network (altavoz/outbound.py; SECURITY.md). Networks
# listed here are let in, over plain http too, e.g. 127.0.0.1/32 for a receiver on this
# machine or 10.20.0.0/16 for a CRM on your own network. Empty (the default): none.
OUTBOUND_ALLOWED_NETWORKS = env_networks("OUTBOUND_ALLOWED_NETWORKS")
# A point this close to a district edge asks the person to confirm their district.
NEAR_BOUNDARY_METRES = env_int("NEAR_BOUNDARY_METRES", 25, minimum=0)
# Geocoders asked in order, each a name registered in geocoding/registry.py: census,
# address_points, or a geopy service name (nominatim...). The demo asks the Census, then the
# shipped Miami-Dade address points (the 2015 schools).
DEMO_ADDRESS_POINTS = BASE_DIR / "data" / "miami" / "miami_dade_schools_address_points_2015.csv"
GEOCODERS = env_list("GEOCODERS", "census,address_points" if DEMO else "census")
if geocoder_registry.unknown(GEOCODERS):
    raise ImproperlyConfigured(geocoder_registry.unknown(GEOCODERS))
GEOCODER_TIMEOUT_SECONDS = env_int("GEOCODER_TIMEOUT_SECONDS", 4, minimum=1)
GEOCODER_CENSUS_URL = env_str(
    "GEOCODER_CENSUS_URL", "https://geocoding.geo.census.gov/geocoder"
).rstrip("/")
GEOCODER_CENSUS_BENCHMARK = env_str("GEOCODER_CENSUS_BENCHMARK", "Public_AR_Current")
GEOCODER_ADDRESS_POINTS_FILE = env_str(
    "GEOCODER_ADDRESS_POINTS_FILE", str(DEMO_ADDRESS_POINTS) if DEMO else ""
)
# A geocoder that could not be reached (timeout, network, server error) is skipped this many
# seconds, so visitors do not each wait for its timeout; 0 asks it every time.
GEOCODER_SKIP_SECONDS = env_int("GEOCODER_SKIP_SECONDS", 60, minimum=0)
# JSON options for the geopy geocoder, e.g. {"domain": "nominatim.example.org"} or an api_key.
try:
    GEOCODER_GEOPY_OPTIONS = json.loads(env_str("GEOCODER_GEOPY_OPTIONS", "{}") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"GEOCODER_GEOPY_OPTIONS is not JSON: {exc}") from exc
if not isinstance(GEOCODER_GEOPY_OPTIONS, dict):
    raise ImproperlyConfigured(
        'GEOCODER_GEOPY_OPTIONS must be a JSON object, like {"domain": "..."}'
    )
GEOCODE_CACHE_SECONDS = env_int("GEOCODE_CACHE_SECONDS", 30 * 24 * 3600, minimum=0)
# The largest list an organiser may upload to match to districts (bytes; the command line
# has no limit).
BULK_LOOKUP_MAX_BYTES = env_int("BULK_LOOKUP_MAX_BYTES", 20_000_000, minimum=1000)
# Address lookups per minute from one (hashed) IP address on the JSON endpoint.
LOOKUP_RATE_PER_MINUTE = env_int("LOOKUP_RATE_PER_MINUTE", 30, minimum=1)

# --- Serving a spike: the campaign page kept rendered per process ---
# A new visitor's campaign page is kept rendered this long per campaign version and language
# (tokens are put in per request; editing the campaign shows at once).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60, minimum=0)
# The counter and Recent participants on that page are at most this many seconds old (plus
# the shared count's own few seconds).
PAGE_LIVE_SECONDS = env_int("PAGE_LIVE_SECONDS", 2, minimum=0)

# --- The task queue at scale ---
# At scale the task queue is Redis through django-tasks-rq (TASKS_BACKEND=
# django_tasks_rq.RQBackend): web processes enqueue each letter's wake-up there, RQ workers
# (`altavoz rqworker --job-class django_tasks_rq.Job --worker-class rq.worker.SimpleWorker`)
# send them, and one `altavoz worker` keeps the sweep (retries, lost wake-ups, digests).
RQ_BACKEND = "django_tasks_rq.RQBackend"
TASKS_REDIS_URL = env_str("TASKS_REDIS_URL", REDIS_URL)
if TASKS["default"]["BACKEND"] == RQ_BACKEND:
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND={RQ_BACKEND} needs TASKS_REDIS_URL (or REDIS_URL)."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0"}}

# --- New organisations: `altavoz organisation add`, or the public request form ---
# Where the platform is shared by many organisations, /start/ takes requests for new ones:
# each waits, pending, until platform staff approve it in the admin; the requester then gets
# a link (one use, 7 days) to become its first organiser.
ORGANISATION_REQUESTS = env_bool("ORGANISATION_REQUESTS", DEMO)
# Requests taken per hour from one connection (IPv4 address or IPv6 /64), and how many may
# wait for platform staff at once before the form asks people to come back later.
ORGANISATION_REQUESTS_PER_HOUR = env_int("ORGANISATION_REQUESTS_PER_HOUR", 3, minimum=1)
ORGANISATION_REQUESTS_PENDING_MAX = env_int("ORGANISATION_REQUESTS_PENDING_MAX", 20, minimum=1)

# --- Passwords organisers choose (the first organiser's, by the invitation link; changes) ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- The API: /api/v1/, OSDI-shaped, one key per use (`altavoz apikey create`) ---
# Requests each key may make per window (seconds); past it, 429 with Retry-After. The
# counters are the shield's, shared by every web process.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600, minimum=1)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60, minimum=1)

# --- Webhooks: per organisation, signed (Standard Webhooks), sent by the worker ---
# Seconds to wait for a receiver; the first retry's wait and the cap of the doubling waits;
# tries before a message fails for good (replayable from the admin); days an endpoint may
# fail every try before it is disabled (its organisers get an email); hours a rotated
# secret still signs; how many messages a worker takes at once and how long before a
# message it took is taken back (the worker stopped mid-send).
HOOK_TIMEOUT_SECONDS = env_int("HOOK_TIMEOUT_SECONDS", 10, minimum=1)
HOOK_RETRY_BASE_SECONDS = env_int("HOOK_RETRY_BASE_SECONDS", 30, minimum=1)
HOOK_RETRY_CAP_SECONDS = env_int("HOOK_RETRY_CAP_SECONDS", 3600, minimum=1)
HOOK_MAX_ATTEMPTS = env_int("HOOK_MAX_ATTEMPTS", 60, minimum=1)
HOOK_DISABLE_AFTER_DAYS = env_int("HOOK_DISABLE_AFTER_DAYS", 3, minimum=1)
HOOK_SECRET_GRACE_HOURS = env_int("HOOK_SECRET_GRACE_HOURS", 24, minimum=0)
HOOK_BATCH_SIZE = env_int("HOOK_BATCH_SIZE", 200, minimum=1)
HOOK_LEASE_SECONDS = env_int("HOOK_LEASE_SECONDS", 120, minimum=1)

# --- Sync to Action Network (or another OSDI system): pushes sent by the worker ---
# First retry's wait and the cap (doubling, with jitter), tries before a push fails, batch
# size, seconds before a stopped worker's pushes are taken back.
SYNC_RETRY_BASE_SECONDS = env_int("SYNC_RETRY_BASE_SECONDS", 60, minimum=1)
SYNC_RETRY_CAP_SECONDS = env_int("SYNC_RETRY_CAP_SECONDS", 3600, minimum=1)
SYNC_MAX_ATTEMPTS = env_int("SYNC_MAX_ATTEMPTS", 30, minimum=1)
SYNC_BATCH_SIZE = env_int("SYNC_BATCH_SIZE", 100, minimum=1)
SYNC_LEASE_SECONDS = env_int("SYNC_LEASE_SECONDS", 120, minimum=1)

# --- Replies and outcomes: did the office reply, what each official did, tell the writers ---
# Offices' replies to letters' own reply addresses (an organisation's reply domain) arrive by
# the built-in SMTP receiver (`altavoz receive_replies`), or by a provider's inbound webhook:
# postmark, mailgun or amazon_ses, posted to /anymail/<provider>/inbound/ with basic auth
# (ANYMAIL_WEBHOOK_SECRET); the webhook is mounted only with a secret.
REPLIES_INBOUND_PROVIDER = env_str("REPLIES_INBOUND_PROVIDER")
_inbound_providers = {"", "postmark", "mailgun", "amazon_ses"}
if REPLIES_INBOUND_PROVIDER not in _inbound_providers:
    raise ImproperlyConfigured(
        f"REPLIES_INBOUND_PROVIDER={REPLIES_INBOUND_PROVIDER!r} is not one of "
        f"{', '.join(sorted(p for p in _inbound_providers if p))} (or empty)."
    )
if REPLIES_INBOUND_PROVIDER and not ANYMAIL["WEBHOOK_SECRET"]:
    raise ImproperlyConfigured(
        "REPLIES_INBOUND_PROVIDER is set but ANYMAIL_WEBHOOK_SECRET is empty: anyone could "
        "post forged replies. Set ANYMAIL_WEBHOOK_SECRET=user:password (long and random)."
    )
if REPLIES_INBOUND_PROVIDER == "mailgun":
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = env_str("MAILGUN_WEBHOOK_SIGNING_KEY")
