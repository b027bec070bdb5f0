"""Which webhook URLs the egress guard refuses: every spelling of a non-public address, by text
and after resolution, and userinfo, odd schemes and overlong URLs."""

import socket
from collections.abc import Sequence

import pytest

from moderation.infrastructure.network import AddressPolicy, EgressGuard, EgressRefusedError

pytestmark = pytest.mark.asyncio

# Each spells a loopback, private, link-local, CGNAT, multicast, unspecified or reserved
# address, directly or embedded in IPv6.
NON_PUBLIC_HOSTS = [
    "127.0.0.1",
    "localhost",
    "[::1]",
    "169.254.169.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 - a target being refused, not a bind
    "0",
    "2130706433",
    "0x7f000001",
    "127.1",
    "017700000001",
    "0x7f.1",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::ffff:169.254.169.254]",
    "[::127.0.0.1]",
    "[64:ff9b::7f00:1]",
    "[64:ff9b::a00:1]",
    "[64:ff9b:1::1]",
    "[2002:7f00:1::1]",
    "[2002:a9fe:a9fe::1]",
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[fe80::1]",
    "[fe80::1%25eth0]",
    "[fec0::1]",
    "[::]",
    "224.0.0.1",
    "[ff02::1]",
    "255.255.255.255",
    "240.0.0.1",
    "192.0.2.10",
]
PUBLIC_HOSTS = [
    "93.184.216.34",
    "[2606:4700:4700::1111]",
    "[::ffff:93.184.216.34]",
    "[64:ff9b::5db8:d822]",
]


class FakeResolver:
    """DNS answers set by the test, one list per lookup (the last one repeats)."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self._answers = answers
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:  # noqa: ARG002
        self.lookups.append(host)
        if host not in self._answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        rounds = self._answers[host]
        return rounds.pop(0) if len(rounds) > 1 else rounds[0]


@pytest.mark.parametrize("host", NON_PUBLIC_HOSTS)
async def test_every_spelling_of_a_non_public_address_is_refused(host: str) -> None:
    reason = await EgressGuard().refusal(f"http://{host}:8080/hook")
    assert reason is not None
    assert reason.startswith("blocked: ")
    assert reason.endswith(" address")


@pytest.mark.parametrize("host", ["0177.0.0.1", "127.000.000.001"])
async def test_dotted_octal_is_refused_as_the_client_cannot_parse_it(host: str) -> None:
    # The C library reads 0177.0.0.1 as 127.0.0.1; httpx refuses dotted quads with leading
    # zeros, so such a URL could never be called either way.
    assert await EgressGuard().refusal(f"http://{host}/hook") == "not a valid URL"


@pytest.mark.parametrize("host", PUBLIC_HOSTS)
async def test_public_addresses_are_allowed(host: str) -> None:
    assert await EgressGuard().refusal(f"https://{host}/hook") is None


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("[::1]", True),
        ("10.1.2.3", True),
        ("100.64.0.1", True),
        ("[fd00::1]", True),
        ("2130706433", True),
        ("169.254.169.254", False),
        ("[fe80::1]", False),
        ("0.0.0.0", False),  # noqa: S104 - a target being refused, not a bind
        ("224.0.0.1", False),
    ],
)
async def test_the_private_network_setting_reallows_only_private_targets(
    host: str, allowed: bool
) -> None:
    guard = EgressGuard(AddressPolicy(allow_private=True))
    assert (await guard.refusal(f"http://{host}/hook") is None) is allowed


async def test_a_host_is_refused_when_any_of_its_answers_is_private() -> None:
    resolver = FakeResolver({"mixed.test": [["93.184.216.34", "10.0.0.7"]]})
    reason = await EgressGuard(resolver=resolver).refusal("https://mixed.test/hook")
    assert reason == "blocked: private address"
    # The tenant learns the kind, not the internal address the name resolved to.
    assert "10.0.0.7" not in reason


async def test_a_literal_address_never_reaches_the_resolver() -> None:
    resolver = FakeResolver({})
    guard = EgressGuard(resolver=resolver)
    assert await guard.refusal("http://0x7f000001/x") == "blocked: loopback address"
    assert await guard.refusal("http://[::ffff:10.0.0.1]/x") == "blocked: private address"
    assert resolver.lookups == []


async def test_a_host_that_does_not_resolve_yet_is_accepted_at_registration() -> None:
    guard = EgressGuard(resolver=FakeResolver({}))
    assert await guard.refusal("https://not-yet.test/hook") is None
    # ... but no connection can be made to it.
    with pytest.raises(OSError, match="not known"):
        await guard.resolve("not-yet.test", 443)


async def test_resolution_returns_the_checked_addresses_and_refuses_rebinding() -> None:
    # Public at registration, loopback a moment later: the second answer is what a delivery
    # would connect to, and it is refused there.
    resolver = FakeResolver({"rebind.test": [["93.184.216.34"], ["127.0.0.1"]]})
    guard = EgressGuard(resolver=resolver)
    assert await guard.resolve("rebind.test", 443) == ["93.184.216.34"]
    with pytest.raises(EgressRefusedError, match="blocked: loopback address"):
        await guard.resolve("rebind.test", 443)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://user:secret@hooks.example.com/x", "credentials in the URL are not allowed"),
        ("https://token@hooks.example.com/x", "credentials in the URL are not allowed"),
        ("http://127.0.0.1:80\\@hooks.example.com/x", "credentials in the URL are not allowed"),
        ("ftp://hooks.example.com/x", "only http:// and https:// URLs are allowed"),
        ("file:///etc/passwd", "only http:// and https:// URLs are allowed"),
        ("gopher://127.0.0.1:6379/_INFO", "only http:// and https:// URLs are allowed"),
        ("http:///x", "the URL has no host"),
        ("https://hooks.example.com/" + "a" * 2100, "a webhook URL is at most 2048 characters"),
    ],
)
async def test_urls_refused_on_their_text(url: str, expected: str) -> None:
    assert EgressGuard().url_refusal(url) == expected
    assert await EgressGuard().refusal(url) == expected
