import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from moderation.core.exceptions import UnauthorizedError
from moderation.core.jwt_verifier import JwtVerifier
from moderation.domain.models import Scope

SECRET = "s" * 48
OTHER_SECRET = "o" * 48


@pytest.fixture(scope="module")
def rsa_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def public_pem(rsa_private_key: rsa.RSAPrivateKey) -> str:
    return (
        rsa_private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _claims(tenant: UUID, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "alice",
        "tenant_id": str(tenant),
        "scope": "content:read moderate openid",
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: dict[str, Any], claims: dict[str, Any], signing_key: bytes | None) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = b""
    if signing_key is not None:
        signature = hmac.new(signing_key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _detail(verifier: JwtVerifier, token: str) -> str | None:
    with pytest.raises(UnauthorizedError) as caught:
        verifier.verify(token)
    assert caught.value.headers["WWW-Authenticate"].startswith("Bearer")
    return caught.value.detail


def test_hs256_token_verifies() -> None:
    tenant = uuid4()
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(_claims(tenant), SECRET, algorithm="HS256")
    claims = verifier.verify(token)
    assert claims.subject == "alice"
    assert claims.tenant_id == tenant
    assert claims.scopes == frozenset({Scope.CONTENT_READ, Scope.MODERATE})
    assert claims.expires_at.tzinfo is not None
    assert claims.expires_at > datetime.now(UTC)


def test_scopes_list_claim_is_read() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(
        _claims(uuid4(), scope=None, scopes=["policy:admin", "unknown"]), SECRET, algorithm="HS256"
    )
    assert verifier.verify(token).scopes == frozenset({Scope.POLICY_ADMIN})


def test_malformed_scope_claim_is_refused() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(_claims(uuid4(), scope=["moderate"]), SECRET, algorithm="HS256")
    assert _detail(verifier, token) == "invalid token scope"


def test_expired_token_is_refused() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None, leeway_seconds=0)
    past = int(time.time()) - 120
    token = jwt.encode(_claims(uuid4(), iat=past - 60, exp=past), SECRET, algorithm="HS256")
    assert _detail(verifier, token) == "token expired"


def test_leeway_tolerates_small_clock_skew() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None, leeway_seconds=30)
    token = jwt.encode(_claims(uuid4(), exp=int(time.time()) - 5), SECRET, algorithm="HS256")
    assert verifier.verify(token).subject == "alice"


def test_bad_signature_is_refused() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(_claims(uuid4()), OTHER_SECRET, algorithm="HS256")
    assert _detail(verifier, token) == "invalid token signature"


@pytest.mark.parametrize("missing", ["exp", "iat", "sub"])
def test_required_registered_claims(missing: str) -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(_claims(uuid4(), **{missing: None}), SECRET, algorithm="HS256")
    assert _detail(verifier, token) == f"token lacks the {missing!r} claim"


def test_missing_tenant_is_refused() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(_claims(uuid4(), tenant_id=None), SECRET, algorithm="HS256")
    assert _detail(verifier, token) == "token lacks the 'tenant_id' claim"


@pytest.mark.parametrize("tenant", ["not-a-uuid", 42])
def test_malformed_tenant_is_refused(tenant: object) -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(_claims(uuid4(), tenant_id=tenant), SECRET, algorithm="HS256")
    assert _detail(verifier, token) == "invalid token tenant"


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_is_refused(alg: str) -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = _forge({"alg": alg, "typ": "JWT"}, _claims(uuid4()), signing_key=None)
    assert _detail(verifier, token) == "unsupported token algorithm"


def test_garbage_is_refused() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    assert _detail(verifier, "not.a.jwt") == "invalid token"
    assert _detail(verifier, "") == "invalid token"


def test_rs256_token_verifies(rsa_private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    tenant = uuid4()
    verifier = JwtVerifier(secret=None, public_key=public_pem)
    token = jwt.encode(_claims(tenant), rsa_private_key, algorithm="RS256")
    claims = verifier.verify(token)
    assert claims.tenant_id == tenant
    assert verifier.algorithms == frozenset({"RS256"})


def test_hs256_signed_with_public_key_is_refused_when_only_rs256_configured(
    public_pem: str,
) -> None:
    # The classic algorithm-confusion attack: the public key is public, so an attacker can use it
    # as an HMAC secret and hope the verifier feeds it to HS256.
    verifier = JwtVerifier(secret=None, public_key=public_pem)
    token = _forge({"alg": "HS256", "typ": "JWT"}, _claims(uuid4()), public_pem.encode())
    assert _detail(verifier, token) == "unsupported token algorithm"


def test_hs256_signed_with_public_key_is_refused_when_both_configured(public_pem: str) -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=public_pem)
    token = _forge({"alg": "HS256", "typ": "JWT"}, _claims(uuid4()), public_pem.encode())
    assert _detail(verifier, token) == "invalid token signature"


def test_both_algorithms_accepted_when_both_configured(
    rsa_private_key: rsa.RSAPrivateKey, public_pem: str
) -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=public_pem)
    rs_token = jwt.encode(_claims(uuid4()), rsa_private_key, algorithm="RS256")
    hs_token = jwt.encode(_claims(uuid4()), SECRET, algorithm="HS256")
    assert verifier.verify(rs_token).subject == "alice"
    assert verifier.verify(hs_token).subject == "alice"


