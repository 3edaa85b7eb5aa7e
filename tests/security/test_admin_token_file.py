"""The admin token file is the owner's alone: mode 0600 when it is made, whatever the
umask, and again when it was there before with a wider mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ec2emu.config import Settings
from ec2emu.server import write_admin_token


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_token_file_is_mode_0600_even_with_an_open_umask(tmp_path: Path, open_umask: None) -> None:
    settings = replace(Settings(), state_dir=tmp_path / "fresh")
    path = write_admin_token(settings, "first-token")
    assert path == tmp_path / "fresh" / "admin-token"
    assert _mode(path) == 0o600
    assert path.read_text() == "first-token\n"


@pytest.mark.parametrize("wider", [0o644, 0o666, 0o777, 0o640, 0o604])
def test_an_existing_token_file_is_narrowed_to_0600_and_rewritten(tmp_path: Path, open_umask: None,
                                                                  wider: int) -> None:
    stale = tmp_path / "admin-token"
    stale.write_text("an-old-and-much-longer-token-than-the-new-one\n")
    stale.chmod(wider)
    path = write_admin_token(replace(Settings(), state_dir=tmp_path), "new-token")
    assert path == stale
    assert _mode(path) == 0o600
    assert path.read_text() == "new-token\n"
