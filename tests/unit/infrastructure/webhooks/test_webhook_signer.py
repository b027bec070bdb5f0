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
EVENT_ID = "2df5dee8-8fd4-4076-96f5-0f18cda05be1"
NOW = 1_800_000_000


def _header(body: bytes = BODY, event_id: str = EVENT_ID, key: str = SIGNING_KEY) -> str:
    return WebhookSigner(key).signature_header(body, event_id=event_id, timestamp=NOW)


def test_the_signature_is_the_documented_hmac_over_timestamp_event_id_and_body() -> None:
    signed = f"{NOW}.{EVENT_ID}.".encode() + BODY
    expected = hmac.new(SIGNING_KEY.encode(), signed, hashlib.sha256).hexdigest()
    signer = WebhookSigner(SIGNING_KEY)
    assert signer.signature(BODY, timestamp=NOW, event_id=EVENT_ID) == expected
    assert _header() == f"t={NOW},v2={expected}"


def test_headers_name_the_event_and_sign_its_id() -> None:
    headers = WebhookSigner(SIGNING_KEY).headers(
        BODY, event_id=EVENT_ID, event_type="ContentModerated", timestamp=NOW
    )
    assert headers[EVENT_ID_HEADER] == EVENT_ID
    assert headers[EVENT_TYPE_HEADER] == "ContentModerated"
    assert headers[SIGNATURE_HEADER] == _header()
    assert headers["Content-Type"] == "application/json"


def test_a_fresh_signature_verifies() -> None:
    signer = WebhookSigner(SIGNING_KEY)
    assert signer.verify(BODY, _header(), event_id=EVENT_ID, now=NOW + 10)


def test_a_replay_under_another_event_id_does_not_verify() -> None:
    # A captured delivery re-sent with a fresh Monocto-Event-Id would pass a receiver's
    # deduplication; the id is signed, so it fails verification instead.
    other = "9a1f3b0e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
    assert not WebhookSigner(SIGNING_KEY).verify(BODY, _header(), event_id=other, now=NOW)


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
    assert not WebhookSigner(secret).verify(body, _header(), event_id=EVENT_ID, now=now)


def test_any_of_several_signatures_may_match_during_rotation() -> None:
    new = WebhookSigner(SIGNING_KEY).signature(BODY, timestamp=NOW, event_id=EVENT_ID)
    old_key = "whsec_old-secret-0123456789ab"
    old = WebhookSigner(old_key).signature(BODY, timestamp=NOW, event_id=EVENT_ID)
    header = f"t={NOW},v2={old},v2={new}"
    assert WebhookSigner(SIGNING_KEY).verify(BODY, header, event_id=EVENT_ID, now=NOW)


def test_the_old_unsigned_id_scheme_is_not_accepted() -> None:
    v1 = hmac.new(SIGNING_KEY.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    header = f"t={NOW},v1={v1}"
    assert not WebhookSigner(SIGNING_KEY).verify(BODY, header, event_id=EVENT_ID, now=NOW)


@pytest.mark.parametrize("header", ["", "v2=abc", f"t={NOW}", "t=soon,v2=abc", f"t=²,v2={NOW}"])
def test_malformed_headers_do_not_verify(header: str) -> None:
    assert not WebhookSigner(SIGNING_KEY).verify(BODY, header, event_id=EVENT_ID, now=NOW)


def test_an_event_id_with_the_separator_is_refused() -> None:
    # "a.b" + body "c" and "a" + body "b.c" would otherwise sign alike.
    with pytest.raises(ValueError, match="cannot contain"):
        WebhookSigner(SIGNING_KEY).signature(BODY, timestamp=NOW, event_id="a.b")
    assert not WebhookSigner(SIGNING_KEY).verify(BODY, _header(), event_id="a.b", now=NOW)


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        WebhookSigner("")
