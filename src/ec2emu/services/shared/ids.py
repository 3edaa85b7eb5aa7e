"""Resource IDs: ``<prefix>-`` and 17 lowercase hex digits, as current EC2 issues them
(new ones ordered by the second they were issued in, see :class:`_IdSequence`).

Also the ID formats EC2 accepts (8 or 17 hex digits), deterministic IDs for the
built-in catalogue (default VPCs, subnets, images), which must be stable across runs,
IAM's and STS's random IDs and keys (:func:`random_id`), version-4 UUIDs
(EventBridge's event IDs, :func:`new_uuid`), and the ``ClientToken`` a client names an
EC2 request with (:func:`client_token`: at most 64 characters, as EC2 documents it; the
stores keep no longer one).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
import uuid
from typing import Any

from ec2emu.errors import invalid_parameter_value

MAX_CLIENT_TOKEN = 64


class _IdSequence:
    """The 17 hex digits of new IDs: the current second (8 digits), then a 36-bit
    per-process counter that starts at a random value, passed through a bijection
    (multiply by an odd constant, add a random one, modulo 2**36) so that neighbours do
    not look sequential (9 digits).

    Why not 17 random digits: IDs are the keys of the primary and scope indexes, and
    random keys put every new row on a different B-tree page, so a launch of 100
    instances rewrote hundreds of pages of each ID index once tens of thousands of
    instances were stored. With the second first, new IDs fall at the end of each index.
    Uniqueness: within a process the bijection of a counter never repeats (2**36 IDs a
    second would be needed); two processes sharing a database collide only if they issue
    IDs in the same second with overlapping counter ranges, about ``n / 2**36`` for ``n``
    IDs a second.
    """

    _BITS = 36
    _MASK = (1 << _BITS) - 1
    _MULTIPLIER = 0x9E3779B97 | 1  # odd: a bijection modulo 2**36

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counter = secrets.randbits(self._BITS)
        self._offset = secrets.randbits(self._BITS)

    def next(self) -> str:
        with self._lock:
            self._counter = (self._counter + 1) & self._MASK
            counter = self._counter
        scrambled = (counter * self._MULTIPLIER + self._offset) & self._MASK
        return f"{int(time.time()) & 0xFFFFFFFF:08x}{scrambled:09x}"


_SEQUENCE = _IdSequence()


def new_id(prefix: str) -> str:
    return f"{prefix}-{_SEQUENCE.next()}"


def new_uuid() -> str:
    """A random (version 4) UUID in its usual 36-character form."""
    return str(uuid.uuid4())


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return f"{prefix}-{digest[:17]}"


def random_id(prefix: str, length: int, alphabet: str) -> str:
    """``prefix`` and ``length`` characters drawn at random from ``alphabet``."""
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


_ID_PATTERNS: dict[str, re.Pattern[str]] = {}


def is_well_formed(prefix: str, value: str) -> bool:
    pattern = _ID_PATTERNS.get(prefix)
    if pattern is None:
        pattern = _ID_PATTERNS[prefix] = re.compile(
            rf"{re.escape(prefix)}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})"
        )
    return pattern.fullmatch(value) is not None


def client_token(params: dict[str, Any]) -> str | None:
    """The request's ``ClientToken`` (``None`` when absent or empty);
    ``InvalidParameterValue`` past :data:`MAX_CLIENT_TOKEN` characters."""
    token = params.get("ClientToken") or None
    if token is not None and len(token) > MAX_CLIENT_TOKEN:
        raise invalid_parameter_value(f"The client token must be {MAX_CLIENT_TOKEN} characters or fewer.")
    return token
