"""The HS256 secret an install generates for itself: private, atomic, stable."""

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from moderation.core.local_jwt_secret import load_or_create_local_jwt_secret, local_jwt_secret_path

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@posix_only
def test_first_use_creates_a_private_random_secret(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    old_umask = os.umask(0)  # the most permissive umask must not leak into the file's mode
    try:
        secret = load_or_create_local_jwt_secret(data_dir)
    finally:
        os.umask(old_umask)

    path = local_jwt_secret_path(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == secret
    assert len(secret.encode()) >= 48
    # No scratch file is left beside it.
    assert sorted(p.name for p in data_dir.iterdir()) == ["jwt-secret"]


def test_the_secret_is_reused_and_differs_per_install(tmp_path: Path) -> None:
    first = load_or_create_local_jwt_secret(tmp_path / "a")
    again = load_or_create_local_jwt_secret(tmp_path / "a")
    other = load_or_create_local_jwt_secret(tmp_path / "b")

    assert again == first
    assert other != first


def test_concurrent_first_starts_agree_on_one_secret(tmp_path: Path) -> None:
    # Several server processes starting at once (serve --workers 4) must not each keep their own.
    with ThreadPoolExecutor(max_workers=8) as pool:
        secrets = set(pool.map(lambda _: load_or_create_local_jwt_secret(tmp_path), range(32)))

    assert len(secrets) == 1
    assert local_jwt_secret_path(tmp_path).read_text().strip() in secrets


@posix_only
def test_a_secret_file_other_users_can_read_is_refused(tmp_path: Path) -> None:
    load_or_create_local_jwt_secret(tmp_path)
    local_jwt_secret_path(tmp_path).chmod(0o644)

    with pytest.raises(ValueError, match="accessible to other users"):
        load_or_create_local_jwt_secret(tmp_path)


def test_a_truncated_secret_file_is_refused_not_replaced(tmp_path: Path) -> None:
    path = local_jwt_secret_path(tmp_path)
    path.write_text("short\n")
    path.chmod(0o600)

    with pytest.raises(ValueError, match="no usable secret"):
        load_or_create_local_jwt_secret(tmp_path)
    assert path.read_text() == "short\n"
