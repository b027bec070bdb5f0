"""The Redis client every process part shares (rate limits, caches)."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

# Redis's default `databases` setting: indexes 0-15 exist on any server not configured otherwise.
_DEFAULT_DATABASES = 16


def connect_redis(url: str) -> Redis:
    """A client for `url` that fails fast: short timeouts and no client-side retries, so that
    while Redis is down callers fall back at once instead of stalling requests."""
    return Redis.from_url(
        url,
        socket_timeout=0.25,
        socket_connect_timeout=0.25,
        retry=Retry(NoBackoff(), 0),
    )


def score_cache_url(redis_url: str, broker_url: str | None, db: int | None) -> str:
    """The Redis URL of the score cache: `redis_url` on database `db` when one is given.

    Otherwise `redis_url` itself, unless the broker is Redis on the same database index: then
    the next index (wrapping at 16), so that the cache never shares a database with the task
    queue. Only the index is compared (host names cannot tell whether two URLs reach the same
    server), so a cache on another server may move too, which costs nothing. Each then keeps
    its own keyspace: `FLUSHDB`, `DBSIZE` and key scans of one never touch the other. Memory is
    still the server's: the cache's own budget bounds what it takes.
    """
    if db is not None:
        return _with_db(redis_url, db)
    own, broker = _db_index(redis_url), _db_index(broker_url) if broker_url else None
    if own is None or own != broker:
        return redis_url
    return _with_db(redis_url, (own + 1) % _DEFAULT_DATABASES)


def _db_index(url: str) -> int | None:
    """The database index of a Redis URL; None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        return None
    # As redis-py reads it: `?db=` wins over the path, which is the socket for unix://.
    index = dict(parse_qsl(parts.query)).get("db")
    if index is None and parts.scheme != "unix":
        index = parts.path.strip("/") or None
    try:
        return int(index or 0)
    except ValueError:
        return None


def _with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != "db"]
    if parts.scheme == "unix":
        # A socket URL's path is the socket, so the database goes in the query; built by hand
        # because urlunsplit drops the empty host of unix:///path.
        socket = f"unix://{parts.netloc}{parts.path}"
        return f"{socket}?{urlencode([*query, ('db', str(db))])}"
    return urlunsplit(parts._replace(path=f"/{db}", query=urlencode(query)))
