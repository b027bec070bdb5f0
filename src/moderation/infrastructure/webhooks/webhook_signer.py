"""Signatures on webhook deliveries (the scheme is documented in docs/api.md, "Webhooks").

Each delivery carries ``Monocto-Signature: t=<unix seconds>,v2=<hex>``, where ``<hex>`` is
HMAC-SHA256, keyed with the endpoint's secret, over ``f"{t}.{event_id}.".encode() + body``:
the timestamp, the `Monocto-Event-Id` header's value and the exact body bytes. Signing the
timestamp lets a receiver refuse replays of an old delivery; signing the event id lets it trust
the header it deduplicates by (an attacker replaying a captured delivery cannot give it a fresh
id to get it processed again).

``v2`` replaced ``v1`` (timestamp and body only): a receiver still checking ``v1`` finds none
and refuses every delivery, loudly, rather than going on trusting an unsigned event id.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Monocto-Signature"
EVENT_ID_HEADER = "Monocto-Event-Id"
EVENT_TYPE_HEADER = "Monocto-Event-Type"
DELIVERY_ATTEMPT_HEADER = "Monocto-Delivery-Attempt"
SIGNATURE_VERSION = "v2"
DEFAULT_TOLERANCE_SECONDS = 300


class WebhookSigner:
    """Signs deliveries with one endpoint's secret, and verifies them (for receivers)."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a webhook secret cannot be empty")
        self._key = secret.encode()

    def signature(self, body: bytes, *, timestamp: int, event_id: str) -> str:
        """The hex HMAC-SHA256 of `timestamp`, a dot, `event_id`, a dot, and `body`."""
        if "." in event_id:
            # The dot separates the signed fields: one inside a field would make two
            # different (event id, body) pairs sign alike.
            raise ValueError("an event id cannot contain '.'")
        message = f"{timestamp}.{event_id}.".encode() + body
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def signature_header(self, body: bytes, *, event_id: str, timestamp: int | None = None) -> str:
        """The `Monocto-Signature` value: ``t=<unix>,v2=<hex>``."""
        stamp = int(time.time()) if timestamp is None else timestamp
        signature = self.signature(body, timestamp=stamp, event_id=event_id)
        return f"t={stamp},{SIGNATURE_VERSION}={signature}"

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
            SIGNATURE_HEADER: self.signature_header(body, event_id=event_id, timestamp=timestamp),
            EVENT_ID_HEADER: event_id,
            EVENT_TYPE_HEADER: event_type,
            DELIVERY_ATTEMPT_HEADER: str(attempt),
        }

    def verify(
        self,
        body: bytes,
        header: str,
        *,
        event_id: str,
        tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
        now: float | None = None,
    ) -> bool:
        """True when `header` signs `body` and `event_id` (the `Monocto-Event-Id` received)
        with this secret, at most `tolerance_seconds` from now.

        Several ``v2=`` entries are accepted (any one matching suffices), so a sender may sign
        with an old and a new secret while a receiver rotates.
        """
        timestamp: int | None = None
        candidates: list[str] = []
        for part in header.split(","):
            key, _, value = part.strip().partition("=")
            if key == "t" and value.isascii() and value.isdigit():
                timestamp = int(value)
            elif key == SIGNATURE_VERSION:
                candidates.append(value)
        if timestamp is None or not candidates or "." in event_id:
            return False
        current = time.time() if now is None else now
        if abs(current - timestamp) > tolerance_seconds:
            return False
        expected = self.signature(body, timestamp=timestamp, event_id=event_id)
        # Every candidate is compared (no early exit) in constant time.
        matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
        return any(matches)
