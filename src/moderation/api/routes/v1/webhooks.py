"""Webhook endpoints: register receivers for the tenant's events and read their delivery log."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response, status

from moderation.api.dependencies import PrincipalDep, WebhookServiceDep, require_scope
from moderation.api.openapi_responses import AUTHENTICATED, problems
from moderation.api.schemas import (
    CreatedWebhookResponse,
    CreateWebhookRequest,
    UpdateWebhookRequest,
    WebhookDeliveryPageResponse,
    WebhookDeliveryResponse,
    WebhookListResponse,
    WebhookResponse,
)
from moderation.domain.models import Scope, WebhookDeliveryStatus, WebhookEndpoint

router = APIRouter(
    prefix="/api/v1/webhooks",
    tags=["webhooks"],
    dependencies=[Depends(require_scope(Scope.POLICY_ADMIN))],
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CreatedWebhookResponse,
    responses=problems(*AUTHENTICATED, 400, 409, 413),
)
async def create_webhook(
    body: CreateWebhookRequest,
    principal: PrincipalDep,
    service: WebhookServiceDep,
    response: Response,
) -> CreatedWebhookResponse:
    """Register an endpoint. Every later event of the subscribed types is POSTed to it, signed
    with its secret (`Monocto-Signature`), retried with backoff for 24 h. Unless you supply one,
    a secret is generated and returned here, once.

    The URL's host must be, and resolve only to, public addresses (checked again at every
    delivery): loopback, private, link-local and similar targets are a 422 naming `url`,
    unless the operator allows private networks. Credentials in the URL are refused too."""
    endpoint, secret = await service.register(
        principal.tenant_id,
        body.url,
        event_types=[str(kind) for kind in body.event_types],
        description=body.description,
        secret=body.secret,
    )
    response.headers["Location"] = f"/api/v1/webhooks/{endpoint.id}"
    return CreatedWebhookResponse(**_webhook(endpoint).model_dump(), secret=secret)


@router.get("", response_model=WebhookListResponse, responses=problems(*AUTHENTICATED))
async def list_webhooks(principal: PrincipalDep, service: WebhookServiceDep) -> WebhookListResponse:
    """The tenant's endpoints, oldest first (secrets are not shown)."""
    endpoints = await service.list_endpoints(principal.tenant_id)
    return WebhookListResponse(items=[_webhook(endpoint) for endpoint in endpoints])


@router.get(
    "/{webhook_id}", response_model=WebhookResponse, responses=problems(*AUTHENTICATED, 404)
)
async def get_webhook(
    webhook_id: UUID, principal: PrincipalDep, service: WebhookServiceDep
) -> WebhookResponse:
    """One endpoint."""
    return _webhook(await service.get(principal.tenant_id, webhook_id))


@router.patch(
    "/{webhook_id}",
    response_model=WebhookResponse,
    responses=problems(*AUTHENTICATED, 400, 404, 413),
)
async def update_webhook(
    webhook_id: UUID,
    body: UpdateWebhookRequest,
    principal: PrincipalDep,
    service: WebhookServiceDep,
) -> WebhookResponse:
    """Change an endpoint's URL (checked as at registration), event types or description, or
    disable (`active: false`) and re-enable it. Deliveries owed to a disabled endpoint wait."""
    endpoint = await service.update(
        principal.tenant_id,
        webhook_id,
        url=body.url,
        event_types=None if body.event_types is None else [str(k) for k in body.event_types],
        active=body.active,
        description=body.description,
    )
    return _webhook(endpoint)


@router.delete(
    "/{webhook_id}", response_model=WebhookResponse, responses=problems(*AUTHENTICATED, 404)
)
async def delete_webhook(
    webhook_id: UUID, principal: PrincipalDep, service: WebhookServiceDep
) -> WebhookResponse:
    """Remove an endpoint and its delivery log; returns what was removed. Nothing more is sent
    to it (a request already in flight may still arrive)."""
    return _webhook(await service.delete(principal.tenant_id, webhook_id))


@router.get(
    "/{webhook_id}/deliveries",
    response_model=WebhookDeliveryPageResponse,
    responses=problems(*AUTHENTICATED, 404),
)
async def list_deliveries(
    webhook_id: UUID,
    principal: PrincipalDep,
    service: WebhookServiceDep,
    status_: Annotated[
        WebhookDeliveryStatus | None,
        Query(alias="status", description="pending, failed (retrying), delivered or dead"),
    ] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> WebhookDeliveryPageResponse:
    """The endpoint's delivery log, newest first: each event's status, attempts, next attempt,
    and the latest HTTP status or error."""
    found = await service.deliveries(
        principal.tenant_id, webhook_id, status=status_, page=page, size=size
    )
    return WebhookDeliveryPageResponse(
        items=[
            WebhookDeliveryResponse.model_validate(delivery.model_dump())
            for delivery in found.items
        ],
        total=found.total,
        page=found.page,
        size=found.size,
        pages=found.pages,
    )


def _webhook(endpoint: WebhookEndpoint) -> WebhookResponse:
    return WebhookResponse(
        id=endpoint.id,
        url=endpoint.url,
        event_types=list(endpoint.event_types),
        active=endpoint.active,
        description=endpoint.description,
        created_at=endpoint.created_at,
    )
