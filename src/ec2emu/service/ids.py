"""Resource IDs: ``<prefix>-`` and 17 lowercase hex digits, as current EC2 issues them.

Also the ID formats EC2 accepts (8 or 17 hex digits) and deterministic IDs for the
built-in catalogue (default VPCs, subnets, images), which must be stable across runs.
"""

from __future__ import annotations

import hashlib
import re
import secrets


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(9)[:17]}"


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return f"{prefix}-{digest[:17]}"


_ID_PATTERNS: dict[str, re.Pattern[str]] = {}


def is_well_formed(prefix: str, value: str) -> bool:
    pattern = _ID_PATTERNS.get(prefix)
    if pattern is None:
        pattern = _ID_PATTERNS[prefix] = re.compile(
            rf"{re.escape(prefix)}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})"
        )
    return pattern.fullmatch(value) is not None
