"""Settings for one ec2emu process: where state lives, where to listen, lifecycle timing,
how requests are authenticated (``auth_mode``, ``accounts_file``), which hosts events
may be delivered to besides loopback ones (``events_allow_hosts``), and what one client
connection may take of a server (``limits``: :class:`Limits`).

A frozen dataclass with no globals; :meth:`Settings.from_env` reads ``EC2EMU_*``
variables, and the CLI passes its options on top.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ec2emu.lifecycle.machines import Durations

DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
MAX_BODY_BYTES = 1024 * 1024


def _limit(default: int | float, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Limits:
    """What one client connection may take of a server (:mod:`ec2emu.connections` holds
    them; the body size also holds in-process). Each field is a ``--<field>`` option of
    ``ec2emu serve`` (``EC2EMU_<FIELD>``), made from this list; ``help`` is its help text.

    The defaults fit every SDK's requests with room to spare: a botocore request's head is
    under 2 KiB (4 KiB with a session token), a presigned GET carrying 16 KiB of user data
    under 40 KiB; SDKs send about ten header fields."""

    max_header_bytes: int = _limit(64 * 1024, "Largest request line and header fields together, in bytes.")
    max_headers: int = _limit(100, "Most header fields in one request.")
    max_body_bytes: int = _limit(MAX_BODY_BYTES, "Largest request body, in bytes.")
    header_timeout: float = _limit(10.0, "Seconds a request's line and headers may take to arrive.")
    body_timeout: float = _limit(30.0, "Seconds a request's body may take to arrive once its headers have.")
    idle_timeout: float = _limit(5.0, "Seconds a kept-alive connection may wait for its next request.")
    max_connections: int = _limit(1000, "Most client connections open at once; those past it are answered 503.")

    def __post_init__(self) -> None:
        for limit in fields(self):
            value = getattr(self, limit.name)
            if not 0 < value < float("inf"):
                raise ValueError(f"{limit.name} must be a positive finite number, not {value!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        """The defaults, each replaced by its ``EC2EMU_<FIELD>`` variable when set."""
        given: dict[str, Any] = {f.name: (int if f.type == "int" else float)(env[f"EC2EMU_{f.name.upper()}"])
                                 for f in fields(cls) if env.get(f"EC2EMU_{f.name.upper()}")}
        return cls(**given)


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
    limits: Limits = field(default_factory=Limits)

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
            limits=Limits.from_env(env),
        )
