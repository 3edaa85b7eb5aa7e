"""The ``ec2emu`` command line.

``ec2emu serve`` runs the endpoint (options and ``EC2EMU_*`` variables, an option
winning over its variable). The other commands talk to a running server through its
admin routes (:mod:`ec2emu.admin_client`): ``ls``, ``events``, ``clock show``,
``clock advance``, ``reset``, ``shutdown-guest``; and ``version``. They find the server with
``--endpoint`` (else ``EC2EMU_ENDPOINT``, ``AWS_ENDPOINT_URL_EC2``, ``AWS_ENDPOINT_URL``,
else ``http://127.0.0.1:4747``) and the admin token in ``EC2EMU_ADMIN_TOKEN`` or
``<state-dir>/admin-token``. Failures print one line saying what to do and exit 1.

``ls`` filters on the client side, over the admin listing of every account and region:
``--filter`` takes ``Name=Value`` with the names ``instance-id``, ``instance-type``,
``availability-zone``, ``instance-state-name``, ``region``, ``account-id``,
``tag:KEY``, ``tag-key`` and ``tag-value``; ``*`` and ``?`` are wildcards as in EC2,
values of one name are OR'd and different names AND'ed.

``events`` prints the events emitted so far (``GET /_ec2emu/events``, a page at a time),
one line each — time, account, region, resource, detail-type, state — coloured by the
state (an instance's ``state``, an EBS event's ``result``; a custom event's
``detail.state`` if it has one; a call's ``AWS API Call via CloudTrail`` event shows
the call's name as its resource and its ``errorCode``, if it failed, as its state), or
with ``--json`` each event's JSON on a line; with
``--follow`` it then asks for the events after the last one every ``--interval``
seconds until interrupted (Ctrl-C ends it with status 0).

What a client connection may take of ``ec2emu serve`` (head and body sizes, timeouts, the
cap on connections) are its ``--<limit>`` options, one per field of
:class:`~ec2emu.config.Limits`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import MISSING, fields, replace
from pathlib import Path
from typing import Any

import click

from ec2emu import __version__
from ec2emu.admin_client import AdminClient, AdminError, default_endpoint, find_token
from ec2emu.auth.credentials import AccountsFileError, configured_credentials
from ec2emu.auth.sigv4 import AUTH_MODES
from ec2emu.config import Limits, Settings
from ec2emu.lifecycle.machines import Durations
from ec2emu.observability.access_log import FORMATS as LOG_FORMATS


@click.group()
@click.version_option(__version__, prog_name="ec2emu")
def main() -> None:
    """ec2emu: an EC2-compatible endpoint with a faithful instance lifecycle."""


def _finite(_ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter("must be a finite number of seconds", param=param)
    return value


def _accounts_file(_ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None:
        try:
            configured_credentials(value)
        except AccountsFileError as error:
            raise click.BadParameter(str(error), param=param) from None
    return value


_SECONDS: dict[str, Any] = {"show_default": True, "show_envvar": True, "type": click.FloatRange(min=0),
                            "callback": _finite}


def _timing_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """A ``--<timing>-seconds`` option for each field of :class:`Durations`."""
    for timing in reversed(fields(Durations)):
        assert timing.default is not MISSING
        dashed = timing.name.replace("_", "-")
        command = click.option(f"--{dashed}-seconds", f"{timing.name}_seconds",
                               envvar=f"EC2EMU_{timing.name.upper()}_SECONDS", default=timing.default,
                               help=timing.metadata["help"], **_SECONDS)(command)
    return command


def _limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """A ``--<limit>`` option for each field of :class:`Limits` (sizes and counts whole
    numbers of at least 1, timeouts positive finite seconds)."""
    for limit in reversed(fields(Limits)):
        assert limit.default is not MISSING
        kind: dict[str, Any] = ({"type": click.IntRange(min=1)} if limit.type == "int" else
                                {"type": click.FloatRange(min=0, min_open=True), "callback": _finite})
        command = click.option(f"--{limit.name.replace('_', '-')}", limit.name, envvar=f"EC2EMU_{limit.name.upper()}",
                               default=limit.default, show_default=True, show_envvar=True,
                               help=limit.metadata["help"], **kind)(command)
    return command


@main.command()
@click.option("--host", envvar="EC2EMU_HOST", default="127.0.0.1", show_default=True, show_envvar=True,
              help="Address to bind.")
@click.option("--port", envvar="EC2EMU_PORT", default=4747, show_default=True, show_envvar=True,
              type=click.IntRange(0, 65535), help="Port to bind (0: any free port).")
@click.option("--state-dir", envvar="EC2EMU_STATE_DIR", default=".ec2emu", show_default=True,
              show_envvar=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the SQLite state file and the admin token.")
@click.option("--db", "db_url", envvar="EC2EMU_DB", default=None, show_envvar=True,
              show_default="sqlite:///<state-dir>/ec2emu.db", help="SQLAlchemy database URL.")
@_timing_options
@click.option("--auth", "auth_mode", envvar="EC2EMU_AUTH", default="permissive", show_default=True,
              show_envvar=True, type=click.Choice(AUTH_MODES),
              help="permissive: unknown access keys act as the root of 000000000000; "
                   "strict: unknown keys are refused. Known keys are always verified.")
@click.option("--accounts", "accounts_file", envvar="EC2EMU_ACCOUNTS", default=None, show_envvar=True,
              show_default="none",
              type=click.Path(dir_okay=False, path_type=Path), callback=_accounts_file,
              help="TOML file of further accounts, their root keys, users and users' keys.")
@click.option("--log-format", envvar="EC2EMU_LOG_FORMAT", default="human", show_default=True, show_envvar=True,
              type=click.Choice(LOG_FORMATS),
              help="human: text lines, no line per request; json: one JSON object per line, "
                   "with an access line per API request.")
@click.option("--events-allow-host", "events_allow_hosts", envvar="EC2EMU_EVENTS_ALLOW_HOSTS", multiple=True,
              show_envvar=True, metavar="HOST", show_default="none: loopback addresses only",
              help="A host (besides loopback addresses) events may be delivered to; repeatable "
                   "(the variable: hosts separated by spaces).")
@_limit_options
def serve(host: str, port: int, state_dir: Path, db_url: str | None, auth_mode: str,
          accounts_file: Path | None, log_format: str, events_allow_hosts: tuple[str, ...],
          **given: Any) -> None:
    """Start the endpoint.

    Admin routes under /_ec2emu/ need "Authorization: Bearer <token>": the token is
    EC2EMU_ADMIN_TOKEN, or one generated at start; either way it is written to
    <state-dir>/admin-token (mode 0600). GET /metrics (Prometheus) takes the same token.
    """
    from ec2emu.server import run

    settings = replace(
        Settings.from_env(),
        host=host,
        port=port,
        state_dir=state_dir,
        db_url=db_url,
        durations=Durations(**{f.name: given[f"{f.name}_seconds"] for f in fields(Durations)}),
        auth_mode=auth_mode,
        accounts_file=accounts_file,
        events_allow_hosts=tuple(events_allow_hosts),
        limits=Limits(**{f.name: given[f.name] for f in fields(Limits)}),
    )
    run(settings, log_format=log_format)


@main.command()
def version() -> None:
    """Print the version."""
    click.echo(__version__)


# --------------------------------------------------------------------------- admin commands

_STATE_STYLES = {
    "pending": "yellow",
    "running": "green",
    "stopping": "yellow",
    "stopped": "red",
    "shutting-down": "magenta",
    "terminated": "bright_black",
}
_API_CALL = "AWS API Call via CloudTrail"
# ``ec2emu events``: a line's colour by the state it reports.
_EVENT_STYLES = {
    "pending": "yellow",
    "running": "green",
    "stopping": "dark_orange",
    "shutting-down": "dark_orange",
    "stopped": "grey50",
    "terminated": "red",
}
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([smhd]?)", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``90s``, ``5m``, ``1h``, ``1h30m``, ``2d`` or ``0.5h``."""
    compact = text.strip()
    position, total = 0, 0.0
    while position < len(compact):
        match = _DURATION_PART.match(compact, position)
        if match is None:
            raise ValueError(text)
        total += float(match.group(1)) * _UNITS[match.group(2).lower()]
        position = match.end()
        while position < len(compact) and compact[position] == " ":
            position += 1
    if not compact or not math.isfinite(total):
        raise ValueError(text)
    return total


