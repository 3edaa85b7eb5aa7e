"""Initial schema: instances, volumes, tags, images and settings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('images',
    sa.Column('image_id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=12), nullable=False),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('architecture', sa.String(length=16), nullable=False),
    sa.Column('root_device_type', sa.String(length=16), nullable=False),
    sa.Column('root_device_name', sa.String(length=32), nullable=True),
    sa.Column('virtualization_type', sa.String(length=16), nullable=False),
    sa.Column('image_location', sa.String(length=255), nullable=True),
    sa.Column('block_device_mappings', sa.JSON(), nullable=False),
    sa.Column('ena_support', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('creation_date', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('image_id')
    )
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.create_index('ix_images_scope_name', ['account_id', 'region', 'name'], unique=False)

    op.create_table('instances',
    sa.Column('instance_id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=12), nullable=False),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('reservation_id', sa.String(length=32), nullable=False),
    sa.Column('ami_launch_index', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.String(length=32), nullable=False),
    sa.Column('instance_type', sa.String(length=32), nullable=False),
    sa.Column('availability_zone', sa.String(length=32), nullable=False),
    sa.Column('subnet_id', sa.String(length=32), nullable=True),
    sa.Column('vpc_id', sa.String(length=32), nullable=True),
    sa.Column('private_ip', sa.String(length=15), nullable=True),
    sa.Column('key_name', sa.String(length=255), nullable=True),
    sa.Column('client_token', sa.String(length=64), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.Float(), nullable=True),
    sa.Column('launch_time', sa.Float(), nullable=False),
    sa.Column('state_transition_reason', sa.String(length=255), nullable=False),
    sa.Column('state_reason_code', sa.String(length=64), nullable=True),
    sa.Column('state_reason_message', sa.String(length=255), nullable=True),
    sa.Column('disable_api_termination', sa.Boolean(), nullable=False),
    sa.Column('disable_api_stop', sa.Boolean(), nullable=False),
    sa.Column('shutdown_behavior', sa.String(length=16), nullable=False),
    sa.Column('user_data', sa.Text(), nullable=True),
    sa.Column('root_device_type', sa.String(length=16), nullable=False),
    sa.Column('root_device_name', sa.String(length=32), nullable=True),
    sa.Column('architecture', sa.String(length=16), nullable=False),
    sa.Column('virtualization_type', sa.String(length=16), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=True),
    sa.Column('hibernation_configured', sa.Boolean(), nullable=False),
    sa.Column('ebs_optimized', sa.Boolean(), nullable=False),
    sa.Column('security_groups', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('instance_id')
    )
    with op.batch_alter_table('instances', schema=None) as batch_op:
        batch_op.create_index('ix_instances_due', ['due_at'], unique=False)
        batch_op.create_index('ix_instances_scope_id', ['account_id', 'region', 'instance_id'], unique=False)
        batch_op.create_index('ix_instances_scope_image', ['account_id', 'region', 'image_id'], unique=False)
        batch_op.create_index('ix_instances_scope_reservation', ['account_id', 'region', 'reservation_id'], unique=False)  # noqa: E501
        batch_op.create_index('ix_instances_scope_state', ['account_id', 'region', 'state'], unique=False)
        batch_op.create_index('ix_instances_scope_subnet', ['account_id', 'region', 'subnet_id'], unique=False)
        batch_op.create_index('ix_instances_scope_token', ['account_id', 'region', 'client_token'], unique=False)
        batch_op.create_index('ix_instances_scope_type', ['account_id', 'region', 'instance_type'], unique=False)
        batch_op.create_index('ix_instances_scope_vpc', ['account_id', 'region', 'vpc_id'], unique=False)
        batch_op.create_index('ix_instances_scope_zone', ['account_id', 'region', 'availability_zone'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('tags',
    sa.Column('resource_id', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('value', sa.String(length=256), nullable=False),
    sa.Column('account_id', sa.String(length=12), nullable=False),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('resource_type', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('resource_id', 'key')
    )
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.create_index('ix_tags_scope_key_value', ['account_id', 'region', 'key', 'value'], unique=False)
        batch_op.create_index('ix_tags_scope_type', ['account_id', 'region', 'resource_type'], unique=False)
        batch_op.create_index('ix_tags_scope_value', ['account_id', 'region', 'value'], unique=False)

    op.create_table('volumes',
    sa.Column('volume_id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=12), nullable=False),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('availability_zone', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('volume_type', sa.String(length=16), nullable=False),
    sa.Column('iops', sa.Integer(), nullable=True),
    sa.Column('snapshot_id', sa.String(length=32), nullable=True),
    sa.Column('encrypted', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('create_time', sa.Float(), nullable=False),
    sa.Column('instance_id', sa.String(length=32), nullable=True),
    sa.Column('device', sa.String(length=32), nullable=True),
    sa.Column('attach_time', sa.Float(), nullable=True),
    sa.Column('delete_on_termination', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('volume_id')
    )
    with op.batch_alter_table('volumes', schema=None) as batch_op:
        batch_op.create_index('ix_volumes_instance', ['instance_id'], unique=False)
        batch_op.create_index('ix_volumes_scope_state', ['account_id', 'region', 'state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('volumes', schema=None) as batch_op:
        batch_op.drop_index('ix_volumes_scope_state')
        batch_op.drop_index('ix_volumes_instance')

    op.drop_table('volumes')
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.drop_index('ix_tags_scope_value')
        batch_op.drop_index('ix_tags_scope_type')
        batch_op.drop_index('ix_tags_scope_key_value')

    op.drop_table('tags')
    op.drop_table('settings')
    with op.batch_alter_table('instances', schema=None) as batch_op:
        batch_op.drop_index('ix_instances_scope_zone')
        batch_op.drop_index('ix_instances_scope_vpc')
        batch_op.drop_index('ix_instances_scope_type')
        batch_op.drop_index('ix_instances_scope_token')
        batch_op.drop_index('ix_instances_scope_subnet')
        batch_op.drop_index('ix_instances_scope_state')
        batch_op.drop_index('ix_instances_scope_reservation')
        batch_op.drop_index('ix_instances_scope_image')
        batch_op.drop_index('ix_instances_scope_id')
        batch_op.drop_index('ix_instances_due')

    op.drop_table('instances')
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.drop_index('ix_images_scope_name')

    op.drop_table('images')
