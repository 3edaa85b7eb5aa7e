"""What each request asks permission for, and the verdict before its handler acts.

:func:`guarded` wraps an operation's handler: inside the request's transaction it
describes the request — the resources it touches, each an ARN with its condition keys —
loads the principal's policies, and lets the handler run only when every resource is
allowed (:mod:`ec2emu.auth.authorization`). The root of an account never gets here (the
app does not wrap its handlers), so its requests load no policy at all.

What each action checks (``@describes``; an action not listed checks ``*``):

* instance actions (Terminate/Stop/Start/Reboot, Modify/DescribeInstanceAttribute,
  CreateImage, Attach/DetachVolume): every named instance of this account and region,
  with ``ec2:ResourceTag/k`` and ``aws:ResourceTag/k``, ``ec2:InstanceType``,
  ``ec2:AvailabilityZone``, ``ec2:Region``, ``ec2:Tenancy``, ``ec2:RootDeviceType``;
* ``RunInstances``: ``instance/*`` (``ec2:InstanceType``, ``ec2:AvailabilityZone`` when
  a zone or subnet is given, the instance's ``aws:RequestTag/k`` and ``aws:TagKeys``), the
  image (``ec2:Owner`` — ``amazon`` for Amazon's —, ``ec2:ImageType``,
  ``ec2:RootDeviceType``, ``ec2:Public``, its tags), the subnet (``subnet/*`` when neither
  a subnet nor a zone is given: the zone is picked by the handler), the security groups,
  ``volume/*`` (with the volumes' request tags), ``network-interface/*`` and the key pair
  when one is named;
* tags given at creation (``TagSpecifications`` of RunInstances, CreateVolume,
  CreateSnapshot, CreateImage, RegisterImage) are also checked as ``ec2:CreateTags`` on the
  created resources with ``ec2:CreateAction`` naming the creating action, as EC2 does;
* ``CreateTags``/``DeleteTags``: every named resource with its tags and the request's
  ``aws:RequestTag/k``/``aws:TagKeys`` (a reservation ``r-…`` by its ARN alone, existing
  or not, since no tag or attribute of it is a condition key);
* volume and snapshot actions their volumes and snapshots; ``CreateVolume``
  ``volume/*`` (``ec2:AvailabilityZone``, ``ec2:VolumeType``, ``ec2:VolumeSize``,
  ``ec2:Encrypted``) and the snapshot it starts from; ``CreateSnapshot`` the volume and
  ``snapshot/*``; images ``image/…`` (``image/*`` when created);
* ``Describe*`` and actions without resource-level permissions: ``*``;
* IAM: the user, group, role or policy the request names, path included (for one not
  yet existing, the path from the request); ``List*`` without a name the type's ARN
  with an empty name (``arn:aws:iam::ACCOUNT:user/``); access-key and user actions that
  name no user act on the caller; ``iam:PolicyARN`` for attachments, ``iam:ResourceTag/k``
  for the named user's or role's tags, ``aws:RequestTag/k``/``aws:TagKeys`` for tags;
* STS: ``GetCallerIdentity`` is always allowed (as on AWS); ``AssumeRole`` is decided by
  its handler together with the role's trust policy; ``DecodeAuthorizationMessage`` ``*``.

An ID that does not exist in the caller's account and region (another account's
included) is left out of the check, so the handler answers its ``NotFound`` (or
``Malformed``) exactly as it would for anyone; when a request names nothing that exists
there is nothing to check and the handler answers. Other parameter errors come after
the verdict: a caller without permission gets ``UnauthorizedOperation`` for a request
that would also have failed validation; a permitted ``DryRun`` is validated by its
handler and then answers ``DryRunOperation`` (412).

Denials: EC2 answers ``UnauthorizedOperation`` (403) "You are not authorized to perform
this operation. Encoded authorization failure message: …" (``Describe*``: the first
sentence alone), IAM and STS ``AccessDenied`` (403) "User: ARN is not authorized to
perform: ACTION on resource: ARN because no identity-based policy allows the ACTION
action" (or "… with an explicit deny in an identity-based policy"); the "on resource"
part is left out for ``*``, as AWS does for actions without resources (wording as AWS
reports it in error messages; not a documented contract). The message encodes the
first refused resource (an explicit deny first).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from ec2emu.auth import authorization_message
from ec2emu.auth.arn import (
    ec2_arn,
    iam_arn,
    image_arn,
    instance_arn,
    snapshot_arn,
    subnet_arn,
    volume_arn,
)
from ec2emu.auth.authorization import (
    Resource,
    Verdict,
    authorize,
    global_keys,
    policies_of,
)
from ec2emu.auth.policy import ContextValue, Policy
from ec2emu.errors import Ec2Error
from ec2emu.service import networking
from ec2emu.service.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], Any]
Describer = Callable[[RequestContext, dict[str, Any]], "list[Resource] | None"]

MESSAGE_SECRET_KEY = "authorization_message_secret"
UNAUTHORIZED = "You are not authorized to perform this operation."
AMAZON_OWNERS = ("137112412989",)

_DESCRIBERS: dict[tuple[str, str], Describer] = {}


def describes(service: str, *actions: str) -> Callable[[Describer], Describer]:
    def register(describer: Describer) -> Describer:
        for action in actions:
            _DESCRIBERS[(service, action)] = describer
        return describer

    return register


def guarded(service: str, action: str, handler: Handler, source_ip: str | None = None) -> Handler:
    """``handler``, run only after the request's principal is allowed ``service:action``."""

    def run(ctx: RequestContext, params: dict[str, Any]) -> Any:
        ctx.source_ip = source_ip
        check(ctx, service, action, params, source_ip)
        return handler(ctx, params)

    return run


