"""The ``ec2emu`` command line: ``ec2emu serve`` (options and ``EC2EMU_*`` variables,
an option winning over its variable) and ``ec2emu version``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import math
from typing import Any

import click

from ec2emu import __version__
from ec2emu.config import Settings
from ec2emu.lifecycle.machines import Durations


@click.group()
@click.version_option(__version__, prog_name="ec2emu")
def main() -> None:
    """ec2emu: an EC2-compatible endpoint with a faithful instance lifecycle."""


def _finite(_ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter("must be a finite number of seconds", param=param)
    return value


_SECONDS: dict[str, Any] = {"show_default": True, "show_envvar": True, "type": click.FloatRange(min=0),
                            "callback": _finite}


@main.command()
@click.option("--host", envvar="EC2EMU_HOST", default="127.0.0.1", show_default=True, show_envvar=True,
              help="Address to bind.")
@click.option("--port", envvar="EC2EMU_PORT", default=4747, show_default=True, show_envvar=True,
              type=click.IntRange(0, 65535), help="Port to bind (0: any free port).")
@click.option("--state-dir", envvar="EC2EMU_STATE_DIR", default=".ec2emu", show_default=True,
              show_envvar=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the SQLite state file and the admin token.")
@click.option("--db", "db_url", envvar="EC2EMU_DB", default=None, show_envvar=True,
              help="SQLAlchemy database URL (default sqlite:///<state-dir>/ec2emu.db).")
@click.option("--pending-seconds", envvar="EC2EMU_PENDING_SECONDS", default=1.5, **_SECONDS,
              help="How long pending lasts.")
@click.option("--stopping-seconds", envvar="EC2EMU_STOPPING_SECONDS", default=1.5, **_SECONDS,
              help="How long stopping lasts.")
@click.option("--shutting-down-seconds", envvar="EC2EMU_SHUTTING_DOWN_SECONDS", default=1.5, **_SECONDS,
              help="How long shutting-down lasts.")
@click.option("--terminated-retention-seconds", envvar="EC2EMU_TERMINATED_RETENTION_SECONDS",
              default=3600.0, **_SECONDS, help="How long terminated instances stay listed.")
def serve(host: str, port: int, state_dir: Path, db_url: str | None, pending_seconds: float,
          stopping_seconds: float, shutting_down_seconds: float,
          terminated_retention_seconds: float) -> None:
    """Start the endpoint.

    Admin routes under /_ec2emu/ need "Authorization: Bearer <token>": the token is
    EC2EMU_ADMIN_TOKEN, or one generated at start; either way it is written to
    <state-dir>/admin-token (mode 0600).
    """
    from ec2emu.server import run

    settings = replace(
        Settings.from_env(),
        host=host,
        port=port,
        state_dir=state_dir,
        db_url=db_url,
        durations=Durations(pending_seconds, stopping_seconds, shutting_down_seconds,
                            terminated_retention_seconds),
    )
    run(settings)


@main.command()
def version() -> None:
    """Print the version."""
    click.echo(__version__)
