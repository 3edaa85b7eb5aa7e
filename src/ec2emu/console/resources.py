"""The console's other tables: volumes, snapshots, images, key pairs, VPCs, subnets and
security groups — each one page of its Describe operation called as the signed-in
principal, with EC2's filter names and ``MaxResults``/``NextToken`` paging (key pairs,
which DescribeKeyPairs does not page, all at once), each ID linked to the pages that
show what uses it (a volume's instance, a subnet's VPC, a VPC's subnets, groups and
instances, …) through those pages' own filters.

Images and snapshots are the principal's own (``Owners``/``OwnerIds`` ``self``): the
public catalogue is not the account's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ec2emu.console.html import Answer, esc, link, message, page, state_badge, table
from ec2emu.console.instances import PAGE_SIZE, parse_filters, pickers, tag_dict, when
from ec2emu.console.operate import invoke
from ec2emu.errors import Ec2Error
from ec2emu.pipeline import Pipeline

Cell = Callable[[dict[str, Any], Any], str]


def _text(member: str) -> Cell:
    return lambda item, scope: esc(when(item.get(member)) if member.endswith(("Time", "Date")) else item.get(member))


def _flag(member: str) -> Cell:
    return lambda item, scope: "yes" if item.get(member) else "no"


def _name(item: dict[str, Any], scope: Any) -> str:
    return esc(tag_dict(item).get("Name", ""))


def _tags(item: dict[str, Any], scope: Any) -> str:
    return "".join(f'<span class="tag">{esc(k)}={esc(v)}</span> ' for k, v in tag_dict(item).items())


def _state(member: str) -> Cell:
    return lambda item, scope: state_badge(str(item.get(member, "")))


def filtered(path: str, scope: Any, name: str, value: str) -> str:
    """A link to the ``path`` table filtered by ``name=value``."""
    return esc(link(path, account=scope.account, region=scope.region, filters=f"{name}={value}"))


def _linked(member: str, path: str, filter_name: str) -> Cell:
    def cell(item: dict[str, Any], scope: Any) -> str:
        value = item.get(member)
        return f'<a href="{filtered(path, scope, filter_name, value)}">{esc(value)}</a>' if value else ""
    return cell


def _instance(item_id: str | None, scope: Any) -> str:
    if not item_id:
        return ""
    href = esc(link(f"instances/{item_id}", account=scope.account, region=scope.region))
    return f'<a href="{href}">{esc(item_id)}</a>'


def _uses(member: str, *targets: tuple[str, str, str]) -> Cell:
    """Links to the tables of what uses this resource (its ID ``member``): (label, path,
    filter name) each."""
    def cell(item: dict[str, Any], scope: Any) -> str:
        value = str(item.get(member, ""))
        return " ".join(f'<a href="{filtered(path, scope, name, value)}">{esc(label)}</a>'
                        for label, path, name in targets)
    return cell


@dataclass(frozen=True)
class Resource:
    title: str
    operation: str
    listed: str  # the result's member holding the items
    hint: str  # filter examples
    columns: tuple[tuple[str, Cell], ...]
    fixed: tuple[tuple[str, Any], ...] = ()
    pages: bool = True


RESOURCES: dict[str, Resource] = {
    "volumes": Resource("Volumes", "DescribeVolumes", "Volumes", "status=in-use, attachment.instance-id=i-…, size=8", (
        ("ID", _text("VolumeId")), ("Name", _name), ("State", _state("State")), ("Size (GiB)", _text("Size")),
        ("Type", _text("VolumeType")), ("Zone", _text("AvailabilityZone")),
        ("Snapshot", _linked("SnapshotId", "snapshots", "snapshot-id")),
        ("Attached to", lambda item, scope: " ".join(_instance(a.get("InstanceId"), scope)
                                                     for a in item.get("Attachments", []))),
        ("Created", _text("CreateTime")), ("Tags", _tags))),
    "snapshots": Resource("Snapshots", "DescribeSnapshots", "Snapshots", "volume-id=vol-…, status=completed", (
        ("ID", _text("SnapshotId")), ("Name", _name), ("State", _state("State")),
        ("Volume", _linked("VolumeId", "volumes", "volume-id")), ("Size (GiB)", _text("VolumeSize")),
        ("Progress", _text("Progress")), ("Started", _text("StartTime")), ("Description", _text("Description")),
        ("Tags", _tags)), fixed=(("OwnerIds", ["self"]),)),
    "images": Resource("Images", "DescribeImages", "Images", "name=my-*, state=available", (
        ("ID", _text("ImageId")), ("Name", _text("Name")), ("State", _state("State")),
        ("Architecture", _text("Architecture")), ("Root device", _text("RootDeviceType")),
        ("Public", _flag("Public")), ("Created", _text("CreationDate")),
        ("Used by", _uses("ImageId", ("instances", "instances", "image-id"))), ("Tags", _tags)),
        fixed=(("Owners", ["self"]),)),
    "key-pairs": Resource("Key pairs", "DescribeKeyPairs", "KeyPairs", "key-name=deploy, key-type=ed25519", (
        ("Name", _text("KeyName")), ("ID", _text("KeyPairId")), ("Type", _text("KeyType")),
        ("Fingerprint", _text("KeyFingerprint")), ("Created", _text("CreateTime")),
        ("Used by", _uses("KeyName", ("instances", "instances", "key-name"))), ("Tags", _tags)), pages=False),
    "vpcs": Resource("VPCs", "DescribeVpcs", "Vpcs", "is-default=true, cidr-block=10.0.0.0/16", (
        ("ID", _text("VpcId")), ("Name", _name), ("State", _state("State")), ("CIDR", _text("CidrBlock")),
        ("Default", _flag("IsDefault")),
        ("Contains", _uses("VpcId", ("subnets", "subnets", "vpc-id"), ("security groups", "security-groups", "vpc-id"),
                           ("instances", "instances", "vpc-id"))), ("Tags", _tags))),
    "subnets": Resource("Subnets", "DescribeSubnets", "Subnets", "vpc-id=vpc-…, availability-zone=us-east-1a", (
        ("ID", _text("SubnetId")), ("Name", _name), ("State", _state("State")),
        ("VPC", _linked("VpcId", "vpcs", "vpc-id")), ("CIDR", _text("CidrBlock")),
        ("Zone", _text("AvailabilityZone")), ("Free addresses", _text("AvailableIpAddressCount")),
        ("Default for zone", _flag("DefaultForAz")),
        ("Used by", _uses("SubnetId", ("instances", "instances", "subnet-id"))),
        ("Tags", _tags))),
    "security-groups": Resource("Security groups", "DescribeSecurityGroups", "SecurityGroups",
                                "vpc-id=vpc-…, group-name=default", (
        ("ID", _text("GroupId")), ("Name", _text("GroupName")), ("VPC", _linked("VpcId", "vpcs", "vpc-id")),
        ("Description", _text("Description")),
        ("Used by", _uses("GroupId", ("instances", "instances", "instance.group-id"))),
        ("Tags", _tags))),
}


def route(pipeline: Pipeline, scope: Any, resource: str) -> Answer:
    if scope.request.method != "GET":
        return page("Not found", message("error", "No such page."), scope.frame, 404)
    spec = RESOURCES[resource]
    filters_text, token = scope.one("filters"), scope.one("next")
    error, items, next_token = "", [], ""
    try:
        params: dict[str, Any] = {**dict(spec.fixed), "Filters": parse_filters(filters_text)}
        if spec.pages:
            params["MaxResults"] = PAGE_SIZE
            if token:
                params["NextToken"] = token
        result = invoke(pipeline, scope.principal, scope.access_key_id, spec.operation, params, scope.region,
                        scope.request.request_id, scope.request.client)
        items, next_token = result.get(spec.listed, []), result.get("NextToken") or ""
    except Ec2Error as refused:
        error = f"{refused.code}: {refused.message}"
    rows = [[cell(item, scope) for _, cell in spec.columns] for item in items]
    content = pickers(scope, filters_text, spec.hint) + (message("error", error) if error else "")
    content += table(f"{spec.title} in {scope.account} {scope.region}", [label for label, _ in spec.columns], rows,
                     attrs='class="grid"')
    pager = []
    if token:
        first = link(resource, account=scope.account, region=scope.region, filters=filters_text)
        pager.append(f'<a href="{esc(first)}">First page</a>')
    if next_token:
        following = link(resource, account=scope.account, region=scope.region, filters=filters_text, next=next_token)
        pager.append(f'<a rel="next" href="{esc(following)}">Next page</a>')
    content += f'<nav class="pager" aria-label="Pages">{" ".join(pager)}</nav>'
    return page(spec.title, content, scope.frame)

