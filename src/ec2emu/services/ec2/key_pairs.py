"""Key pairs: CreateKeyPair, ImportKeyPair, DescribeKeyPairs and DeleteKeyPair, and the
look-up RunInstances makes of its ``KeyName``.

A key pair belongs to one account and region and is named there uniquely; its ID is
``key-`` and 17 hex digits. Only the public half is stored (:mod:`.key_material` makes
and reads keys): CreateKeyPair returns the private key once, in ``KeyMaterial``, and it
is kept nowhere — not in the store, the logs or the request's record.

Rules (networking fact sheet 4, with its sources):

* ``KeyName`` is up to 255 ASCII characters. Here it must also be printable (no control
  characters, which could not be written in a PuTTY key's comment); a longer or other
  name answers ``InvalidParameterValue`` "Value (…) for parameter KeyName is invalid. …"
  (our wording: AWS's is not on record). An empty name is a missing one.
* A name taken in the account and region answers ``InvalidKeyPair.Duplicate`` "The
  keypair 'x' already exists." for CreateKeyPair and ImportKeyPair alike.
* 5,000 key pairs per account and region: one more answers ``KeyPairLimitExceeded``
  (the code is in AWS's published list; the message is ours).
* ImportKeyPair takes what :func:`.key_material.read_public_key` reads; anything else
  (DSA, ECDSA, a private key, garbage, an RSA key under 1024 bits) answers
  ``InvalidKey.Format`` "Key is not in valid OpenSSH public key format". Material that
  is not base64 at all on the wire is refused by the protocol layer first
  (``InvalidParameterValue``, as for every blob); AWS answers ``InvalidKey.Format``
  there too (aws/aws-cli#4969).
* ``TagSpecifications`` may tag the ``key-pair`` (CreateTags, DeleteTags, DescribeTags and
  the ``tag:`` filters then work on the ``key-…`` ID as on any resource). Created and
  imported pairs show ``Tags`` only when tagged; DescribeKeyPairs always shows them, empty
  when there are none, as AWS's examples of it do.
* DescribeKeyPairs: ``KeyNames`` and ``KeyPairIds`` (each one named must exist:
  ``InvalidKeyPair.NotFound`` "The key pair 'x' does not exist", and for an ID — also a
  malformed one, EC2 having no ``Malformed`` code for key pairs — "The key pair ID 'x' does
  not exist"; given together, the pairs named either way), the filters ``key-pair-id``,
  ``fingerprint``, ``key-name``, ``key-type`` (beyond the five the API reference lists,
  as asked of this emulator), ``tag:<Key>``, ``tag-key`` and ``tag-value``;
  ``IncludePublicKey`` adds ``PublicKey``, the OpenSSH line without a comment (AWS's
  example shows none). No paging; pairs come in ID order (AWS documents none). The key
  pair waiter (``KeyPairExists``) relies on the NotFound code.
* DeleteKeyPair by ``KeyName`` or ``KeyPairId`` (one of them is required:
  ``MissingParameter``). A pair that does not exist is not an error (AWS answers 200):
  ``Return`` is true and ``KeyPairId`` is left out. Given both, the pair deleted is the
  one with that name and that ID. Its tags go with it. Instances launched with it keep
  showing its name, as on AWS.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ec2emu.errors import Ec2Error, missing_parameter
from ec2emu.services.ec2.errors import (
    duplicate_key_pair,
    invalid_key_format,
    invalid_key_name,
    key_pair_id_not_found,
    key_pair_limit_exceeded,
    key_pair_not_found,
)
from ec2emu.services.ec2.key_material import PublicHalf, new_key_pair, read_public_key
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.views import tagged, timestamp
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, View, describe, in_repository
from ec2emu.services.shared.lookups import ResourceKind, stored
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags

MAX_KEY_PAIRS = 5000  # per account and region
MAX_NAME_LENGTH = 255

Row = dict[str, Any]


def _id_not_found(value: str) -> Ec2Error:
    return key_pair_id_not_found([value])


# ``load``: key pairs by ID, all of which must exist in this account and region.
KEY_PAIRS = ResourceKind("key", _id_not_found, key_pair_id_not_found, stored("key_pairs"))


def check_name(name: str | None) -> str:
    """A key pair name as CreateKeyPair and ImportKeyPair take it."""
    if not name:
        raise missing_parameter("KeyName")
    if len(name) > MAX_NAME_LENGTH:
        raise invalid_key_name(name, f"Length exceeds maximum of {MAX_NAME_LENGTH} characters.")
    if not all(" " <= char <= "~" for char in name):
        raise invalid_key_name(name, "Key names may contain only printable ASCII characters.")
    return name


def existing_key_pair(ctx: RequestContext, name: str) -> Row:
    """This account's key pair of this name here (RunInstances' ``KeyName``)."""
    found = ctx.uow.key_pairs.by_names(ctx.account_id, ctx.region, [name])
    if name not in found:
        raise key_pair_not_found([name])
    return dict(found[name])


def _check_new(ctx: RequestContext, name: str) -> None:
    """A new pair's name is free and the quota not reached."""
    repository = ctx.uow.key_pairs
    if repository.by_names(ctx.account_id, ctx.region, [name]):
        raise duplicate_key_pair(name)
    if repository.count(ctx.account_id, ctx.region) >= MAX_KEY_PAIRS:
        raise key_pair_limit_exceeded(MAX_KEY_PAIRS)


