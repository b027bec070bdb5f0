"""The guarded transport against real loopback servers: it connects to the address it checked
(not to whatever DNS says next), keeps the URL's host for the Host header, TLS SNI and the
certificate check, and refuses forbidden addresses before any connection."""

import asyncio
import contextlib
import datetime
import socket
import ssl
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from moderation.infrastructure.network import (
    AddressPolicy,
    EgressGuard,
    EgressRefusedError,
    GuardedTransport,
)
from moderation.infrastructure.webhooks.failure_reason import failure_reason

pytestmark = pytest.mark.asyncio


class _Server:
    """Answers every request 200 and records its Host header, its TLS server name, and how
    many connections it accepted."""

    def __init__(self) -> None:
        self.hosts: list[str] = []
        self.server_names: list[str | None] = []
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "host":
                    self.hosts.append(value.strip())
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, ssl.SSLError):
                await writer.wait_closed()


@contextlib.asynccontextmanager
async def _serving(server: _Server, tls: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    if tls is not None:

        def record(_sock: object, name: str | None, _context: object) -> None:
            server.server_names.append(name)

        tls.sni_callback = record
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=tls)
    try:
        yield listener.sockets[0].getsockname()[1]
    finally:
        listener.close()
        await listener.wait_closed()


class _Resolver:
    def __init__(self, answers: dict[str, Sequence[str]]) -> None:
        self._answers = answers

    async def __call__(self, host: str, port: int) -> Sequence[str]:  # noqa: ARG002
        if host not in self._answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self._answers[host]


def _client(guard: EgressGuard, verify: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=GuardedTransport(guard, verify=verify), timeout=5.0, trust_env=False
    )


def _tls_contexts(tmp_path: Path, server_name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context with a certificate for `server_name`, client context trusting its CA)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "egress test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, server_name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(server_name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "leaf.pem", tmp_path / "leaf.key"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return server, client


async def test_the_connection_goes_to_the_checked_address_with_the_url_host() -> None:
    server = _Server()
    # hooks.test is unknown to the system's resolver: reaching the server proves the
    # connection used the address the guard resolved and checked.
    guard = EgressGuard(
        AddressPolicy(allow_private=True), resolver=_Resolver({"hooks.test": ["127.0.0.1"]})
    )
    async with _serving(server) as port, _client(guard) as client:
        reply = await client.post(f"http://hooks.test:{port}/hook", content=b"{}")
    assert reply.status_code == 200
    assert server.hosts == [f"hooks.test:{port}"]


async def test_tls_uses_the_url_host_for_sni_and_the_certificate(tmp_path: Path) -> None:
    server = _Server()
    server_tls, client_tls = _tls_contexts(tmp_path, "hooks.test")
    guard = EgressGuard(
        AddressPolicy(allow_private=True), resolver=_Resolver({"hooks.test": ["127.0.0.1"]})
    )
    async with _serving(server, server_tls) as port, _client(guard, client_tls) as client:
        reply = await client.post(f"https://hooks.test:{port}/hook", content=b"{}")
    assert reply.status_code == 200
    assert server.server_names == ["hooks.test"]
    assert server.hosts == [f"hooks.test:{port}"]


async def test_a_certificate_for_another_name_is_refused(tmp_path: Path) -> None:
    server = _Server()
    server_tls, client_tls = _tls_contexts(tmp_path, "other.test")
    guard = EgressGuard(
        AddressPolicy(allow_private=True), resolver=_Resolver({"hooks.test": ["127.0.0.1"]})
    )
    async with _serving(server, server_tls) as port, _client(guard, client_tls) as client:
        with pytest.raises(httpx.ConnectError) as raised:
            await client.post(f"https://hooks.test:{port}/hook", content=b"{}")
    assert failure_reason(raised.value, 10) == "TLS certificate not valid for the host"
    assert server.hosts == []


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "[::ffff:127.0.0.1]", "rebind.test"])
async def test_forbidden_addresses_are_refused_before_connecting(host: str) -> None:
    server = _Server()
    guard = EgressGuard(resolver=_Resolver({"rebind.test": ["127.0.0.1"]}))
    async with _serving(server) as port, _client(guard) as client:
        with pytest.raises(EgressRefusedError, match="blocked: loopback address"):
            await client.post(f"http://{host}:{port}/hook", content=b"{}")
    assert server.connections == 0


async def test_a_name_that_rebinds_after_the_check_is_refused_at_connect() -> None:
    server = _Server()
    answers: dict[str, Sequence[str]] = {"rebind.test": ["93.184.216.34"]}
    guard = EgressGuard(resolver=_Resolver(answers))
    # Registration saw a public address...
    assert await guard.refusal("http://rebind.test/hook") is None
    # ...then the name's owner points it at the service's own network.
    answers["rebind.test"] = ["127.0.0.1"]
    async with _serving(server) as port, _client(guard) as client:
        with pytest.raises(EgressRefusedError):
            await client.post(f"http://rebind.test:{port}/hook", content=b"{}")
    assert server.connections == 0


async def test_environment_proxies_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy would connect on our behalf to an address never checked.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    server = _Server()
    guard = EgressGuard(AddressPolicy(allow_private=True))
    async with _serving(server) as port, _client(guard) as client:
        reply = await client.post(f"http://127.0.0.1:{port}/hook", content=b"{}")
    assert reply.status_code == 200
    assert server.connections == 1


async def test_failures_are_described_without_the_error_text() -> None:
    guard = EgressGuard(AddressPolicy(allow_private=True), resolver=_Resolver({}))
    listener = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    listener.close()
    await listener.wait_closed()  # nothing listens there now
    async with _client(guard) as client:
        with pytest.raises(httpx.ConnectError) as refused:
            await client.post(f"http://127.0.0.1:{port}/hook", content=b"{}")
        with pytest.raises(httpx.ConnectError) as unknown:
            await client.post("http://unknown.test/hook", content=b"{}")
    assert failure_reason(refused.value, 10) == "connection refused"
    assert failure_reason(unknown.value, 10) == "host not found"
