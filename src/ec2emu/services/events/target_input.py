"""What a target receives for an event: :func:`render` gives the body — the event's JSON,
or the target's ``Input`` (constant JSON text, sent as given). ``InputPath`` and
``InputTransformer`` are not applied by this version: the whole event is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def render(event: dict[str, Any], target: Mapping[str, Any]) -> str:
    """The body ``target`` (in AWS's shape: ``Input``, ``InputPath``, ``InputTransformer``)
    receives for ``event``."""
    given = target.get("Input")
    if given is not None:
        return str(given)
    return json.dumps(event)
