"""The targets delivered without HTTP: a CloudWatch Logs log group and a Lambda function.

* A log group (``arn:aws:logs:REGION:ACCOUNT:log-group:NAME``, with or without a trailing
  ``:*``): CloudWatch Logs is not served, so, as our own deviation, each event delivered
  is appended as one JSON line (the target's body) to
  ``<state-dir>/event-logs/<account>/<region>/<NAME, percent-encoded>.jsonl``, written
  and ``fsync``'ed before the delivery counts as done.
* A Lambda function (``arn:aws:lambda:REGION:ACCOUNT:function:NAME``, a qualifier
  ignored): Lambda is not served; the function is a Python callable registered on the
  emulator (``emulator.functions["NAME"] = callable``), called with the body parsed as
  JSON (the event, or the target's input). Its raising is a failed attempt, retried; a
  function nobody registered (always so under ``ec2emu serve``) fails for good
  (``NO_RESOURCE``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ec2emu.services.events.outbound import DELIVERED, Outcome

LOG_GROUP = re.compile(r"arn:aws[a-z\-]*:logs:([a-z0-9\-]+):([0-9]{12}):log-group:(.+?)(?::\*)?")
FUNCTION = re.compile(r"arn:aws[a-z\-]*:lambda:([a-z0-9\-]+):([0-9]{12}):function:([^:]+)(?::.+)?")

Function = Callable[[Any], Any]


def log_file(state_dir: Path, arn: str) -> Path | None:
    """Where the log group ``arn``'s events are written (``None``: not a log group's ARN)."""
    match = LOG_GROUP.fullmatch(arn)
    if match is None:
        return None
    region, account, name = match.groups()
    return state_dir / "event-logs" / account / region / f"{quote(name, safe='')}.jsonl"


def to_log_group(path: Path, body: str) -> Outcome:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(json.loads(body), separators=(",", ":")) + "\n"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    except ValueError:
        return Outcome(False, False, "INVALID_INPUT", "the target's input is not JSON")
    except OSError as error:
        return Outcome(False, True, "WRITE_FAILED", f"the log file could not be written: {error.strerror}")
    return DELIVERED


def to_function(functions: Mapping[str, Function], arn: str, body: str) -> Outcome:
    match = FUNCTION.fullmatch(arn)
    name = match.group(3) if match else arn
    function = functions.get(name)
    if function is None:
        return Outcome(False, False, "NO_RESOURCE",
                       f"no function {name} is registered (emulator.functions[{name!r}] under ec2emu.mock())")
    try:
        function(json.loads(body))
    except Exception as error:  # the function's failure is the attempt's
        return Outcome(False, True, "FUNCTION_ERROR", f"{type(error).__name__}: {str(error)[:200]}")
    return DELIVERED
