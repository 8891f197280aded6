"""Settings for the cinema site, read from the environment (see .env.example)."""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# DJANGO_ENV_FILE names another file (os.devnull: none), e.g. for tests of production settings.
environ.Env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or .env) before starting "
            "with DEBUG off; see .env.example."
        )
    # Only a local DEBUG run may use a throwaway key; it never reaches production.
    SECRET_KEY = "insecure-local-development-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set; name the host names the site answers to.")
# The site's public origins (https://cinema.example.org); `check --deploy` refuses an empty list.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The admin's address, outside the language prefix; another one than admin/ keeps scanners out.
ADMIN_PATH = env.str("ADMIN_PATH", default="admin/")
if not ADMIN_PATH.endswith("/") or ADMIN_PATH.startswith("/") or ADMIN_PATH == "/":
    raise ImproperlyConfigured(
        'ADMIN_PATH is a path like "staff-7f3a/": no leading slash, one at the end.'
    )

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its tabs and fields register there.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_countries",
    "solo",
    "sorl.thumbnail",
    "reversion",
    "programmes",
    "screenings",
    "operations",
    # Above both content apps: versions, conflict checks and who-else-is-here for the admin.
    "editing",
]
# The development tools (devtools/: demo loader, benchmark data, local admin account) come with
# DEBUG, or when DEVTOOLS asks for them on purpose (the tests, the benchmark); never otherwise.
DEVTOOLS = env.bool("DEVTOOLS", default=DEBUG)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

# Order matters for speed as much as for safety: health probes are answered first (no redirect,
# no session); static files and cached pages are answered before sessions, locale and CSRF are
# looked at. The security headers wrap everything; the CSP header is stored with a cached page.
MIDDLEWARE = [
    "eye_site.health.HealthCheckMiddleware",
    "eye_site.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "eye_site.cache.PageCacheMiddleware",
    # Inside the page cache: a page showing a picture still being drawn is not kept.
    "programmes.pictures.PendingPicturesMiddleware",
    # Inside the page cache, which keeps what it compressed: a cached page is compressed once.
    "django.middleware.gzip.GZipMiddleware",
    "eye_site.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eye_site.urls"

TEMPLATES = [
    # Visitor pages (jinja2/): see eye_site/jinja2.py. The admin and its preview banner's
    # surroundings stay in Django's template language (templates/).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "eye_site.jinja2.environment",
            "context_processors": ["programmes.context_processors.site"],
        },
    },
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
                "programmes.context_processors.site",
                "operations.context_processors.queue",
            ],
        },
    },
]

WSGI_APPLICATION = "eye_site.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writing transaction takes SQLite's write lock when it begins, so two admin saves at
    # once wait for each other instead of one failing with "database is locked" halfway.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keep connections between requests, check them before use (a restarted database is noticed
    # and reconnected), and give up quickly when the database is away: visitors get a 503 page.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    # Values travel apart from the SQL, so a query the site asks again and again (a film page's
    # five, with another film's values) is prepared on its connection after its fifth run and
    # not planned again: PostgreSQL's share of a film page fell from 1.4 to 0.4 ms of CPU.
    # Off (DATABASE_PREPARED_STATEMENTS=false) behind a pooler that cannot keep prepared
    # statements per client, such as PgBouncer before 1.21 in transaction mode.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
    # Search finds a name a letter or two away when their word similarity (pg_trgm's `%>`,
    # which the trigram indexes serve) reaches this: two wrong letters in a nine-letter name
    # score 0.5, unrelated names under 0.25. Set per connection, so it costs no query.
    options = DATABASES["default"]["OPTIONS"].get("options", "")
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"{options} -c pg_trgm.word_similarity_threshold=0.4".strip()
    )

# Local memory by default (one process); Redis, shared by every app server, in production.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="eye"))
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            # Without Redis the site still answers, from the database: errors are logged, not raised.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
            "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT", default=0.5),
        }
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
elif CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # The default 300 entries are too few: pages and sorl-thumbnail's image records would evict
    # each other, and every evicted thumbnail costs a query on the next render.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
# How long a cached page may live; staff edits replace it at once, this bounds what time changes
# by itself (a scheduled publication, a screening that has begun).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Pages one client (address) may have rendered for it in 10 s; past that it gets an older copy
# or a 429, so a client walking endless new addresses cannot take the render capacity. 0: no limit.
PAGE_CACHE_CLIENT_MISSES = env.int("PAGE_CACHE_CLIENT_MISSES", default=30)

