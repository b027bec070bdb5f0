"""The discovery document Google's client library builds its `commentanalyzer` client from.

Written by hand (commentanalyzer_v1alpha1.json, shipped in the package) rather than generated
from the OpenAPI schema: it describes Perspective's API as this service implements it, in
Google's discovery format, which is what `googleapiclient.discovery.build` reads.
"""

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

SERVICE = "commentanalyzer"
VERSION = "v1alpha1"
_FILE = "commentanalyzer_v1alpha1.json"


@cache
def _template() -> dict[str, Any]:
    text = resources.files("moderation.api.perspective").joinpath(_FILE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def discovery_document(root_url: str) -> dict[str, Any]:
    """The document with `rootUrl` (and the legacy `baseUrl`) set to `root_url`, the service's
    external base URL; the client joins rootUrl, servicePath ("") and each method's path."""
    root = root_url if root_url.endswith("/") else f"{root_url}/"
    document = copy.deepcopy(_template())
    document["rootUrl"] = root
    document["baseUrl"] = root
    return document
