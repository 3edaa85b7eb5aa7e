"""The instance metadata options (IMDS): RunInstances' ``MetadataOptions``,
ModifyInstanceMetadataOptions, and the account's defaults for them
(GetInstanceMetadataDefaults, ModifyInstanceMetadataDefaults).

At launch each option takes, in AWS's documented order of precedence ("Order of
precedence for instance metadata options", EC2 User Guide): the value the launch gives;
else the account's default in the region; else the image's (an image whose
``ImdsSupport`` is ``v2.0`` requires tokens, with a hop limit of 2); else EC2's
(``optional`` tokens, hop limit 1, endpoint ``enabled``, IPv6 endpoint and tags in
metadata ``disabled``). The hop limit is 1 to 64 (``InvalidParameterValue``).

The options' ``State`` is a machine of its own (``instance-metadata`` in
:mod:`ec2emu.lifecycle.machines`): a launch or a modification leaves it ``pending`` for
``Durations.metadata_options`` seconds, then ``applied``. ModifyInstanceMetadataOptions
changes the members given (none given: nothing changes, and the options are answered as
they stand) on an instance that is not shutting down or terminated
(``IncorrectInstanceState``).

The account's defaults are kept per account and region. ModifyInstanceMetadataDefaults
sets each member given; ``no-preference`` (a hop limit of -1) clears it, so launches
consider the image and EC2's defaults again; existing instances do not change.
GetInstanceMetadataDefaults answers those set, ``ManagedBy`` ``account`` (declarative
policies are not emulated). ``HttpTokensEnforced`` is refused by name: this endpoint does
not enforce tokens at the account level.
"""

from __future__ import annotations

from typing import Any

from ec2emu.lifecycle.machines import SHUTTING_DOWN, TERMINATED
from ec2emu.services.ec2.errors import incorrect_instance_state
from ec2emu.services.ec2.instances.common import INSTANCES
from ec2emu.services.ec2.instances.option_errors import invalid_hop_limit
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.views import metadata_options_view
from ec2emu.services.shared.context import RequestContext

MACHINE = "instance-metadata"
# Wire member -> column, in the order of the response.
COLUMNS = {
    "HttpTokens": "http_tokens",
    "HttpPutResponseHopLimit": "http_put_response_hop_limit",
    "HttpEndpoint": "http_endpoint",
    "HttpProtocolIpv6": "http_protocol_ipv6",
    "InstanceMetadataTags": "instance_metadata_tags",
}
EC2_DEFAULTS: dict[str, Any] = {"HttpTokens": "optional", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled",
                                "HttpProtocolIpv6": "disabled", "InstanceMetadataTags": "disabled"}
IMAGE_V2: dict[str, Any] = {"HttpTokens": "required", "HttpPutResponseHopLimit": 2}
# The members the account's defaults hold (not HttpProtocolIpv6).
ACCOUNT_MEMBERS = ("HttpTokens", "HttpPutResponseHopLimit", "HttpEndpoint", "InstanceMetadataTags")
NO_PREFERENCE = "no-preference"


def _hop_limit(value: Any, no_preference: bool = False) -> None:
    if value is None:
        return
    if not (1 <= value <= 64 or (no_preference and value == -1)):
        raise invalid_hop_limit(value, no_preference)


def _setting_key(ctx: RequestContext) -> str:
    return f"instance-metadata-defaults:{ctx.account_id}:{ctx.region}"


def account_defaults(ctx: RequestContext) -> dict[str, Any]:
    """The account's defaults in the region: the members set."""
    stored = ctx.uow.settings.get(_setting_key(ctx))
    return dict(stored) if stored else {}


def _pending(ctx: RequestContext) -> dict[str, Any]:
    seconds = ctx.durations.for_state("pending", MACHINE)
    return {"metadata_state": "pending", "metadata_due_at": None if seconds is None else ctx.now_ts + seconds}


def launch_columns(ctx: RequestContext, params: dict[str, Any], image: dict[str, Any]) -> dict[str, Any]:
    """The metadata-option columns of each instance a launch makes (checked)."""
    asked = params.get("MetadataOptions") or {}
    _hop_limit(asked.get("HttpPutResponseHopLimit"))
    levels = [asked, account_defaults(ctx), IMAGE_V2 if image.get("imds_support") == "v2.0" else {}, EC2_DEFAULTS]
    columns = {column: next(level[member] for level in levels if level.get(member) is not None)
               for member, column in COLUMNS.items()}
    return {**columns, **_pending(ctx)}


@operation("ModifyInstanceMetadataOptions")
def modify_instance_metadata_options(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INSTANCES.one(ctx, params["InstanceId"])
    _hop_limit(params.get("HttpPutResponseHopLimit"))
    if row["state"] in (SHUTTING_DOWN, TERMINATED):
        raise incorrect_instance_state(row["instance_id"], "modified")
    ctx.dry_run(params)
    changes = {column: params[member] for member, column in COLUMNS.items() if params.get(member) is not None}
    if changes:
        changes.update(_pending(ctx))
        ctx.uow.instances.update(row["instance_id"], changes)
    return {"InstanceId": row["instance_id"], "InstanceMetadataOptions": metadata_options_view({**row, **changes})}


@operation("GetInstanceMetadataDefaults")
def get_instance_metadata_defaults(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    ctx.dry_run(params)
    return {"AccountLevel": {**account_defaults(ctx), "ManagedBy": "account"}}


@operation("ModifyInstanceMetadataDefaults", refuses=("HttpTokensEnforced",))
def modify_instance_metadata_defaults(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    _hop_limit(params.get("HttpPutResponseHopLimit"), no_preference=True)
    ctx.dry_run(params)
    defaults = account_defaults(ctx)
    for member in ACCOUNT_MEMBERS:
        value = params.get(member)
        if value is None:
            continue
        if value in (NO_PREFERENCE, -1):
            defaults.pop(member, None)
        else:
            defaults[member] = value
    ctx.uow.settings.set(_setting_key(ctx), defaults)
    return {"Return": True}
