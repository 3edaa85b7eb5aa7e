"""The torture suite: servers under crashes, floods, hostile clients and generated
requests. Each module has a quick run, part of ``make test``, and a long one, run by
``make torture`` (``EC2EMU_TORTURE=1``; the fuzzer's sized by ``EC2EMU_FUZZ_REQUESTS``):
:data:`LONG` marks it."""

from __future__ import annotations

import os

import pytest

LONG = pytest.mark.skipif(not os.environ.get("EC2EMU_TORTURE"), reason="the long run: make torture")
