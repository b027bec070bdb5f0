import httpx
import pytest
from tests.integration.api.support import TenantHandle, wait_until_decided


@pytest.mark.asyncio
async def test_content_is_stored_then_decided_by_the_engine(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    created = await client.post(
        "/api/v1/content",
        headers=tenant.headers,
        json={
            "title": "hello",
            "body": "You are a stupid idiot and I hate you",
            "content_type": "text",
            "author_id": "u-1",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["moderation_status"] == "pending"
    decided = await wait_until_decided(client, tenant, created.json()["id"])
    assert decided["moderation_status"] in {"flagged", "rejected"}
    assert decided["moderated_by"] == "engine"
