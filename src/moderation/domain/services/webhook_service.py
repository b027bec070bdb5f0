import secrets
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit
from uuid import UUID

from moderation.core.exceptions import ConflictError, InvalidRequestError, NotFoundError
from moderation.domain.models import (
    Page,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEventType,
)
from moderation.domain.repositories import WebhookDeliveryRepository, WebhookEndpointRepository
from moderation.domain.services.egress_policy import EgressPolicy

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
# Every event fans out to each subscribed endpoint in the relay's transaction: a bound keeps
# one tenant from making every relayed event expensive.
MAX_ENDPOINTS_PER_TENANT = 20
MIN_SECRET_LENGTH = 16
MAX_SECRET_LENGTH = 200
MAX_URL_LENGTH = 2048


class WebhookService:
    """A tenant's webhook endpoints and their delivery logs.

    Every URL registered (or changed to) passes the `egress` policy: a tenant may not point
    the service at addresses inside the operator's network. The deliverer checks again at each
    connection; this check is there so that the mistake is reported when it is made.
    """

    def __init__(
        self,
        endpoints: WebhookEndpointRepository,
        deliveries: WebhookDeliveryRepository,
        egress: EgressPolicy,
    ) -> None:
        self._endpoints = endpoints
        self._deliveries = deliveries
        self._egress = egress

    async def register(
        self,
        tenant_id: UUID,
        url: str,
        *,
        event_types: list[str] | None = None,
        description: str = "",
        secret: str | None = None,
    ) -> tuple[WebhookEndpoint, str | None]:
        """Add an endpoint. Returns it and, when the secret was generated here, that secret:
        the only time it is shown (it is needed to verify signatures)."""
        if await self._endpoints.count_for_tenant(tenant_id) >= MAX_ENDPOINTS_PER_TENANT:
            raise ConflictError(f"a tenant has at most {MAX_ENDPOINTS_PER_TENANT} webhooks")
        generated = None
        if secret is None:
            generated = secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        elif not MIN_SECRET_LENGTH <= len(secret) <= MAX_SECRET_LENGTH:
            raise InvalidRequestError(
                f"a webhook secret is {MIN_SECRET_LENGTH} to {MAX_SECRET_LENGTH} characters"
            )
        endpoint = WebhookEndpoint(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            url=await self._checked_url(url),
            secret=secret,
            event_types=_checked_event_types(event_types or []),
            active=True,
            description=description,
            created_at=datetime.now(UTC),
        )
        await self._endpoints.add(endpoint)
        return endpoint, generated

    async def list_endpoints(self, tenant_id: UUID) -> list[WebhookEndpoint]:
        return await self._endpoints.list_for_tenant(tenant_id)

    async def get(self, tenant_id: UUID, endpoint_id: UUID) -> WebhookEndpoint:
        endpoint = await self._endpoints.get(tenant_id, endpoint_id)
        if endpoint is None:
            raise NotFoundError("webhook not found")
        return endpoint

    async def update(
        self,
        tenant_id: UUID,
        endpoint_id: UUID,
        *,
        url: str | None = None,
        event_types: list[str] | None = None,
        active: bool | None = None,
        description: str | None = None,
    ) -> WebhookEndpoint:
        """Change the given fields. A disabled endpoint keeps its pending deliveries; they go
        out when it is enabled again (or die when their retry window ends)."""
        endpoint = await self.get(tenant_id, endpoint_id)
        changes: dict[str, object] = {}
        if url is not None:
            changes["url"] = await self._checked_url(url)
        if event_types is not None:
            changes["event_types"] = _checked_event_types(event_types)
        if active is not None:
            changes["active"] = active
        if description is not None:
            changes["description"] = description
        updated = endpoint.model_copy(update=changes)
        await self._endpoints.update(updated)
        return updated

    async def delete(self, tenant_id: UUID, endpoint_id: UUID) -> WebhookEndpoint:
        """Remove the endpoint and its delivery log; nothing more is sent to it."""
        endpoint = await self.get(tenant_id, endpoint_id)
        await self._endpoints.delete(tenant_id, endpoint_id)
        return endpoint

    async def deliveries(
        self,
        tenant_id: UUID,
        endpoint_id: UUID,
        *,
        status: WebhookDeliveryStatus | None = None,
        page: int = 1,
        size: int = 20,
    ) -> Page[WebhookDelivery]:
        """The endpoint's delivery log, newest first."""
        await self.get(tenant_id, endpoint_id)
        return await self._deliveries.page_for_endpoint(
            endpoint_id, status=status, page=page, size=size
        )

    async def _checked_url(self, url: str) -> str:
        reason = _url_refusal(url) or await self._egress.refusal(url)
        if reason is not None:
            raise InvalidRequestError(
                f"url: {reason}",
                extra={
                    "errors": [
                        {
                            "field": "body.url",
                            "location": ["body", "url"],
                            "message": reason,
                            "type": "value_error",
                        }
                    ]
                },
            )
        return url


def _url_refusal(url: str) -> str | None:
    if len(url) > MAX_URL_LENGTH:
        return f"a webhook URL is at most {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        has_userinfo = parts.username is not None or parts.password is not None
    except ValueError as error:
        return f"invalid webhook URL: {error}"
    if parts.scheme not in ("http", "https") or not host:
        return "a webhook URL is an absolute http:// or https:// URL"
    if has_userinfo:
        return "credentials in the URL are not allowed"
    if parts.fragment:
        return "a webhook URL has no #fragment"
    return None


def _checked_event_types(event_types: list[str]) -> tuple[str, ...]:
    known = {str(kind) for kind in WebhookEventType}
    unknown = sorted(set(event_types) - known)
    if unknown:
        raise InvalidRequestError(
            f"unknown event types {unknown}; known: {sorted(known)}",
        )
    # Duplicates dropped, order kept: the list is shown back to the tenant as given.
    return tuple(dict.fromkeys(event_types))
