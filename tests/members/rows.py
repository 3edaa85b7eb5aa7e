"""The three kinds of row in the no-silent-drops table.

A module of ``tests/members/`` declares ``ROWS: dict[str, dict[str, Row]]``: operation
(AWS spelling; ``signing:Name`` for a name more than one service serves, e.g.
``ssm:ListTagsForResource``) -> input member (botocore's name) -> one of

- :class:`Honoured` — the member changes state or the response as AWS documents; ``test``
  is the pytest node ID (``tests/services/ec2/test_x.py::test_y``) of a test that checks
  how, and that test's source names the member;
- :class:`Default` — accepted at AWS's default ``value`` only (a client sending the
  default is not refused); any other value is refused by name. The operation's
  registration declares it (``defaults=``);
- :class:`Refused` — refused with error ``code`` whose message names the member. When the
  operation's registration declares it (``refuses=``), ``code`` is the service's
  ``unsupported`` error; otherwise the handler refuses it with AWS's own error, and
  ``test`` names the test that shows it.

A nested structure honoured as a whole is one row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Honoured:
    test: str


@dataclass(frozen=True)
class Default:
    value: object


@dataclass(frozen=True)
class Refused:
    code: str
    test: str = ""


Row = Honoured | Default | Refused
