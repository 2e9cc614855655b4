"""Production settings: everything from the environment, nothing insecure by default."""

from django.core.exceptions import ImproperlyConfigured

from coverapp.settings import env
from coverapp.settings.base import *  # noqa: F403

if not env.SECRET_KEY:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY, e.g. to the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`")
SECRET_KEY = env.SECRET_KEY
DEBUG = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = env.HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own plain-HTTP health check
SECURE_HSTS_SECONDS = 30 * 24 * 3600 if env.HTTPS else 0
