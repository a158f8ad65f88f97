"""A Redis cache that keeps the site up when Redis is not.

The cache holds nothing that must survive: the API throttle's counters and rendered letters. When
Redis cannot be reached, each call falls back to a small in-process cache instead of raising, so a
court's notice is still received and answered (a lost notice is a defendant without a lawyer);
throttling then counts per process until Redis is back. Each outage is logged once a minute, not once
a request."""
import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("legalaid.cache")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
LOG_EVERY_SECONDS = 60


def _fail_safe(name):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailSafeRedisCache, self), name)(*args, **kwargs)
        except UNAVAILABLE as exc:
            self._report(exc)
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FailSafeRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache whose calls fall back to an in-process cache
    while Redis is unreachable. Set OPTIONS socket_connect_timeout / socket_timeout so that an
    unreachable host fails fast (settings/base.py does)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"failsafe-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self._last_report = 0.0

    def _report(self, exc):
        now = time.monotonic()
        if now - self._last_report >= LOG_EVERY_SECONDS:
            self._last_report = now
            logger.warning("Redis cache unavailable (%s: %s); using the in-process cache until it is back.",
                           type(exc).__name__, exc)

    add = _fail_safe("add")
    get = _fail_safe("get")
    set = _fail_safe("set")
    touch = _fail_safe("touch")
    delete = _fail_safe("delete")
    get_many = _fail_safe("get_many")
    has_key = _fail_safe("has_key")
    incr = _fail_safe("incr")
    set_many = _fail_safe("set_many")
    delete_many = _fail_safe("delete_many")
    clear = _fail_safe("clear")