# --------------------------------------------------------------------------- the identity


@dataclass(frozen=True)
class Identity:
    """What a request's principal is allowed by, and the condition keys about it."""

    policies: tuple[Policy, ...]
    session_policies: tuple[Policy, ...] | None
    keys: dict[str, ContextValue]


def load_identity(ctx: RequestContext, source_ip: str | None) -> Identity:
    """The principal's policies and global keys, read in the request's transaction."""
    principal = ctx.principal
    assert principal is not None
    iam = getattr(ctx.uow, "iam", None)
    account = principal.account_id
    documents: list[tuple[str, str]] = []
    tags: dict[str, str] = {}
    principal_arn = principal.arn
    session_policies: tuple[Policy, ...] | None = None
    if principal.kind == "user" and principal.user_name and iam is not None:
        documents = iam.identity_policies(account, "user", principal.user_name)
        tags = iam.principal_tags(account, "user", principal.user_name)
    elif principal.kind == "assumed-role":
        role_name = getattr(principal, "role_name", None) or ""
        role = iam.get_role(account, role_name) if iam is not None and role_name else None
        principal_arn = role["arn"] if role else iam_arn(account, "role", role_name)
        if role is not None:
            documents = iam.identity_policies(account, "role", role_name)
            tags = iam.principal_tags(account, "role", role_name)
        scope = principal.session_scope
        if scope is not None:
            # Session tags replace the role's tags of the same key (compared case-insensitively).
            given = {key.lower() for key, _ in scope.tags}
            tags = {key: value for key, value in tags.items() if key.lower() not in given}
            tags.update(scope.tags)
            if scope.narrows:
                session_documents = [("session-policy", scope.policy)] if scope.policy is not None else []
                for arn in scope.policy_arns:
                    document = iam.default_document(arn) if iam is not None else None
                    if document is not None:
                        session_documents.append((arn, document))
                session_policies = policies_of(session_documents)
    keys = global_keys(principal, ctx.region, ctx.now, source_ip=source_ip, principal_arn=principal_arn,
                       principal_tags=tags)
    return Identity(policies_of(documents), session_policies, keys)