def test_rs256_refused_when_only_hs256_configured(rsa_private_key: rsa.RSAPrivateKey) -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    token = jwt.encode(_claims(uuid4()), rsa_private_key, algorithm="RS256")
    assert _detail(verifier, token) == "unsupported token algorithm"


def test_audience_and_issuer_are_enforced_when_configured() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None, audience="moderation", issuer="idp")
    good = jwt.encode(_claims(uuid4(), aud="moderation", iss="idp"), SECRET, algorithm="HS256")
    wrong_aud = jwt.encode(_claims(uuid4(), aud="other", iss="idp"), SECRET, algorithm="HS256")
    wrong_iss = jwt.encode(_claims(uuid4(), aud="moderation", iss="x"), SECRET, algorithm="HS256")
    no_aud = jwt.encode(_claims(uuid4(), iss="idp"), SECRET, algorithm="HS256")
    assert verifier.verify(good).subject == "alice"
    assert _detail(verifier, wrong_aud) == "invalid token audience"
    assert _detail(verifier, wrong_iss) == "invalid token issuer"
    assert _detail(verifier, no_aud) == "token lacks the 'aud' claim"


def test_issue_round_trips() -> None:
    tenant = uuid4()
    verifier = JwtVerifier(secret=SECRET, public_key=None, audience="moderation", issuer="idp")
    token = verifier.issue("bob", tenant, [Scope.MODERATE, "content:write"], ttl_seconds=60)
    claims = verifier.verify(token)
    assert claims.subject == "bob"
    assert claims.tenant_id == tenant
    assert claims.scopes == frozenset({Scope.MODERATE, Scope.CONTENT_WRITE})
    assert JwtVerifier(secret=OTHER_SECRET, public_key=None).algorithms == {"HS256"}
    with pytest.raises(UnauthorizedError):
        JwtVerifier(secret=OTHER_SECRET, public_key=None).verify(token)


def test_issue_needs_the_hs256_secret(public_pem: str) -> None:
    with pytest.raises(RuntimeError):
        JwtVerifier(secret=None, public_key=public_pem).issue("bob", uuid4(), [])


def test_configuration_is_validated() -> None:
    with pytest.raises(ValueError, match="configure"):
        JwtVerifier(secret=None, public_key=None)
    with pytest.raises(ValueError, match="at least 32 bytes"):
        JwtVerifier(secret="x" * 31, public_key=None)
    with pytest.raises(ValueError, match="PEM"):
        JwtVerifier(secret=None, public_key="not a pem")


def test_a_token_may_live_at_most_the_maximum_lifetime() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None, max_lifetime_seconds=3600)
    now = int(time.time())
    longest = jwt.encode(_claims(uuid4(), iat=now, exp=now + 3600), SECRET, algorithm="HS256")
    too_long = jwt.encode(_claims(uuid4(), iat=now, exp=now + 3601), SECRET, algorithm="HS256")
    # Backdating iat does not help: the lifetime is exp - iat, whatever the clock says.
    backdated = jwt.encode(
        _claims(uuid4(), iat=now - 86_400, exp=now + 600), SECRET, algorithm="HS256"
    )
    assert verifier.verify(longest).subject == "alice"
    assert _detail(verifier, too_long) == "token lifetime exceeds the 3600 s maximum"
    assert _detail(verifier, backdated) == "token lifetime exceeds the 3600 s maximum"


def test_the_default_maximum_lifetime_is_a_day() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    now = int(time.time())
    year = jwt.encode(_claims(uuid4(), iat=now, exp=now + 365 * 86_400), SECRET, algorithm="HS256")
    assert verifier.max_lifetime_seconds == 86_400
    assert _detail(verifier, year) == "token lifetime exceeds the 86400 s maximum"


def test_nbf_in_the_future_is_refused_beyond_the_leeway_only() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None, leeway_seconds=30)
    now = int(time.time())
    later = jwt.encode(_claims(uuid4(), nbf=now + 120), SECRET, algorithm="HS256")
    skewed = jwt.encode(_claims(uuid4(), nbf=now + 10), SECRET, algorithm="HS256")
    assert _detail(verifier, later) == "token not yet valid"
    assert verifier.verify(skewed).subject == "alice"


def test_iat_in_the_future_or_not_a_number_is_refused() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None, leeway_seconds=30)
    now = int(time.time())
    future = jwt.encode(_claims(uuid4(), iat=now + 120, exp=now + 600), SECRET, algorithm="HS256")
    text = jwt.encode(_claims(uuid4(), iat="yesterday"), SECRET, algorithm="HS256")
    assert _detail(verifier, future) == "token not yet valid"
    assert _detail(verifier, text) == "invalid token issue time"


@pytest.mark.parametrize("token", ["é.é.é", "a.b.c" + "d" * 9000, "a b.c.d", "only.two"])
def test_tokens_not_shaped_like_a_jwt_are_refused_before_parsing(token: str) -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None)
    assert not JwtVerifier.is_token_shaped(token)
    assert _detail(verifier, token) == "invalid token"


def test_issue_refuses_a_lifetime_over_the_maximum() -> None:
    verifier = JwtVerifier(secret=SECRET, public_key=None, max_lifetime_seconds=600)
    with pytest.raises(ValueError, match="between 1 and 600"):
        verifier.issue("bob", uuid4(), [Scope.MODERATE], ttl_seconds=601)
    assert verifier.verify(verifier.issue("bob", uuid4(), [], ttl_seconds=600)).subject == "bob"
