"""In-process mode: ``ec2emu.mock()``, a context manager and decorator with no server.

Inside ``with ec2emu.mock() as emulator:`` every botocore/boto3 client *created* inside
the block sends its EC2, IAM, STS, SSM, CloudTrail and EventBridge requests to a fresh
:class:`ec2emu.app.Emulator` in this process: the same ASGI application ``ec2emu serve`` runs, so requests go
through the same parsing, dispatch, unit of work and serialisation, only without a
socket. The store is a new in-memory SQLite database each time (migrated like a file
one), so nothing is shared between two blocks.

How requests are caught: while any mock is active, ``botocore.session.Session.create_client``
is wrapped so that each new client of a routed service gets a ``before-send`` handler
(botocore's event hook) that hands the signed request to the app through
:class:`ec2emu.inprocess.InProcessTransport` and returns its response. The client keeps
whatever ``endpoint_url`` it was given; nothing is sent over the network. A client
created inside a block that is used after the block has ended raises
:class:`MockEndedError` instead of reaching AWS. Clients created *before* the block
are not touched.

Choices where nothing else decides:

* Time stands still (a :class:`~ec2emu.lifecycle.clock.ManualClock`) unless
  ``clock="system"``: tests move it with ``emulator.advance(seconds)``, so a test
  never sleeps through ``pending``. A waiter whose first poll does not succeed sleeps
  its own delay, so advance the clock before waiting.
* Transition durations default to those of ``ec2emu serve`` (1.5 s, retention 3600 s).
* For the duration of the block, ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``
  are ``test``/``test`` (the root of account ``000000000000``), and
  ``AWS_SESSION_TOKEN`` and ``AWS_SECURITY_TOKEN`` are removed, so clients need no
  configured credentials and pick up no real ones from the environment;
  ``AWS_DEFAULT_REGION`` is set to ``us-east-1`` only when no region is configured at
  all. boto3's default session is put back as it was on exit, so credentials resolved
  inside the block are not reused after it.
* IAM, STS, SSM and EventBridge (``events``) requests are routed too, so they never
  leave the process and are served by the same app (users, keys, policies, roles;
  GetCallerIdentity, AssumeRole; the parameters a launch script reads its AMI from;
  rules, targets and PutEvents, whose events ``emulator.events`` lists).
* ``emulator.events`` (:attr:`ec2emu.app.Emulator.events`) lists the events emitted so
  far — EC2's instance state-change notifications, EBS's volume and snapshot
  notifications — as dicts in AWS's shape, oldest first, for assertions. A transition
  that falls due is emitted when the settler applies it (``emulator.advance`` runs it),
  with the time it fell due; a describe never emits.
* Events reach the targets of the EventBridge rules they match when
  ``emulator.deliver()`` is called and after each ``emulator.advance`` (never inside a
  request): a Lambda function's target calls the Python callable registered as
  ``emulator.functions["NAME"]``; ``emulator.dead_letters()`` lists the deliveries that
  gave up (:mod:`ec2emu.services.events.delivery`).
* Signature checks and the auth mode are those of the app, set through the mock's
  keyword arguments that name :class:`ec2emu.config.Settings` fields; by default they
  are the server's defaults.
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
from collections.abc import Callable
from contextlib import ContextDecorator
from dataclasses import fields
from typing import Any, TypeVar

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock, SystemClock
from ec2emu.lifecycle.machines import Durations

ROUTED_SERVICES = frozenset({"ec2", "iam", "sts", "ssm", "cloudtrail", "events"})
TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
_REMOVED_VARIABLES = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")

# Settings that only make sense for a server, never for a mock.
_FIXED_SETTINGS = frozenset({"host", "port", "db_url", "durations", "admin_token"})

F = TypeVar("F", bound=Callable[..., Any])


class MockEndedError(RuntimeError):
    """A client created inside an ``ec2emu.mock()`` block was used after the block ended."""


class _Routing:
    """The active blocks (innermost last) and the ``create_client`` wrapper they share."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.active: list[_Active] = []
        self.original: Callable[..., Any] | None = None

    def push(self, active: _Active) -> None:
        import botocore.session

        with self.lock:
            if not self.active:
                self.original = botocore.session.Session.create_client
                original = self.original

                @functools.wraps(original)
                def create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
                    client = original(session, service_name, *args, **kwargs)
                    current = self.current()
                    if current is not None and client.meta.service_model.service_name in ROUTED_SERVICES:
                        current.attach(client)
                    return client

                botocore.session.Session.create_client = create_client
            self.active.append(active)

    def pop(self, active: _Active) -> None:
        import botocore.session

        with self.lock:
            self.active.remove(active)
            if not self.active and self.original is not None:
                botocore.session.Session.create_client = self.original
                self.original = None

    def current(self) -> _Active | None:
        with self.lock:
            return self.active[-1] if self.active else None


_ROUTING = _Routing()


