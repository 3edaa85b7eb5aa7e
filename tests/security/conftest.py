"""The security tests' fixtures: the two strict-mode accounts of :mod:`tests.two_accounts`."""

from __future__ import annotations

from tests.two_accounts import client_of, strict_app, strict_clock

__all__ = ["client_of", "strict_app", "strict_clock"]
