"""Sharing images between accounts (ModifyImageAttribute, DescribeImageAttribute,
ResetImageAttribute), image block public access, and what a grantee sees and launches —
two accounts with their own keys, in strict mode."""

from __future__ import annotations

import json
from typing import Any

import boto3

from ec2emu.inprocess import InProcessTransport
from tests.conftest import NO_RETRY
from tests.helpers import error_of, image_id
from tests.services.ec2.images.conftest import ACCOUNT_A, ACCOUNT_B, KEYS

NOT_AUTHORIZED = "Not authorized for image:{}"


def _register(ec2: Any, name: str = "golden") -> str:
    snapshot = ec2.describe_images(ImageIds=[image_id(ec2)])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]
    return str(ec2.register_image(
        Name=name, RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot["SnapshotId"]}}],
    )["ImageId"])


def _ids(ec2: Any, **kwargs: Any) -> list[str]:
    return [i["ImageId"] for i in ec2.describe_images(**kwargs)["Images"]]


def _permissions(ec2: Any, image: str) -> list[dict[str, str]]:
    return list(ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")["LaunchPermissions"])


def _launch(ec2: Any, image: str) -> str:
    return str(ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
               ["Instances"][0]["InstanceId"])


def test_sharing_with_an_account_makes_the_image_visible_and_launchable_until_removed(
        owner: Any, other: Any, strict_clock: Any) -> None:
    image = _register(owner)
    assert image not in _ids(other)
    assert error_of(other.describe_images, ImageIds=[image])["Code"] == "InvalidAMIID.NotFound"
    assert error_of(_launch, other, image)["Code"] == "InvalidAMIID.NotFound"

    assert owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
    assert _permissions(owner, image) == [{"UserId": ACCOUNT_B}]
    # The grantee sees it by default, by ID, through ExecutableUsers (self or its own ID)
    # and through Owners naming the owner; it is not its own, nor public.
    assert image in _ids(other)
    [seen] = other.describe_images(ImageIds=[image])["Images"]
    assert (seen["OwnerId"], seen["Public"]) == (ACCOUNT_A, False)
    assert _ids(other, ExecutableUsers=["self"]) == [image]
    assert _ids(other, ExecutableUsers=[ACCOUNT_B]) == [image]
    assert _ids(other, Owners=[ACCOUNT_A]) == [image]
    assert _ids(other, Owners=["self"]) == []
    assert image not in _ids(other, ExecutableUsers=["all"])
    assert image in _ids(other, Filters=[{"Name": "is-public", "Values": ["false"]}])
    # The owner finds what it shared with B through ExecutableUsers naming B.
    assert _ids(owner, ExecutableUsers=[ACCOUNT_B]) == [image]
    assert _ids(owner, ExecutableUsers=["self"]) == []
    assert owner.describe_image_attribute(ImageId=image, Attribute="lastLaunchedTime")["LastLaunchedTime"] == {}
    instance = _launch(other, image)
    launched = owner.describe_image_attribute(ImageId=image, Attribute="lastLaunchedTime")["LastLaunchedTime"]
    assert launched == {"Value": strict_clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    strict_clock.advance(10)
    assert other.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["ImageId"] == image

    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Remove": [{"UserId": ACCOUNT_B}]})
    assert _permissions(owner, image) == []
    assert image not in _ids(other)
    assert error_of(other.describe_images, ImageIds=[image])["Code"] == "InvalidAMIID.NotFound"
    assert error_of(_launch, other, image)["Code"] == "InvalidAMIID.NotFound"
    # The instance launched while it was shared keeps running.
    assert other.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["State"]["Name"] \
        == "running"


def test_the_flat_form_adds_and_removes_users_and_groups(owner: Any, other: Any) -> None:
    image = _register(owner)
    owner.disable_image_block_public_access()
    owner.modify_image_attribute(ImageId=image, Attribute="launchPermission", OperationType="add",
                                 UserIds=[ACCOUNT_B, "123456789012"])
    assert _permissions(owner, image) == [{"UserId": "123456789012"}, {"UserId": ACCOUNT_B}]
    owner.modify_image_attribute(ImageId=image, Attribute="launchPermission", OperationType="add", UserGroups=["all"])
    assert _permissions(owner, image)[-1] == {"Group": "all"}
    owner.modify_image_attribute(ImageId=image, Attribute="launchPermission", OperationType="remove",
                                 UserIds=[ACCOUNT_B], UserGroups=["all"])
    assert _permissions(owner, image) == [{"UserId": "123456789012"}]
    assert image not in _ids(other)
    # Adding twice, or removing what is not granted, changes nothing.
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": "123456789012"}],
                                                                  "Remove": [{"UserId": ACCOUNT_B}]})
    assert _permissions(owner, image) == [{"UserId": "123456789012"}]