# Background work (drawing pictures: programmes/pictures.py) through Django's tasks API
# (django-tasks, the backport of Django 6's django.tasks). Which queue runs it is this setting:
# - "database": jobs wait in this database for `manage.py worker` (django-tasks-db): no Redis
#   needed; `make run` and a small single-machine install;
# - "rq": RQ on Redis (django-tasks-rq), for production: any number of `manage.py worker`
#   processes on any machine that reaches TASK_REDIS_URL, the database and the media storage;
# - "immediate": each job runs at once inside the request that queues it (the test suite).
TASK_BACKEND = env.str("TASK_BACKEND", default="database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASK_BACKEND is {TASK_BACKEND!r}; it is one of: {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}
# What every worker does beside running jobs, every few seconds (operations.workers).
WORKER_SWEEPS = ["programmes.pictures.sweep", "operations.workers.prune_task_results"]
INSTALLED_APPS += ["django_tasks"]
if TASK_BACKEND == "database":
    INSTALLED_APPS += ["django_tasks_db"]
elif TASK_BACKEND == "rq":
    # A Redis of its own, or one without eviction: jobs must not be dropped as the page cache's
    # Redis drops old pages (allkeys-lru).
    TASK_REDIS_URL = env.str("TASK_REDIS_URL", default="")
    if not TASK_REDIS_URL:
        raise ImproperlyConfigured("TASK_BACKEND is rq, but TASK_REDIS_URL is not set.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": TASK_REDIS_URL,
            # A drawing job takes seconds; this only stops one that hangs.
            "DEFAULT_TIMEOUT": 600,
            # An editor's save gives up on an unreachable Redis within a second (the worker's
            # sweep queues the job later); the worker raises its own read timeout for waiting.
            "CONNECTION_KWARGS": {"socket_connect_timeout": 1, "socket_timeout": 5},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# How often an open change form tells the server it is still open (editing.presence).
EDITING_HEARTBEAT_SECONDS = 30

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch is the site's first language; English falls back to Dutch where a text is missing.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("nl",), "nl": ("en",)}
# Self-hosted jQuery UI for the admin's language tabs (the default loads it from a CDN).
JQUERY_UI_URL = "admin/vendor/jquery-ui/jquery-ui.min.js"

# Historical countries appear in film credits ("SU 1957").
COUNTRIES_OVERRIDE = {
    "SU": _("Soviet Union"),
    "CS": _("Czechoslovakia"),
    "DD": _("East Germany"),
    "YU": _("Yugoslavia"),
}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Media on S3-compatible storage when a bucket is named (django-storages); otherwise the local disk.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
# A stored name never points at other bytes: storage adds a suffix instead of overwriting, and a
# rendition's name is a hash of its source and options. So browsers may keep files for a year.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
MEDIA_STORAGE = {"BACKEND": "eye_site.media.AtomicFileSystemStorage"}
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # The CDN in front of the bucket; media URLs point there.
            "custom_domain": env.str("MEDIA_CDN_DOMAIN", default="") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    }
MEDIA_HOST = env.str("MEDIA_CDN_DOMAIN", default="")

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: what an editor may send as a poster, still or campaign image.
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=15 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = env.int("IMAGE_UPLOAD_MAX_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

THUMBNAIL_PRESERVE_FORMAT = False
THUMBNAIL_QUALITY = 82
THUMBNAIL_UPSCALE = False
# Pillow's engine, with AVIF renditions encoded fast enough to make during a request.
THUMBNAIL_ENGINE = "programmes.thumbnails.Engine"

LOGIN_URL = "admin:login"

# Uploaded media are served by the app on a single machine; off when object storage serves them.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not AWS_STORAGE_BUCKET_NAME)

# Django 6 makes https the default scheme of URL form fields; opt in now.
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Production: behind a TLS-terminating load balancer -----------------------------------------
# The load balancer says which requests came in over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
# How many proxies (load balancer, CDN) stand before the app, for the client's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content-Security-Policy (django-csp): everything from our own origin, nothing inline, no frames.
_MEDIA_SOURCES = [f"https://{MEDIA_HOST}"] if MEDIA_HOST else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_SOURCES],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# What admin pages need on top (see eye_site/security.py): django-rq's queue pages write inline
# style attributes.
ADMIN_CSP_UPDATE = {"style-src-attr": ["'unsafe-inline'"]}

PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Admin login limiting (django-axes): five wrong passwords from one address for one user name
# lock that pair out for a while; the lockout page says so and says for how long.
AUTHENTICATION_BACKENDS = [
    "eye_site.security.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "eye_site.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "eye_site.security.client_ip"

# Structured logs: one JSON object a line on stderr, each with the request's id.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "eye_site.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Disallowed hosts are scanners' noise, not our errors.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
