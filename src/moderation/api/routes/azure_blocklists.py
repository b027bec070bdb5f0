"""Azure AI Content Safety's text blocklists, kept as the tenant's term rules.

Each list's name and description live in the policy's `blocklists`; each item is the term rule
`blocklist:<list>:<item id>` (category insult, action flag unless changed through
PUT /api/v1/policy), matched on normalised text like every rule, so an item acts on the native
routes too. Every change is a new policy version (audited, `PolicyChanged`).
"""

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from moderation.api.azure.api_version import check_api_version
from moderation.api.azure.azure_error import AZURE_CODE
from moderation.api.azure.azure_responses import azure_errors
from moderation.api.azure.resource_name_convertor import CONVERTOR
from moderation.api.dependencies import (
    PrincipalDep,
    RepositoriesDep,
    ServicesDep,
    SettingsDep,
    require_scope,
)
from moderation.api.schemas.azure import (
    AddOrUpdateBlocklistItemsRequest,
    AddOrUpdateBlocklistItemsResponse,
    RemoveBlocklistItemsRequest,
    TextBlocklist,
    TextBlocklistItem,
    TextBlocklistItemPage,
    TextBlocklistPage,
    TextBlocklistPatch,
)
from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import Principal, Scope
from moderation.domain.policy import BlocklistItem, ModerationPolicy, PolicyBlocklists
from moderation.domain.policy.blocklist_item import is_blocklist_name
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import ServiceSet
from moderation.domain.services.blocklist_service import Edit, T

router = APIRouter(tags=["azure"])

_PREFIX = "/contentsafety/text/blocklists"
# A list's URL; its name cannot hold ':', which starts an action (`…/{name}:removeBlocklistItems`).
_LIST = f"{_PREFIX}/{{blocklistName:{CONVERTOR}}}"
# Checked by `_name`, so a bad one is Azure's InvalidResourceName rather than a body error.
_ListName = Annotated[str, Path(alias="blocklistName")]
_READ = [Depends(require_scope(Scope.MODERATE, Scope.POLICY_ADMIN)), Depends(check_api_version)]
_WRITE = [Depends(require_scope(Scope.POLICY_ADMIN)), Depends(check_api_version)]
# Items per page when the client names no `maxpagesize`; a larger one is capped so that a
# page's cost stays bounded should the policy's rule limit ever grow.
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
# Azure's client accepts nothing but 204 here, and a 204 has no body to document.
_NO_CONTENT: dict[int | str, dict[str, Any]] = {204: {"description": "Done (no body)."}}


@router.get(
    _PREFIX,
    dependencies=_READ,
    response_model=TextBlocklistPage,
    response_model_exclude_none=True,
    responses=azure_errors(400, 401, 403, 429),
    summary="List text blocklists (Azure AI Content Safety compatible)",
)
async def list_text_blocklists(principal: PrincipalDep, services: ServicesDep) -> TextBlocklistPage:
    """Every blocklist of the tenant, in one page (a tenant has at most 100)."""
    blocklists = await services.blocklists().current(principal.tenant_id)
    return TextBlocklistPage(value=[_blocklist(blocklists, name) for name in blocklists.names()])


@router.patch(
    _LIST,
    dependencies=_WRITE,
    response_model=TextBlocklist,
    response_model_exclude_none=True,
    status_code=200,
    responses={
        201: {"description": "Created.", "model": TextBlocklist},
        **azure_errors(400, 401, 403, 409, 429),
    },
    summary="Create or update a text blocklist (Azure AI Content Safety compatible)",
)
async def create_or_update_text_blocklist(
    blocklist_name: _ListName,
    body: TextBlocklistPatch,
    principal: PrincipalDep,
    services: ServicesDep,
    repos: RepositoriesDep,
    response: Response,
) -> TextBlocklist:
    """JSON merge patch: `description` is set, or removed when null, or kept when absent.
    201 when the list is new, 200 when it existed. Blocklist names are 1 to 64 of
    `0-9 A-Z a-z . _ ~ -`, as Azure's."""
    name = _name(blocklist_name)
    if body.blocklist_name is not None and body.blocklist_name != name:
        raise InvalidRequestError("blocklistName in the body must be the name in the URL")
    changes = {"description": body.description} if "description" in body.model_fields_set else {}

    def edit(lists: PolicyBlocklists) -> tuple[ModerationPolicy, tuple[bool, TextBlocklist]]:
        policy, created = lists.with_list(name, changes)
        return policy, (created, _blocklist(PolicyBlocklists(policy), name))

    created, blocklist = await _change(principal, services, repos, edit)
    response.status_code = 201 if created else 200
    return blocklist


