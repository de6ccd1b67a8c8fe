"""Settings for every environment; differences come from the environment (config/env.py)."""

from django.utils.translation import gettext_lazy as _

from config.env import (
    BASE_DIR,
    cache_config,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    queue_config,
    storage_config,
)

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0000")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "yaowen.web.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "yaowen.core",
    "yaowen.jobs",
    "yaowen.governance",
    "yaowen.accounts",
    "yaowen.newsroom",
    "yaowen.analysis",
    "yaowen.search",
    "yaowen.engagement",
    "yaowen.recommend",
    "yaowen.moderation",
    "yaowen.wordfilter",
    "yaowen.standing",
    "yaowen.studio",
    "yaowen.web",
    "yaowen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so pages answered from it carry the policy in force now.
    "csp.middleware.CSPMiddleware",
    # A database refusing writes or not answering: a 503 page, not a 500 (outside sessions,
    # so a session it cannot save is caught too).
    "yaowen.core.middleware.DatabaseUnavailableMiddleware",
    # Before sessions: an anonymous page from the cache costs no session or user lookup.
    "yaowen.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sign in with a second factor; signed-in sessions are recorded (accounts.security).
    "yaowen.accounts.security.middleware.SignInGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yaowen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yaowen.web.context_processors.site",
            ],
        },
    },
    {
        # The hot fragments (comments, cards): compiled and autoescaped, see yaowen/core/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "yaowen" / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "yaowen.core.jinja.environment"},
    },
]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = cache_config()
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's, degrading while Redis is down (misses and skipped writes, logged once a
    # minute) instead of failing every page: docs/operations.md, "When a part fails".
    CACHES["default"]["BACKEND"] = "yaowen.core.sharedcache.RedisCache"

