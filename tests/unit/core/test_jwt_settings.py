"""Settings that decide which tokens the service accepts, validated at load."""

import os
import secrets

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr, ValidationError

from moderation.core.config import Settings

# The HS256 secrets this project once printed (docs/api.md, the source, compose-dev.yml), built
# from pieces so that no scanner mistakes the test for a leak.
PUBLISHED_SECRETS = [
    "-".join(["dev", "insecure", "jwt", "secret", "change", "me"]),
    "-".join(["dev", "only", "secret", "of", "at", "least", "32", "bytes!!"]),
]
AUDIENCE = {"jwt_audience": "moderation-api", "jwt_issuer": "https://idp.example"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No MODERATION_* variable of the machine running the tests leaks into Settings."""
    for name in list(os.environ):
        if name.startswith("MODERATION_"):
            monkeypatch.delenv(name)


def _public_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.mark.parametrize("env", ["dev", "test", "prod"])
@pytest.mark.parametrize("published", PUBLISHED_SECRETS)
def test_a_published_secret_is_refused_in_every_env(env: str, published: str) -> None:
    with pytest.raises(ValidationError, match="published"):
        Settings(env=env, jwt_secret=SecretStr(published), **AUDIENCE)  # type: ignore[arg-type]


def test_zero_configuration_uses_the_generated_secret() -> None:
    settings = Settings()

    assert settings.env == "dev"
    assert settings.uses_generated_jwt_secret
    assert settings.effective_jwt_secret is None


def test_outside_dev_a_jwt_key_must_be_configured() -> None:
    with pytest.raises(ValidationError, match="MODERATION_JWT_SECRET"):
        Settings(env="prod", **AUDIENCE)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(env="prod", jwt_secret=SecretStr("short"), **AUDIENCE)  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", ["jwt_audience", "jwt_issuer"])
@pytest.mark.parametrize("key", ["secret", "public_key"])
def test_outside_dev_a_jwt_key_needs_audience_and_issuer(missing: str, key: str) -> None:
    values: dict[str, object] = {"env": "prod", **AUDIENCE}
    if key == "secret":
        values["jwt_secret"] = secrets.token_urlsafe(48)
    else:
        values["jwt_public_key"] = _public_pem()
    assert Settings.model_validate(values).env == "prod"
    del values[missing]

    with pytest.raises(ValidationError, match="MODERATION_JWT_AUDIENCE and MODERATION_JWT_ISSUER"):
        Settings.model_validate(values)


def test_in_dev_a_configured_secret_may_go_without_audience() -> None:
    secret = secrets.token_urlsafe(48)
    settings = Settings(jwt_secret=SecretStr(secret))

    assert settings.effective_jwt_secret == secret
    assert not settings.uses_generated_jwt_secret


def test_an_empty_secret_turns_hs256_off_only_beside_a_public_key() -> None:
    with pytest.raises(ValidationError, match="turns HS256 off"):
        Settings(jwt_secret=SecretStr(""))
    settings = Settings(jwt_secret=SecretStr(""), jwt_public_key=_public_pem())

    assert settings.effective_jwt_secret is None
    assert not settings.uses_generated_jwt_secret


def test_prod_reads_its_jwt_configuration_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = secrets.token_urlsafe(48)
    monkeypatch.setenv("MODERATION_ENV", "prod")
    monkeypatch.setenv("MODERATION_JWT_SECRET", secret)
    with pytest.raises(ValidationError, match="MODERATION_JWT_AUDIENCE"):
        Settings()
    monkeypatch.setenv("MODERATION_JWT_AUDIENCE", "moderation-api")
    monkeypatch.setenv("MODERATION_JWT_ISSUER", "https://idp.example")
    monkeypatch.setenv("MODERATION_JWT_MAX_LIFETIME_SECONDS", "3600")

    settings = Settings()

    assert settings.effective_jwt_secret == secret
    assert settings.jwt_max_lifetime_seconds == 3600


def test_the_tenant_limit_defaults_to_a_multiple_of_the_key_limit() -> None:
    assert Settings(rate_limit_per_minute=100).effective_tenant_rate_limit == 500
    assert Settings(tenant_rate_limit_per_minute=7).effective_tenant_rate_limit == 7


def test_trusted_proxies_are_addresses_or_networks() -> None:
    settings = Settings(trusted_proxies=["10.0.0.0/8", "::1"])

    assert settings.trusted_proxies == ["10.0.0.0/8", "::1"]
    # "*" would let any client name its own address in X-Forwarded-For.
    with pytest.raises(ValidationError, match="not an IP address"):
        Settings(trusted_proxies=["*"])
