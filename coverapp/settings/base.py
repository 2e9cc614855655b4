"""Settings shared by every environment; development defaults (`manage.py` uses this module)."""

from __future__ import annotations

from importlib.util import find_spec

from coverapp.settings import env

BASE_DIR = env.BASE_DIR
SECRET_KEY = env.SECRET_KEY or "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "coverapp.covers",
]
# The editors' UI is its own app; the API works without it.
if find_spec("frontend.apps") is not None:
    INSTALLED_APPS.append("frontend")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "coverapp.urls"
WSGI_APPLICATION = "coverapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": {**env.DATABASE, "CONN_MAX_AGE": 60}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web process and a worker write the same file: wait for the lock instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    # Take the write lock when a transaction starts, so concurrent writers (parallel uploads, a
    # worker) wait for it instead of failing with "database is locked" on the lock upgrade.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    env.VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": env.REDIS_URL}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.STATIC_ROOT
# Front-end libraries installed by npm (package.json), served as static files, never copied in.
STATICFILES_DIRS = [("vendor/cropperjs", BASE_DIR / "node_modules/cropperjs/dist")]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT

if env.STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.S3_BUCKET,
            "endpoint_url": env.S3_ENDPOINT_URL,
            "region_name": env.S3_REGION,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
elif env.STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ValueError(f"COVERAPP_STORAGE={env.STORAGE!r}: use 'local' or 's3'")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads larger than this go to a temporary file rather than memory; the hard limit is ours.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "coverapp.covers.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "coverapp.covers.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CoverApp API",
    "DESCRIPTION": (
        "Upload candidate cover images for an article, read them back ranked with reasons and "
        "crops per slot ratio, override a crop, choose the cover, and register a signed webhook."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed package, not a CDN: nothing is fetched at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CELERY_BROKER_URL = env.CELERY_BROKER_URL
if CELERY_BROKER_URL.startswith("filesystem"):
    for _folder in ("queue", "processed", "control"):
        (env.BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(env.BROKER_FOLDER / "queue"),
        "data_folder_out": str(env.BROKER_FOLDER / "queue"),
        "processed_folder": str(env.BROKER_FOLDER / "processed"),
        "control_folder": str(env.BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.BROKER_VISIBILITY_TIMEOUT_S,
                                       "global_keyprefix": env.BROKER_KEY_PREFIX}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "workers.tasks.assess_image": {"queue": "gpu"},
    "workers.tasks.notify_article": {"queue": "default"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

COVERAPP_CHECKPOINT = env.CHECKPOINT
COVERAPP_DEVICE = env.DEVICE
COVERAPP_ASSESSOR = env.ASSESSOR
COVERAPP_MIRROR = env.MIRROR
COVERAPP_REFINE = env.REFINE
COVERAPP_ASSESS_PAUSE_S = env.ASSESS_PAUSE_S
COVERAPP_MAX_UPLOAD_BYTES = env.MAX_UPLOAD_BYTES
COVERAPP_MAX_IMAGE_PIXELS = env.MAX_IMAGE_PIXELS
COVERAPP_MIN_IMAGE_SIDE = env.MIN_IMAGE_SIDE
# pHash Hamming distance (of 64 bits) at or below which two candidates count as near duplicates.
COVERAPP_NEAR_DUPLICATE_DISTANCE = 6
COVERAPP_EARLIER_COVER_DAYS = env.EARLIER_COVER_DAYS
COVERAPP_SLOT_WIDTH = env.SLOT_WIDTH
# Seconds between the article page's polls while nothing is pending (another editor's changes).
COVERAPP_IDLE_POLL_S = 20
COVERAPP_WEBHOOK_TIMEOUT_S = 10
COVERAPP_WEBHOOK_ALLOW_PRIVATE = env.WEBHOOK_ALLOW_PRIVATE
COVERAPP_FETCH_ALLOW_PRIVATE = env.FETCH_ALLOW_PRIVATE
COVERAPP_FETCH_TIMEOUT_S = 10  # per connection attempt and per read of an image URL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
