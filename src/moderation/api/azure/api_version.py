"""Azure's `api-version` query parameter, required on every Content Safety request."""

import re
from typing import Annotated

from fastapi import Query

from moderation.api.azure.azure_error import AZURE_CODE
from moderation.core.exceptions import InvalidRequestError

# The GA versions, whose text:analyze and blocklist shapes are the same. Previews are refused:
# 2023-04-30-preview spells blocklists differently (blockItems), later ones add features
# (regex items, incident categories) that are not served here.
SUPPORTED_API_VERSIONS = ("2023-10-01", "2024-09-01")
_SHOWABLE = re.compile(r"[0-9A-Za-z.-]{1,40}")


async def check_api_version(
    api_version: Annotated[
        str | None,
        Query(
            alias="api-version",
            max_length=100,
            description=f"One of {', '.join(SUPPORTED_API_VERSIONS)} (the client sends it).",
        ),
    ] = None,
) -> str:
    """The request's api-version; a 400 in Azure's words when it is missing or unknown
    (Azure's REST guidelines: MissingApiVersionParameter, UnsupportedApiVersionValue)."""
    supported = ", ".join(SUPPORTED_API_VERSIONS)
    if not api_version:
        raise InvalidRequestError(
            f"The api-version query parameter (?api-version=) is required for all requests; "
            f"supported versions: {supported}.",
            extra={AZURE_CODE: "MissingApiVersionParameter"},
        )
    if api_version not in SUPPORTED_API_VERSIONS:
        # Echoed only when it is plainly a version string: the message goes back as JSON, but
        # a reflected arbitrary value helps no one.
        shown = f" '{api_version}'" if _SHOWABLE.fullmatch(api_version) else ""
        raise InvalidRequestError(
            f"The HTTP resource that matches the request URI does not support the API "
            f"version{shown}; supported versions: {supported}.",
            extra={AZURE_CODE: "UnsupportedApiVersionValue"},
        )
    return api_version
