"""The one place botocore's EC2 service model is loaded and asked about shapes.

Everything else in ``protocol/`` goes through these helpers, so the pinned botocore
version and its quirks are handled here once.
"""

from __future__ import annotations

import re
from functools import lru_cache

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

API_VERSION = "2016-11-15"
XML_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/"
# A character XML 1.0 cannot carry, not even as a character reference.
NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@lru_cache(maxsize=None)
def service_model(service: str = "ec2") -> ServiceModel:
    """The botocore service model for ``service`` (loaded once per process)."""
    return botocore.session.get_session().get_service_model(service)


@lru_cache(maxsize=None)
def operation_names(service: str = "ec2") -> frozenset[str]:
    return frozenset(service_model(service).operation_names)


def operation(name: str, service: str = "ec2") -> OperationModel:
    return service_model(service).operation_model(name)


def input_wire_name(member_name: str, shape: Shape) -> str:
    """The name of a request member on the wire, by the ec2 protocol's rule.

    ``queryName`` if present, else the ``locationName`` capitalised, else the member name.
    """
    query_name = shape.serialization.get("queryName")
    if query_name:
        return query_name
    location = shape.serialization.get("name")
    if location:
        return location[0].upper() + location[1:]
    return member_name


def output_wire_name(member_name: str, shape: Shape) -> str:
    """The element name of a response member: its ``locationName``, else the member name."""
    return shape.serialization.get("name") or member_name