# Background work (yaowen.jobs): the task queue and its consumer, see docs/architecture.md.
HUEY = queue_config()
# Domain events and the functions that receive them, each in a task after the announcing
# transaction commits (yaowen.jobs.events). An app announces; only apps above it listen.
EVENT_LISTENERS = {
    "article.created": ["yaowen.analysis.listeners.article_changed"],
    "article.updated": ["yaowen.analysis.listeners.article_changed"],
    "article.published": [
        "yaowen.analysis.listeners.article_live",
        "yaowen.standing.listeners.creator_changed",
    ],
    "article.restored": [
        "yaowen.analysis.listeners.article_live",
        "yaowen.standing.listeners.creator_changed",
    ],
    "article.removed": [
        "yaowen.analysis.listeners.article_gone",
        "yaowen.recommend.listeners.article_gone",
        "yaowen.standing.listeners.creator_changed",
    ],
    "articles.imported": ["yaowen.analysis.listeners.articles_imported"],
    # Announced by newsroom for a scheduled article, delivered at its publication time.
    "article.due": ["yaowen.newsroom.listeners.article_due"],
    "channels.changed": ["yaowen.recommend.listeners.channels_changed"],
    # Announced by analysis once a live article's words are in the index.
    "article.indexed": ["yaowen.recommend.listeners.article_indexed"],
    "articles.indexed": ["yaowen.recommend.listeners.articles_indexed"],
    "comment.created": [
        "yaowen.engagement.listeners.comment_notify_posted",
        "yaowen.recommend.listeners.engagement_counted",
    ],
    "article.liked": ["yaowen.recommend.listeners.engagement_counted"],
    "article.shared": ["yaowen.recommend.listeners.engagement_counted"],
    "creator.followed": ["yaowen.engagement.listeners.follow_notify"],
    "views.flushed": ["yaowen.recommend.listeners.views_flushed"],
}
# A listener that keeps failing is retried after 10 s, 20 s, 40 s, ... then marked failed.
EVENT_MAX_ATTEMPTS = env_int("EVENT_MAX_ATTEMPTS", 6)
EVENT_RETRY_SECONDS = env_int("EVENT_RETRY_SECONDS", 10)
# A delivery still pending this long after it was due is taken as lost and queued again.
EVENT_LEASE_SECONDS = env_int("EVENT_LEASE_SECONDS", 60)
# Synchronous questions a lower app asks a higher one, answered by the function named here.
HOOKS = {
    # newsroom, at submission: the earlier article by another creator this one copies.
    "article_original": "yaowen.analysis.services.original_of",
    # newsroom, when a 原创 claim is made again: did an editor refuse it before?
    "original_claim_refused": "yaowen.standing.selectors.original_claim_refused",
    # core's page cache, serving a stored article page: count the view (buffered, no write).
    "article_page_viewed": "yaowen.engagement.viewcount.view_record",
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "yaowen" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "yaowen" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
# The channel classifier trained by `manage.py classifier train`; without it, articles
# get no predicted channel.
CLASSIFIER_PATH = env_str("CLASSIFIER_PATH", str(BASE_DIR / "var" / "classifier.joblib"))
STORAGES = {
    # Uploads and generated images go through Django's storage API only: files under
    # MEDIA_ROOT by default, an S3-compatible bucket shared by every machine with S3_BUCKET.
    "default": storage_config(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on local disk are served by Django unless a web server in front does
# (SERVE_MEDIA=false); media in a bucket are fetched from the bucket or its CDN.
SERVE_MEDIA = STORAGES["default"]["BACKEND"].endswith(".FileSystemStorage") and env_bool(
    "SERVE_MEDIA", True
)

SITE_NAME = env_str("SITE_NAME", "要闻")

# Mail (password reset): printed to the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "要闻 <noreply@localhost>")

# Login throttling (yaowen.accounts.throttle; docs/operations.md, "Login throttling"): no
# account is ever locked. From the LOGIN_FAILURE_LIMIT-th failure of one account from one
# address, that pair waits 1, 2, 4 … s (at most LOGIN_MAX_WAIT_SECONDS) after each; an
# account failing from many new addresses, or an address failing on many accounts new to
# it, makes those wait too. Counts end LOGIN_WINDOW_SECONDS after the last failure.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_DEGRADED = 2  # while the shared cache is down (counted per process)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
LOGIN_MAX_WAIT_SECONDS = env_int("LOGIN_MAX_WAIT_SECONDS", 300)
LOGIN_WINDOW_SECONDS = env_int("LOGIN_WINDOW_SECONDS", 900)
# Addresses an account signed in from (30 days) that the account and address limits spare.
LOGIN_KNOWN_ADDRESSES = 10

# Second factors (yaowen.accounts.security): required for editors and administrators.
AUTHENTICATION_BACKENDS = [
    # Named by sessions that passed a second factor; authenticates nobody. First, so that
    # the test client's force_login() signs staff in as fully as the second step does.
    "yaowen.accounts.security.backends.SecondFactorBackend",
    # Every password check, throttled; ModelBackend stays for sessions that name it.
    "yaowen.accounts.throttle.ThrottledModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# This many wrong codes for one account or from one address lock the second step for the window.
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 5)
TWO_FACTOR_LOCK_SECONDS = env_int("TWO_FACTOR_LOCK_SECONDS", 900)
# Passkeys: the relying party id (a domain, default the request's host) and the origins
# allowed to use it (default the request's own); set both behind a proxy or with several hosts.
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID")
WEBAUTHN_ORIGINS = env_list("WEBAUTHN_ORIGINS", [])

# Limits on what people send. A form post (files aside: images are uploads, not counted
# here) is refused above this size; the longest article body allowed (50,000 characters,
# newsroom.services.articles) fits percent-encoded with room to spare.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# Password reset mails: at most this many per address, and per client, in the window.
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
PASSWORD_RESET_WINDOW_SECONDS = env_int("PASSWORD_RESET_WINDOW_SECONDS", 3600)
# Registration attempts (each form post) per client address in the window.
REGISTRATION_LIMIT = env_int("REGISTRATION_LIMIT", 10)
REGISTRATION_WINDOW_SECONDS = env_int("REGISTRATION_WINDOW_SECONDS", 3600)

# Publishing: articles of trusted creators skip review when this is on.
TRUSTED_CREATORS_SKIP_REVIEW = env_bool("TRUSTED_CREATORS_SKIP_REVIEW", True)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


# Content-Security-Policy (django-csp): everything from this site only, and no inline script
# or style: anonymous pages are cached whole and served to many readers, so a per-request
# nonce cannot work; scripts and styles live in static files. Images may also be data: URLs
# and come from the media bucket or its CDN; no plugins, no framing, forms post here only.
def csp_media_origins(storage: dict) -> list[str]:
    """The origins media URLs of `storage` (a STORAGES entry) point to, besides this site."""
    options = storage.get("OPTIONS", {})
    if domain := options.get("custom_domain"):
        return [f"{options.get('url_protocol', 'https:')}//{domain.split('/')[0]}"]
    if not (bucket := options.get("bucket_name")):
        return []
    if endpoint := options.get("endpoint_url"):  # path-style or virtual-host URLs
        scheme, host = endpoint.split("://", 1)
        host = host.split("/")[0]
        return [f"{scheme}://{host}", f"{scheme}://{bucket}.{host}"]
    region = f".{options['region_name']}" if options.get("region_name") else ""
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3{region}.amazonaws.com"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *csp_media_origins(STORAGES["default"])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Every job run and failed delivery is logged (the consumer's output).
    "loggers": {"yaowen.jobs": {"level": env_str("JOBS_LOG_LEVEL", "INFO")}},
}
