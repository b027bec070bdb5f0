"""The tenant's moderation policy: thresholds, actions, term lists, languages; versioned."""

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Response

from moderation.api.dependencies import (
    PolicyServiceDep,
    PrincipalDep,
    TenantPolicyDep,
    require_scope,
)
from moderation.api.openapi_responses import AUTHENTICATED, problems
from moderation.api.schemas import POLICY_EXAMPLE, PolicyResponse
from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import Scope
from moderation.domain.policy import ModerationPolicy, TenantPolicy

router = APIRouter(prefix="/api/v1/policy", tags=["policy"])


@router.get(
    "",
    response_model=PolicyResponse,
    dependencies=[Depends(require_scope(Scope.POLICY_ADMIN, Scope.MODERATE))],
    responses=problems(*AUTHENTICATED),
)
async def get_policy(tenant_policy: TenantPolicyDep, response: Response) -> PolicyResponse:
    """The policy in force. Version 0 is the built-in default (flag at 0.3, reject above 0.7).
    The `ETag` is the version; send it back as `If-Match` on PUT to avoid lost updates."""
    response.headers["ETag"] = f'"{tenant_policy.version}"'
    return _policy(tenant_policy)


@router.put(
    "",
    response_model=PolicyResponse,
    dependencies=[Depends(require_scope(Scope.POLICY_ADMIN))],
    responses=problems(*AUTHENTICATED, 400, 409, 413),
)
async def put_policy(
    policy: Annotated[ModerationPolicy, Body(examples=[POLICY_EXAMPLE])],
    principal: PrincipalDep,
    service: PolicyServiceDep,
    response: Response,
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            max_length=20,
            # ASCII digits only: str.isdigit() also admits "²", which int() then refuses.
            pattern=r'^(W/)?"?[0-9]{1,9}"?$',
            description="The version you read (ETag).",
        ),
    ] = None,
) -> PolicyResponse:
    """Replace the policy; it becomes the next version and applies to decisions from now on.
    Every decision records the policy version it used. Emits `PolicyChanged`.

    Term rules are bounded: at most 1,000 rules (100 of them regexes), 16 KiB of patterns in
    all, words and phrases of up to 200 characters, regexes of up to 300. Regexes use RE2
    syntax and run in linear time; backreferences, lookaround, atomic groups, possessive
    quantifiers, patterns that compile too large and patterns that match the empty string
    are refused. Any refusal is a 422 whose `errors` name the rule (`term_rules.<index>`)."""
    expected = _version(if_match) if if_match is not None else None
    updated = await service.replace(
        principal.tenant_id, policy, principal.actor, expected_version=expected
    )
    response.headers["ETag"] = f'"{updated.version}"'
    return _policy(updated)


def _version(if_match: str) -> int:
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidRequestError('If-Match must be a policy version, e.g. "3"')
    return int(value)


def _policy(tenant_policy: TenantPolicy) -> PolicyResponse:
    return PolicyResponse(
        version=tenant_policy.version,
        created_at=tenant_policy.created_at,
        created_by=tenant_policy.created_by,
        policy=tenant_policy.policy,
    )
