"""The one place botocore's EC2 service model is loaded and asked about shapes.

Everything else in ``protocol/`` goes through these helpers, so the pinned botocore
version and its quirks are handled here once.

The models are botocore's own files, found by botocore's ``Loader`` (the newest API
version, with any SDK extras merged) and read by :class:`_ModelFiles`: into plain dicts
rather than the ``OrderedDict`` botocore builds (a dict keeps its order too) and without
the ``documentation`` text, which nothing here reads. The EC2 model then takes about half
the memory it would in a botocore session, which a server leaves to its page cache.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from functools import cache
from typing import Any

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel, Shape

API_VERSION = "2016-11-15"
XML_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/"
# A character XML 1.0 cannot carry, not even as a character reference.
NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_DROPPED_KEYS = frozenset({"documentation", "documentationUrl"})


def _without_documentation(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {key: value for key, value in pairs if key not in _DROPPED_KEYS}


class _ModelFiles:
    """botocore's data files (``name.json`` or ``name.json.gz``) as botocore's ``Loader``
    asks for them (``exists``, ``load_file``), each JSON object a plain dict without its
    documentation."""

    _OPENERS: tuple[tuple[str, Any], ...] = ((".json", open), (".json.gz", gzip.open))

    def exists(self, file_path: str) -> bool:
        return any(os.path.isfile(file_path + suffix) for suffix, _ in self._OPENERS)

    def load_file(self, file_path: str) -> Any:
        for suffix, opener in self._OPENERS:
            if os.path.isfile(file_path + suffix):
                with opener(file_path + suffix, "rb") as handle:
                    return json.loads(handle.read().decode("utf-8"), object_pairs_hook=_without_documentation)
        return None


@cache
def service_model(service: str = "ec2") -> ServiceModel:
    """The botocore service model for ``service`` (loaded once per process)."""
    return ServiceModel(Loader(file_loader=_ModelFiles()).load_service_model(service, "service-2"), service)


@cache
def operation_names(service: str = "ec2") -> frozenset[str]:
    return frozenset(service_model(service).operation_names)


def operation(name: str, service: str = "ec2") -> OperationModel:
    return service_model(service).operation_model(name)


def input_wire_name(member_name: str, shape: Shape) -> str:
    """The name of a request member on the wire, by the ec2 protocol's rule.

    ``queryName`` if present, else the ``locationName`` capitalised, else the member name.
    """
    query_name: str | None = shape.serialization.get("queryName")
    if query_name:
        return query_name
    location: str | None = shape.serialization.get("name")
    if location:
        return location[0].upper() + location[1:]
    return member_name


def output_wire_name(member_name: str, shape: Shape) -> str:
    """The element name of a response member: its ``locationName``, else the member name."""
    return shape.serialization.get("name") or member_name
