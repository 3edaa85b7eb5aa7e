"""The accounts of ``examples/accounts.toml`` and their clients (``app``, ``make``), as the
shared permission tests have them."""

from tests.services.shared.test_permissions import app, make  # noqa: F401
