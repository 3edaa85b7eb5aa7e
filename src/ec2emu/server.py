"""The only module that opens sockets: runs the ASGI app under uvicorn.

Start-up order: the app is built (the database opened and migrated), the admin token
written to ``<state-dir>/admin-token`` (mode 0600), the listening socket bound, and
only then the endpoint announced, so the printed ``export AWS_ENDPOINT_URL_EC2=...``
line is never shown for a server that could not start. ``--port 0`` binds a free port
and announces the real one. A server bound to anything but a loopback address without
``--auth strict`` first prints a warning to standard error (:func:`exposure_warning`):
anyone who can reach the port then acts as an account's root with any key. The log's
format (``human`` or ``json``, with an access line per request) is set up first:
:mod:`ec2emu.observability.access_log`.

Each connection is held to the settings' :class:`~ec2emu.config.Limits` by the protocol
of :mod:`ec2emu.connections` (head and body sizes, timeouts, the cap on connections).
The process's limit on open files is raised, as far as the system allows, to hold the
cap with room to spare; a warning says so when it cannot be.
"""

from __future__ import annotations

import gc
import ipaddress
import logging
import os
import resource
import socket
import sys
from pathlib import Path
from typing import Any, cast

import uvicorn
from sqlalchemy import make_url

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.connections import protocol_class
from ec2emu.observability import access_log

_WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}
# Files a server opens besides its clients' connections (the database, logs, delivery).
_SPARE_FILES = 256

log = logging.getLogger("ec2emu")


def write_admin_token(settings: Settings, token: str) -> Path:
    """Write the admin token to ``<state-dir>/admin-token`` (owner-readable only)."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    path = settings.state_dir / "admin-token"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        os.fchmod(handle.fileno(), 0o600)  # also when the file already existed
        handle.write(token + "\n")
    return path


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) is only reachable from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(settings: Settings) -> str | None:
    """The warning for a server reachable from other machines that lets unknown keys in
    (``None`` when bound to loopback, or in strict mode)."""
    if is_loopback(settings.host) or settings.auth_mode == "strict":
        return None
    return (f"warning: ec2emu listens on {settings.host or 'every address'} with --auth {settings.auth_mode}: "
            "anyone who can reach this port can call it with any access key, as the root of account "
            "000000000000. Use --auth strict (with --accounts) or bind to 127.0.0.1; see SECURITY.md.")


def endpoint_url(host: str, port: int) -> str:
    """The URL a local client uses to reach a server bound to ``host``:``port``."""
    reachable = _WILDCARD_HOSTS.get(host, host)
    if ":" in reachable:
        reachable = f"[{reachable}]"
    return f"http://{reachable}:{port}"


def run(settings: Settings, *, announce: bool = True, log_format: str = "human") -> None:
    access_log.configure(log_format)
    warning = exposure_warning(settings)
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)
    app: Emulator = build_app(settings)
    # What start-up built (service models, compiled emitters and statements) lives as long
    # as the process: keep it out of the cyclic collector's full collections, which would
    # otherwise walk it every so often in the middle of a request.
    gc.freeze()
    token_path = write_admin_token(settings, app.admin_token)
    # httptools and uvloop: the C HTTP parser and event loop (a request's own work is a few
    # hundred microseconds, so the pure-Python h11 parser and asyncio loop would be a large
    # share of it); no uvicorn access log (the app writes its own), no proxy-header
    # rewriting; the app names the server (``AmazonEC2``), uvicorn adds only the ``Date``.
    # In JSON, uvicorn's own records go through the same handler as ours.
    # Each connection is held to the settings' limits (ec2emu.connections); uvicorn's
    # keep-alive timer is the idle timeout.
    logs: dict[str, Any] = {"log_config": None} if log_format == "json" else {}
    limits = settings.limits
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", **logs,
                            access_log=False, lifespan="on", http=protocol_class(limits), loop="uvloop",
                            proxy_headers=False, server_header=False,
                            # (typed int, used as any number of seconds by the loop's timer)
                            timeout_keep_alive=cast(int, limits.idle_timeout))
    _open_files_for(limits.max_connections + _SPARE_FILES)
    sock = _tcp(config.bind_socket())
    sock.listen(socket.SOMAXCONN)  # connections queue from here on, before the loop runs
    if announce:
        endpoint = endpoint_url(settings.host, int(sock.getsockname()[1]))
        print(f"ec2emu listening on {endpoint}", flush=True)
        print(f"state: {_redacted(settings.database_url)}", flush=True)
        print(f"admin token: {token_path}", flush=True)
        print(f"console: {endpoint}/_ec2emu/console/", flush=True)
        print(f"export AWS_ENDPOINT_URL_EC2={endpoint}", flush=True)
    _Server(config, app).run(sockets=[sock])


class _Server(uvicorn.Server):
    """uvicorn's server, which ends the app's event streams as it starts shutting down:
    it waits for every answer in progress to finish, and a stream's never would."""

    def __init__(self, config: uvicorn.Config, app: Emulator) -> None:
        super().__init__(config)
        self.app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.app.close_streams()
        await super().shutdown(sockets)


def _open_files_for(needed: int) -> None:
    """Raise the soft limit on open files to ``needed`` if it is lower (as far as the hard
    limit allows; a warning when that is not far enough)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        target = soft
    if target < needed:
        log.warning("open files are limited to %d: fewer than --max-connections needs (%d)", target, needed)


def _tcp(sock: socket.socket) -> socket.socket:
    """The listening socket marked as TCP (``proto``), so that asyncio sets ``TCP_NODELAY``
    on each accepted connection: without it a kept-alive connection's response (headers
    and body written apart) waits for the client's delayed ACK, about 40 ms a request."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())


def _redacted(url: str) -> str:
    """A database URL fit to print: any password hidden."""
    return make_url(url).render_as_string(hide_password=True)
