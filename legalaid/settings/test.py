"""The test suite: same services as configured (SQLite by default, PostgreSQL/Redis when
DATABASE_URL/REDIS_URL are set), tasks run inline unless a test starts real workers."""
from .base import *  # noqa: F401,F403
from .base import CACHES, REDIS_URL, env

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="test")}}
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
_UNLIMITED = "100000/min"
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"token": _UNLIMITED, "anon": _UNLIMITED}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