def _store(ctx: RequestContext, name: str, public: PublicHalf, tags: list[tuple[str, str]]) -> Row:
    row: Row = {
        "key_pair_id": ids.new_id("key"),
        "account_id": ctx.account_id,
        "region": ctx.region,
        "key_name": name,
        "key_type": public.key_type,
        "fingerprint": public.fingerprint,
        "public_key": public.openssh,
        "create_time": ctx.now_ts,
    }
    ctx.uow.key_pairs.insert(row)
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["key_pair_id"], "key-pair", tags)
    return row


def _created_view(row: Row, tags: list[tuple[str, str]]) -> dict[str, Any]:
    view = {"KeyPairId": row["key_pair_id"], "KeyName": row["key_name"], "KeyFingerprint": row["fingerprint"]}
    return tagged(view, tags)


@operation("CreateKeyPair")
def create_key_pair(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = check_name(params.get("KeyName"))
    key_type = params.get("KeyType") or "rsa"
    key_format = params.get("KeyFormat") or "pem"
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("key-pair",))
    _check_new(ctx, name)
    ctx.dry_run(params)
    made = new_key_pair(key_type, key_format, name)
    row = _store(ctx, name, made.public, tags)
    return {**_created_view(row, tags), "KeyMaterial": made.material}


@operation("ImportKeyPair")
def import_key_pair(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = check_name(params.get("KeyName"))
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("key-pair",))
    public = read_public_key(params["PublicKeyMaterial"])
    if public is None:
        raise invalid_key_format()
    _check_new(ctx, name)
    ctx.dry_run(params)
    return _created_view(_store(ctx, name, public, tags), tags)


# --------------------------------------------------------------------------- DescribeKeyPairs


def _named(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], Mapping[str, Row]]:
    """The pairs ``KeyNames`` and ``KeyPairIds`` name (each must exist), by ID, in the
    order first named: by name, then by ID."""
    names = list(dict.fromkeys(params.get("KeyNames") or []))
    by_name = ctx.uow.key_pairs.by_names(ctx.account_id, ctx.region, names) if names else {}
    missing = [name for name in names if name not in by_name]
    if missing:
        raise key_pair_not_found(missing)
    found = {row["key_pair_id"]: row for row in (by_name[name] for name in names)}
    if params.get("KeyPairIds"):
        found.update(KEY_PAIRS.load(ctx, params["KeyPairIds"])[1])
    return list(found), found


def _view(row: Row, include_public_key: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "KeyPairId": row["key_pair_id"],
        "KeyType": row["key_type"],
        "Tags": [],
        "KeyName": row["key_name"],
        "KeyFingerprint": row["fingerprint"],
        "CreateTime": timestamp(row["create_time"]),
    }
    if include_public_key:
        view["PublicKey"] = row["public_key"]
    return view


def _views(include_public_key: bool) -> View:
    def views(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
        return with_tags(ctx, [_view(row, include_public_key) for row in rows], "KeyPairId")

    return views


DESCRIBE_KEY_PAIRS = Describe(
    result="KeyPairs",
    key="key_pair_id",
    find=in_repository("key_pairs"),
    view=_views(False),
    filters={"key-pair-id": "key_pair_id", "fingerprint": "fingerprint", "key-name": "key_name",
             "key-type": "key_type"},
    named=Naming(("KeyNames", "KeyPairIds"), _named),
    page_size=None,
)
WITH_PUBLIC_KEYS = dataclasses.replace(DESCRIBE_KEY_PAIRS, view=_views(True))


@operation("DescribeKeyPairs")
def describe_key_pairs(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, WITH_PUBLIC_KEYS if params.get("IncludePublicKey") else DESCRIBE_KEY_PAIRS)


# --------------------------------------------------------------------------- DeleteKeyPair


def named_for_deletion(ctx: RequestContext, params: dict[str, Any]) -> Row | None:
    """The pair DeleteKeyPair names (by name, ID or both), if it exists."""
    name, key_pair_id = params.get("KeyName"), params.get("KeyPairId")
    if key_pair_id:
        row = ctx.uow.key_pairs.get(ctx.account_id, ctx.region, [key_pair_id]).get(key_pair_id)
        return row if row is not None and (not name or row["key_name"] == name) else None
    if name:
        return ctx.uow.key_pairs.by_names(ctx.account_id, ctx.region, [name]).get(name)
    return None


@operation("DeleteKeyPair")
def delete_key_pair(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("KeyName") and not params.get("KeyPairId"):
        raise missing_parameter("KeyName")
    row = named_for_deletion(ctx, params)
    ctx.dry_run(params)
    if row is None:
        return {"Return": True}
    ctx.uow.key_pairs.delete(ctx.account_id, ctx.region, row["key_pair_id"])
    return {"Return": True, "KeyPairId": row["key_pair_id"]}
