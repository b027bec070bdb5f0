"""The HS256 secret an install generates for itself when no JWT key is configured.

`moderation serve` with no configuration must accept no token that someone else can sign, yet
`moderation tokens mint` must be able to sign tokens that it accepts. Both read one random secret
from ``<data_dir>/jwt-secret``: created on first use with mode 0600, atomically (a hard link from
a complete temporary file, so a concurrent reader or a second server process never sees a partly
written secret and two racing processes end up with the same one), and reused afterwards.

Tokens for this secret carry the service's own issuer and audience, `LOCAL_JWT_ISSUER` and
`LOCAL_JWT_AUDIENCE`, unless the operator configured others.
"""

import contextlib
import os
import secrets
import stat
from pathlib import Path

LOCAL_JWT_ISSUER = "monocto-moderation"
LOCAL_JWT_AUDIENCE = "monocto-moderation-api"
SECRET_FILE_NAME = "jwt-secret"  # noqa: S105 - a file name, not a secret

_SECRET_BYTES = 48
_MIN_SECRET_BYTES = 32
# No reader of this file should follow a link an attacker may have planted in its place.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def local_jwt_secret_path(data_dir: Path) -> Path:
    """Where the generated secret of the install using ``data_dir`` lives."""
    return data_dir / SECRET_FILE_NAME


def load_or_create_local_jwt_secret(data_dir: Path) -> str:
    """Return the install's generated secret, creating it first if there is none.

    Raises `ValueError` when the file exists but cannot be trusted (readable by other users,
    too short); the operator fixes or deletes it, nothing is overwritten silently.
    """
    path = local_jwt_secret_path(data_dir)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch = data_dir / f".{SECRET_FILE_NAME}.{secrets.token_hex(8)}.tmp"
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            if hasattr(os, "fchmod"):
                # os.open's mode is filtered by the umask; 0600 is wanted whatever it is.
                os.fchmod(handle.fileno(), 0o600)
            handle.write(secrets.token_urlsafe(_SECRET_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # link() fails if the name exists: the first process to get there wins, the others
        # read its secret below.
        with contextlib.suppress(FileExistsError):
            os.link(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
    with os.fdopen(descriptor, "r", encoding="ascii") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            msg = (
                f"{path} is accessible to other users (mode {stat.S_IMODE(mode):03o}): "
                "chmod 600 it, or delete it to generate a new secret (tokens minted with the "
                "old one then stop working)"
            )
            raise ValueError(msg)
        secret = handle.read().strip()
    if len(secret.encode("ascii")) < _MIN_SECRET_BYTES:
        msg = f"{path} holds no usable secret: delete it to generate a new one"
        raise ValueError(msg)
    return secret