def format_duration(seconds: float) -> str:
    """``1h 30m 0s`` for 5400."""
    sign = "-" if seconds < 0 else ""
    remaining = abs(seconds)
    days, remaining = divmod(remaining, 86400)
    hours, remaining = divmod(remaining, 3600)
    minutes, secs = divmod(remaining, 60)
    parts = [f"{int(days)}d"] if days else []
    if days or hours:
        parts.append(f"{int(hours)}h")
    if days or hours or minutes:
        parts.append(f"{int(minutes)}m")
    parts.append(f"{secs:g}s")
    return sign + " ".join(parts)


def _admin_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--state-dir", envvar="EC2EMU_STATE_DIR", default=".ec2emu", show_default=True, show_envvar=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="The server's state directory, where its admin-token is (unless EC2EMU_ADMIN_TOKEN is set).",
    )(command)
    command = click.option(
        "--endpoint", default=None, metavar="URL",
        help="The server's URL [default: EC2EMU_ENDPOINT, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, "
             "or http://127.0.0.1:4747].",
    )(command)
    return command


def _admin(endpoint: str | None, state_dir: Path) -> AdminClient:
    return AdminClient(endpoint or default_endpoint(), find_token(state_dir))


def _console() -> Any:
    """A rich console; into a pipe or file it is wide, so a row stays on one line."""
    import os

    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console = Console(highlight=False, width=max(console.width, 240))
    return console