class _Active:
    """One entered block: its emulator, transport and the environment it replaced."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.transport = InProcessTransport(emulator)
        self.ended = False
        self.saved_env: dict[str, str | None] = {}
        self.saved_default_session: Any = None

    def attach(self, client: Any) -> None:
        def before_send(request: Any, **kwargs: Any) -> Any:
            if self.ended:
                raise MockEndedError(
                    "this client was created inside an ec2emu.mock() block that has ended; "
                    "create clients inside the block that uses them"
                )
            return self.transport.before_send(request, **kwargs)

        client.meta.events.register("before-send", before_send)

    def enter_environment(self) -> None:
        changes: dict[str, str | None] = dict(TEST_CREDENTIALS)
        changes.update(dict.fromkeys(_REMOVED_VARIABLES))
        if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")) and not _configured_region():
            changes["AWS_DEFAULT_REGION"] = "us-east-1"
        for name, value in changes.items():
            self.saved_env[name] = os.environ.get(name)
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        try:
            import boto3
        except ImportError:  # botocore alone
            return
        self.saved_default_session = boto3.DEFAULT_SESSION
        boto3.DEFAULT_SESSION = None  # a new default session sees the test credentials

    def leave_environment(self) -> None:
        for name, value in self.saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        try:
            import boto3
        except ImportError:
            return
        boto3.DEFAULT_SESSION = self.saved_default_session


def _configured_region() -> str | None:
    """The region botocore would use from its configuration files, if any."""
    import botocore.session

    try:
        region: str | None = botocore.session.Session().get_config_variable("region")
        return region
    except Exception:  # an unreadable config file: behave as if none were set
        return None


# The ``*_seconds`` arguments: one per field of :class:`Durations`, as ``serve``'s options.
_TIMINGS = tuple(f"{f.name}_seconds" for f in fields(Durations))


class mock(ContextDecorator):
    """Route the EC2, IAM, STS, SSM and EventBridge requests of clients created inside
    to a fresh emulator.

    ``with ec2emu.mock() as emulator:`` yields the :class:`~ec2emu.app.Emulator`; as a
    decorator (of a function, a coroutine function or a class's ``test*`` methods), each
    call runs in its own fresh emulator, reachable with :func:`ec2emu.current`.

    ``clock`` is ``"manual"`` (time moves only with ``emulator.advance``) or
    ``"system"`` (wall-clock time); the ``*_seconds`` arguments (``pending_seconds``,
    ``volume_seconds``, … one per ``ec2emu serve --*-seconds`` option, both made from
    :class:`~ec2emu.lifecycle.machines.Durations`) set how long the timed states last.
    Any other keyword is a field of :class:`ec2emu.config.Settings` (for example the
    authentication settings, ``events_allow_hosts``, or ``state_dir``: where events
    delivered to a log group are written — the state itself stays in memory), other than
    those that place a server. Events are delivered to rules' targets when
    ``emulator.deliver()`` is called and after each ``emulator.advance``.
    """

    def __init__(self, *, clock: str = "manual", **settings: Any) -> None:
        if clock not in ("manual", "system"):
            raise ValueError("clock must be 'manual' or 'system'")
        timings = {name: settings.pop(name) for name in _TIMINGS if name in settings}
        unknown = sorted(set(settings) - {f.name for f in fields(Settings)} | set(settings) & _FIXED_SETTINGS)
        if unknown:
            raise TypeError(f"ec2emu.mock() got unexpected settings: {', '.join(unknown)}")
        self.options: dict[str, Any] = {"clock": clock, **timings, **settings}
        self._active: _Active | None = None

    def emulator_durations(self) -> Durations:
        """The timings an emulator of this block gets (each ``*_seconds`` argument, else
        its default)."""
        return Durations(**{name.removesuffix("_seconds"): self.options[name]
                            for name in _TIMINGS if name in self.options})

    def _recreate_cm(self) -> mock:
        # Each decorated call gets its own block, so recursion and threads do not share one.
        return mock(**self.options)

    def __call__(self, target: F) -> F:
        if inspect.isclass(target):
            for name, member in list(vars(target).items()):
                if name.startswith("test") and callable(member):
                    setattr(target, name, self._recreate_cm()(member))
            return target
        if inspect.iscoroutinefunction(target):
            @functools.wraps(target)
            async def run_in_block(*args: Any, **kwargs: Any) -> Any:
                with self._recreate_cm():
                    return await target(*args, **kwargs)

            return run_in_block  # type: ignore[return-value]
        return super().__call__(target)

    @property
    def emulator(self) -> Emulator:
        """The emulator of this block while it is active."""
        if self._active is None:
            raise RuntimeError("this ec2emu.mock() is not active")
        return self._active.emulator

    def __enter__(self) -> Emulator:
        if self._active is not None:
            raise RuntimeError("this ec2emu.mock() is already active; create another one to nest")
        options = dict(self.options)
        durations = self.emulator_durations()
        for name in _TIMINGS:
            options.pop(name, None)
        clock = options.pop("clock")
        settings = Settings(db_url="sqlite://", durations=durations, **options)
        emulator = build_app(settings, clock=ManualClock() if clock == "manual" else SystemClock())
        emulator.configure()  # validates the durations
        active = _Active(emulator)
        active.enter_environment()
        _ROUTING.push(active)
        self._active = active
        return emulator

    def __exit__(self, *_: Any) -> None:
        active = self._active
        if active is None:
            return
        self._active = None
        active.ended = True
        _ROUTING.pop(active)
        active.leave_environment()
        active.transport.close()
        active.emulator.store.close()


def current() -> Emulator:
    """The emulator of the innermost active ``ec2emu.mock()`` (for decorated tests)."""
    active = _ROUTING.current()
    if active is None:
        raise RuntimeError("no ec2emu.mock() is active")
    return active.emulator
