"""The catalogue of EC2's own errors: instances, images, block-device mappings, volumes,
snapshots, key pairs, the default network, tags and instance types. Each row is AWS's code, the
HTTP status and the message EC2 gives (the codes are in AWS's published list,
``published_errors.txt`` beside this module); the constructors below are what handlers
raise. Errors every service shares (MissingParameter, InvalidParameterValue, DryRun...)
are in :mod:`ec2emu.errors`; signature errors in :mod:`ec2emu.auth.errors`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ec2emu.auth.errors import AUTH_FAILURE
from ec2emu.errors import INVALID_PARAMETER_COMBINATION, INVALID_PARAMETER_VALUE, Ec2Error, ErrorSpec, one_or_many

# ------------------------------------------------------------------ the table: instances

INSTANCE_NOT_FOUND = ErrorSpec("InvalidInstanceID.NotFound", 400, "The instance ID '{}' does not exist")
INSTANCES_NOT_FOUND = INSTANCE_NOT_FOUND.variant("The instance IDs '{}' do not exist")
ADMIN_INSTANCE_NOT_FOUND = INSTANCE_NOT_FOUND.variant(INSTANCE_NOT_FOUND.template, status=404)
MALFORMED_INSTANCE_ID = ErrorSpec("InvalidInstanceID.Malformed", 400, 'Invalid id: "{}"')
INCORRECT_INSTANCE_STATE = ErrorSpec(
    "IncorrectInstanceState", 400, "The instance '{}' is not in a state from which it can be {}.")
THIS_INSTANCE_STATE = INCORRECT_INSTANCE_STATE.variant("This instance '{}' is not in a state from which it can be {}.")
NEVER_RUNNING = INCORRECT_INSTANCE_STATE.variant(
    "Instance '{}' cannot be stopped as it has never reached the 'running' state.")
NOT_STOPPED = INCORRECT_INSTANCE_STATE.variant("The instance '{}' is not in the 'stopped' state.")
TERMINATION_PROTECTED = ErrorSpec(
    "OperationNotPermitted", 400,
    "The instance '{}' may not be terminated. Modify its '{}' instance attribute and try again.")
STOP_PROTECTED = TERMINATION_PROTECTED.variant(
    "The instance '{}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.")
ROOT_VOLUME_ATTACHED = TERMINATION_PROTECTED.variant("Unable to detach root volume '{}' from instance '{}'")
NOT_EBS_BACKED = ErrorSpec(
    "UnsupportedOperation", 400,
    "The instance '{}' does not have an 'ebs' root device type and cannot be stopped.")
UNSUPPORTED_ATTRIBUTE = NOT_EBS_BACKED.variant("Modifying the attribute '{}' is not supported by this endpoint.")
INSTANCE_STORE_AMI = NOT_EBS_BACKED.variant(
    "AMI '{}' with an instance-store root device is not supported for the instance type '{}'.")
NOT_HIBERNATION_CONFIGURED = ErrorSpec(
    "UnsupportedHibernationConfiguration", 400,
    "The instance can't be hibernated because it was not configured at launch for hibernation: {}")
HIBERNATION_UNSUPPORTED = NOT_HIBERNATION_CONFIGURED.variant(
    "The instance type '{}' or image '{}' does not support hibernation.")
INSTANCE_LIMIT_EXCEEDED = ErrorSpec(
    "InstanceLimitExceeded", 400,
    "You have requested more instances ({}) than your current instance limit of {} allows for the specified "
    "instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this "
    "limit.")
IDEMPOTENT_PARAMETER_MISMATCH = ErrorSpec(
    "IdempotentParameterMismatch", 400,
    "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")
PARAVIRTUAL_TYPE = INVALID_PARAMETER_COMBINATION.variant(
    "Non-Windows instances with a virtualization type of 'paravirtual' are not supported for the instance "
    "type '{}'.")
SHUTDOWN_BEHAVIOR_NEEDS_EBS = INVALID_PARAMETER_COMBINATION.variant(
    "The attribute instanceInitiatedShutdownBehavior can only be used for elastic images")
UNKNOWN_INSTANCE_TYPES = ErrorSpec(
    "InvalidInstanceType", 400, "The following supplied instance types do not exist: [{}]")
INVALID_INSTANCE_TYPE_VALUE = INVALID_PARAMETER_VALUE.variant("Invalid value '{}' for InstanceType.")
NO_DEVICE_MAPPED = ErrorSpec("InvalidInstanceAttributeValue", 400, "No device is currently mapped at {}")
VOLUME_NOT_AT_DEVICE = NO_DEVICE_MAPPED.variant("The volume '{}' is not attached at {}")

# ------------------------------------------------------------------ the table: images and mappings

MALFORMED_AMI_ID = ErrorSpec("InvalidAMIID.Malformed", 400, 'Invalid id: "{}" (expecting "ami-...")')
IMAGE_NOT_FOUND = ErrorSpec("InvalidAMIID.NotFound", 400, "The image id '[{}]' does not exist")
IMAGES_NOT_FOUND = IMAGE_NOT_FOUND.variant("The image ids '[{}]' do not exist")
IMAGE_UNAVAILABLE = ErrorSpec("InvalidAMIID.Unavailable", 400, "AMI '{}' is {}, and cannot be run")
MALFORMED_USER_ID = ErrorSpec("InvalidUserID.Malformed", 400, "User ID '{}' is invalid")
MALFORMED_AMI_NAME = ErrorSpec(
    "InvalidAMIName.Malformed", 400,
    "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, "
    "'(', ')', '.', '-', '/' and '_'")
DUPLICATE_AMI_NAME = ErrorSpec("InvalidAMIName.Duplicate", 400, "AMI name {} is already in use by AMI {}")
IMAGE_NOT_AUTHORIZED = AUTH_FAILURE.variant("Not authorized for image:{}", status=400)
MISSING_DEVICE_NAME = ErrorSpec("InvalidBlockDeviceMapping", 400, "Missing device name")
DEVICE_MAPPED_TWICE = MISSING_DEVICE_NAME.variant("The device '{}' is used in more than one block-device mapping")
MAPPING_KINDS = MISSING_DEVICE_NAME.variant("Only one of Ebs, VirtualName or NoDevice may be given for: {}")
MAPPING_WITHOUT_SOURCE = MISSING_DEVICE_NAME.variant("Either snapshot ID or volume size must be provided for: {}")
ROOT_SUPPRESSED = MISSING_DEVICE_NAME.variant("The root device '{}' cannot be suppressed with NoDevice")
ROOT_SNAPSHOT_CHANGED = MISSING_DEVICE_NAME.variant("The snapshot of the root device '{}' cannot be changed")
# RunInstances' wording: AWS's text, the double space before "snapshot" included.
MAPPING_SMALLER_THAN_SNAPSHOT = MISSING_DEVICE_NAME.variant(
    "Volume of size {}GB is smaller than  snapshot '{}', expect size >= {}GB")
EBS_ROOT_WITHOUT_SNAPSHOT = MISSING_DEVICE_NAME.variant(
    "The root device '{}' of an EBS-backed image must be mapped to a snapshot")
ROOT_WITHOUT_SOURCE = MISSING_DEVICE_NAME.variant(
    "The root device '{}' must be mapped to an EBS snapshot, or ImageLocation must name an instance-store "
    "image manifest")
INVALID_VIRTUAL_NAME = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter virtualName is invalid. Expected: 'ephemeral[0..23]'.")
SMALLER_THAN_SNAPSHOT = INVALID_PARAMETER_VALUE.variant(
    "Volume of size {}GB is smaller than snapshot '{}', expect size >= {}GB")
DESCRIPTION_TOO_LONG = INVALID_PARAMETER_VALUE.variant("The description must be {} characters or fewer.")

# ------------------------------------------------------------------ the table: volumes and snapshots

MALFORMED_VOLUME_ID = ErrorSpec("InvalidVolumeID.Malformed", 400, 'Invalid id: "{}" (expecting "vol-...")')
VOLUME_NOT_FOUND = ErrorSpec("InvalidVolume.NotFound", 400, "The volume '{}' does not exist.")
VOLUMES_NOT_FOUND = VOLUME_NOT_FOUND.variant("The volumes '{}' do not exist.")
VOLUME_ZONE_MISMATCH = ErrorSpec(
    "InvalidVolume.ZoneMismatch", 400,
    "The volume '{}' is not in the same availability zone as instance '{}'")
ATTACHMENT_NOT_FOUND = ErrorSpec(
    "InvalidAttachment.NotFound", 400, "The volume '{}' is not attached to instance '{}' at device '{}'.")
VOLUME_ALREADY_ATTACHED = ErrorSpec("VolumeInUse", 400, "{} is already attached to an instance")
VOLUME_ATTACHED = VOLUME_ALREADY_ATTACHED.variant("Volume {} is currently attached to {}")
KMS_KEY_WITHOUT_ENCRYPTION = ErrorSpec(
    "InvalidParameterDependency", 400, "The parameter KmsKeyId requires the parameter Encrypted to be set.")
MALFORMED_SNAPSHOT_ID = ErrorSpec("InvalidSnapshotID.Malformed", 400, 'Invalid id: "{}" (expecting "snap-...")')
SNAPSHOT_NOT_FOUND = ErrorSpec("InvalidSnapshot.NotFound", 400, "The snapshot '{}' does not exist.")
SNAPSHOTS_NOT_FOUND = SNAPSHOT_NOT_FOUND.variant("The snapshots '{}' do not exist.")
SNAPSHOT_IN_USE = ErrorSpec("InvalidSnapshot.InUse", 400, "The snapshot {} is currently in use by {}")
SNAPSHOT_STATE = ErrorSpec("IncorrectState", 400, "Snapshot '{}' is in the '{}' state.")
VOLUME_STATE = SNAPSHOT_STATE.variant("Volume '{}' is in the '{}' state.")
INSTANCE_NOT_RUNNING = SNAPSHOT_STATE.variant("Instance '{}' is not 'running'.")

# ------------------------------------------------------------------ the table: key pairs
# Observed wordings (networking fact sheet 4): "key pair" two words but "keypair" one in
# Duplicate, no final period in NotFound and InvalidKey.Format. The plural NotFound forms,
# the ID forms and the quota's message are our wording.

KEY_PAIR_NOT_FOUND = ErrorSpec("InvalidKeyPair.NotFound", 400, "The key pair '{}' does not exist")
KEY_PAIRS_NOT_FOUND = KEY_PAIR_NOT_FOUND.variant("The key pairs '{}' do not exist")
KEY_PAIR_ID_NOT_FOUND = KEY_PAIR_NOT_FOUND.variant("The key pair ID '{}' does not exist")
KEY_PAIR_IDS_NOT_FOUND = KEY_PAIR_NOT_FOUND.variant("The key pair IDs '{}' do not exist")
DUPLICATE_KEY_PAIR = ErrorSpec("InvalidKeyPair.Duplicate", 400, "The keypair '{}' already exists.")
INVALID_KEY_FORMAT = ErrorSpec("InvalidKey.Format", 400, "Key is not in valid OpenSSH public key format")
KEY_PAIR_LIMIT_EXCEEDED = ErrorSpec(
    "KeyPairLimitExceeded", 400, "You have reached the maximum of {} key pairs in this Region.")
INVALID_KEY_NAME = INVALID_PARAMETER_VALUE.variant("Value ({}) for parameter KeyName is invalid. {}")

# ------------------------------------------------------------------ the table: the network, tags

INVALID_ZONE = INVALID_PARAMETER_VALUE.variant("Invalid availability zone: [{}]")
INVALID_ZONE_ID = INVALID_PARAMETER_VALUE.variant("Invalid availability zone ID: [{}]")
MALFORMED_VPC_ID = ErrorSpec("InvalidVpcID.Malformed", 400, 'Invalid id: "{}" (expecting "vpc-...")')
VPC_NOT_FOUND = ErrorSpec("InvalidVpcID.NotFound", 400, "The vpc ID '{}' does not exist")
VPCS_NOT_FOUND = VPC_NOT_FOUND.variant("The vpc IDs '{}' do not exist")
MALFORMED_SUBNET_ID = ErrorSpec("InvalidSubnetID.Malformed", 400, 'Invalid id: "{}" (expecting "subnet-...")')
MALFORMED_LAUNCH_SUBNET_ID = MALFORMED_SUBNET_ID.variant('Invalid id: "{}"')
SUBNET_NOT_FOUND = ErrorSpec("InvalidSubnetID.NotFound", 400, "The subnet ID '{}' does not exist")
SUBNETS_NOT_FOUND = SUBNET_NOT_FOUND.variant("The subnet IDs '{}' do not exist")
MALFORMED_GROUP_ID = ErrorSpec("InvalidGroupId.Malformed", 400, 'Invalid id: "{}" (expecting "sg-...")')
MALFORMED_LAUNCH_GROUP_ID = MALFORMED_GROUP_ID.variant('Invalid id: "{}"')
GROUP_NOT_FOUND = ErrorSpec("InvalidGroup.NotFound", 400, "The security group '{}' does not exist")
GROUP_NAME_NOT_FOUND = GROUP_NOT_FOUND.variant("The security group '{}' does not exist in default VPC '{}'")
INVALID_ID = ErrorSpec("InvalidID", 400, "The ID '{}' is not valid")
RESERVATION_NOT_FOUND = ErrorSpec("InvalidReservationID.NotFound", 400, "The reservation '{}' does not exist.")


# ------------------------------------------------------------------ instances

def instance_not_found(missing: Sequence[str]) -> Ec2Error:
    """Every unknown instance ID named, in the order given."""
    return one_or_many(INSTANCE_NOT_FOUND, INSTANCES_NOT_FOUND, missing)


def admin_instance_not_found(instance_id: str) -> Ec2Error:
    """The admin routes' answer (404) for an instance no account has."""
    return ADMIN_INSTANCE_NOT_FOUND(instance_id)


