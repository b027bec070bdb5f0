"""A database error's text (statement parameters, PostgreSQL's `DETAIL: Key (...)=(...)`) holds
request data: content, webhook secrets. A 500 answers without it and logs without it."""

import secrets
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from tests.integration.api.support import TenantHandle, content_body

from moderation.domain.models import ContentItem
from moderation.infrastructure.database.tables import TenantRow
from moderation.infrastructure.repositories import SqlContentRepository

PROBLEM_JSON = "application/problem+json"


def _fail_with_the_body_in_a_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make storing content run two inserts the database refuses on a unique name that is the
    item's body, so the body is a statement parameter and, on PostgreSQL, in the DETAIL."""

    async def add(self: SqlContentRepository, item: ContentItem, *, due_at: object) -> None:
        row = {"name": item.body[:100], "created_at": datetime.now(UTC)}
        for _ in range(2):
            await self._session.execute(insert(TenantRow).values(id=uuid.uuid4(), **row))

    monkeypatch.setattr(SqlContentRepository, "add", add)


@pytest.mark.asyncio
async def test_a_database_error_is_a_500_whose_answer_and_logs_hold_no_request_data(
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = f"whsec-{secrets.token_hex(12)}"
    _fail_with_the_body_in_a_parameter(monkeypatch)

    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(body=secret)
    )

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["request_id"] == response.headers["x-request-id"]
    assert secret not in response.text
    logged = capsys.readouterr().out + caplog.text
    assert "request.failed" in logged
    assert '"error": "IntegrityError"' in logged
    # Where it failed is kept: the frame of the statement that failed.
    assert 'test_error_redaction_api.py\\", line' in logged
    assert secret not in logged


@pytest.mark.asyncio
async def test_an_error_raised_from_a_database_error_logs_neither_message(
    app: FastAPI,
    tenant: TenantHandle,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = f"whsec-{secrets.token_hex(12)}"

    async def add(self: SqlContentRepository, item: ContentItem, *, due_at: object) -> None:
        orig = Exception(f"duplicate key: Key (body)=({item.body}) already exists")
        try:
            raise IntegrityError("INSERT INTO content_items VALUES (?)", (item.body,), orig)
        except IntegrityError as error:
            raise RuntimeError("storing failed") from error

    monkeypatch.setattr(SqlContentRepository, "add", add)
    # Not raised into the test: the server-error handler answers, and then re-raises.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(
            "/api/v1/content", headers=tenant.headers, json=content_body(body=secret)
        )

    assert response.status_code == 500
    assert secret not in response.text
    logged = capsys.readouterr().out
    assert '"error": "RuntimeError"' in logged
    assert "database error (IntegrityError" in logged
    assert secret not in logged
