"""The IAM fixtures of ``tests/services/shared/test_permissions.py`` (an app with the example
accounts, and clients by key) for the SSM permission tests."""

from tests.services.shared.test_permissions import app, make  # noqa: F401