def malformed_instance_id(value: str) -> Ec2Error:
    return MALFORMED_INSTANCE_ID(value)


def incorrect_instance_state(instance_id: str, verb: str) -> Ec2Error:
    """``verb`` as "started", "rebooted", "modified", "imaged"."""
    return INCORRECT_INSTANCE_STATE(instance_id, verb)


def this_instance_state(instance_id: str, verb: str) -> Ec2Error:
    """StopInstances' wording ("This instance ..."): ``verb`` as "stopped", "shut down"."""
    return THIS_INSTANCE_STATE(instance_id, verb)


def never_running(instance_id: str) -> Ec2Error:
    return NEVER_RUNNING(instance_id)


def not_stopped(instance_id: str) -> Ec2Error:
    return NOT_STOPPED(instance_id)


def termination_protected(instance_id: str, attribute: str, *, commit: bool = False) -> Ec2Error:
    """``attribute`` is the protection that blocks: "disableApiTermination" or "disableApiStop"."""
    return TERMINATION_PROTECTED(instance_id, attribute, commit=commit)


def stop_protected(instance_id: str) -> Ec2Error:
    return STOP_PROTECTED(instance_id)


def root_volume_attached(volume_id: str, instance_id: str) -> Ec2Error:
    """DetachVolume of the root volume of an instance that is not stopped."""
    return ROOT_VOLUME_ATTACHED(volume_id, instance_id)


