"""Redis as a cache, not as something the site needs to answer (settings.py uses this backend
whenever REDIS_URL is set).

Django's RedisCache raises when Redis cannot be reached, and every public page reads the cache:
a Redis that is down, restarting or unreachable would make the whole public site answer 500.
Here every read is then a miss and every write is dropped, so pages are built as without a
cache, a little slower. After a failure Redis is not asked again for RETRY_AFTER_SECONDS, so a
request makes at most one connection attempt (the settings give it a short connect timeout) and
the log says it once per outage and process, not once per cache call. The admin, sessions
(database) and the login throttle (django-axes, database) do not use the cache.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def tolerant(answer_when_down):
    """A cache method that answers `answer_when_down(*args)` instead of raising a Redis error."""

    def decorate(method):
        def call(self, *args, **kwargs):
            if time.monotonic() < self.down_until:
                return answer_when_down(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self.failed(error)
                return answer_when_down(*args, **kwargs)

        call.__name__ = method.__name__
        call.__doc__ = method.__doc__
        return call

    return decorate


def nothing(*args, **kwargs):
    return None


def refused(*args, **kwargs):
    return False


def default_value(key, default=None, *args, **kwargs):
    return default


def no_values(*args, **kwargs):
    return {}


def all_keys_failed(data, *args, **kwargs):
    return list(data)


class OutageTolerantRedisCache(RedisCache):
    """RedisCache whose every operation, while Redis cannot be reached, answers as a cache that
    holds nothing (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        # Per backend instance, that is per process and thread (Django's cache handler).
        self.down_until = 0.0

    def failed(self, error: RedisError) -> None:
        if isinstance(error, UNREACHABLE):
            self.down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "Redis (%s) cannot be reached (%s): serving without the cache, trying again in %d s.",
                self._servers[0],
                error,
                RETRY_AFTER_SECONDS,
            )
        else:
            logger.warning("Redis (%s) refused a cache operation (%s): serving without it.", self._servers[0], error)

    add = tolerant(refused)(RedisCache.add)
    get = tolerant(default_value)(RedisCache.get)
    set = tolerant(nothing)(RedisCache.set)
    touch = tolerant(refused)(RedisCache.touch)
    delete = tolerant(refused)(RedisCache.delete)
    get_many = tolerant(no_values)(RedisCache.get_many)
    has_key = tolerant(refused)(RedisCache.has_key)
    set_many = tolerant(all_keys_failed)(RedisCache.set_many)
    delete_many = tolerant(nothing)(RedisCache.delete_many)
    clear = tolerant(refused)(RedisCache.clear)
