import hashlib
import time
from weakref import WeakSet

from moderation.core.jwt_verifier import JwtVerifier
from moderation.domain.models import Principal
from moderation.domain.services import ServiceSet, Transactions

# A key lookup per request would cost a database round trip; a revoked key therefore stops
# working within this many seconds.
AUTH_CACHE_SECONDS = 5.0
_LIMIT = 10_000
_live: "WeakSet[CredentialCache]" = WeakSet()


class CredentialCache:
    """Verified credentials, remembered briefly per process: the hot scoring path then
    touches no database at all. Keyed by the token's digest, never the token."""

    def __init__(
        self, transactions: Transactions, jwt: JwtVerifier, *, seconds: float = AUTH_CACHE_SECONDS
    ) -> None:
        self._transactions = transactions
        self._jwt = jwt
        self._seconds = seconds
        self._entries: dict[str, tuple[Principal, float]] = {}
        _live.add(self)

    def cached(self, token: str) -> Principal | None:
        entry = self._entries.get(_key(token))
        if entry is not None and entry[1] > time.monotonic():
            return entry[0]
        return None

    async def authenticate(self, token: str) -> Principal:
        """Verify `token` (raises `UnauthorizedError`) in a short read transaction of its own."""
        async with self._transactions.transaction(write=False) as repos:
            service = ServiceSet(repos).authentication(self._jwt)
            principal = await service.authenticate(token)
        if len(self._entries) >= _LIMIT:
            self._entries.clear()
        self._entries[_key(token)] = (principal, time.monotonic() + self._seconds)
        return principal

    def clear(self) -> None:
        self._entries.clear()


def forget_all_credentials() -> None:
    """Drop every process cache's remembered credentials (tests; after revoking a key here)."""
    for cache in list(_live):
        cache.clear()


def _key(token: str) -> str:
    # surrogatepass: a ?key= query value may hold lone surrogates; any token has one digest.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