def not_ebs_backed(instance_id: str) -> Ec2Error:
    """StopInstances on an instance-store-backed instance."""
    return NOT_EBS_BACKED(instance_id)


def unsupported_attribute(attribute: str) -> Ec2Error:
    return UNSUPPORTED_ATTRIBUTE(attribute)


def instance_store_ami(image_id: str, type_name: str) -> Ec2Error:
    return INSTANCE_STORE_AMI(image_id, type_name)


def not_hibernation_configured(instance_id: str) -> Ec2Error:
    return NOT_HIBERNATION_CONFIGURED(instance_id)


def hibernation_unsupported(type_name: str, image_id: str) -> Ec2Error:
    return HIBERNATION_UNSUPPORTED(type_name, image_id)


def instance_limit_exceeded(requested: int, limit: int) -> Ec2Error:
    return INSTANCE_LIMIT_EXCEEDED(requested, limit)


def idempotent_parameter_mismatch() -> Ec2Error:
    return IDEMPOTENT_PARAMETER_MISMATCH()


def paravirtual_type(type_name: str) -> Ec2Error:
    return PARAVIRTUAL_TYPE(type_name)


def shutdown_behavior_needs_ebs() -> Ec2Error:
    """``InstanceInitiatedShutdownBehavior`` given for an instance-store-backed instance."""
    return SHUTDOWN_BEHAVIOR_NEEDS_EBS()


