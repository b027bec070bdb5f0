"""Which paths answer errors in a vendor's envelope instead of problem+json, and how.

Drop-in routes must fail the way the vendor fails, or that vendor's client library cannot raise
its own exception types. Every error is first built as problem+json (one error model inside the
service) and rewritten here on the way out: by the exception handlers for errors raised in a
route, and by `VendorEnvelopeMiddleware` for those the middleware answers (413, NUL bytes).
"""

import json
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse, Response

from moderation.api.azure.azure_error import AZURE_PREFIX, azure_envelope
from moderation.api.openai.openai_error import OPENAI_PATH, openai_envelope
from moderation.api.perspective.google_error import GOOGLE_PREFIXES, google_envelope

# (status, the problem+json body) -> the vendor's status and error body.
Envelope = Callable[[int, dict[str, Any]], tuple[int, dict[str, Any]]]

_EXACT: dict[str, Envelope] = {OPENAI_PATH: openai_envelope}
_PREFIXES: list[tuple[str, Envelope]] = [
    (AZURE_PREFIX, azure_envelope),
    *((prefix, google_envelope) for prefix in GOOGLE_PREFIXES),
]


def envelope_for(path: str) -> Envelope | None:
    """The envelope errors on `path` leave in, or None for problem+json."""
    exact = _EXACT.get(path)
    if exact is not None:
        return exact
    return next((envelope for prefix, envelope in _PREFIXES if path.startswith(prefix)), None)


def problem_body(raw: bytes) -> dict[str, Any]:
    """A problem+json body as a dict (empty when it is not one)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def vendor_response(path: str, problem: Response) -> Response:
    """`problem` in the envelope of `path`'s vendor, with the same status and headers."""
    envelope = envelope_for(path)
    if envelope is None:
        return problem
    headers = {
        k: v
        for k, v in problem.headers.items()
        if k.lower() not in ("content-length", "content-type")
    }
    status, body = envelope(problem.status_code, problem_body(bytes(problem.body)))
    return JSONResponse(body, status_code=status, headers=headers)
