"""Settings for one ec2emu process: where state lives, where to listen, lifecycle timing,
how requests are authenticated (``auth_mode``, ``accounts_file``), which hosts events
may be delivered to besides loopback ones (``events_allow_hosts``).

A frozen dataclass with no globals; :meth:`Settings.from_env` reads ``EC2EMU_*``
variables, and the CLI passes its options on top.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ec2emu.lifecycle.machines import Durations

DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 4747
    state_dir: Path = Path(".ec2emu")
    db_url: str | None = None
    durations: Durations = field(default_factory=Durations)
    admin_token: str | None = None
    # "permissive": unknown access keys act as the root of DEFAULT_ACCOUNT; "strict": refused.
    auth_mode: str = "permissive"
    accounts_file: Path | None = None
    # Hosts other than loopback addresses that events may be delivered to (API destinations).
    events_allow_hosts: tuple[str, ...] = ()

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.state_dir / 'ec2emu.db').resolve()}"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        durations = Durations(
            pending=float(env.get("EC2EMU_PENDING_SECONDS", base.durations.pending)),
            stopping=float(env.get("EC2EMU_STOPPING_SECONDS", base.durations.stopping)),
            shutting_down=float(
                env.get("EC2EMU_SHUTTING_DOWN_SECONDS", base.durations.shutting_down)
            ),
            terminated_retention=float(
                env.get(
                    "EC2EMU_TERMINATED_RETENTION_SECONDS", base.durations.terminated_retention
                )
            ),
            volume=float(env.get("EC2EMU_VOLUME_SECONDS", base.durations.volume)),
            snapshot=float(env.get("EC2EMU_SNAPSHOT_SECONDS", base.durations.snapshot)),
        )
        return replace(
            base,
            host=env.get("EC2EMU_HOST", base.host),
            port=int(env.get("EC2EMU_PORT", base.port)),
            state_dir=Path(env.get("EC2EMU_STATE_DIR", str(base.state_dir))),
            db_url=env.get("EC2EMU_DB") or None,
            durations=durations,
            admin_token=env.get("EC2EMU_ADMIN_TOKEN") or None,
            auth_mode=env.get("EC2EMU_AUTH") or base.auth_mode,
            accounts_file=Path(env["EC2EMU_ACCOUNTS"]) if env.get("EC2EMU_ACCOUNTS") else None,
            events_allow_hosts=tuple(env.get("EC2EMU_EVENTS_ALLOW_HOSTS", "").split()),
        )