@router.get(
    _LIST,
    dependencies=_READ,
    response_model=TextBlocklist,
    response_model_exclude_none=True,
    responses=azure_errors(400, 401, 403, 404, 429),
    summary="Get a text blocklist (Azure AI Content Safety compatible)",
)
async def get_text_blocklist(
    blocklist_name: _ListName,
    principal: PrincipalDep,
    services: ServicesDep,
) -> TextBlocklist:
    blocklists = await services.blocklists().current(principal.tenant_id)
    return _blocklist(blocklists, _name(blocklist_name))


@router.delete(
    _LIST,
    dependencies=_WRITE,
    status_code=204,
    responses={**_NO_CONTENT, **azure_errors(400, 401, 403, 409, 429)},
    summary="Delete a text blocklist and its items (Azure AI Content Safety compatible)",
)
async def delete_text_blocklist(
    blocklist_name: _ListName,
    principal: PrincipalDep,
    services: ServicesDep,
    repos: RepositoriesDep,
) -> Response:
    """Removes the list and its items from the policy; 204 also when there was no such list,
    as Azure's REST guidelines have it (a DELETE is idempotent)."""
    name = _name(blocklist_name)
    await _change(principal, services, repos, lambda lists: (lists.without_list(name), None))
    return Response(status_code=204)


@router.post(
    _LIST + ":addOrUpdateBlocklistItems",
    dependencies=_WRITE,
    response_model=AddOrUpdateBlocklistItemsResponse,
    response_model_exclude_none=True,
    responses=azure_errors(400, 401, 403, 404, 409, 429),
    summary="Add or update blocklist items (Azure AI Content Safety compatible)",
)
async def add_or_update_blocklist_items(
    blocklist_name: _ListName,
    body: AddOrUpdateBlocklistItemsRequest,
    principal: PrincipalDep,
    services: ServicesDep,
    repos: RepositoriesDep,
) -> AddOrUpdateBlocklistItemsResponse:
    """At most 100 items per request; item texts of up to 128 characters. An item with the
    text of an existing one (ignoring case and blanks) updates it and keeps its id. The
    tenant's policy limits apply to all its rules together (1,000 rules, 16 KiB of patterns):
    an add past them is a 400 naming the limit, and nothing is stored."""
    name = _name(blocklist_name)
    inputs = [(i.text, i.description, i.blocklist_item_id) for i in body.blocklist_items]
    items = await _change(principal, services, repos, lambda lists: lists.with_items(name, inputs))
    return AddOrUpdateBlocklistItemsResponse(blocklist_items=[_item(item) for item in items])


@router.post(
    _LIST + ":removeBlocklistItems",
    dependencies=_WRITE,
    status_code=204,
    responses={**_NO_CONTENT, **azure_errors(400, 401, 403, 404, 409, 429)},
    summary="Remove blocklist items (Azure AI Content Safety compatible)",
)
async def remove_blocklist_items(
    blocklist_name: _ListName,
    body: RemoveBlocklistItemsRequest,
    principal: PrincipalDep,
    services: ServicesDep,
    repos: RepositoriesDep,
) -> Response:
    """At most 100 ids per request; ids the list does not hold are ignored."""
    name = _name(blocklist_name)
    ids = body.blocklist_item_ids
    await _change(principal, services, repos, lambda lists: (lists.without_items(name, ids), None))
    return Response(status_code=204)


