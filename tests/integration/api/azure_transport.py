"""An azure-core transport over an in-process httpx client, so Microsoft's own
`azure.ai.contentsafety.aio` clients can drive the app without a server or aiohttp."""

from types import TracebackType
from typing import Any

import httpx
from azure.core.pipeline.transport import AsyncHttpTransport
from azure.core.rest import AsyncHttpResponse, HttpRequest
from azure.core.rest._http_response_impl_async import AsyncHttpResponseImpl
from azure.core.utils import CaseInsensitiveDict


class _Spent:
    """The "internal response" azure-core closes: the body is already read."""

    async def close(self) -> None:
        return None


async def _no_stream(**_: Any) -> Any:  # pragma: no cover - bodies are read eagerly
    raise TypeError("responses of this transport are read eagerly; do not stream them")


class AsgiAzureTransport(AsyncHttpTransport[HttpRequest, AsyncHttpResponse]):
    """Sends each request through `http` (an httpx client on an ASGITransport) and hands
    azure-core a response whose body is already read."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def __aenter__(self) -> "AsgiAzureTransport":
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        return None

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, request: HttpRequest, **_: Any) -> AsyncHttpResponse:
        sent = await self._http.request(
            request.method,
            request.url,
            headers=dict(request.headers),
            content=request.content,
        )
        response = AsyncHttpResponseImpl(
            request=request,
            internal_response=_Spent(),
            status_code=sent.status_code,
            reason=sent.reason_phrase,
            content_type=sent.headers.get("content-type"),
            headers=CaseInsensitiveDict(sent.headers.items()),
            stream_download_generator=_no_stream,
        )
        response._content = sent.content
        return response
