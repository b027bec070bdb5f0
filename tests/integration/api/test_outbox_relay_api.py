"""Events leave through the outbox: API changes reach NATS JetStream once per event, in order.

Real SQLite and PostgreSQL (fresh databases for this module, so the backlog counted is only
ours) and the real NATS server at 127.0.0.1:4222; each test gets its own stream and subjects.
"""

import asyncio
import contextlib
import json
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient
from nats.errors import NoServersError
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.integration.api.support import (
    ALL_SCOPES,
    TenantHandle,
    content_body,
    make_settings,
    scratch_postgresql,
    wait_until_decided,
)
from tests.unit.domain.event_schema_assertions import assert_valid_event

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.domain.events import EventEnvelope
from moderation.domain.models import DomainEvent
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import TenantService
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.database.tables import OutboxRow
from moderation.infrastructure.messaging import NatsEventSink, OutboxRelay
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

NATS_URL = "nats://127.0.0.1:4222"


# --- This module's own databases: the shared ones hold other tests' unrelayed events. -----


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('relay') / 'relay.db'}"
    Migrator(url).upgrade()
    return url


@pytest.fixture(scope="module")
def postgresql_url() -> Iterator[str]:
    with scratch_postgresql("moderation_relay") as url:
        yield url


# --- NATS: a stream and subject prefix per test, deleted afterwards. ---------------------


@dataclass(frozen=True)
class _Stream:
    name: str
    prefix: str
    jetstream: JetStreamContext

    async def messages(self) -> list[RawStreamMsg]:
        try:
            state = (await self.jetstream.stream_info(self.name)).state
        except NotFoundError:
            return []
        if not state.messages:
            return []
        return [
            await self.jetstream.get_msg(self.name, seq)
            for seq in range(state.first_seq, state.last_seq + 1)
        ]


@pytest_asyncio.fixture
async def stream() -> AsyncIterator[_Stream]:
    client = NatsClient()
    try:
        await client.connect(NATS_URL, allow_reconnect=False, max_reconnect_attempts=1)
    except Exception as error:  # pragma: no cover - machine setup
        await client.close()
        pytest.skip(f"NATS not reachable at {NATS_URL}: {error}")
    token = uuid.uuid4().hex[:12]
    handle = _Stream(f"TEST_{token}", f"test.{token}.events", client.jetstream(timeout=5))
    try:
        yield handle
    finally:
        with contextlib.suppress(NotFoundError):
            await handle.jetstream.delete_stream(handle.name)
        await client.close()


def _event_settings(database_url: str, stream: _Stream, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "events_url": NATS_URL,
        "events_stream": stream.name,
        "events_subject_prefix": stream.prefix,
        "relay_poll_seconds": 0.05,
        "relay_max_backoff_seconds": 0.05,
        "worker_poll_seconds": 0.02,
    }
    values.update(overrides)
    return make_settings(database_url, **values)


@pytest.fixture
def settings(database_url: str, stream: _Stream) -> Settings:
    """The conftest's `app` with the relay publishing to this test's stream."""
    return _event_settings(database_url, stream)


@contextlib.asynccontextmanager
async def _service(
    settings: Settings, engine: Engine
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, TenantHandle]]:
    app = create_app(settings, engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        async with app.state.resources.database.transaction() as session:
            tenant = await _new_tenant(session)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield app, client, tenant
    forget_credentials()


async def _new_tenant(session: AsyncSession) -> TenantHandle:
    service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
    tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
    _, key = await service.create_key(tenant.name, set(ALL_SCOPES))
    return TenantHandle(name=tenant.name, id=tenant.id, key=key)


async def _create(client: httpx.AsyncClient, tenant: TenantHandle, body: str) -> str:
    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(body=body)
    )
    assert response.status_code == 201, response.text
    content_id: str = response.json()["id"]
    return content_id


async def _outbox(database: Database, tenant: TenantHandle) -> list[OutboxRow]:
    async with database.transaction(write=False) as session:
        rows = await session.scalars(
            select(OutboxRow)
            .where(OutboxRow.tenant_id == tenant.id)
            .order_by(OutboxRow.occurred_at, OutboxRow.event_id)
        )
        return list(rows)


async def _eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


async def _all_published(database: Database) -> bool:
    relay = OutboxRelay(database, [])
    return await relay.unpublished_count() == 0


def _tenant_messages(messages: list[RawStreamMsg], tenant: TenantHandle) -> list[RawStreamMsg]:
    return [m for m in messages if m.subject is not None and f".{tenant.id}." in m.subject]


def _msg_id(message: RawStreamMsg) -> str:
    assert message.headers is not None
    value: str = message.headers["Nats-Msg-Id"]
    return value


