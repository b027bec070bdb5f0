import hashlib
import hmac
import secrets

import pytest

from moderation.infrastructure.webhooks import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    WebhookSigner,
)

SIGNING_KEY = "whsec_" + secrets.token_urlsafe(24)
BODY = b'{"event_id":"e1","event_type":"ContentModerated"}'
NOW = 1_800_000_000


def test_the_signature_is_the_documented_hmac() -> None:
    expected = hmac.new(SIGNING_KEY.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    signer = WebhookSigner(SIGNING_KEY)
    assert signer.signature(BODY, NOW) == expected
    assert signer.signature_header(BODY, NOW) == f"t={NOW},v1={expected}"


def test_headers_name_the_event() -> None:
    headers = WebhookSigner(SIGNING_KEY).headers(
        BODY, event_id="e1", event_type="ContentModerated", timestamp=NOW
    )
    assert headers[EVENT_ID_HEADER] == "e1"
    assert headers[EVENT_TYPE_HEADER] == "ContentModerated"
    assert headers[SIGNATURE_HEADER].startswith(f"t={NOW},v1=")
    assert headers["Content-Type"] == "application/json"


def test_a_fresh_signature_verifies() -> None:
    signer = WebhookSigner(SIGNING_KEY)
    assert signer.verify(BODY, signer.signature_header(BODY, NOW), now=NOW + 10)


@pytest.mark.parametrize(
    ("body", "secret", "now"),
    [
        (BODY + b" ", SIGNING_KEY, NOW),  # body changed
        (BODY, "whsec_another-secret-0123456", NOW),  # wrong secret
        (BODY, SIGNING_KEY, NOW + 301),  # replayed too late
        (BODY, SIGNING_KEY, NOW - 301),  # from the future
    ],
)
def test_tampering_wrong_secrets_and_replays_fail(body: bytes, secret: str, now: int) -> None:
    header = WebhookSigner(SIGNING_KEY).signature_header(BODY, NOW)
    assert not WebhookSigner(secret).verify(body, header, now=now)


def test_any_of_several_signatures_may_match_during_rotation() -> None:
    new = WebhookSigner(SIGNING_KEY).signature(BODY, NOW)
    old = WebhookSigner("whsec_old-secret-0123456789ab").signature(BODY, NOW)
    assert WebhookSigner(SIGNING_KEY).verify(BODY, f"t={NOW},v1={old},v1={new}", now=NOW)


@pytest.mark.parametrize("header", ["", "v1=abc", f"t={NOW}", "t=soon,v1=abc", f"t=²,v1={NOW}"])
def test_malformed_headers_do_not_verify(header: str) -> None:
    assert not WebhookSigner(SIGNING_KEY).verify(BODY, header, now=NOW)


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        WebhookSigner("")
