"""The IAM tables of the schema (:mod:`ec2emu.store.schema` gathers them with the others,
in the one :data:`~ec2emu.store.metadata.metadata`)."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

# IAM, per account (IAM is global: no region). Names are unique case-insensitively:
# ``name_key`` is the lower-cased name, and what look-ups by name use. Users, groups and
# roles are referred to by their unique IDs (AIDA…, AGPA…, AROA…), which never collide.
iam_users = sa.Table(
    "iam_users",
    metadata,
    sa.Column("user_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("name_key", sa.String(64), nullable=False),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("arn", sa.String(1024), nullable=False),
    sa.Column("create_date", sa.Float, nullable=False),
    sa.Index("ux_iam_users_name", "account_id", "name_key", unique=True),
)

iam_access_keys = sa.Table(
    "iam_access_keys",
    metadata,
    sa.Column("access_key_id", sa.String(128), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("user_id", sa.String(32), nullable=False),
    sa.Column("secret_access_key", sa.String(128), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("create_date", sa.Float, nullable=False),
    sa.Index("ix_iam_access_keys_user", "user_id", "access_key_id"),
)

iam_groups = sa.Table(
    "iam_groups",
    metadata,
    sa.Column("group_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("group_name", sa.String(128), nullable=False),
    sa.Column("name_key", sa.String(128), nullable=False),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("arn", sa.String(1024), nullable=False),
    sa.Column("create_date", sa.Float, nullable=False),
    sa.Index("ux_iam_groups_name", "account_id", "name_key", unique=True),
)

iam_group_members = sa.Table(
    "iam_group_members",
    metadata,
    sa.Column("group_id", sa.String(32), primary_key=True),
    sa.Column("user_id", sa.String(32), primary_key=True),
    sa.Index("ix_iam_group_members_user", "user_id", "group_id"),
)

iam_roles = sa.Table(
    "iam_roles",
    metadata,
    sa.Column("role_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("role_name", sa.String(64), nullable=False),
    sa.Column("name_key", sa.String(64), nullable=False),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("arn", sa.String(1024), nullable=False),
    sa.Column("trust_policy", sa.Text, nullable=False),
    sa.Column("max_session_duration", sa.Integer, nullable=False),
    sa.Column("description", sa.String(1000), nullable=True),
    sa.Column("create_date", sa.Float, nullable=False),
    sa.Index("ux_iam_roles_name", "account_id", "name_key", unique=True),
)

# Customer managed policies (AWS managed ones are built in: auth/managed_policies.py).
iam_policies = sa.Table(
    "iam_policies",
    metadata,
    sa.Column("arn", sa.String(1024), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("policy_name", sa.String(128), nullable=False),
    sa.Column("name_key", sa.String(128), nullable=False),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("policy_id", sa.String(32), nullable=False),
    sa.Column("description", sa.String(1000), nullable=True),
    sa.Column("default_version", sa.Integer, nullable=False),
    sa.Column("next_version", sa.Integer, nullable=False),
    sa.Column("attachment_count", sa.Integer, nullable=False),
    sa.Column("create_date", sa.Float, nullable=False),
    sa.Column("update_date", sa.Float, nullable=False),
    sa.Index("ux_iam_policies_name", "account_id", "name_key", unique=True),
)

# Versions v1, v2, … of a customer managed policy (``version`` is the number).
iam_policy_versions = sa.Table(
    "iam_policy_versions",
    metadata,
    sa.Column("policy_arn", sa.String(1024), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("create_date", sa.Float, nullable=False),
)

# Inline policies of users, groups and roles (``owner_id``: the owner's unique ID).
iam_inline_policies = sa.Table(
    "iam_inline_policies",
    metadata,
    sa.Column("owner_id", sa.String(32), primary_key=True),
    sa.Column("policy_name", sa.String(128), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

# Managed policies (customer or AWS) attached to users, groups and roles.
iam_attachments = sa.Table(
    "iam_attachments",
    metadata,
    sa.Column("owner_id", sa.String(32), primary_key=True),
    sa.Column("policy_arn", sa.String(1024), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("owner_kind", sa.String(8), nullable=False),
    sa.Index("ix_iam_attachments_policy", "account_id", "policy_arn", "owner_id"),
)

# Tags of users and roles.
iam_tags = sa.Table(
    "iam_tags",
    metadata,
    sa.Column("owner_id", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)

# Temporary credentials from STS AssumeRole.
iam_sessions = sa.Table(
    "iam_sessions",
    metadata,
    sa.Column("access_key_id", sa.String(32), primary_key=True),
    sa.Column("secret_access_key", sa.String(128), nullable=False),
    sa.Column("session_token", sa.Text, nullable=False),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("role_name", sa.String(64), nullable=False),
    sa.Column("role_arn", sa.String(1024), nullable=False),
    sa.Column("role_id", sa.String(32), nullable=False),
    sa.Column("session_name", sa.String(64), nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("source_identity_arn", sa.String(1024), nullable=True),
    sa.Column("create_date", sa.Float, nullable=False),
    # What AssumeRole's caller narrowed or added: the inline session policy, the ARNs of
    # managed session policies, and the session tags with the keys that pass on when the
    # session assumes another role (JSON arrays).
    sa.Column("session_policy", sa.Text, nullable=True),
    sa.Column("session_policy_arns", sa.Text, nullable=True),
    sa.Column("session_tags", sa.Text, nullable=True),
    sa.Column("transitive_tag_keys", sa.Text, nullable=True),
    sa.Index("ix_iam_sessions_expires", "expires_at"),
)

# Instance profiles (``AIPA…``), named like users and roles, and the role each holds (IAM
# allows one: the key admits more, the service refuses them).
iam_instance_profiles = sa.Table(
    "iam_instance_profiles",
    metadata,
    sa.Column("instance_profile_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("instance_profile_name", sa.String(128), nullable=False),
    sa.Column("name_key", sa.String(128), nullable=False),
    sa.Column("path", sa.String(512), nullable=False),
    sa.Column("arn", sa.String(1024), nullable=False),
    sa.Column("create_date", sa.Float, nullable=False),
    sa.Index("ux_iam_instance_profiles_name", "account_id", "name_key", unique=True),
)

iam_instance_profile_roles = sa.Table(
    "iam_instance_profile_roles",
    metadata,
    sa.Column("instance_profile_id", sa.String(32), primary_key=True),
    sa.Column("role_id", sa.String(32), primary_key=True),
    sa.Index("ix_iam_instance_profile_roles_role", "role_id", "instance_profile_id"),
)
