"""ModifyImageAttribute, DescribeImageAttribute and ResetImageAttribute: who may launch an
image (its launch permissions), its description, and the attributes EC2 only reports.

Who may call: the image must be one the caller sees (the catalogue's, its own, shared with
it or public; otherwise ``InvalidAMIID.NotFound``), and only its owner may read or change
its attributes: any other account gets ``AuthFailure`` "Not authorized for image:ami-…"
(HTTP 400), the answer EC2 gives non-owners (see the package's docstring). An IAM
principal's policies are checked against the image's ARN, as for DeregisterImage
(``services/ec2/permissions.py``; also for the deprecation calls).

ModifyImageAttribute changes one attribute per call:

* launch permissions, either as ``LaunchPermission={Add, Remove}`` (items ``UserId`` or
  ``Group``) or in the flat form ``Attribute=launchPermission``, ``OperationType``
  (``add``/``remove``, required) and ``UserIds``/``UserGroups``. A user ID must be twelve
  digits and a group ``all`` (else ``InvalidAMIAttributeItemValue`` naming the item);
  removals apply before additions; adding a grantee twice, or removing one not granted,
  changes nothing. Sharing with ``all`` makes the image public, which the account's
  image block public access refuses while it is ``block-new-sharing``
  (``OperationNotPermitted``, :mod:`.public_access`); removing ``all`` always works.
  Organization and organizational-unit ARNs (``OrganizationArns``,
  ``OrganizationalUnitArns``, or an item's ``OrganizationArn`` /
  ``OrganizationalUnitArn``) are refused by name: this endpoint has no organizations.
  Neither form given: ``MissingParameter`` naming ``LaunchPermission``; both forms, or
  two attributes in one call: ``InvalidParameterCombination``.
* ``description``: ``Description={Value}``, or ``Attribute=description`` with ``Value``
  (at most 255 characters).
* ``imdsSupport``: ``ImdsSupport={Value: v2.0}`` (or ``Attribute=imdsSupport``,
  ``Value=v2.0``); as on EC2 it cannot be unset.
* ``ProductCodes`` are refused by name (no image here carries one).
* any other ``Attribute``: ``InvalidParameterValue``.

DescribeImageAttribute answers one attribute: ``description``, ``launchPermission``
(``UserId`` items in ID order, then ``Group: all``), ``productCodes`` (none),
``kernel``/``ramdisk`` (never set here: empty), ``sriovNetSupport``, ``bootMode``,
``tpmSupport``, ``uefiData``, ``imdsSupport`` (empty when unset), ``lastLaunchedTime``
(the last RunInstances of the image by any account, recorded at once where EC2 may take up
to a day; empty before), ``deregistrationProtection`` (always ``disabled``:
the protection cannot be enabled here). ``blockDeviceMapping`` answers ``AuthFailure``,
as EC2 now does for it (DescribeImages shows the mappings).

ResetImageAttribute resets ``launchPermission`` (the only attribute EC2 resets): the
image is private again, shared with no account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ec2emu.errors import invalid_parameter_combination, missing_parameter
from ec2emu.services.ec2.errors import description_too_long, image_not_authorized
from ec2emu.services.ec2.images.catalogue import ACCOUNT_ID, MAX_DESCRIPTION
from ec2emu.services.ec2.images.common import IMAGES, iso
from ec2emu.services.ec2.images.errors import bad_item_value, read_only_attribute, unknown_attribute
from ec2emu.services.ec2.images.public_access import check_public_sharing
from ec2emu.services.ec2.networking.errors import unsupported_parameter
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.images import PUBLIC

_FLAT_PERMISSIONS = ("UserIds", "UserGroups")
_REPORTED = ("kernel", "ramdisk", "productCodes", "sriovNetSupport", "bootMode", "tpmSupport", "uefiData",
             "lastLaunchedTime", "deregistrationProtection", "blockDeviceMapping")


def owned_image(ctx: RequestContext, image_id: str) -> dict[str, Any]:
    """The caller's own image ``image_id`` (``InvalidAMIID.*`` when it sees none,
    ``AuthFailure`` when it sees another account's)."""
    image = IMAGES.one(ctx, image_id)
    if image["owner_id"] != ctx.account_id:
        raise image_not_authorized(image_id)
    return image


# --------------------------------------------------------------------------- ModifyImageAttribute


def _grantee(item: dict[str, Any], where: str) -> str:
    for member in ("OrganizationArn", "OrganizationalUnitArn"):
        if item.get(member) is not None:
            raise unsupported_parameter(f"{where}.{member}")
    user, group = item.get("UserId"), item.get("Group")
    if (user is None) == (group is None):
        raise invalid_parameter_combination(f"Each {where} item must give exactly one of UserId or Group.")
    return _checked_user(user) if user is not None else _checked_group(str(group))


def _checked_user(value: str) -> str:
    if not ACCOUNT_ID.fullmatch(value):
        raise bad_item_value(value, "userId")
    return value


def _checked_group(value: str) -> str:
    if value != PUBLIC:
        raise bad_item_value(value, "group")
    return value


