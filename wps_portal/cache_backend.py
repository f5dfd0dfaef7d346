"""Redis as a cache the portal can lose: when Redis stops answering, pages still serve.

Everything the portal keeps in the cache can be recomputed or done without: cached counts are
recomputed, sessions are read from the database (``cached_db``), and the API's rate limits let a
request through. So a Redis outage degrades speed and rate limiting, never availability: each
failed call is logged as a warning and answers as a cache miss (``get`` gives the default, ``add``
gives False, ``incr`` raises the ValueError a missing key raises). With ``socket_timeout`` set in
settings, a Redis that hangs costs a request that timeout, not a thread forever.

Counts cached before an outage may miss the invalidations that happened during it; they expire
after COUNT_CACHE_SECONDS (README, "Caching").
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("wps_portal.cache")


def _soft(method, on_error):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("cache %s failed, served without the cache: %s", method.__name__, error)
            return on_error(*args, **kwargs)

    return call


def _missing_key(*_args, **_kwargs):
    raise ValueError("the cache is unavailable")


def _default(_key, default=None, *_args, **_kwargs):
    return default


class ResilientRedisCache(RedisCache):
    get = _soft(RedisCache.get, _default)
    get_many = _soft(RedisCache.get_many, lambda *a, **k: {})
    has_key = _soft(RedisCache.has_key, lambda *a, **k: False)
    add = _soft(RedisCache.add, lambda *a, **k: False)
    set = _soft(RedisCache.set, lambda *a, **k: None)
    set_many = _soft(RedisCache.set_many, lambda keys, *a, **k: list(keys))
    touch = _soft(RedisCache.touch, lambda *a, **k: False)
    delete = _soft(RedisCache.delete, lambda *a, **k: False)
    delete_many = _soft(RedisCache.delete_many, lambda *a, **k: None)
    incr = _soft(RedisCache.incr, _missing_key)
    clear = _soft(RedisCache.clear, lambda *a, **k: False)