@router.get(
    _LIST + "/blocklistItems",
    dependencies=_READ,
    response_model=TextBlocklistItemPage,
    response_model_exclude_none=True,
    responses=azure_errors(400, 401, 403, 404, 429),
    summary="List blocklist items (Azure AI Content Safety compatible)",
)
async def list_text_blocklist_items(
    blocklist_name: _ListName,
    request: Request,
    principal: PrincipalDep,
    services: ServicesDep,
    settings: SettingsDep,
    api_version: Annotated[str, Depends(check_api_version)],
    top: Annotated[int | None, Query(ge=0, le=1_000_000, description="At most this many.")] = None,
    skip: Annotated[int, Query(ge=0, le=1_000_000, description="Skip this many first.")] = 0,
    maxpagesize: Annotated[
        int | None, Query(ge=1, le=1_000_000, description="Items per page (at most 1,000).")
    ] = None,
) -> TextBlocklistItemPage:
    """Items in the order they were added; `nextLink` (absolute, from `public_base_url` or
    the request) while more remain."""
    name = _name(blocklist_name)
    blocklists = await services.blocklists().current(principal.tenant_id)
    blocklists.require(name)
    items = blocklists.items(name)
    size = min(maxpagesize or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if top is not None:
        size = min(size, top)
    page = items[skip : skip + size]
    after = skip + len(page)
    left = None if top is None else top - len(page)
    next_link = None
    if after < len(items) and page and (left is None or left > 0):
        query: dict[str, Any] = {"api-version": api_version, "skip": after, "maxpagesize": size}
        if left is not None:
            query["top"] = left
        base = (settings.public_base_url or str(request.base_url)).rstrip("/")
        path = f"{_PREFIX}/{quote(name, safe='')}/blocklistItems"
        next_link = f"{base}{path}?{urlencode(query)}"
    return TextBlocklistItemPage(value=[_item(item) for item in page], next_link=next_link)


@router.get(
    _LIST + f"/blocklistItems/{{blocklistItemId:{CONVERTOR}}}",
    dependencies=_READ,
    response_model=TextBlocklistItem,
    response_model_exclude_none=True,
    responses=azure_errors(400, 401, 403, 404, 429),
    summary="Get a blocklist item (Azure AI Content Safety compatible)",
)
async def get_text_blocklist_item(
    blocklist_name: _ListName,
    blocklist_item_id: Annotated[str, Path(alias="blocklistItemId")],
    principal: PrincipalDep,
    services: ServicesDep,
) -> TextBlocklistItem:
    blocklists = await services.blocklists().current(principal.tenant_id)
    return _item(blocklists.item(_name(blocklist_name), blocklist_item_id))


async def _change(
    principal: Principal, services: ServiceSet, repos: RepositorySet, edit: Edit[T]
) -> T:
    # The request's transaction holds nothing but this change, so a lost race may roll it
    # back.
    blocklists = services.blocklists(restart=repos.unit.rollback)
    # A change forgets the cached policy once committed (an effect the repository notes).
    _, result = await blocklists.change(principal.tenant_id, principal.actor, edit)
    return result


def _name(name: str) -> str:
    if not is_blocklist_name(name):
        raise InvalidRequestError(
            "a blocklist name is 1 to 64 characters of 0-9, A-Z, a-z, '.', '_', '~' and '-'",
            extra={AZURE_CODE: "InvalidResourceName"},
        )
    return name


def _blocklist(blocklists: PolicyBlocklists, name: str) -> TextBlocklist:
    return TextBlocklist(blocklist_name=name, description=blocklists.info(name).description)


def _item(item: BlocklistItem) -> TextBlocklistItem:
    return TextBlocklistItem(
        blocklist_item_id=item.item_id, description=item.description, text=item.text
    )
