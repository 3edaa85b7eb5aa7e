"""The access log, and the two formats of ``ec2emu serve``'s log.

``--log-format human`` (the default; ``EC2EMU_LOG_FORMAT``) writes what it always has:
one text line per event worth telling (start-up problems, faults with their request
ID), and no line per request. ``--log-format json`` writes every log record as one JSON
object per line on standard error — ``time`` (UTC, ISO 8601), ``level``, ``logger``,
``message``, and ``exception`` (the traceback) when there is one — and turns the access
log on: the logger ``ec2emu.access`` writes one record per API request answered, whose
line also holds

``request_id``, ``service`` (the signing name), ``operation`` (as the request named
it, at most 128 characters), ``account_id`` and ``principal_arn`` (empty when the caller
was not authenticated), ``status``, ``error_code`` (empty for a success),
``latency_ms`` and ``remote_address``.

The record is built from :class:`~ec2emu.observability.record.Observed` alone, which
holds nothing of the request's parameters or of its answer: a secret access key made
by CreateAccessKey, a private key made by CreateKeyPair, a session token — none can
reach the log. The admin routes and ``/metrics`` are not API requests and are not
logged. The access logger is off unless something enables it (a server started with
``--log-format json``, or a program configuring ``logging`` itself), and then costs a
level check per request.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from ec2emu.observability.record import Observed

ACCESS = logging.getLogger("ec2emu.access")
FORMATS = ("human", "json")
HUMAN = "%(asctime)s %(levelname)s %(name)s %(message)s"
_MAX_OPERATION = 128


def access_fields(seen: Observed) -> dict[str, Any]:
    """What the access log tells of one request."""
    return {
        "request_id": seen.request_id,
        "service": seen.service,
        "operation": seen.operation[:_MAX_OPERATION],
        "account_id": seen.account_id,
        "principal_arn": seen.principal_arn,
        "status": seen.status,
        "error_code": seen.code,
        "latency_ms": round(seen.seconds * 1000, 3),
        "remote_address": seen.remote_address or "",
    }


def log_access(seen: Observed) -> None:
    """The access log's observer: one record per request, when the logger is on."""
    if ACCESS.isEnabledFor(logging.INFO):
        fields = access_fields(seen)
        ACCESS.info("%s %s %s %s %s %.3f ms", fields["request_id"], fields["service"], fields["operation"],
                    fields["status"], fields["error_code"] or "-", fields["latency_ms"], extra={"access": fields})


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object (an access record's fields at its top level)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        access = getattr(record, "access", None)
        if isinstance(access, dict):
            line.update(access)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line)


def configure(log_format: str) -> None:
    """The process's logging for ``ec2emu serve``: records of level INFO and above to
    standard error in ``log_format`` (one of :data:`FORMATS`); the access log on only
    for ``json``."""
    if log_format not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(HUMAN))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    ACCESS.setLevel(logging.INFO if log_format == "json" else logging.WARNING)