def _fail(error: AdminError) -> None:
    click.echo(f"ec2emu: {error}", err=True)
    raise SystemExit(1)


class _WildcardFilter:
    """One ``--filter`` name and its values, read as EC2's Describe calls read them
    (``*``, ``?`` one character or none, ``\\`` escapes: the same code)."""

    def __init__(self, name: str, patterns: list[str]) -> None:
        self.name = name
        self.patterns = tuple(patterns)

    def matches_any(self, values: list[str]) -> bool:
        from ec2emu.services.shared.filters import met_by

        return any(met_by(self.patterns, value) for value in values)

    def accepts(self, item: dict[str, Any]) -> bool:
        tags: dict[str, str] = item.get("tags", {})
        if self.name.startswith("tag:"):
            key = self.name[4:]
            return key in tags and self.matches_any([tags[key]])
        if self.name == "tag-key":
            return self.matches_any(list(tags))
        if self.name == "tag-value":
            return self.matches_any(list(tags.values()))
        field = _FILTER_FIELDS[self.name]
        return self.matches_any([str(item.get(field, ""))])


_FILTER_FIELDS = {
    "instance-id": "instance_id",
    "instance-type": "instance_type",
    "availability-zone": "availability_zone",
    "instance-state-name": "state",
    "region": "region",
    "account-id": "account_id",
}


def _parse_filters(filters: tuple[str, ...], states: tuple[str, ...], region: str | None) -> list[_WildcardFilter]:
    grouped: dict[str, list[str]] = {}
    for text in filters:
        name, separator, value = text.partition("=")
        if not separator or not name:
            raise click.BadParameter(f"{text!r} is not Name=Value", param_hint="--filter")
        if name not in _FILTER_FIELDS and name not in ("tag-key", "tag-value") and not name.startswith("tag:"):
            known = ", ".join([*_FILTER_FIELDS, "tag:KEY", "tag-key", "tag-value"])
            raise click.BadParameter(f"unknown filter name {name!r}; use one of {known}", param_hint="--filter")
        grouped.setdefault(name, []).append(value)
    if states:
        grouped.setdefault("instance-state-name", []).extend(states)
    if region:
        grouped.setdefault("region", []).append(region)
    return [_WildcardFilter(name, values) for name, values in grouped.items()]


@main.command("ls")
@click.option("--region", default=None, help="Only instances in this region.")
@click.option("--state", "states", multiple=True, type=click.Choice(list(_STATE_STYLES)),
              help="Only instances in this state (repeatable).")