def _permission_changes(params: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The grantees to add and to remove, from whichever form the request uses."""
    structured = params.get("LaunchPermission")
    flat = [name for name in _FLAT_PERMISSIONS if params.get(name)]
    if structured is not None and (flat or params.get("OperationType")):
        raise invalid_parameter_combination(
            "LaunchPermission cannot be used with OperationType, UserIds or UserGroups.")
    if structured is not None:
        add = [_grantee(item, "LaunchPermission.Add") for item in structured.get("Add") or []]
        remove = [_grantee(item, "LaunchPermission.Remove") for item in structured.get("Remove") or []]
    else:
        grantees = ([_checked_user(u) for u in params.get("UserIds") or []]
                    + [_checked_group(g) for g in params.get("UserGroups") or []])
        if grantees and not params.get("OperationType"):
            raise missing_parameter("OperationType")
        add, remove = (grantees, []) if params.get("OperationType") == "add" else ([], grantees)
    if not add and not remove:
        raise missing_parameter("LaunchPermission")
    return add, remove


def _chosen_attribute(params: dict[str, Any]) -> str:
    """The one attribute the call changes (``launchPermission``, ``description``,
    ``imdsSupport``)."""
    named = params.get("Attribute")
    given = []
    if params.get("LaunchPermission") is not None or any(params.get(n) for n in _FLAT_PERMISSIONS):
        given.append("launchPermission")
    if params.get("Description") is not None:
        given.append("description")
    if params.get("ImdsSupport") is not None:
        given.append("imdsSupport")
    if named is not None:
        if named in _REPORTED:
            raise read_only_attribute(named, "This attribute cannot be modified.")
        if named not in ("launchPermission", "description", "imdsSupport"):
            raise unknown_attribute(named)
        given = list(dict.fromkeys([named, *given]))
    if len(given) > 1:
        raise invalid_parameter_combination(f"Fields for multiple attribute types specified: {', '.join(given)}")
    if not given:
        raise missing_parameter("LaunchPermission")
    return given[0]


def _value(params: dict[str, Any], member: str) -> str:
    structured = params.get(member)
    value = structured.get("Value") if structured is not None else params.get("Value")
    if value is None:
        raise missing_parameter(f"{member}.Value" if structured is not None else "Value")
    return str(value)


@operation("ModifyImageAttribute", refuses=("ProductCodes", "OrganizationArns", "OrganizationalUnitArns"))
def modify_image_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    image = owned_image(ctx, params["ImageId"])
    image_id = image["image_id"]
    attribute = _chosen_attribute(params)
    if attribute == "launchPermission":
        add, remove = _permission_changes(params)
        if PUBLIC in add:
            check_public_sharing(ctx)
        ctx.dry_run(params)
        ctx.uow.images.revoke(image_id, remove)
        ctx.uow.images.grant(image_id, add)
    elif attribute == "description":
        description = _value(params, "Description")
        if len(description) > MAX_DESCRIPTION:
            raise description_too_long(MAX_DESCRIPTION)
        ctx.dry_run(params)
        ctx.uow.images.update(image_id, description=description)
    else:
        value = _value(params, "ImdsSupport")
        if value != "v2.0":
            raise read_only_attribute("imdsSupport", f"The value '{value}' is not supported: use v2.0.")
        ctx.dry_run(params)
        ctx.uow.images.update(image_id, attributes={**_attributes(ctx, image_id), "imds_support": value})
    return {}


def _attributes(ctx: RequestContext, image_id: str) -> dict[str, Any]:
    row = ctx.uow.images.get(ctx.region, [image_id])[image_id]
    return dict(row.get("attributes") or {})


# --------------------------------------------------------------------------- DescribeImageAttribute


def _launch_permissions(image: dict[str, Any]) -> list[dict[str, str]]:
    return [{"Group": g} if g == PUBLIC else {"UserId": g} for g in image.get("grantees") or ()]


def _valued(value: Any) -> dict[str, Any]:
    return {} if value is None else {"Value": value}


Answer = Callable[[dict[str, Any]], Any]
_ANSWERS: dict[str, tuple[str, Answer]] = {
    "description": ("Description", lambda image: _valued(image["description"])),
    "kernel": ("KernelId", lambda image: {}),
    "ramdisk": ("RamdiskId", lambda image: {}),
    "launchPermission": ("LaunchPermissions", _launch_permissions),
    "productCodes": ("ProductCodes", lambda image: []),
    "sriovNetSupport": ("SriovNetSupport", lambda image: _valued(image["sriov_net_support"])),
    "bootMode": ("BootMode", lambda image: _valued(image["boot_mode"])),
    "tpmSupport": ("TpmSupport", lambda image: _valued(image.get("tpm_support"))),
    "uefiData": ("UefiData", lambda image: _valued(image.get("uefi_data"))),
    "lastLaunchedTime": ("LastLaunchedTime", lambda image: _valued(
        None if image.get("last_launched_time") is None else iso(image["last_launched_time"]))),
    "imdsSupport": ("ImdsSupport", lambda image: _valued(image["imds_support"])),
    "deregistrationProtection": ("DeregistrationProtection", lambda image: {"Value": "disabled"}),
}


@operation("DescribeImageAttribute")
def describe_image_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    attribute = params["Attribute"]
    image = owned_image(ctx, params["ImageId"])
    if attribute == "blockDeviceMapping":
        raise image_not_authorized(image["image_id"])
    if attribute not in _ANSWERS:
        raise unknown_attribute(attribute)
    ctx.dry_run(params)
    member, answer = _ANSWERS[attribute]
    return {"ImageId": image["image_id"], member: answer(image)}


# --------------------------------------------------------------------------- ResetImageAttribute


@operation("ResetImageAttribute")
def reset_image_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    attribute = params["Attribute"]
    image = owned_image(ctx, params["ImageId"])
    if attribute != "launchPermission":
        raise unknown_attribute(attribute)
    ctx.dry_run(params)
    ctx.uow.images.revoke(image["image_id"])
    return {}
