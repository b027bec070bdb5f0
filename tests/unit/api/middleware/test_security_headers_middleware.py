import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from moderation.api.middleware import SecurityHeadersMiddleware

CSP = "default-src 'none'; frame-ancestors 'none'"


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/thing")
    async def thing() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/cacheable")
    async def cacheable() -> JSONResponse:
        return JSONResponse(
            {}, headers={"Cache-Control": "max-age=60", "X-Frame-Options": "SAMEORIGIN"}
        )

    app.add_middleware(SecurityHeadersMiddleware)
    return app


async def _get(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/api/v1/thing", "/nowhere"])
async def test_api_responses_get_every_header(path: str) -> None:
    response = await _get(path)

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-security-policy"] == CSP


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
async def test_docs_pages_get_no_csp(path: str) -> None:
    response = await _get(path)

    assert response.status_code == 200
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.asyncio
async def test_headers_set_by_the_route_are_kept() -> None:
    response = await _get("/cacheable")

    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert response.headers["content-security-policy"] == CSP