def test_reset_makes_the_image_private_again(owner: Any, other: Any) -> None:
    image = _register(owner)
    owner.disable_image_block_public_access()
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}, {"Group": "all"}]})
    assert owner.describe_images(ImageIds=[image])["Images"][0]["Public"] is True
    err = error_of(owner.reset_image_attribute, ImageId=image, Attribute="launchPermission", DryRun=True)
    assert err["Code"] == "DryRunOperation"
    assert len(_permissions(owner, image)) == 2
    owner.reset_image_attribute(ImageId=image, Attribute="launchPermission")
    assert _permissions(owner, image) == []
    assert owner.describe_images(ImageIds=[image])["Images"][0]["Public"] is False
    assert image not in _ids(other)
    err = error_of(other.reset_image_attribute, ImageId=image, Attribute="launchPermission")
    assert err["Code"] == "InvalidAMIID.NotFound"


def test_public_sharing_follows_block_public_access(client_of: Any, owner: Any, other: Any) -> None:
    image = _register(owner)
    state = owner.get_image_block_public_access_state()
    assert (state["ImageBlockPublicAccessState"], state["ManagedBy"]) == ("block-new-sharing", "account")
    err = error_of(owner.modify_image_attribute, ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})
    assert err == {"Code": "OperationNotPermitted", "Status": 400,
                   "Message": "You can’t publicly share this image because block public access for AMIs is enabled "
                              "for this account. To publicly share the image, you must call the "
                              "DisableImageBlockPublicAccess API."}
    assert _permissions(owner, image) == [] and image not in _ids(other)

    assert owner.disable_image_block_public_access()["ImageBlockPublicAccessState"] == "unblocked"
    assert owner.get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "unblocked"
    # The setting is the account's, per region.
    assert client_of(ACCOUNT_A, "us-west-2").get_image_block_public_access_state()[
        "ImageBlockPublicAccessState"] == "block-new-sharing"
    assert other.get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "block-new-sharing"
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})
    assert _permissions(owner, image) == [{"Group": "all"}]
    [seen] = other.describe_images(ImageIds=[image])["Images"]
    assert seen["Public"] is True
    assert image in _ids(other) and image in _ids(other, ExecutableUsers=["all"])
    assert image in _ids(other, Filters=[{"Name": "is-public", "Values": ["true"]}])
    assert image not in _ids(other, ExecutableUsers=["self"])
    assert _launch(other, image).startswith("i-")

    # Blocking again leaves the image public (it blocks new sharing only).
    enabled = owner.enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")
    assert enabled["ImageBlockPublicAccessState"] == "block-new-sharing"
    assert image in _ids(other)
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Remove": [{"Group": "all"}]})
    assert image not in _ids(other)
    assert error_of(owner.modify_image_attribute, ImageId=image,
                    LaunchPermission={"Add": [{"Group": "all"}]})["Code"] == "OperationNotPermitted"
    err = error_of(owner.disable_image_block_public_access, DryRun=True)
    assert err["Code"] == "DryRunOperation"
    err = error_of(owner.enable_image_block_public_access, ImageBlockPublicAccessState="block-new-sharing",
                   DryRun=True)
    assert err["Code"] == "DryRunOperation"
    assert error_of(owner.get_image_block_public_access_state, DryRun=True)["Code"] == "DryRunOperation"
    assert owner.get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "block-new-sharing"
    err = error_of(owner.enable_image_block_public_access, ImageBlockPublicAccessState="unblocked")
    assert err["Status"] == 400
    assert owner.get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "block-new-sharing"


def test_only_the_owner_may_read_or_change_attributes(owner: Any, other: Any) -> None:
    image = _register(owner)
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
    expected = {"Code": "AuthFailure", "Message": NOT_AUTHORIZED.format(image), "Status": 400}
    assert error_of(other.modify_image_attribute, ImageId=image,
                    LaunchPermission={"Add": [{"UserId": "123456789012"}]}) == expected
    assert error_of(other.describe_image_attribute, ImageId=image, Attribute="launchPermission") == expected
    assert error_of(other.reset_image_attribute, ImageId=image, Attribute="launchPermission") == expected
    assert _permissions(owner, image) == [{"UserId": ACCOUNT_B}]
    catalogue = image_id(owner)
    err = error_of(owner.modify_image_attribute, ImageId=catalogue, Description={"Value": "mine"})
    assert err == {"Code": "AuthFailure", "Message": NOT_AUTHORIZED.format(catalogue), "Status": 400}
    err = error_of(owner.modify_image_attribute, ImageId="ami-0123456789abcdef0", Description={"Value": "x"})
    assert err["Code"] == "InvalidAMIID.NotFound"
    err = error_of(owner.describe_image_attribute, ImageId="ami-bogus", Attribute="description")
    assert err["Code"] == "InvalidAMIID.Malformed"


