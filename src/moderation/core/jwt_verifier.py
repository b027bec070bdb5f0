import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from moderation.core.exceptions import UnauthorizedError
from moderation.core.jwt_claims import JwtClaims
from moderation.domain.models import Scope

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
_MIN_HMAC_SECRET_BYTES = 32

_FAILURE_DETAILS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "token expired"),
    (jwt.ImmatureSignatureError, "token not yet valid"),
    (jwt.InvalidSignatureError, "invalid token signature"),
    (jwt.InvalidAudienceError, "invalid token audience"),
    (jwt.InvalidIssuerError, "invalid token issuer"),
)


class JwtVerifier:
    """Verifies bearer JWTs (HS256 and/or RS256) and extracts the service's claims.

    Only algorithms whose key is configured are accepted, and the key is chosen by the algorithm,
    never the other way round: a token cannot pick ``none``, nor get an RSA public key (which is
    public) used as an HMAC secret.
    """

    def __init__(
        self,
        secret: str | None,
        public_key: str | None,
        audience: str | None = None,
        issuer: str | None = None,
        leeway_seconds: int = 30,
    ) -> None:
        self._keys: dict[str, str | RSAPublicKey] = {}
        self._secret = secret or None
        if self._secret is not None:
            if len(self._secret.encode("utf-8")) < _MIN_HMAC_SECRET_BYTES:
                msg = f"the HS256 secret must be at least {_MIN_HMAC_SECRET_BYTES} bytes"
                raise ValueError(msg)
            self._keys["HS256"] = self._secret
        if public_key:
            msg = "the RS256 public key must be an RSA public key in PEM form"
            try:
                loaded = load_pem_public_key(public_key.encode("utf-8"))
            except ValueError:
                raise ValueError(msg) from None
            if not isinstance(loaded, RSAPublicKey):
                raise ValueError(msg)
            self._keys["RS256"] = loaded
        if not self._keys:
            msg = "configure an HS256 secret, an RS256 public key, or both"
            raise ValueError(msg)
        self._audience = audience or None
        self._issuer = issuer or None
        self._leeway = leeway_seconds

    @property
    def algorithms(self) -> frozenset[str]:
        """The algorithms this verifier accepts."""
        return frozenset(self._keys)

    def verify(self, token: str) -> JwtClaims:
        """Check ``token``'s signature and registered claims and return its claims.

        Raises `UnauthorizedError` with a short detail on any failure.
        """
        payload = self._decode(token)
        subject = payload.get("sub")
        if not isinstance(subject, str) or not subject:
            raise UnauthorizedError("invalid token subject")
        tenant_id = _parse_tenant(payload.get("tenant_id"))
        scopes = _parse_scopes(payload)
        # JwtClaims drops the scopes this service does not know.
        return JwtClaims.model_validate(
            {
                "subject": subject,
                "tenant_id": tenant_id,
                "scopes": scopes,
                "expires_at": datetime.fromtimestamp(int(payload["exp"]), tz=UTC),
            }
        )

    def issue(
        self,
        subject: str,
        tenant_id: UUID,
        scopes: Iterable[Scope | str],
        ttl_seconds: int = 3600,
    ) -> str:
        """Sign an HS256 token that this verifier accepts (dev tooling, tests, the CLI)."""
        if self._secret is None:
            msg = "issuing tokens needs the HS256 secret"
            raise RuntimeError(msg)
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "tenant_id": str(tenant_id),
            "scope": " ".join(sorted(str(scope) for scope in scopes)),
            "iat": now,
            "exp": now + ttl_seconds,
        }
        if self._audience is not None:
            claims["aud"] = self._audience
        if self._issuer is not None:
            claims["iss"] = self._issuer
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise UnauthorizedError("invalid token") from None
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self._keys:
            raise UnauthorizedError("unsupported token algorithm")
        key = self._keys[algorithm]
        required = ["exp", "sub"]
        if self._audience is not None:
            required.append("aud")
        if self._issuer is not None:
            required.append("iss")
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                # Exactly the one algorithm the key was chosen for.
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": required, "enforce_minimum_key_length": True},
            )
        except jwt.MissingRequiredClaimError as exc:
            raise UnauthorizedError(f"token lacks the {exc.claim!r} claim") from None
        except jwt.PyJWTError as exc:
            for error_type, detail in _FAILURE_DETAILS:
                if isinstance(exc, error_type):
                    raise UnauthorizedError(detail) from None
            raise UnauthorizedError("invalid token") from None
        return payload


def _parse_tenant(value: object) -> UUID:
    if value is None:
        raise UnauthorizedError("token lacks the 'tenant_id' claim")
    if not isinstance(value, str):
        raise UnauthorizedError("invalid token tenant")
    try:
        return UUID(value)
    except ValueError:
        raise UnauthorizedError("invalid token tenant") from None


def _parse_scopes(payload: dict[str, Any]) -> frozenset[str]:
    # OAuth 2 (RFC 8693 §4.2) puts a space-separated string in "scope"; some issuers put a list in
    # "scopes". Either grants; a malformed one is refused rather than silently read as "no scope".
    granted: set[str] = set()
    scope = payload.get("scope")
    if scope is not None:
        if not isinstance(scope, str):
            raise UnauthorizedError("invalid token scope")
        granted.update(scope.split())
    scope_list = payload.get("scopes")
    if scope_list is not None:
        if not isinstance(scope_list, list) or not all(isinstance(s, str) for s in scope_list):
            raise UnauthorizedError("invalid token scopes")
        granted.update(scope_list)
    return frozenset(granted)
