"""The only module that opens sockets: runs the ASGI app under uvicorn."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import uvicorn

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings


def write_admin_token(settings: Settings, token: str) -> Path:
    """Write the admin token to ``<state-dir>/admin-token`` (owner-readable only)."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    path = settings.state_dir / "admin-token"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    return path


def run(settings: Settings, *, announce: bool = True) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app: Emulator = build_app(settings)
    token_path = write_admin_token(settings, app.admin_token)
    if announce:
        endpoint = f"http://{settings.host}:{settings.port}"
        print(f"ec2emu listening on {endpoint}", flush=True)
        print(f"state: {settings.database_url}", flush=True)
        print(f"admin token: {token_path}", flush=True)
        print(f"export AWS_ENDPOINT_URL_EC2={endpoint}", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
                lifespan="on")
