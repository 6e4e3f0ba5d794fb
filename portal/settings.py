"""Settings for the international relations portal, read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# ---- Core

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for development, set DJANGO_DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Absolute links in feeds, the sitemap, CSV and OpenGraph tags; empty means the request's host.
PUBLIC_URL = env_str("DJANGO_PUBLIC_URL", "").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that its admin patches apply.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "reversion",
    "axes",
    "csp",
    # Ours, from the bottom layer up (core is a plain package, not an app).
    "relations",
    "news",
    "backoffice",
    "portal",
]

MIDDLEWARE = [
    # First: /healthz answers a probe by IP address, before anything checks the Host header.
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a request body (the CSRF check does): public pages take only
    # GET and HEAD.
    "portal.middleware.ReadOnlyPublicSiteMiddleware",
    # WhiteNoise serves static files before anything else touches the request.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After the HTTPS redirect, before everything whose work a cached page already holds
    # (sessions, language, CSRF, authentication, headers): a hit costs no query.
    "portal.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware needs the session and must run before CommonMiddleware, so that
    # `/` and unprefixed paths redirect to the visitor's language before slash handling.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during authentication into the
    # lockout response, after every other middleware has seen the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "portal.context_processors.site",
            ],
        },
    },
]

# ---- Database

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        # Persistent, health-checked connections: a PostgreSQL restart costs no failed
        # request once the server is back.
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for the portal's own connections (DJANGO_PG_OPTIONS, libpq's
    # `options`; "" keeps the server's). PostgreSQL's default page costs assume spinning
    # disks: with them the planner counts a filtered agreement list by reading the whole
    # table instead of the list's index (a year range: 94 ms against 6 ms at 100,000
    # agreements). A parallel plan costs more to start than a page's short queries take: a
    # filtered page 40 took 33 ms with workers and 7 ms without.
    pg_options = env_str(
        "DJANGO_PG_OPTIONS", "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    )
    if pg_options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = pg_options
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The database read through a memory map (of up to 1 GB) rather than copied page by
    # page into SQLite's own 2 MB cache: the CSV export of 100,000 agreements 3.2 s to 2.7 s.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA mmap_size = 1073741824"
    )

# ---- Cache

# Shared by every app server when REDIS_URL is set: the page cache and its content generation
# (a change saved through one server shows through every other), the download limit; otherwise
# each process keeps its own, which is enough for one process.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        # Django's RedisCache, reusing its clients and watching keys (core.redis_cache).
        {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_PREFIX"] = env_str("DJANGO_CACHE_PREFIX", "portal")

# How long a public page stays in the cache at most (portal.page_cache); any change to the
# content makes it stale at once anyway. 0 turns the page cache off. On by default only where
# every process that serves pages shares the cache: Redis, or the one process of runserver.
# Several gunicorn workers with their own local caches would each miss the others' changes.
PAGE_CACHE_SECONDS = env_int(
    "DJANGO_PAGE_CACHE_SECONDS", 24 * 60 * 60 if REDIS_URL or DEBUG else 0
)

# Public CSV exports a visitor may run at the same time; more get 429 with Retry-After.
DOWNLOADS_PER_CLIENT = env_int("DJANGO_DOWNLOADS_PER_CLIENT", 2)
# A slot held by a worker that died mid-download frees itself after this many seconds.
DOWNLOAD_SLOT_SECONDS = 600

# ---- Authentication

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks for a lockout before any backend tries the password. It needs the
# request: in tests, log in with force_login() or client.login(request=HttpRequest(), ...).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# After 5 failed logins for one account from one address, that pair is refused for 15
# minutes; other addresses can still log in to the account, so nobody locks a colleague out.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# The admin login page again, with the lockout message in place of the form's error.
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# No banner on every management command; lockouts are still logged.
AXES_VERBOSE = False
# The client's address for the lockout and the download limit (core.clients): behind
# DJANGO_PROXY_COUNT proxies of our own, the entry that many hops from the right of
# X-Forwarded-For; entries further left are written by the client and never trusted. The app
# server must be reachable only through those proxies (README, Production).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1 if env_bool("DJANGO_BEHIND_PROXY", False) else 0)
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"

# A staff session ends after a working day without activity, not a working day after login:
# SESSION_SAVE_EVERY_REQUEST renews the cookie's 8 hours on every request, so only a session
# left idle for 8 hours expires (the default is two weeks from the last login).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True

# ---- Languages and time

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ko", "한국어"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Seoul")

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# The order of LANGUAGES is the fallback order: English, Korean, Chinese.
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = MODELTRANSLATION_LANGUAGES
# The admin's language tabs use jQuery UI, served from our own static files (no CDN).
# modeltranslation reads this setting under its bare name.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
FORMS_URLFIELD_ASSUME_HTTPS = True

COUNTRIES_FIRST = ["CN", "KR"]

# ---- Static files and media

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
# Signs backup manifests; without it, restore needs --allow-unsigned (README, Backups).
BACKUP_KEY = env_str("DJANGO_BACKUP_KEY", "")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---- Security

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind HTTPS in production. DJANGO_HTTPS=0 turns this off for serving over plain HTTP
# on one's own machine (`make serve`).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp; portal.middleware picks the admin's policy). Public
# pages run only our own scripts and styles; the JSON-LD block is data, which CSP does not
# execute and so does not need allowing.
_OWN_CONTENT_ONLY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    # Bootstrap draws its icons (the menu button, form controls) as data: SVG images.
    "img-src": [SELF, "data:"],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "upgrade-insecure-requests": HTTPS,
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _OWN_CONTENT_ONLY}
ADMIN_CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**_OWN_CONTENT_ONLY}}

# ---- Logging

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
