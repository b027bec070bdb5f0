import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from moderation.core.config import Settings
from moderation.core.exceptions import UnauthorizedError
from moderation.core.jwt_claims import JwtClaims
from moderation.core.local_jwt_secret import (
    LOCAL_JWT_AUDIENCE,
    LOCAL_JWT_ISSUER,
    load_or_create_local_jwt_secret,
)
from moderation.core.scope import Scope

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
_MIN_HMAC_SECRET_BYTES = 32
# A compact JWS is three base64url segments (RFC 7515 §7.1). Anything else, non-ASCII bytes
# included, is refused before any parsing; 8 KiB is far above any real token.
_COMPACT_JWS_RE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_MAX_TOKEN_LENGTH = 8192
DEFAULT_MAX_LIFETIME_SECONDS = 86_400

_FAILURE_DETAILS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "token expired"),
    (jwt.ImmatureSignatureError, "token not yet valid"),
    (jwt.InvalidSignatureError, "invalid token signature"),
    (jwt.InvalidAudienceError, "invalid token audience"),
    (jwt.InvalidIssuerError, "invalid token issuer"),
    (jwt.InvalidIssuedAtError, "invalid token issue time"),
)


class JwtVerifier:
    """Verifies bearer JWTs (HS256 and/or RS256) and extracts the service's claims.

    Only algorithms whose key is configured are accepted, and the key is chosen by the algorithm,
    never the other way round: a token cannot pick ``none``, nor get an RSA public key (which is
    public) used as an HMAC secret. Every token needs ``exp`` and ``iat``, and may live at most
    ``max_lifetime_seconds`` (``exp - iat``): a leaked token cannot be minted to last a year.
    """

    def __init__(
        self,
        secret: str | None,
        public_key: str | None,
        audience: str | None = None,
        issuer: str | None = None,
        leeway_seconds: int = 30,
        max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS,
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
        if max_lifetime_seconds < 1:
            msg = "max_lifetime_seconds must be positive"
            raise ValueError(msg)
        self._audience = audience or None
        self._issuer = issuer or None
        self._leeway = leeway_seconds
        self._max_lifetime = max_lifetime_seconds

    @classmethod
    def from_settings(cls, settings: Settings) -> "JwtVerifier":
        """The verifier the service runs with: the configured keys, or else the install's
        generated secret (read or created in ``data_dir``, which is file I/O) with the service's
        own issuer and audience."""
        if settings.uses_generated_jwt_secret:
            return cls(
                secret=load_or_create_local_jwt_secret(settings.data_dir),
                public_key=None,
                audience=settings.jwt_audience or LOCAL_JWT_AUDIENCE,
                issuer=settings.jwt_issuer or LOCAL_JWT_ISSUER,
                max_lifetime_seconds=settings.jwt_max_lifetime_seconds,
            )
        return cls(
            secret=settings.effective_jwt_secret,
            public_key=settings.jwt_public_key,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            max_lifetime_seconds=settings.jwt_max_lifetime_seconds,
        )

    @staticmethod
    def is_token_shaped(token: str) -> bool:
        """Whether ``token`` is shaped like a compact JWT (checked before any parsing)."""
        return len(token) <= _MAX_TOKEN_LENGTH and _COMPACT_JWS_RE.fullmatch(token) is not None

    @property
    def algorithms(self) -> frozenset[str]:
        """The algorithms this verifier accepts."""
        return frozenset(self._keys)

    @property
    def max_lifetime_seconds(self) -> int:
        """The longest ``exp - iat`` a token may have."""
        return self._max_lifetime

    def verify(self, token: str) -> JwtClaims:
        """Check ``token``'s signature and registered claims and return its claims.

        Raises `UnauthorizedError` with a short detail on any failure.
        """
        if not self.is_token_shaped(token):
            raise UnauthorizedError("invalid token")
        payload = self._decode(token)
        lifetime = float(payload["exp"]) - float(payload["iat"])
        if lifetime > self._max_lifetime:
            raise UnauthorizedError(f"token lifetime exceeds the {self._max_lifetime} s maximum")
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
        if not 1 <= ttl_seconds <= self._max_lifetime:
            msg = f"ttl_seconds must be between 1 and {self._max_lifetime}"
            raise ValueError(msg)
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
        required = ["exp", "iat", "sub"]
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
