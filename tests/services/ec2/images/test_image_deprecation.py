"""EnableImageDeprecation / DisableImageDeprecation: the time shown, its rounding and
limits, and who still lists a deprecated image."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.helpers import error_of, image_id
from tests.services.ec2.images.conftest import ACCOUNT_B


def _register(ec2: Any, name: str = "golden") -> str:
    snapshot = ec2.describe_images(ImageIds=[image_id(ec2)])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]
    return str(ec2.register_image(
        Name=name, RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot["SnapshotId"]}}],
    )["ImageId"])


def _shown(ec2: Any, image: str) -> str | None:
    return ec2.describe_images(ImageIds=[image])["Images"][0].get("DeprecationTime")


def _ids(ec2: Any, **kwargs: Any) -> list[str]:
    return [i["ImageId"] for i in ec2.describe_images(**kwargs)["Images"]]


def test_deprecation_time_is_rounded_to_the_minute_and_shown(ec2: Any, clock: Any) -> None:
    image = _register(ec2)
    assert _shown(ec2, image) is None
    now = clock.now().replace(microsecond=0)
    at = (now + dt.timedelta(days=3)).replace(second=29)
    assert ec2.enable_image_deprecation(ImageId=image, DeprecateAt=at)["Return"] is True
    assert _shown(ec2, image) == at.replace(second=0).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    ec2.enable_image_deprecation(ImageId=image, DeprecateAt=at.replace(second=30))
    assert _shown(ec2, image) == (at.replace(second=0) + dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:00.000Z")
    assert ec2.disable_image_deprecation(ImageId=image)["Return"] is True
    assert _shown(ec2, image) is None


def test_deprecation_limits_change_nothing(ec2: Any, clock: Any) -> None:
    image = _register(ec2)
    now = clock.now()
    err = error_of(ec2.enable_image_deprecation, ImageId=image, DeprecateAt=now - dt.timedelta(hours=1))
    assert err["Code"] == "InvalidParameterValue" and "in the past" in err["Message"]
    err = error_of(ec2.enable_image_deprecation, ImageId=image, DeprecateAt=now + dt.timedelta(days=3660))
    assert err["Code"] == "InvalidParameterValue" and "10 years" in err["Message"]
    err = error_of(ec2.enable_image_deprecation, ImageId=image, DeprecateAt=now + dt.timedelta(days=1), DryRun=True)
    assert err["Code"] == "DryRunOperation"
    assert _shown(ec2, image) is None
    assert ec2.enable_image_deprecation(ImageId=image, DeprecateAt=now + dt.timedelta(days=3640))["Return"] is True
    err = error_of(ec2.disable_image_deprecation, ImageId=image, DryRun=True)
    assert err["Code"] == "DryRunOperation"
    assert _shown(ec2, image) is not None
    catalogue = image_id(ec2)
    err = error_of(ec2.enable_image_deprecation, ImageId=catalogue, DeprecateAt=now + dt.timedelta(days=1))
    assert err == {"Code": "AuthFailure", "Message": f"Not authorized for image:{catalogue}", "Status": 400}
    err = error_of(ec2.disable_image_deprecation, ImageId="ami-0123456789abcdef0")
    assert err["Code"] == "InvalidAMIID.NotFound"


def test_public_images_deprecate_at_most_two_years_after_creation(owner: Any, strict_clock: Any) -> None:
    owner.disable_image_block_public_access()
    image = _register(owner)
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})
    now = strict_clock.now()
    err = error_of(owner.enable_image_deprecation, ImageId=image, DeprecateAt=now + dt.timedelta(days=740))
    assert err["Code"] == "InvalidParameterValue" and "2 years" in err["Message"]
    assert owner.enable_image_deprecation(ImageId=image, DeprecateAt=now + dt.timedelta(days=700))["Return"]


def test_a_deprecated_image_is_hidden_from_other_accounts_unless_asked_for(
        owner: Any, other: Any, strict_clock: Any) -> None:
    image = _register(owner)
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
    owner.enable_image_deprecation(ImageId=image, DeprecateAt=strict_clock.now() + dt.timedelta(hours=1))
    # Not yet deprecated: listed, with the time it will be.
    assert image in _ids(other)
    assert _shown(other, image) is not None
    strict_clock.advance(3601)
    assert image not in _ids(other)
    assert image not in _ids(other, ExecutableUsers=["self"])
    assert _ids(other, IncludeDeprecated=True, ExecutableUsers=["self"]) == [image]
    assert _ids(other, ImageIds=[image]) == [image]
    # Its owner still lists it; the other account can still launch it.
    assert image in _ids(owner) and image in _ids(owner, Owners=["self"])
    reservation = other.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    assert reservation["Instances"][0]["ImageId"] == image
    owner.disable_image_deprecation(ImageId=image)
    assert image in _ids(other)
    assert _shown(other, image) is None
    err = error_of(other.enable_image_deprecation, ImageId=image,
                   DeprecateAt=strict_clock.now() + dt.timedelta(hours=1))
    assert err == {"Code": "AuthFailure", "Message": f"Not authorized for image:{image}", "Status": 400}
    err = error_of(other.disable_image_deprecation, ImageId=image)
    assert err["Code"] == "AuthFailure"