# --- Tests --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_api_events_reach_nats_once_each_in_order_and_match_their_schemas(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, stream: _Stream
) -> None:
    database: Database = app.state.resources.database
    policy = await client.put("/api/v1/policy", headers=tenant.headers, json={})
    assert policy.status_code == 200, policy.text
    ids = [await _create(client, tenant, f"Thanks for the help, post {n}") for n in range(3)]
    for content_id in ids:
        await wait_until_decided(client, tenant, content_id)
    decided = await client.post(
        f"/api/v1/content/{ids[0]}/moderate",
        headers=tenant.headers,
        json={"status": "rejected", "reasons": ["spam"]},
    )
    assert decided.status_code == 200, decided.text

    await _eventually(lambda: _all_published(database))

    rows = await _outbox(database, tenant)
    assert sorted(row.event_type for row in rows) == sorted(
        ["PolicyChanged", "ContentDecided"] + ["ContentCreated", "ContentModerated"] * 3
    )
    assert all(row.published_at is not None for row in rows)
    messages = _tenant_messages(await stream.messages(), tenant)
    # Exactly once per event, and nothing else.
    assert sorted(_msg_id(m) for m in messages) == sorted(str(row.event_id) for row in rows)
    by_id = {str(row.event_id): row for row in rows}
    for message in messages:
        row = by_id[_msg_id(message)]
        assert message.subject == f"{stream.prefix}.{tenant.id}.{row.event_type}"
        assert message.data is not None
        document = json.loads(message.data)
        assert_valid_event(document)
        assert document == json.loads(EventEnvelope.from_event(_domain(row)).to_json())
    # Each aggregate's events are in the stream in the order they occurred.
    for aggregate in {row.aggregate_id for row in rows}:
        expected = [str(r.event_id) for r in rows if r.aggregate_id == aggregate]
        seen = [_msg_id(m) for m in messages if by_id[_msg_id(m)].aggregate_id == aggregate]
        assert seen == expected


@pytest.mark.asyncio
async def test_a_crash_between_publish_and_commit_republishes_and_nats_keeps_one_copy(
    database_url: str, tiny_engine: Engine, stream: _Stream
) -> None:
    settings = _event_settings(database_url, stream, relay_enabled=False, worker_enabled=False)
    async with _service(settings, tiny_engine) as (app, client, tenant):
        database: Database = app.state.resources.database
        for n in range(3):
            await _create(client, tenant, f"post {n}")
        nats = NatsEventSink(NATS_URL, stream=stream.name, subject_prefix=stream.prefix)
        crash = _CrashAfterPublish()
        relay = OutboxRelay(database, [nats, crash])
        try:
            with pytest.raises(RuntimeError, match="crashed"):
                await relay.run_once()
            # The broker has the batch but the outbox does not know: nothing was marked.
            assert len(_tenant_messages(await stream.messages(), tenant)) == 3
            assert all(row.published_at is None for row in await _outbox(database, tenant))

            assert await relay.run_once() == 3
        finally:
            await relay.stop()

        rows = await _outbox(database, tenant)
        assert all(row.published_at is not None for row in rows)
        assert crash.calls == 2
        messages = _tenant_messages(await stream.messages(), tenant)
        assert sorted(_msg_id(m) for m in messages) == sorted(str(r.event_id) for r in rows)
        assert await relay.run_once() == 0


@pytest.mark.asyncio
async def test_the_relay_keeps_events_while_nats_is_down_and_sends_them_when_it_returns(
    database_url: str, tiny_engine: Engine, stream: _Stream
) -> None:
    port = _free_port()
    settings = _event_settings(
        database_url, stream, events_url=f"nats://127.0.0.1:{port}", worker_enabled=False
    )
    async with _service(settings, tiny_engine) as (app, client, tenant):
        database: Database = app.state.resources.database
        relay: OutboxRelay = app.state.resources.relay
        first = await _create(client, tenant, "written while the broker is down")
        await asyncio.sleep(0.3)  # several failed attempts at the relay's 50 ms backoff

        # The API kept working, the events wait in the outbox, nothing reached the stream.
        second = await _create(client, tenant, "still accepted")
        assert {str(row.aggregate_id) for row in await _outbox(database, tenant)} == {
            first,
            second,
        }
        assert await relay.unpublished_count() == 2
        assert _tenant_messages(await stream.messages(), tenant) == []

        async with _TcpProxy(port, 4222):
            await _eventually(lambda: _all_published(database))

        messages = _tenant_messages(await stream.messages(), tenant)
        rows = await _outbox(database, tenant)
        assert [_msg_id(m) for m in messages] == [str(row.event_id) for row in rows]


@pytest.mark.asyncio
async def test_a_relay_pointed_at_a_dead_broker_fails_fast_and_changes_nothing(
    database_url: str, tiny_engine: Engine, stream: _Stream
) -> None:
    settings = _event_settings(database_url, stream, relay_enabled=False, worker_enabled=False)
    async with _service(settings, tiny_engine) as (app, client, tenant):
        database: Database = app.state.resources.database
        await _create(client, tenant, "nobody listens on port 1")
        relay = OutboxRelay(database, [NatsEventSink("nats://127.0.0.1:1", stream=stream.name)])
        try:
            started = asyncio.get_running_loop().time()
            with pytest.raises(NoServersError):
                await relay.run_once()
            assert asyncio.get_running_loop().time() - started < 1.0
        finally:
            await relay.stop()
        assert [row.published_at for row in await _outbox(database, tenant)] == [None]


# --- Helpers --------------------------------------------------------------------------------


class _CrashAfterPublish:
    """A sink after the broker's that fails once: the process 'died' before the commit."""

    def __init__(self) -> None:
        self.calls = 0

    async def publish(self, repos: RepositorySet, events: list[DomainEvent]) -> None:  # noqa: ARG002
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("crashed before commit")


class _TcpProxy:
    """Forwards a local port to NATS: the broker 'comes back' on the port the relay uses."""

    def __init__(self, port: int, target_port: int) -> None:
        self._port = port
        self._target = target_port
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> "_TcpProxy":
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self._port)
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self._target)
        self._writers += [writer, upstream_writer]
        await asyncio.gather(
            _pipe(reader, upstream_writer), _pipe(upstream_reader, writer), return_exceptions=True
        )


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _domain(row: OutboxRow) -> DomainEvent:
    return DomainEvent(
        event_id=row.event_id,
        event_type=row.event_type,
        tenant_id=row.tenant_id,
        aggregate_id=row.aggregate_id,
        occurred_at=row.occurred_at,
        version=row.version,
        payload=row.payload,
    )
