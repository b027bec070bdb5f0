"""The Perspective API's discovery document, for `googleapiclient.discovery.build`."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse

from moderation.api.dependencies import SettingsDep
from moderation.api.perspective.discovery_document import SERVICE, VERSION, discovery_document
from moderation.api.perspective.google_responses import google_errors
from moderation.core.exceptions import NotFoundError

router = APIRouter(tags=["perspective"])

DISCOVERY_PATH = "/$discovery/rest"

_EXAMPLE: dict[str, Any] = {
    "kind": "discovery#restDescription",
    "discoveryVersion": "v1",
    "id": f"{SERVICE}:{VERSION}",
    "name": SERVICE,
    "version": VERSION,
    "rootUrl": "https://moderation.example.com/",
    "servicePath": "",
    "parameters": {"key": {"type": "string", "location": "query"}},
    "schemas": {"AnalyzeCommentRequest": {"id": "AnalyzeCommentRequest", "type": "object"}},
    "resources": {
        "comments": {
            "methods": {
                "analyze": {
                    "id": "commentanalyzer.comments.analyze",
                    "path": "v1alpha1/comments:analyze",
                    "httpMethod": "POST",
                    "request": {"$ref": "AnalyzeCommentRequest"},
                    "response": {"$ref": "AnalyzeCommentResponse"},
                }
            }
        }
    },
}


@router.get(
    DISCOVERY_PATH,
    summary="Discovery document of the Perspective-compatible API",
    responses={
        200: {
            "description": "Google's discovery format (abridged here).",
            "content": {"application/json": {"schema": {"type": "object"}, "example": _EXAMPLE}},
        },
        **google_errors(400, 404),
    },
    response_class=JSONResponse,
)
async def discovery_rest(
    request: Request,
    settings: SettingsDep,
    version: Annotated[
        str, Query(max_length=64, description=f"The API version; only {VERSION}.")
    ] = VERSION,
) -> JSONResponse:
    """What Google's client library reads to build its `commentanalyzer` client:

        discovery.build("commentanalyzer", "v1alpha1", developerKey=KEY,
                        discoveryServiceUrl=BASE + "/$discovery/rest?version=v1alpha1",
                        static_discovery=False)

    It describes `comments.analyze` and `comments.suggestscore`, their request and response
    schemas and the `key` parameter. `rootUrl` is `public_base_url` when set, else the URL
    this request reached (its Host, and X-Forwarded-Proto behind `trusted_proxies`). Public,
    as Google's is: a key sent with it (the client sends one) is not checked. Another
    `version` is a 404 in Google's error envelope."""
    if version != VERSION:
        raise NotFoundError(
            f"No discovery document for {SERVICE} {version[:64]}: this service describes "
            f"{SERVICE} {VERSION} only."
        )
    root = settings.public_base_url or str(request.base_url)
    return JSONResponse(discovery_document(root))
