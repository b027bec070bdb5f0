import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Sequence

import httpx

from moderation.core.config import Settings
from moderation.infrastructure.network.address_policy import AddressPolicy, IPAddress
from moderation.infrastructure.network.egress_refused_error import EgressRefusedError

Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""`(host, port) -> addresses`: how host names become IP addresses (injectable for tests)."""

MAX_URL_LENGTH = 2048
# A registration waits at most this long for DNS; a host that answers later (or never) is
# still checked, at each delivery.
REGISTRATION_RESOLVE_SECONDS = 3.0
# What the C library's inet_aton reads as an IPv4 address besides the dotted quad: 2130706433,
# 0x7f000001, 127.1, 0177.0.0.1. Such a host never reaches DNS.
_LEGACY_IPV4 = re.compile(r"[0-9a-fA-FxX.]+")


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address the operating system's resolver gives for `host` (A and AAAA answers)."""
    answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


class EgressGuard:
    """Where webhook requests may go: checked when a URL is registered, and again at every
    connection, on the addresses actually connected to.

    A URL must be absolute http(s), without credentials; its host must be, or resolve only to,
    addresses the `AddressPolicy` allows (public unicast by default). A host with one
    forbidden answer among several is refused whole: a resolver may hand out any of them.
    """

    def __init__(
        self, policy: AddressPolicy | None = None, *, resolver: Resolver | None = None
    ) -> None:
        self.policy = policy or AddressPolicy()
        self._resolver = resolver or system_resolver

    @classmethod
    def from_settings(
        cls, settings: Settings, *, resolver: Resolver | None = None
    ) -> "EgressGuard":
        """The guard the settings ask for (`webhook_allow_private_networks`)."""
        policy = AddressPolicy(allow_private=settings.webhook_allow_private_networks)
        return cls(policy, resolver=resolver)

    def url_refusal(self, url: str) -> str | None:
        """Why `url` may not be called, judged on its text alone; None when it may."""
        if len(url) > MAX_URL_LENGTH:
            return f"a webhook URL is at most {MAX_URL_LENGTH} characters"
        try:
            # The HTTP client's own parser: what is checked is what would be called.
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            return "not a valid URL"
        if parsed.scheme not in ("http", "https"):
            return "only http:// and https:// URLs are allowed"
        if parsed.userinfo:
            # The client would send them as Basic credentials to whatever answers.
            return "credentials in the URL are not allowed"
        if not parsed.host:
            return "the URL has no host"
        return None

    async def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`, every one allowed; else EgressRefusedError.

        Resolution errors (`OSError`, e.g. an unknown host) propagate."""
        literal = _literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            answers = await self._resolver(host, port)
            addresses = [ipaddress.ip_address(answer) for answer in answers]
            if not addresses:
                raise OSError(f"no address for {host}")
        for address in addresses:
            kind = self.policy.refusal(address)
            if kind is not None:
                raise EgressRefusedError(f"blocked: {kind} address")
        return [str(address) for address in addresses]

    async def refusal(self, url: str) -> str | None:
        """Why `url` may not be registered; None when it may (the domain's `EgressPolicy`).

        The text first, then every address the host resolves to now. A host that does not
        resolve yet is accepted: every delivery resolves and checks it again."""
        reason = self.url_refusal(url)
        if reason is not None:
            return reason
        parsed = httpx.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            async with asyncio.timeout(REGISTRATION_RESOLVE_SECONDS):
                await self.resolve(parsed.raw_host.decode("ascii"), port)
        except EgressRefusedError as refused:
            return refused.reason
        except (OSError, TimeoutError, ValueError):
            return None
        return None


def _literal(host: str) -> IPAddress | None:
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _LEGACY_IPV4.fullmatch(bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None