def test_bad_launch_permissions_change_nothing(owner: Any) -> None:
    image = _register(owner)
    err = error_of(owner.modify_image_attribute, ImageId=image, LaunchPermission={"Add": [{"UserId": "12345"}]})
    assert err == {"Code": "InvalidAMIAttributeItemValue", "Status": 400,
                   "Message": 'Invalid attribute item value "12345" for userId item type.'}
    err = error_of(owner.modify_image_attribute, ImageId=image, Attribute="launchPermission", OperationType="add",
                   UserIds=[ACCOUNT_B, "not-an-account"])
    assert err["Code"] == "InvalidAMIAttributeItemValue" and '"not-an-account"' in err["Message"]
    err = error_of(owner.modify_image_attribute, ImageId=image, Attribute="launchPermission", OperationType="add",
                   UserGroups=["everyone"])
    assert err["Code"] == "InvalidAMIAttributeItemValue" and "group" in err["Message"]
    err = error_of(owner.modify_image_attribute, ImageId=image, Attribute="launchPermission", UserIds=[ACCOUNT_B])
    assert err == {"Code": "MissingParameter", "Message": "The request must contain the parameter OperationType",
                   "Status": 400}
    err = error_of(owner.modify_image_attribute, ImageId=image)
    assert err["Code"] == "MissingParameter" and "LaunchPermission" in err["Message"]
    err = error_of(owner.modify_image_attribute, ImageId=image, LaunchPermission={"Add": []})
    assert err["Code"] == "MissingParameter"
    err = error_of(owner.modify_image_attribute, ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]},
                   UserIds=[ACCOUNT_B], OperationType="add")
    assert err["Code"] == "InvalidParameterCombination"
    err = error_of(owner.modify_image_attribute, ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]},
                   Description={"Value": "two at once"})
    assert err["Code"] == "InvalidParameterCombination"
    err = error_of(owner.modify_image_attribute, ImageId=image, Attribute="kernel", Value="aki-12345678")
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(owner.modify_image_attribute, ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]},
                   DryRun=True)
    assert err["Code"] == "DryRunOperation"
    assert _permissions(owner, image) == []


def test_organizations_and_product_codes_are_refused_by_name(owner: Any) -> None:
    image = _register(owner)
    arn = "arn:aws:organizations::111111111111:organization/o-abcdefghij"
    err = error_of(owner.modify_image_attribute, ImageId=image, LaunchPermission={"Add": [{"OrganizationArn": arn}]})
    assert err["Code"] == "UnsupportedOperation" and "LaunchPermission.Add.OrganizationArn" in err["Message"]
    unit = "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh"
    err = error_of(owner.modify_image_attribute, ImageId=image,
                   LaunchPermission={"Remove": [{"OrganizationalUnitArn": unit}]})
    assert err["Code"] == "UnsupportedOperation" and "OrganizationalUnitArn" in err["Message"]
    for member, value in (("OrganizationArns", [arn]), ("OrganizationalUnitArns", [unit]),
                          ("ProductCodes", ["abcdefghijklmnopqrstuvwxy"])):
        err = error_of(owner.modify_image_attribute, ImageId=image, Attribute="launchPermission",
                       OperationType="add", **{member: value})
        assert err["Code"] == "UnsupportedOperation" and member in err["Message"]
    assert _permissions(owner, image) == []


