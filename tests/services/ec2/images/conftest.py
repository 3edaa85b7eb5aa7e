"""The image tests' fixtures: the two accounts of :mod:`tests.two_accounts`, each a client
signing with its root key (``owner`` and ``other``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.two_accounts import KEYS, OTHER, OWNER, client_of, strict_app, strict_clock

__all__ = ["ACCOUNT_A", "ACCOUNT_B", "KEYS", "client_of", "other", "owner", "strict_app", "strict_clock"]

ACCOUNT_A, ACCOUNT_B = OWNER, OTHER


@pytest.fixture
def owner(client_of: Callable[..., Any]) -> Any:
    return client_of(ACCOUNT_A)


@pytest.fixture
def other(client_of: Callable[..., Any]) -> Any:
    return client_of(ACCOUNT_B)
