"""What IAM's users, groups, roles and instance profiles share: one :class:`Entity` each
(its ID prefix, ``NoSuchEntity`` error, repository methods, what must go before it is
deleted and its view), and the create, get, list and delete that run the same way for all.

Each is named uniquely in its account, case-insensitively (``EntityAlreadyExists``
"User with name x already exists." otherwise), has a path (``/`` by default) and the ARN
``arn:aws:iam::<account>:<kind><path><name>`` (``instance-profile`` for a profile);
listings under ``PathPrefix`` are in name order. ``Delete…`` answers ``DeleteConflict``
for the first thing still attached, in the order of the entity's ``conflicts`` (a role's
instance profiles first, then its policies). Users, roles and instance profiles have
tags (``Tag…``, ``Untag…``, ``List…Tags``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.services.iam.common import (
    Row,
    checked_tags,
    encoded_document,
    iam_operation,
    page_in_memory,
    paged,
    tag_list,
    tag_owner,
    timestamp,
    unique_id,
)
from ec2emu.services.iam.errors import (
    delete_conflict,
    entity_exists,
    group_not_found,
    role_not_found,
    user_not_found,
)
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.iam import IamRepository

# (repository, owner ID) -> something that must go before the owner can (its "must" text)
Conflict = tuple[Callable[[IamRepository, str], Any], str]
_POLICIES: tuple[Conflict, ...] = (
    (IamRepository.inline_policies, "delete policies"),
    (IamRepository.attached, "detach all policies"),
)


@dataclass(frozen=True)
class Entity:
    title: str  # "User", as IAM's members and messages name the kind
    prefix: str  # of its unique IDs ("AIDA")
    not_found: Callable[[str], Ec2Error]
    get: Callable[[IamRepository, str, str], Row | None]  # (account, name) -> row
    insert: Callable[[IamRepository, Row], None]
    lister: Callable[..., list[Row]]  # (account, path prefix, after=, limit=) -> rows in name order
    remove: Callable[[IamRepository, str], None]  # by ID
    conflicts: tuple[Conflict, ...]
    more: Callable[[Row], dict[str, Any]] | None = None  # view members beyond the common ones
    word: str = ""  # the columns' word for it where that is not the title in lower case
    exists: Callable[[str], Ec2Error] | None = None  # EntityAlreadyExists, if not "<Title> with name x …"

    @property
    def kind(self) -> str:
        """``user``, ``group``, ``role``, ``instance_profile``: the columns' word for it."""
        return self.word or self.title.lower()

    @property
    def arn_kind(self) -> str:
        """The ARNs' word for it (``instance-profile``)."""
        return self.kind.replace("_", "-")

    @property
    def id_column(self) -> str:
        return f"{self.kind}_id"

    def row(self, ctx: RequestContext, name: str) -> Row:
        """The caller's entity of this name (``NoSuchEntity`` when there is none)."""
        row = self.get(ctx.uow.iam, ctx.account_id, name)
        if row is None:
            raise self.not_found(name)
        return row

    def named_in(self, ctx: RequestContext, params: dict[str, Any]) -> Row:
        """The entity the request's ``<Title>Name`` names."""
        return self.row(ctx, params[f"{self.title}Name"])

    def view(self, row: Row, tags: list[tuple[str, str]] | None = None) -> dict[str, Any]:
        view = {
            "Path": row["path"],
            f"{self.title}Name": row[f"{self.kind}_name"],
            f"{self.title}Id": row[self.id_column],
            "Arn": row["arn"],
            "CreateDate": timestamp(row["create_date"]),
        }
        if self.more is not None:
            view.update(self.more(row))
        if tags:
            view["Tags"] = tag_list(tags)
        return view


def _role_members(row: Row) -> dict[str, Any]:
    return {
        "AssumeRolePolicyDocument": encoded_document(row["trust_policy"]),
        "Description": row["description"],
        "MaxSessionDuration": row["max_session_duration"],
    }


