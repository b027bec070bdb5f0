import ssl

import httpcore
import httpx

from moderation.infrastructure.network.egress_guard import EgressGuard
from moderation.infrastructure.network.guarded_network_backend import GuardedNetworkBackend


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, connecting only where the `EgressGuard` allows (checked at connect).

    Proxies and `.netrc` from the environment are ignored (`trust_env` off): a proxy would
    connect on our behalf to addresses never checked, and `.netrc` would add credentials.
    """

    def __init__(
        self,
        guard: EgressGuard,
        *,
        verify: ssl.SSLContext | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        context = verify or httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=context, trust_env=False, limits=limits)
        # httpx takes no network backend; its connection pool does, so the pool is made here
        # with the same settings httpx gives it, and the guarded backend.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedNetworkBackend(guard),
        )