@click.option("--filter", "filters", multiple=True, metavar="NAME=VALUE",
              help="EC2-style filter, e.g. tag:Name=web or instance-type=t3.* (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_admin_options
def list_instances(region: str | None, states: tuple[str, ...], filters: tuple[str, ...], as_json: bool,
                   endpoint: str | None, state_dir: Path) -> None:
    """List instances of every account and region as a table."""
    criteria = _parse_filters(filters, states, region)
    try:
        items = _admin(endpoint, state_dir).instances()
    except AdminError as error:
        _fail(error)
    items = [item for item in items if all(c.accepts(item) for c in criteria)]
    if as_json:
        click.echo(json.dumps(items, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if not items:
        console.print("No instances.")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Instance ID", "State", "Zone", "Type", "Protection", "Tags"):
        table.add_column(column, no_wrap=column != "Tags", overflow="fold")
    for item in items:
        protection = [label for label, key in (("termination", "disable_api_termination"),
                                                ("stop", "disable_api_stop")) if item.get(key)]
        tags = ", ".join(f"{k}={v}" for k, v in sorted(item.get("tags", {}).items()))
        table.add_row(item["instance_id"], Text(item["state"], style=_STATE_STYLES.get(item["state"], "")),
                      item["availability_zone"], item["instance_type"], ", ".join(protection) or "-",
                      tags or "-")
    console.print(table)


@main.group()
def clock() -> None:
    """Show or move the server's clock."""


def _print_clock(info: dict[str, Any]) -> None:
    now = dt.datetime.fromisoformat(info["now"]).strftime("%Y-%m-%dT%H:%M:%S%z")
    click.echo(f"now: {now}")
    click.echo(f"offset: {format_duration(float(info['offset_seconds']))}")


@clock.command("show")
@_admin_options
def clock_show(endpoint: str | None, state_dir: Path) -> None:
    """Print the server's time and its offset from the wall clock."""
    try:
        info = _admin(endpoint, state_dir).clock()
    except AdminError as error:
        _fail(error)
    _print_clock(info)


@clock.command("advance")
@click.argument("duration")
@_admin_options
def clock_advance(duration: str, endpoint: str | None, state_dir: Path) -> None:
    """Move the server's clock forward by DURATION (90, 90s, 5m, 1h, 1h30m, 2d);
    transitions that fall due happen at once."""
    try:
        seconds = parse_duration(duration)
    except ValueError:
        raise click.BadParameter(f"{duration!r} is not a duration such as 90s, 5m, 1h or 1h30m",
                                 param_hint="DURATION") from None
    try:
        info = _admin(endpoint, state_dir).advance(seconds)
    except AdminError as error:
        _fail(error)
    click.echo(f"advanced {format_duration(seconds)}")
    _print_clock(info)


@main.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_admin_options
def reset(yes: bool, endpoint: str | None, state_dir: Path) -> None:
    """Forget all of the server's state: instances, tags, images, the clock offset."""
    admin = _admin_or_fail(endpoint, state_dir)
    if not yes:
        click.confirm(f"Forget all state of the server at {admin.endpoint}?", abort=True)
    try:
        admin.reset()
    except AdminError as error:
        _fail(error)
    click.echo(f"reset: all state forgotten at {admin.endpoint}")


def _admin_or_fail(endpoint: str | None, state_dir: Path) -> AdminClient:
    try:
        return _admin(endpoint, state_dir)
    except AdminError as error:
        _fail(error)
        raise  # unreachable


@main.command("shutdown-guest")
@click.argument("instance_id")
@_admin_options
def shutdown_guest(instance_id: str, endpoint: str | None, state_dir: Path) -> None:
    """Shut INSTANCE_ID down from inside its OS: it stops or terminates as its
    InstanceInitiatedShutdownBehavior says."""
    try:
        change = _admin(endpoint, state_dir).shutdown_guest(instance_id)
    except AdminError as error:
        _fail(error)
    click.echo(f"{change['instance_id']}: {change['previous_state']} -> {change['current_state']}")


def _event_line(event: dict[str, Any]) -> tuple[str, str]:
    """An event's line for people, and the state it reports."""
    found = event.get("detail")
    detail: dict[str, Any] = found if isinstance(found, dict) else {}
    state = next((str(detail[key]) for key in ("state", "result") if isinstance(detail.get(key), str)), "-")
    resources = event.get("resources") or ["-"]
    resource = str(resources[0])
    if event.get("detail-type") == _API_CALL:
        resource, state = str(detail.get("eventName", "-")), str(detail.get("errorCode", "-"))
    elif event.get("source") == "aws.ec2":
        resource = resource.rsplit("/", 1)[-1]
    fields = (event.get("time", "-"), event.get("account", "-"), event.get("region", "-"), resource,
              event.get("detail-type", "-"), state)
    return "  ".join(str(field) for field in fields), state


@main.command("events")
@click.option("--follow", "-f", is_flag=True, help="Keep printing new events as they are emitted, until Ctrl-C.")
@click.option("--json", "as_json", is_flag=True, help="Print each event's JSON on a line.")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(min=0.05),
              help="With --follow: seconds between two asks for new events.")
@_admin_options
def list_events(follow: bool, as_json: bool, interval: float, endpoint: str | None, state_dir: Path) -> None:
    """Print the events emitted (EC2's, EBS's, those PutEvents accepted and the calls'),
    oldest first."""
    from rich.text import Text

    admin = _admin_or_fail(endpoint, state_dir)
    console = _console()
    after = 0
    try:
        while True:
            try:
                page = admin.events(after)
            except AdminError as error:
                _fail(error)
            for item in page["events"]:
                if as_json:
                    click.echo(json.dumps(item["event"]))
                else:
                    line, state = _event_line(item["event"])
                    console.print(Text(line, style=_EVENT_STYLES.get(state, "")), soft_wrap=True)
            after = page["last"]
            if page["events"]:
                continue  # more may be waiting past this page
            if not follow:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        return
