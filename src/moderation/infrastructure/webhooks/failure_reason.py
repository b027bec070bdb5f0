"""What the delivery log says about a failed attempt: a fixed, sanitised phrase.

The log is read by the tenant, who chose the URL; an answer's body, a redirect's target or an
exception's text could carry what an internal service said (the service would be a proxy for
reading it), so none of them is kept. Operators find the exception type in the service log.
"""

import ssl

import httpx

from moderation.infrastructure.network import EgressRefusedError


def status_reason(status_code: int) -> str:
    """The log's line for a non-2xx answer."""
    if 300 <= status_code < 400:
        return f"HTTP {status_code}: redirects are not followed"
    return f"HTTP {status_code}"


def failure_reason(error: BaseException, timeout_seconds: float) -> str:
    """The log's line for an attempt that got no HTTP answer."""
    if isinstance(error, EgressRefusedError):
        return error.reason
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        return f"timed out after {timeout_seconds:g} s"
    causes = list(_chain(error))
    if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in causes):
        return "TLS certificate not valid for the host"
    if any(isinstance(cause, ssl.SSLError) for cause in causes):
        return "TLS handshake failed"
    if isinstance(error, httpx.ConnectError):
        if str(error) == "host not found":
            return "host not found"
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return "connection refused"
        return "connection failed"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the answer was not valid HTTP"
    if isinstance(error, httpx.ReadError | httpx.WriteError):
        return "connection lost"
    return f"request failed ({type(error).__name__})"


def _chain(error: BaseException) -> list[BaseException]:
    """The error, its causes and contexts, and the members of exception groups among them."""
    seen: list[BaseException] = []
    pending = [error]
    while pending and len(seen) < 50:
        current = pending.pop()
        if any(current is known for known in seen):
            continue
        seen.append(current)
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return seen