def test_description_and_imds_support(owner: Any) -> None:
    image = _register(owner)
    answer = owner.describe_image_attribute(ImageId=image, Attribute="description")
    assert (answer["ImageId"], answer["Description"]) == (image, {})
    owner.modify_image_attribute(ImageId=image, Description={"Value": "first"})
    assert owner.describe_image_attribute(ImageId=image, Attribute="description")["Description"] == {"Value": "first"}
    owner.modify_image_attribute(ImageId=image, Attribute="description", Value="second")
    assert owner.describe_images(ImageIds=[image])["Images"][0]["Description"] == "second"
    err = error_of(owner.modify_image_attribute, ImageId=image, Description={"Value": "x" * 256})
    assert err["Code"] == "InvalidParameterValue"
    assert owner.describe_images(ImageIds=[image])["Images"][0]["Description"] == "second"

    assert owner.describe_image_attribute(ImageId=image, Attribute="imdsSupport")["ImdsSupport"] == {}
    owner.modify_image_attribute(ImageId=image, ImdsSupport={"Value": "v2.0"})
    assert owner.describe_image_attribute(ImageId=image, Attribute="imdsSupport")["ImdsSupport"] == {"Value": "v2.0"}
    assert owner.describe_images(ImageIds=[image])["Images"][0]["ImdsSupport"] == "v2.0"
    err = error_of(owner.modify_image_attribute, ImageId=image, Attribute="imdsSupport", Value="v1.0")
    assert err["Code"] == "InvalidParameterValue"


def test_reported_attributes(owner: Any) -> None:
    image = _register(owner)
    answers = {attribute: owner.describe_image_attribute(ImageId=image, Attribute=attribute)
               for attribute in ("kernel", "ramdisk", "productCodes", "sriovNetSupport", "bootMode", "tpmSupport",
                                 "uefiData", "lastLaunchedTime", "deregistrationProtection")}
    assert answers["kernel"]["KernelId"] == {} and answers["ramdisk"]["RamdiskId"] == {}
    assert answers["productCodes"].get("ProductCodes", []) == []
    assert answers["bootMode"]["BootMode"] == {} and answers["tpmSupport"]["TpmSupport"] == {}
    assert answers["deregistrationProtection"]["DeregistrationProtection"] == {"Value": "disabled"}
    assert all(answer["ImageId"] == image for answer in answers.values())
    err = error_of(owner.describe_image_attribute, ImageId=image, Attribute="blockDeviceMapping")
    assert err == {"Code": "AuthFailure", "Message": NOT_AUTHORIZED.format(image), "Status": 400}
    err = error_of(owner.describe_image_attribute, ImageId=image, Attribute="description", DryRun=True)
    assert err["Code"] == "DryRunOperation"
    assert error_of(owner.describe_image_attribute, ImageId=image, Attribute="colour")["Status"] == 400


def test_deregistering_ends_the_sharing(owner: Any, other: Any) -> None:
    image = _register(owner)
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
    assert image in _ids(other)
    err = error_of(other.deregister_image, ImageId=image)
    assert err == {"Code": "AuthFailure", "Message": NOT_AUTHORIZED.format(image), "Status": 400}
    owner.deregister_image(ImageId=image)
    assert image not in _ids(other)
    # A new image of the same name is not shared.
    again = _register(owner)
    assert again not in _ids(other)


def test_images_are_shared_per_region(client_of: Any, owner: Any) -> None:
    image = _register(owner)
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
    west = client_of(ACCOUNT_B, "us-west-2")
    assert image not in _ids(west)
    assert error_of(west.describe_images, ImageIds=[image])["Code"] == "InvalidAMIID.NotFound"


def test_iam_policies_name_the_image_shared(strict_app: Any, owner: Any) -> None:
    """An IAM user may change only the images its policy names (the image's ARN)."""
    allowed, denied = _register(owner, "allowed"), _register(owner, "denied")
    transport = InProcessTransport(strict_app)

    def client(service: str, key: str, secret: str) -> Any:
        return transport.attach(boto3.client(service, region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                             config=NO_RETRY, aws_access_key_id=key, aws_secret_access_key=secret))

    try:
        iam = client("iam", *KEYS[ACCOUNT_A])
        iam.create_user(UserName="sharer")
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["ec2:ModifyImageAttribute", "ec2:DescribeImageAttribute"],
            "Resource": f"arn:aws:ec2:us-east-1::image/{allowed}"}]}
        iam.put_user_policy(UserName="sharer", PolicyName="share", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName="sharer")["AccessKey"]
        sharer = client("ec2", key["AccessKeyId"], key["SecretAccessKey"])
        sharer.modify_image_attribute(ImageId=allowed, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
        assert _permissions(sharer, allowed) == [{"UserId": ACCOUNT_B}]
        err = error_of(sharer.modify_image_attribute, ImageId=denied,
                       LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
        assert (err["Code"], err["Status"]) == ("UnauthorizedOperation", 403)
        assert _permissions(owner, denied) == []
    finally:
        transport.close()