def unknown_instance_types(names: Sequence[str]) -> Ec2Error:
    """DescribeInstanceTypes naming types that do not exist."""
    return UNKNOWN_INSTANCE_TYPES(", ".join(names))


def invalid_instance_type_value(name: str) -> Ec2Error:
    """A launch or modification asking for a type that does not exist."""
    return INVALID_INSTANCE_TYPE_VALUE(name)


def no_device_mapped(device: str) -> Ec2Error:
    return NO_DEVICE_MAPPED(device)


def volume_not_at_device(volume_id: str, device: str) -> Ec2Error:
    return VOLUME_NOT_AT_DEVICE(volume_id, device)


# ------------------------------------------------------------------ images and block-device mappings

def malformed_ami_id(value: str) -> Ec2Error:
    return MALFORMED_AMI_ID(value)


def image_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(IMAGE_NOT_FOUND, IMAGES_NOT_FOUND, missing)


def image_unavailable(image_id: str, state: str) -> Ec2Error:
    return IMAGE_UNAVAILABLE(image_id, state)


def malformed_user_id(value: str) -> Ec2Error:
    return MALFORMED_USER_ID(value)


def malformed_ami_name() -> Ec2Error:
    return MALFORMED_AMI_NAME()


def duplicate_ami_name(name: str, image_id: str) -> Ec2Error:
    return DUPLICATE_AMI_NAME(name, image_id)


