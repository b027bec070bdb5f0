"""Signatures on webhook deliveries (the scheme is documented in docs/api.md, "Webhooks").

Each delivery carries ``Monocto-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256, keyed with the endpoint's secret, over ``f"{t}.".encode() + body`` (the exact body
bytes). Signing the timestamp with the body lets a receiver refuse replays of an old delivery.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Monocto-Signature"
EVENT_ID_HEADER = "Monocto-Event-Id"
EVENT_TYPE_HEADER = "Monocto-Event-Type"
DELIVERY_ATTEMPT_HEADER = "Monocto-Delivery-Attempt"
DEFAULT_TOLERANCE_SECONDS = 300


class WebhookSigner:
    """Signs delivery bodies with one endpoint's secret, and verifies them (for receivers)."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a webhook secret cannot be empty")
        self._key = secret.encode()

    def signature(self, body: bytes, timestamp: int) -> str:
        """The hex HMAC-SHA256 of `timestamp`, a dot, and `body`."""
        message = f"{timestamp}.".encode() + body
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def signature_header(self, body: bytes, timestamp: int | None = None) -> str:
        """The `Monocto-Signature` value: ``t=<unix>,v1=<hex>``."""
        stamp = int(time.time()) if timestamp is None else timestamp
        return f"t={stamp},v1={self.signature(body, stamp)}"

    def headers(
        self,
        body: bytes,
        *,
        event_id: str,
        event_type: str,
        attempt: int = 1,
        timestamp: int | None = None,
    ) -> dict[str, str]:
        """Every header a delivery carries besides the transport's own."""
        return {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: self.signature_header(body, timestamp),
            EVENT_ID_HEADER: event_id,
            EVENT_TYPE_HEADER: event_type,
            DELIVERY_ATTEMPT_HEADER: str(attempt),
        }

    def verify(
        self,
        body: bytes,
        header: str,
        *,
        tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
        now: float | None = None,
    ) -> bool:
        """True when `header` signs `body` with this secret, at most `tolerance_seconds` from now.

        Several ``v1=`` entries are accepted (any one matching suffices), so a sender may sign
        with an old and a new secret while a receiver rotates.
        """
        timestamp: int | None = None
        candidates: list[str] = []
        for part in header.split(","):
            key, _, value = part.strip().partition("=")
            if key == "t" and value.isascii() and value.isdigit():
                timestamp = int(value)
            elif key == "v1":
                candidates.append(value)
        if timestamp is None or not candidates:
            return False
        current = time.time() if now is None else now
        if abs(current - timestamp) > tolerance_seconds:
            return False
        expected = self.signature(body, timestamp)
        # Every candidate is compared (no early exit) in constant time.
        matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
        return any(matches)
