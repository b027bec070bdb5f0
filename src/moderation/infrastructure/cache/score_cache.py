"""A Redis cache of `POST /api/v1/moderate` results for texts scored before."""

import hashlib
import json
import time
from collections.abc import Callable
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from moderation.domain.policy import ModerationPolicy
from moderation.domain.services import TextScorer
from moderation.infrastructure.cache.redis_breaker import RedisBreaker


class ScoreCache:
    """Remembers scoring results per (tenant, policy version, model version, text).

    The key holds the policy and model versions, so a policy change (a new version) or a new
    model makes old entries unreachable at once: a cached decision is never stale, it merely
    expires unused. When Redis fails, the texts are scored without the cache, ``on_error`` is
    called, and Redis is left alone for ``retry_interval_seconds`` so that an outage does not
    add a timeout to every request. The client belongs to the caller.
    """

    def __init__(
        self,
        client: Redis,
        ttl_seconds: int,
        *,
        prefix: str = "moderation:score:",
        on_error: Callable[[], None] | None = None,
        retry_interval_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds < 1:
            msg = "ttl_seconds must be at least 1"
            raise ValueError(msg)
        self._client = client
        self._ttl = ttl_seconds
        self._prefix = prefix
        self._breaker = RedisBreaker(
            "score_cache",
            retry_interval_seconds=retry_interval_seconds,
            on_error=on_error,
            clock=clock,
        )

    @property
    def client(self) -> Redis:
        """The Redis client this cache uses."""
        return self._client

    def key(self, tenant_id: UUID, policy_version: int, model_version: str, text: str) -> str:
        """The Redis key of one text's result."""
        # The hash is of the exact text, not of a normalised form: the result's span offsets
        # index into the text, so two texts that normalise alike may still need other spans.
        text_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        model_hash = hashlib.sha256(model_version.encode()).hexdigest()[:16]
        return f"{self._prefix}{tenant_id}:{policy_version}:{model_hash}:{text_hash}"

    async def score(
        self,
        tenant_id: UUID,
        policy_version: int,
        texts: list[str],
        policy: ModerationPolicy,
        scorer: TextScorer,
    ) -> list[dict[str, object]]:
        """The JSON form of each text's result: cached ones read, the rest scored and stored."""
        model_version = scorer.model_version
        keys = [self.key(tenant_id, policy_version, model_version, text) for text in texts]
        found = await self._read(keys)
        results: dict[str, dict[str, object]] = {}
        misses: dict[str, str] = {}  # key -> text; identical texts in one request scored once
        for key, text, raw in zip(keys, texts, found, strict=True):
            if raw is not None:
                results[key] = json.loads(raw)
            elif key not in results:
                misses[key] = text
        if misses:
            scored = await scorer.score(list(misses.values()), policy)
            fresh = {
                key: result.model_dump(mode="json")
                for key, result in zip(misses, scored, strict=True)
            }
            results.update(fresh)
            await self._write(fresh)
        return [results[key] for key in keys]

    async def _read(self, keys: list[str]) -> list[bytes | str | None]:
        if not keys or self._breaker.is_open:
            return [None] * len(keys)
        try:
            values: list[bytes | str | None] = await self._client.mget(keys)
        except (RedisError, OSError):
            self._breaker.failed("mget")
            return [None] * len(keys)
        return values

    async def _write(self, entries: dict[str, dict[str, object]]) -> None:
        if self._breaker.is_open:
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key, value in entries.items():
                    pipe.set(key, json.dumps(value, separators=(",", ":")), ex=self._ttl)
                await pipe.execute()
        except (RedisError, OSError):
            self._breaker.failed("set")
