"""Refuses, on every route, text that no database stores, before any route sees it."""

import json
import re
from collections.abc import Collection
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moderation.api.problem_details import validation_problem
from moderation.core.storable_text import (
    NUL_MESSAGE,
    NUL_TYPE,
    printable,
    unstorable,
)

# A JSON body needs a closer look only when its bytes hold a `\u0000` escape or an unpaired
# surrogate escape (each alternative starts with the literal `\u`, which keeps the search fast),
# or a surrogate written as raw (CESU-8) bytes, which Python's JSON decoder accepts. A match that
# turns out to follow an escaped backslash (`\\u0000` is text) only costs the parse.
_LOW = rb"[dD][c-fC-F][0-9a-fA-F]{2}"
_HIGH = rb"[dD][89abAB][0-9a-fA-F]{2}"
# `\u0000`, a high surrogate escape not followed by a low one, a low one not preceded by a high.
_SUSPECT_ESCAPE = re.compile(
    rb"\\u(?:0000|%b(?!\\u%b)|%b(?<!\\u%b\\u%b))" % (_HIGH, _LOW, _LOW, _HIGH, _LOW)
)
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")
# A query string needs decoding only when it may hold NUL or bytes beyond ASCII.
_SUSPECT_QUERY = re.compile(rb"%00|\x00|%[89a-fA-F]|[\x80-\xff]")
_MAX_REPORTED = 10
_INVALID_UTF8 = ("invalid_utf8", "must be valid UTF-8")


class TextIntegrityMiddleware:
    """Answers 422 problem+json, naming each place, for text that no database can store.

    Refused: NUL (U+0000, which PostgreSQL's text and jsonb types reject) and unpaired UTF-16
    surrogates (which cannot be encoded as UTF-8) anywhere in a JSON body, keys included; NUL or
    invalid UTF-8 in the path or a query parameter; NUL in a header. Routes need no checks of
    their own, and a route added later is covered too.

    The common case stays cheap: a JSON body is parsed here only when a byte scan finds a
    suspect escape (or the body is not UTF-8), and bodies larger than `max_inspect_bytes`, other
    media types and `skip_paths` (streamed uploads) pass through unread. Legitimate astral
    characters (emoji), raw or as an escaped surrogate pair, are untouched.
    """

    def __init__(
        self, app: ASGIApp, *, max_inspect_bytes: int, skip_paths: Collection[str] = ()
    ) -> None:
        self.app = app
        self.max_inspect_bytes = max_inspect_bytes
        self.skip_paths = frozenset(skip_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        errors = _path_errors(scope) + _query_errors(scope) + _header_errors(scope)
        if errors:
            await validation_problem(errors, scope.get("path"))(scope, receive, send)
            return
        if scope.get("path") in self.skip_paths or not _parsed_as_json(scope):
            await self.app(scope, receive, send)
            return

        buffered: list[Message] = []
        size = 0
        complete = False
        while not complete and size <= self.max_inspect_bytes:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            complete = not message.get("more_body", False)
        if complete:
            body = b"".join(m.get("body", b"") for m in buffered)
            errors = _json_errors(body)
            if errors:
                await validation_problem(errors, scope.get("path"))(scope, receive, send)
                return

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


def _parsed_as_json(scope: Scope) -> bool:
    """Whether FastAPI would decode this body as JSON: no Content-Type, or a JSON one."""
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-type":
            media = value.decode("latin-1").split(";", 1)[0].strip().lower()
            return media in ("", "application/json") or (
                media.startswith("application/") and media.endswith("+json")
            )
    return True


def _error(location: list[str], type_: str, message: str, pointer: str | None = None) -> Any:
    shown = [printable(part) for part in location]
    error: dict[str, Any] = {
        "field": ".".join(shown),
        "location": shown,
        "message": message,
        "type": type_,
    }
    if pointer is not None:
        error["pointer"] = printable(pointer)
    return error


def _path_errors(scope: Scope) -> list[dict[str, Any]]:
    raw = scope.get("raw_path")
    path = scope.get("path", "")
    if "\x00" in path:
        return [_error(["path"], NUL_TYPE, NUL_MESSAGE)]
    if isinstance(raw, bytes) and b"%" in raw:
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return [_error(["path"], *_INVALID_UTF8)]
    return []


def _query_errors(scope: Scope) -> list[dict[str, Any]]:
    query: bytes = scope.get("query_string", b"")
    if not _SUSPECT_QUERY.search(query):
        return []
    errors = []
    for part in query.split(b"&"):
        raw_name, _, raw_value = part.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" "))
        value = unquote_to_bytes(raw_value.replace(b"+", b" "))
        shown = name.decode("utf-8", "replace")
        for piece in (name, value):
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError:
                errors.append(_error(["query", shown], *_INVALID_UTF8))
                break
            if "\x00" in text:
                errors.append(_error(["query", shown], NUL_TYPE, NUL_MESSAGE))
                break
    return errors[:_MAX_REPORTED]


def _header_errors(scope: Scope) -> list[dict[str, Any]]:
    # Servers refuse NUL in headers, but not every ASGI server or proxy does.
    return [
        _error(["header", name.decode("latin-1")], NUL_TYPE, NUL_MESSAGE)
        for name, value in scope.get("headers", ())
        if b"\x00" in value
    ][:_MAX_REPORTED]


def _json_errors(body: bytes) -> list[dict[str, Any]]:
    # UTF-16 and UTF-32 bodies (which the JSON decoder detects) defeat the byte scan.
    utf8 = not body.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in body[:4]
    if utf8 and not _suspect(body):
        return []
    try:
        # Decoded as Starlette decodes it (bytes in: surrogates pass), so both see one value.
        document = json.loads(body)
    except (ValueError, RecursionError):
        return []  # Not JSON: the route's own parsing answers for it.
    return _walk(document)


def _suspect(body: bytes) -> bool:
    if b"\\u" in body and _SUSPECT_ESCAPE.search(body):
        return True
    return b"\xed" in body and _RAW_SURROGATE.search(body) is not None


def _walk(document: object) -> list[dict[str, Any]]:
    """Every unstorable string in `document`, by location; iterative (bodies may be deep)."""
    errors: list[dict[str, Any]] = []
    stack: list[tuple[object, tuple[str, ...]]] = [(document, ())]
    while stack and len(errors) < _MAX_REPORTED:
        value, path = stack.pop()
        # Children are pushed last first, so places are reported in document order.
        if isinstance(value, dict):
            for key in value:
                problem = unstorable(key)
                if problem is not None:
                    errors.append(_body_error((*path, key), problem, key_=True))
            stack.extend((value[key], (*path, key)) for key in reversed(value))
        elif isinstance(value, list):
            stack.extend((value[i], (*path, str(i))) for i in range(len(value) - 1, -1, -1))
        elif isinstance(value, str):
            problem = unstorable(value)
            if problem is not None:
                errors.append(_body_error(path, problem))
    return errors[:_MAX_REPORTED]


def _body_error(path: tuple[str, ...], problem: tuple[str, str], *, key_: bool = False) -> Any:
    pointer = "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path)
    message = f"a member name {problem[1]}" if key_ else problem[1]
    return _error(["body", *path], problem[0], message, pointer)
