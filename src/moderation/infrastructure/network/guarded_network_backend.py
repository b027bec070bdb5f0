import typing
from collections.abc import Iterable

import httpcore

from moderation.infrastructure.network.egress_guard import EgressGuard


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the guard allows, resolving each host once.

    httpcore asks for a connection by host name; this resolves it, checks every answer, and
    connects to a checked address itself, so a DNS answer that changes between the check and
    the connection (rebinding) has nothing to change. TLS is started later by httpcore on
    this stream with the URL's host name, so SNI and certificate verification are unchanged.
    """

    def __init__(self, guard: EgressGuard, backend: httpcore.AsyncNetworkBackend | None = None):
        self._guard = guard
        self._backend = backend or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._guard.resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError("host not found") from error
        failure: httpcore.ConnectError | None = None
        # Each address in the resolver's order of preference, as the OS's connect would.
        for address in addresses:
            try:
                return await self._backend.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as error:
                failure = error
        assert failure is not None  # noqa: S101 - resolve() never returns no address
        raise failure

    async def connect_unix_socket(
        self,
        path: str,  # noqa: ARG002
        timeout: float | None = None,  # noqa: ARG002
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,  # noqa: ARG002
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not a webhook target")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)