def verdict_for(ctx: RequestContext, identity: Identity, action: str,
                resources: Sequence[Resource]) -> Verdict:
    return authorize(identity.policies, action, resources, identity.keys, identity.session_policies)


def check(ctx: RequestContext, service: str, action: str, params: dict[str, Any],
          source_ip: str | None = None) -> None:
    """Raise the service's denial unless the principal may perform this request."""
    resources = describer_for(service, action)(ctx, params)
    if not resources:
        return
    identity = load_identity(ctx, source_ip)
    full_action = f"{service}:{action}"
    verdict = verdict_for(ctx, identity, full_action, resources)
    if verdict.allowed:
        return
    raise denial(ctx, service, action, verdict, resources, identity)


def denial(ctx: RequestContext, service: str, action: str, verdict: Verdict, resources: Sequence[Resource],
           identity: Identity) -> Ec2Error:
    decision = verdict.denied
    assert decision is not None
    principal = ctx.principal
    assert principal is not None
    if service != "ec2":
        return access_denied(principal.arn, decision.action, decision.resource, decision.explicit_deny)
    if action.startswith("Describe"):
        return Ec2Error("UnauthorizedOperation", UNAUTHORIZED, 403)
    resource = resources[verdict.decisions.index(decision)]
    keys = {**identity.keys, **resource.keys}
    document = authorization_message.document(decision, principal, keys)
    secret, created = message_secret(ctx)
    token = authorization_message.encode(secret, principal.account_id, document)
    # A secret made by this request is kept although the request answers an error.
    return Ec2Error("UnauthorizedOperation", f"{UNAUTHORIZED} Encoded authorization failure message: {token}",
                    403, commit=created)


def access_denied(principal_arn: str, action: str, resource: str, explicit: bool) -> Ec2Error:
    target = "" if resource == "*" else f" on resource: {resource}"
    reason = ("with an explicit deny in an identity-based policy" if explicit
              else f"because no identity-based policy allows the {action} action")
    return Ec2Error("AccessDenied",
                    f"User: {principal_arn} is not authorized to perform: {action}{target} {reason}", 403)


def message_secret(ctx: RequestContext) -> tuple[bytes, bool]:
    """The key that signs encoded messages (made on first use); and whether it was just made."""
    value = ctx.uow.settings.get(MESSAGE_SECRET_KEY)
    if isinstance(value, str) and value:
        return bytes.fromhex(value), False
    value = secrets.token_hex(32)
    ctx.uow.settings.set(MESSAGE_SECRET_KEY, value)
    return bytes.fromhex(value), True


# --------------------------------------------------------------------------- EC2 helpers


def _everything(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return [Resource("*", {"ec2:Region": ctx.region})]


def _tag_keys(prefixes: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, ContextValue]:
    keys: dict[str, ContextValue] = {}
    for key, value in pairs:
        for prefix in prefixes:
            keys[f"{prefix}/{key}"] = value
    return keys


def _resource_tags(pairs: Iterable[tuple[str, str]]) -> dict[str, ContextValue]:
    return _tag_keys(("ec2:ResourceTag", "aws:ResourceTag"), pairs)


def _request_tags(tags: Iterable[Mapping[str, Any]] | None) -> dict[str, ContextValue]:
    pairs = [(str(tag.get("Key", "")), str(tag.get("Value", "")))
             for tag in tags or [] if isinstance(tag, Mapping)]
    if not pairs:
        return {}
    keys = _tag_keys(("aws:RequestTag",), pairs)
    keys["aws:TagKeys"] = [key for key, _ in pairs]
    return keys


def _spec_tags(params: dict[str, Any], resource_type: str) -> list[Mapping[str, Any]]:
    tags: list[Mapping[str, Any]] = []
    for spec in params.get("TagSpecifications") or []:
        if isinstance(spec, Mapping) and spec.get("ResourceType") == resource_type:
            tags.extend(spec.get("Tags") or [])
    return tags


def _created(ctx: RequestContext, action: str, arn: str, keys: dict[str, ContextValue],
             tags: list[Mapping[str, Any]]) -> list[Resource]:
    """A resource an action creates, plus ``ec2:CreateTags`` on it when tagged at creation."""
    request = _request_tags(tags)
    created = [Resource(arn, {**keys, **request})]
    if tags:
        created.append(Resource(arn, {**keys, **request, "ec2:CreateAction": action}, "ec2:CreateTags"))
    return created


def _existing(ctx: RequestContext, repository: Any, named: Iterable[Any], arn_of: Callable[[str], str],
              keys_of: Callable[[Mapping[str, Any]], dict[str, ContextValue]]) -> list[Resource]:
    """The named resources that exist in this account and region (``repository.get``),
    each with its own condition keys and its tags'; the others are left to the handler."""
    wanted = [value for value in dict.fromkeys(named) if isinstance(value, str)]
    rows = repository.get(ctx.account_id, ctx.region, wanted)
    if not rows:
        return []
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, list(rows))
    resources = []
    for resource_id in wanted:
        row = rows.get(resource_id)
        if row is not None:
            keys = keys_of(row)
            keys.update(_resource_tags(tags.get(resource_id, [])))
            resources.append(Resource(arn_of(resource_id), keys))
    return resources


