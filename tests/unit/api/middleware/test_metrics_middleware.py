import httpx
import pytest
from fastapi import APIRouter, FastAPI

from moderation.api.middleware import MetricsMiddleware
from moderation.infrastructure.metrics import ServiceMetrics


def _app(metrics: ServiceMetrics) -> FastAPI:
    app = FastAPI()
    router = APIRouter(prefix="/api/v1")

    @router.get("/content/{content_id}")
    async def content(content_id: str) -> dict[str, str]:
        return {"id": content_id}

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    app.include_router(router)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


def _count(metrics: ServiceMetrics, method: str, route: str, status: str) -> float | None:
    return metrics.registry.get_sample_value(
        "moderation_http_requests_total", {"method": method, "route": route, "status": status}
    )


@pytest.mark.asyncio
async def test_requests_are_labelled_by_route_template() -> None:
    metrics = ServiceMetrics()
    async with _client(_app(metrics)) as client:
        await client.get("/api/v1/content/abc")
        await client.get("/api/v1/content/def")

    assert _count(metrics, "GET", "/api/v1/content/{content_id}", "200") == 2
    body, _ = metrics.render()
    text = body.decode()
    assert 'route="/api/v1/content/{content_id}"' in text
    assert "/api/v1/content/abc" not in text
    duration = metrics.registry.get_sample_value(
        "moderation_http_request_duration_seconds_count",
        {"method": "GET", "route": "/api/v1/content/{content_id}"},
    )
    assert duration == 2


@pytest.mark.asyncio
async def test_unmatched_paths_share_one_label() -> None:
    metrics = ServiceMetrics()
    async with _client(_app(metrics)) as client:
        await client.get("/wp-admin/1")
        await client.get("/wp-admin/2")

    assert _count(metrics, "GET", "unmatched", "404") == 2


@pytest.mark.asyncio
async def test_app_error_counts_as_500() -> None:
    metrics = ServiceMetrics()
    async with _client(_app(metrics)) as client:
        response = await client.get("/api/v1/boom")

    assert response.status_code == 500
    assert _count(metrics, "GET", "/api/v1/boom", "500") == 1


@pytest.mark.asyncio
async def test_unknown_methods_are_folded() -> None:
    metrics = ServiceMetrics()
    async with _client(_app(metrics)) as client:
        await client.request("BREW", "/api/v1/content/x")

    assert _count(metrics, "OTHER", "/api/v1/content/{content_id}", "405") == 1