def image_not_authorized(image_id: str) -> Ec2Error:
    """An image of another account (or of the catalogue) that this account may not change."""
    return IMAGE_NOT_AUTHORIZED(image_id)


def missing_device_name() -> Ec2Error:
    return MISSING_DEVICE_NAME()


def device_mapped_twice(device: str) -> Ec2Error:
    return DEVICE_MAPPED_TWICE(device)


def mapping_kinds(device: str) -> Ec2Error:
    """A mapping giving more than one of Ebs, VirtualName and NoDevice."""
    return MAPPING_KINDS(device)


def mapping_without_source(device: str) -> Ec2Error:
    """An EBS mapping with neither a snapshot nor a size."""
    return MAPPING_WITHOUT_SOURCE(device)


def root_suppressed(device: str) -> Ec2Error:
    return ROOT_SUPPRESSED(device)


def root_snapshot_changed(device: str) -> Ec2Error:
    return ROOT_SNAPSHOT_CHANGED(device)


def mapping_smaller_than_snapshot(size: int, snapshot_id: object, snapshot_size: int) -> Ec2Error:
    """RunInstances' mapping of a volume smaller than its snapshot."""
    return MAPPING_SMALLER_THAN_SNAPSHOT(size, snapshot_id, snapshot_size)


def ebs_root_without_snapshot(device: str) -> Ec2Error:
    return EBS_ROOT_WITHOUT_SNAPSHOT(device)


def root_without_source(device: str) -> Ec2Error:
    return ROOT_WITHOUT_SOURCE(device)


def invalid_virtual_name(name: str) -> Ec2Error:
    return INVALID_VIRTUAL_NAME(name)


def smaller_than_snapshot(size: int, snapshot_id: object, snapshot_size: int) -> Ec2Error:
    """CreateVolume's, RegisterImage's and CreateImage's volume smaller than its snapshot."""
    return SMALLER_THAN_SNAPSHOT(size, snapshot_id, snapshot_size)


def description_too_long(limit: int) -> Ec2Error:
    return DESCRIPTION_TOO_LONG(limit)


# ------------------------------------------------------------------ volumes and snapshots

def malformed_volume_id(value: str) -> Ec2Error:
    return MALFORMED_VOLUME_ID(value)


def volume_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(VOLUME_NOT_FOUND, VOLUMES_NOT_FOUND, missing)


def volume_zone_mismatch(volume_id: str, instance_id: str) -> Ec2Error:
    return VOLUME_ZONE_MISMATCH(volume_id, instance_id)


def attachment_not_found(volume_id: str, instance_id: str, device: str) -> Ec2Error:
    return ATTACHMENT_NOT_FOUND(volume_id, instance_id, device)