def _instances(ctx: RequestContext, instance_ids: Iterable[Any]) -> list[Resource]:
    def keys_of(row: Mapping[str, Any]) -> dict[str, ContextValue]:
        return {
            "ec2:InstanceType": row["instance_type"],
            "ec2:AvailabilityZone": row["availability_zone"],
            "ec2:Region": ctx.region,
            "ec2:Tenancy": "default",
            "ec2:RootDeviceType": row["root_device_type"],
        }

    return _existing(ctx, ctx.uow.instances, instance_ids,
                     lambda instance_id: instance_arn(ctx.region, ctx.account_id, instance_id), keys_of)


def _volumes(ctx: RequestContext, volume_ids: Iterable[Any]) -> list[Resource]:
    def keys_of(row: Mapping[str, Any]) -> dict[str, ContextValue]:
        keys: dict[str, ContextValue] = {
            "ec2:AvailabilityZone": row["availability_zone"],
            "ec2:VolumeType": row["volume_type"],
            "ec2:VolumeSize": str(row["size"]),
            "ec2:Encrypted": "true" if row["encrypted"] else "false",
            "ec2:Region": ctx.region,
        }
        if row.get("snapshot_id"):
            keys["ec2:ParentSnapshot"] = snapshot_arn(ctx.region, row["snapshot_id"])
        return keys

    return _existing(ctx, ctx.uow.volumes, volume_ids,
                     lambda volume_id: volume_arn(ctx.region, ctx.account_id, volume_id), keys_of)


def _snapshots(ctx: RequestContext, snapshot_ids: Iterable[Any]) -> list[Resource]:
    def keys_of(row: Mapping[str, Any]) -> dict[str, ContextValue]:
        keys: dict[str, ContextValue] = {
            "ec2:Owner": row["account_id"],
            "ec2:VolumeSize": str(row["volume_size"]),
            "ec2:Encrypted": "true" if row["encrypted"] else "false",
            "ec2:Region": ctx.region,
        }
        if row.get("volume_id"):
            keys["ec2:ParentVolume"] = volume_arn(ctx.region, ctx.account_id, row["volume_id"])
        return keys

    return _existing(ctx, ctx.uow.snapshots, snapshot_ids,
                     lambda snapshot_id: snapshot_arn(ctx.region, snapshot_id), keys_of)


def _image(ctx: RequestContext, image_id: Any) -> list[Resource]:
    from ec2emu.service.images import find_image  # images imports the service registry

    if not isinstance(image_id, str):
        return []
    image = find_image(ctx, image_id)
    if image is None:
        return []
    owner = image["owner_id"]
    keys: dict[str, ContextValue] = {
        "ec2:Owner": "amazon" if owner in AMAZON_OWNERS else owner,
        "ec2:ImageType": "machine",
        "ec2:RootDeviceType": image["root_device_type"],
        "ec2:Public": "true" if image.get("public") else "false",
        "ec2:Region": ctx.region,
    }
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [image_id])
    keys.update(_resource_tags(tags.get(image_id, [])))
    return [Resource(image_arn(ctx.region, image_id), keys)]


