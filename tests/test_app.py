"""The ASGI app's own duties (``ec2emu.app``): request IDs on every answer."""

from __future__ import annotations

import uuid
from typing import Any

from botocore.exceptions import ClientError


def test_every_answer_carries_a_fresh_version_4_request_id(ec2: Any) -> None:
    seen = []
    for _ in range(50):
        response = ec2.describe_instances()
        seen.append(response["ResponseMetadata"]["RequestId"])
    try:
        ec2.describe_instances(InstanceIds=["i-0000000000000000f"])
    except ClientError as error:
        seen.append(error.response["ResponseMetadata"]["RequestId"])
    assert len(seen) == 51 and len(set(seen)) == 51
    for text in seen:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
