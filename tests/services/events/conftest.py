"""The fixtures of the EventBridge tests: an ``events`` client of the in-process app, and
the IAM fixtures of ``tests/services/shared/test_permissions.py`` (an app with the example
accounts, and clients by key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.services.shared.test_permissions import app, make  # noqa: F401


@pytest.fixture
def events(make_client: Callable[..., Any]) -> Any:
    return make_client(service="events")