def _network(ctx: RequestContext, kind: str, resource_id: str, extra: dict[str, ContextValue] | None = None,
             ) -> Resource:
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [resource_id])
    vpc_id = networking.default_vpc_id(ctx.account_id, ctx.region)
    keys: dict[str, ContextValue] = {"ec2:Region": ctx.region,
                                     "ec2:Vpc": ec2_arn(ctx.region, ctx.account_id, "vpc", vpc_id)}
    keys.update(extra or {})
    keys.update(_resource_tags(tags.get(resource_id, [])))
    return Resource(ec2_arn(ctx.region, ctx.account_id, kind, resource_id), keys)


# --------------------------------------------------------------------------- EC2 actions


@describes("ec2", "TerminateInstances", "StopInstances", "StartInstances", "RebootInstances")
def _instance_list(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _instances(ctx, params.get("InstanceIds") or [])


@describes("ec2", "ModifyInstanceAttribute", "DescribeInstanceAttribute")
def _one_instance(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _instances(ctx, [params.get("InstanceId")])


@describes("ec2", "RunInstances")
def _run_instances(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    region, account = ctx.region, ctx.account_id
    placement = params.get("Placement") or {}
    zone = placement.get("AvailabilityZone") if isinstance(placement, Mapping) else None
    subnet_id = params.get("SubnetId")
    interfaces = params.get("NetworkInterfaces") or []
    if not subnet_id and interfaces and isinstance(interfaces[0], Mapping):
        subnet_id = interfaces[0].get("SubnetId")
    subnet = networking.subnet_by_id(account, region, subnet_id) if isinstance(subnet_id, str) else None
    if subnet is None and isinstance(zone, str):
        subnet = next((s for s in networking.default_subnets(account, region) if s.zone == zone), None)
    instance_keys: dict[str, ContextValue] = {"ec2:InstanceType": str(params.get("InstanceType", "m1.small")),
                                              "ec2:Region": region, "ec2:Tenancy": "default"}
    if subnet is not None:
        instance_keys["ec2:AvailabilityZone"] = subnet.zone
    resources = _created(ctx, "RunInstances", instance_arn(region, account, "*"), instance_keys,
                         _spec_tags(params, "instance"))
    resources += _image(ctx, params.get("ImageId"))
    if subnet is not None:
        resources.append(_network(ctx, "subnet", subnet.subnet_id, {"ec2:AvailabilityZone": subnet.zone}))
    else:
        resources.append(Resource(subnet_arn(region, account, "*"), {"ec2:Region": region}))
    default_group = networking.default_security_group_id(account, region)
    groups = [g for g in params.get("SecurityGroupIds") or [] if g == default_group]
    if not groups or params.get("SecurityGroups"):
        groups = [default_group]
    for group_id in dict.fromkeys(groups):
        resources.append(_network(ctx, "security-group", group_id))
    resources += _created(ctx, "RunInstances", volume_arn(region, account, "*"), {"ec2:Region": region},
                          _spec_tags(params, "volume"))
    resources.append(Resource(ec2_arn(region, account, "network-interface", "*"), {"ec2:Region": region}))
    if isinstance(params.get("KeyName"), str):
        key_pair = ec2_arn(region, account, "key-pair", params["KeyName"])
        resources.append(Resource(key_pair, {"ec2:Region": region}))
    return resources


@describes("ec2", "CreateTags", "DeleteTags")
def _tagging(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    wanted = [value for value in dict.fromkeys(params.get("Resources") or []) if isinstance(value, str)]
    request = _request_tags(params.get("Tags"))
    by_prefix: dict[str, list[str]] = {}
    for resource_id in wanted:
        by_prefix.setdefault(resource_id.split("-", 1)[0], []).append(resource_id)
    found = (_instances(ctx, by_prefix.get("i", [])) + _volumes(ctx, by_prefix.get("vol", []))
             + _snapshots(ctx, by_prefix.get("snap", [])))
    for image_id in by_prefix.get("ami", []):
        found += _image(ctx, image_id)
    zones = {s.subnet_id: s.zone for s in networking.default_subnets(ctx.account_id, ctx.region)}
    for subnet_id in by_prefix.get("subnet", []):
        if subnet_id in zones:
            found.append(_network(ctx, "subnet", subnet_id, {"ec2:AvailabilityZone": zones[subnet_id]}))
    group_id = networking.default_security_group_id(ctx.account_id, ctx.region)
    if group_id in by_prefix.get("sg", []):
        found.append(_network(ctx, "security-group", group_id))
    vpc_id = networking.default_vpc_id(ctx.account_id, ctx.region)
    if vpc_id in by_prefix.get("vpc", []):
        found.append(_network(ctx, "vpc", vpc_id))
    # Reservations are checked by ARN alone, whether they exist or not.
    found += [Resource(ec2_arn(ctx.region, ctx.account_id, "reservation", reservation_id),
                       {"ec2:Region": ctx.region}) for reservation_id in by_prefix.get("r", [])]
    return [Resource(resource.arn, {**resource.keys, **request}) for resource in found]


@describes("ec2", "CreateVolume")
def _create_volume(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    keys: dict[str, ContextValue] = {"ec2:Region": ctx.region,
                                     "ec2:VolumeType": str(params.get("VolumeType") or "gp2"),
                                     "ec2:Encrypted": "true" if params.get("Encrypted") else "false"}
    if isinstance(params.get("AvailabilityZone"), str):
        keys["ec2:AvailabilityZone"] = params["AvailabilityZone"]
    if params.get("Size") is not None:
        keys["ec2:VolumeSize"] = str(params["Size"])
    resources = _created(ctx, "CreateVolume", volume_arn(ctx.region, ctx.account_id, "*"), keys,
                         _spec_tags(params, "volume"))
    if params.get("SnapshotId"):
        resources += _snapshots(ctx, [params["SnapshotId"]])
    return resources


@describes("ec2", "DeleteVolume")
def _one_volume(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _volumes(ctx, [params.get("VolumeId")])


@describes("ec2", "AttachVolume", "DetachVolume")
def _attachment(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    volumes = _volumes(ctx, [params.get("VolumeId")])
    instance_id = params.get("InstanceId")
    if not instance_id and volumes:
        row = ctx.uow.volumes.get(ctx.account_id, ctx.region, [params["VolumeId"]]).get(params["VolumeId"])
        instance_id = row.get("instance_id") if row else None
    instances = _instances(ctx, [instance_id]) if instance_id else []
    if not volumes or (params.get("InstanceId") and not instances):
        return []  # something named does not exist: the handler's NotFound
    return instances + volumes


@describes("ec2", "CreateSnapshot")
def _create_snapshot(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    volumes = _volumes(ctx, [params.get("VolumeId")])
    if not volumes:
        return []
    return volumes + _created(ctx, "CreateSnapshot", snapshot_arn(ctx.region, "*"),
                              {"ec2:Region": ctx.region, "ec2:Owner": ctx.account_id},
                              _spec_tags(params, "snapshot"))


@describes("ec2", "DeleteSnapshot")
def _one_snapshot(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _snapshots(ctx, [params.get("SnapshotId")])


@describes("ec2", "CreateImage")
def _create_image(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    instances = _instances(ctx, [params.get("InstanceId")])
    if not instances:
        return []
    region = ctx.region
    return (instances
            + _created(ctx, "CreateImage", image_arn(region, "*"), {"ec2:Region": region},
                       _spec_tags(params, "image"))
            + _created(ctx, "CreateImage", snapshot_arn(region, "*"), {"ec2:Region": region},
                       _spec_tags(params, "snapshot")))


@describes("ec2", "RegisterImage")
def _register_image(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _created(ctx, "RegisterImage", image_arn(ctx.region, "*"), {"ec2:Region": ctx.region},
                    _spec_tags(params, "image"))


@describes("ec2", "DeregisterImage")
def _one_image(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _image(ctx, params.get("ImageId"))


# --------------------------------------------------------------------------- IAM and STS


@describes("sts", "GetCallerIdentity", "AssumeRole")
def _decided_elsewhere(ctx: RequestContext, params: dict[str, Any]) -> None:
    return None


@describes("sts", "DecodeAuthorizationMessage")
def _anything(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return [Resource("*")]


_IAM_LISTS = {"ListUsers": "user", "ListGroups": "group", "ListRoles": "role", "ListPolicies": "policy"}
_IAM_SELF = {"GetUser", "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey",
             "ListUserPolicies", "ListAttachedUserPolicies", "ListGroupsForUser", "ChangePassword",
             "ListUserTags"}


def _iam_entity(ctx: RequestContext, kind: str, name: str, created_path: Any) -> Resource:
    iam = getattr(ctx.uow, "iam", None)
    account = ctx.account_id
    row = None
    if iam is not None:
        lookup = getattr(iam, f"get_{kind}", None)
        row = lookup(account, name) if lookup is not None else None
    keys: dict[str, ContextValue] = {}
    if row is not None and row.get("arn"):
        arn = row["arn"]
        if kind in ("user", "role") and hasattr(iam, "principal_tags"):
            tags = iam.principal_tags(account, kind, row.get(f"{kind}_name", name))
            keys.update(_tag_keys(("iam:ResourceTag", "aws:ResourceTag"), tags.items()))
    else:
        path = created_path if isinstance(created_path, str) and created_path else "/"
        arn = iam_arn(account, kind, name, path)
    return Resource(arn, keys)


def _iam_request(ctx: RequestContext, params: dict[str, Any], action: str) -> list[Resource]:
    path = params.get("Path")
    policy_arn = params.get("PolicyArn")
    if isinstance(params.get("RoleName"), str):
        resource = _iam_entity(ctx, "role", params["RoleName"], path if action == "CreateRole" else None)
    elif isinstance(params.get("GroupName"), str):
        resource = _iam_entity(ctx, "group", params["GroupName"], path if action == "CreateGroup" else None)
    elif isinstance(params.get("UserName"), str):
        resource = _iam_entity(ctx, "user", params["UserName"], path if action == "CreateUser" else None)
    elif isinstance(policy_arn, str):
        resource = Resource(policy_arn)
    elif action == "CreatePolicy" and isinstance(params.get("PolicyName"), str):
        resource = Resource(iam_arn(ctx.account_id, "policy", params["PolicyName"],
                                    path if isinstance(path, str) and path else "/"))
    elif action in _IAM_LISTS:
        prefix = params.get("PathPrefix") if isinstance(params.get("PathPrefix"), str) else "/"
        resource = Resource(iam_arn(ctx.account_id, _IAM_LISTS[action], "", prefix or "/"))
    elif action in _IAM_SELF and ctx.principal is not None and ctx.principal.kind == "user":
        resource = Resource(ctx.principal.arn)
    else:
        resource = Resource("*")
    keys = dict(resource.keys)
    if isinstance(policy_arn, str):
        keys["iam:PolicyARN"] = policy_arn
    keys.update(_request_tags(params.get("Tags")))
    return [Resource(resource.arn, keys)]


def _iam_describer(action: str) -> Describer:
    return lambda ctx, params: _iam_request(ctx, params, action)


def describer_for(service: str, action: str) -> Describer:
    """The action's describer; IAM actions not listed are described by the names they carry."""
    found = _DESCRIBERS.get((service, action))
    if found is not None:
        return found
    if service == "iam":
        return _iam_describer(action)
    return _everything

