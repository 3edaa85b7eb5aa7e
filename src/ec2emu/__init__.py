"""ec2emu: an EC2-compatible endpoint whose instance lifecycle behaves as AWS documents it.

The public surface:

* :func:`ec2emu.mock` — in-process mode, a context manager and decorator: clients
  created inside talk to a fresh emulator with no server (see :mod:`ec2emu.mocking`);
* :class:`ec2emu.Emulator` — the application and its controls (``advance``,
  ``reset``, ``configure``, ``shutdown_guest``, ``settings``, ``clock``);
* :func:`ec2emu.current` — the emulator of the innermost active ``mock()``;
* :func:`ec2emu.app.build_app` and :class:`ec2emu.config.Settings` — the ASGI
  application ``ec2emu serve`` runs;
* the pytest plugin :mod:`ec2emu.pytest_plugin` (fixtures ``ec2emu``, ``ec2_client``,
  ``ec2emu_server``), registered through the ``pytest11`` entry point.

Names are imported on first use, so ``import ec2emu`` (and ``ec2emu version``) stays
quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Emulator", "MockEndedError", "Settings", "__version__", "build_app", "current", "mock"]

if TYPE_CHECKING:
    from ec2emu.app import Emulator, build_app
    from ec2emu.config import Settings
    from ec2emu.mocking import MockEndedError, current, mock

_LAZY = {
    "Emulator": "ec2emu.app",
    "build_app": "ec2emu.app",
    "Settings": "ec2emu.config",
    "mock": "ec2emu.mocking",
    "current": "ec2emu.mocking",
    "MockEndedError": "ec2emu.mocking",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'ec2emu' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