def volume_already_attached(volume_id: str) -> Ec2Error:
    """AttachVolume of a volume that is attached."""
    return VOLUME_ALREADY_ATTACHED(volume_id)


def volume_attached(volume_id: str, instance_id: str) -> Ec2Error:
    """DeleteVolume of a volume that is attached."""
    return VOLUME_ATTACHED(volume_id, instance_id)


def kms_key_without_encryption() -> Ec2Error:
    return KMS_KEY_WITHOUT_ENCRYPTION()


def malformed_snapshot_id(value: str) -> Ec2Error:
    return MALFORMED_SNAPSHOT_ID(value)


def snapshot_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(SNAPSHOT_NOT_FOUND, SNAPSHOTS_NOT_FOUND, missing)


def snapshot_in_use(snapshot_id: str, image_id: str) -> Ec2Error:
    return SNAPSHOT_IN_USE(snapshot_id, image_id)


def snapshot_state(snapshot_id: str, state: str) -> Ec2Error:
    return SNAPSHOT_STATE(snapshot_id, state)


def volume_state(volume_id: str, state: str) -> Ec2Error:
    return VOLUME_STATE(volume_id, state)


def instance_not_running(instance_id: str) -> Ec2Error:
    """AttachVolume to an instance neither running nor stopped."""
    return INSTANCE_NOT_RUNNING(instance_id)


# ------------------------------------------------------------------ key pairs

def key_pair_not_found(missing: Sequence[str]) -> Ec2Error:
    """Key pairs named by name that do not exist, every one named."""
    return one_or_many(KEY_PAIR_NOT_FOUND, KEY_PAIRS_NOT_FOUND, missing)


def key_pair_id_not_found(missing: Sequence[str]) -> Ec2Error:
    """Key pairs named by ID that do not exist (or IDs that are not a key pair's)."""
    return one_or_many(KEY_PAIR_ID_NOT_FOUND, KEY_PAIR_IDS_NOT_FOUND, missing)


def duplicate_key_pair(name: str) -> Ec2Error:
    return DUPLICATE_KEY_PAIR(name)


def invalid_key_format() -> Ec2Error:
    """ImportKeyPair's answer to any public key it does not take."""
    return INVALID_KEY_FORMAT()


def key_pair_limit_exceeded(limit: int) -> Ec2Error:
    return KEY_PAIR_LIMIT_EXCEEDED(limit)


def invalid_key_name(name: str, reason: str) -> Ec2Error:
    return INVALID_KEY_NAME(name, reason)


# ------------------------------------------------------------------ the network, tags

def invalid_zone(name: str) -> Ec2Error:
    return INVALID_ZONE(name)


def invalid_zone_id(zone_id: str) -> Ec2Error:
    return INVALID_ZONE_ID(zone_id)


def malformed_vpc_id(value: str) -> Ec2Error:
    return MALFORMED_VPC_ID(value)


def vpc_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(VPC_NOT_FOUND, VPCS_NOT_FOUND, missing)


def malformed_subnet_id(value: str) -> Ec2Error:
    return MALFORMED_SUBNET_ID(value)


def malformed_launch_subnet_id(value: str) -> Ec2Error:
    """RunInstances' wording, without the expected prefix."""
    return MALFORMED_LAUNCH_SUBNET_ID(value)


def subnet_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(SUBNET_NOT_FOUND, SUBNETS_NOT_FOUND, missing)


def malformed_group_id(value: str) -> Ec2Error:
    return MALFORMED_GROUP_ID(value)


def malformed_launch_group_id(value: str) -> Ec2Error:
    """RunInstances' wording, without the expected prefix."""
    return MALFORMED_LAUNCH_GROUP_ID(value)


def group_not_found(group_id: str) -> Ec2Error:
    return GROUP_NOT_FOUND(group_id)


def group_name_not_found(name: str, vpc_id: str) -> Ec2Error:
    return GROUP_NAME_NOT_FOUND(name, vpc_id)


def invalid_id(resource_id: str) -> Ec2Error:
    """CreateTags/DeleteTags naming an ID of no taggable kind, or a malformed one."""
    return INVALID_ID(resource_id)


def reservation_not_found(reservation_id: str) -> Ec2Error:
    return RESERVATION_NOT_FOUND(reservation_id)