USER = Entity(
    "User", "AIDA", user_not_found, IamRepository.get_user, IamRepository.insert_user, IamRepository.list_users,
    IamRepository.delete_user,
    ((IamRepository.access_keys_of, "delete access keys"), *_POLICIES,
     (lambda iam, user_id: iam.groups_of(user_id, limit=1), "remove user from all groups")),
)
GROUP = Entity(
    "Group", "AGPA", group_not_found, IamRepository.get_group, IamRepository.insert_group,
    IamRepository.list_groups, IamRepository.delete_group,
    ((lambda iam, group_id: iam.members(group_id, limit=1), "remove users from group"), *_POLICIES),
)
ROLE = Entity(
    "Role", "AROA", role_not_found, IamRepository.get_role, IamRepository.insert_role, IamRepository.list_roles,
    IamRepository.delete_role,
    ((lambda iam, role_id: iam.instance_profiles_of_role(role_id, limit=1), "remove roles from instance profile"),
     *_POLICIES),
    _role_members,
)
ENTITIES = {entity.kind: entity for entity in (USER, GROUP, ROLE)}


def create(ctx: RequestContext, entity: Entity, params: dict[str, Any], **columns: Any) -> dict[str, Any]:
    """``Create<Title>``: the new entity (with ``columns`` of its own kind) and its tags."""
    name, path = params[f"{entity.title}Name"], str(params.get("Path") or "/")
    tags = checked_tags(params.get("Tags"))
    if entity.get(ctx.uow.iam, ctx.account_id, name) is not None:
        raise entity.exists(name) if entity.exists is not None else entity_exists(entity.title, name)
    row = {
        entity.id_column: unique_id(entity.prefix),
        "account_id": ctx.account_id,
        f"{entity.kind}_name": name,
        "path": path,
        "arn": f"arn:aws:iam::{ctx.account_id}:{entity.arn_kind}{path}{name}",
        "create_date": ctx.now_ts,
        **columns,
    }
    entity.insert(ctx.uow.iam, row)
    tag_owner(ctx, row[entity.id_column], tags)
    return {entity.title: entity.view(row, tags)}


def described(ctx: RequestContext, entity: Entity, row: Row) -> dict[str, Any]:
    """``Get<Title>``'s answer: the entity with its tags."""
    return {entity.title: entity.view(row, ctx.uow.iam.tags(row[entity.id_column]))}


def listing(ctx: RequestContext, entity: Entity, params: dict[str, Any]) -> dict[str, Any]:
    """``List<Title>s``: one page under ``PathPrefix``, in name order, with the
    ``IsTruncated``/``Marker`` members."""
    rows, more = paged(params, lambda after, limit: entity.lister(ctx.uow.iam, ctx.account_id,
                                                                  params.get("PathPrefix"), after=after, limit=limit),
                       "name_key")
    return {f"{entity.title}s": [entity.view(row) for row in rows], **more}


def related(ctx: RequestContext, params: dict[str, Any], owner: Entity, listed: Entity,
            read: Callable[..., list[Row]]) -> tuple[Row, list[dict[str, Any]], dict[str, Any]]:
    """The entity the request names, and a page of the entities ``read(owner ID, after=,
    limit=)`` relates to it in name order (a group's users, a user's groups) with the
    ``IsTruncated``/``Marker`` members."""
    row = owner.named_in(ctx, params)
    rows, more = paged(params, lambda after, limit: read(ctx.uow.iam, row[owner.id_column], after=after, limit=limit),
                       "name_key")
    return row, [listed.view(found) for found in rows], more


def delete(ctx: RequestContext, entity: Entity, params: dict[str, Any]) -> dict[str, Any]:
    """``Delete<Title>``, once nothing is attached to it any more."""
    owner_id = entity.named_in(ctx, params)[entity.id_column]
    for present, must in entity.conflicts:
        if present(ctx.uow.iam, owner_id):
            raise delete_conflict(must)
    entity.remove(ctx.uow.iam, owner_id)
    return {}


def tagging_operations(entity: Entity) -> None:
    """Register ``Tag<Title>``, ``Untag<Title>`` and ``List<Title>Tags`` of the entity the
    request names."""

    def owner_id(ctx: RequestContext, params: dict[str, Any]) -> str:
        return str(entity.named_in(ctx, params)[entity.id_column])

    @iam_operation(f"Tag{entity.title}")
    def tag(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        tag_owner(ctx, owner_id(ctx, params), checked_tags(params["Tags"]))
        return {}

    @iam_operation(f"Untag{entity.title}")
    def untag(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        ctx.uow.iam.delete_tags(owner_id(ctx, params), params["TagKeys"])
        return {}

    @iam_operation(f"List{entity.title}Tags")
    def list_tags(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        tags, more = page_in_memory(ctx.uow.iam.tags(owner_id(ctx, params)), params, lambda tag: tag[0])
        return {"Tags": tag_list(tags), **more}
