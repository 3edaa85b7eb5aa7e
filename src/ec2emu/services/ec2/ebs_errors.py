"""The errors of snapshot sharing, copying and tiers, and of volume modifications.

Sources: the encrypted-snapshot refusals are AWS's observed wording (``UnsupportedOperation``
"Encrypted snapshots can't be shared publicly. Specify another snapshot." and
``InvalidParameter`` "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify
another snapshot."); "New size cannot be smaller than existing size" and the rate limit's
text are quoted in the networking fact sheet (7.4). The other messages are our wording,
each under AWS's code for the case.
"""

from __future__ import annotations

from ec2emu.errors import (
    INVALID_PARAMETER_COMBINATION,
    INVALID_PARAMETER_VALUE,
    MISSING_PARAMETER,
    Ec2Error,
    ErrorSpec,
)
from ec2emu.services.ec2.errors import NOT_EBS_BACKED, SNAPSHOT_STATE
from ec2emu.services.ec2.images.errors import INVALID_REGION

# ------------------------------------------------------------------ the table: sharing

PUBLIC_ENCRYPTED = NOT_EBS_BACKED.variant("Encrypted snapshots can't be shared publicly. Specify another snapshot.")
DEFAULT_KEY_SHARED = ErrorSpec(
    "InvalidParameter", 400, "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.")
ADD_AND_REMOVE = INVALID_PARAMETER_COMBINATION.variant(
    "The parameters Add and Remove cannot be given together for createVolumePermission.")
UNKNOWN_ATTRIBUTE = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter attribute is invalid. Expected: 'productCodes', 'createVolumePermission'.")
READ_ONLY_ATTRIBUTE = INVALID_PARAMETER_VALUE.variant("The attribute '{}' cannot be modified.")
RESET_ATTRIBUTE = INVALID_PARAMETER_VALUE.variant("The attribute '{}' cannot be reset.")
NO_PERMISSION_CHANGE = MISSING_PARAMETER.variant(
    "The request must contain the parameter userId, group or createVolumePermission")
BAD_GROUP = INVALID_PARAMETER_VALUE.variant("Value ({}) for parameter group is invalid. Expected: 'all'.")
BAD_OPERATION_TYPE = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter operationType is invalid. Expected: 'add', 'remove'.")
TOO_MANY_PERMISSIONS = INVALID_PARAMETER_VALUE.variant(
    "At most {} create volume permissions may be added or removed in one request.")
ARCHIVED = SNAPSHOT_STATE.variant("Snapshot '{}' is in the archive storage tier and cannot be {}.")

# ------------------------------------------------------------------ the table: copies

UNKNOWN_REGION = INVALID_REGION
OTHER_DESTINATION = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter destinationRegion is invalid. It must be the region the request is sent to ({}).")
EXCLUDED_NOT_DATA = INVALID_PARAMETER_VALUE.variant(
    "The volume '{}' is not a data volume attached to instance '{}'.")
BAD_COPY_TAGS = INVALID_PARAMETER_VALUE.variant("Value ({}) for parameter copyTagsFromSource is invalid. "
                                                "Expected: 'volume'.")

# ------------------------------------------------------------------ the table: volume modifications

SMALLER_SIZE = INVALID_PARAMETER_VALUE.variant("New size cannot be smaller than existing size")
MODIFICATION_IN_PROGRESS = ErrorSpec(
    "IncorrectModificationState", 400,
    "Cannot modify volume {} as it is in the '{}' modification state; wait until the modification completes.")
RATE_EXCEEDED = ErrorSpec(
    "VolumeModificationRateExceeded", 400,
    "You've reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications "
    "per EBS volume.")
NOTHING_TO_MODIFY = INVALID_PARAMETER_COMBINATION.variant(
    "The request must change at least one of size, volumeType, iops or throughput of volume {}.")
MAGNETIC = NOT_EBS_BACKED.variant("Volume {} of type 'standard' (magnetic) cannot be modified.")


def public_encrypted() -> Ec2Error:
    return PUBLIC_ENCRYPTED()


def default_key_shared() -> Ec2Error:
    return DEFAULT_KEY_SHARED()


def add_and_remove() -> Ec2Error:
    return ADD_AND_REMOVE()


def unknown_attribute(value: str) -> Ec2Error:
    return UNKNOWN_ATTRIBUTE(value)


def read_only_attribute(value: str) -> Ec2Error:
    return READ_ONLY_ATTRIBUTE(value)


def reset_attribute(value: str) -> Ec2Error:
    return RESET_ATTRIBUTE(value)


def no_permission_change() -> Ec2Error:
    return NO_PERMISSION_CHANGE()


def bad_group(value: str) -> Ec2Error:
    return BAD_GROUP(value)


def bad_operation_type(value: str) -> Ec2Error:
    return BAD_OPERATION_TYPE(value)


def too_many_permissions(limit: int) -> Ec2Error:
    return TOO_MANY_PERMISSIONS(limit)


def archived(snapshot_id: str, use: str) -> Ec2Error:
    """An archived snapshot asked to be shared, copied or restored to a volume."""
    return ARCHIVED(snapshot_id, use)


def unknown_region(region: str) -> Ec2Error:
    return UNKNOWN_REGION(region)


def other_destination(region: str, here: str) -> Ec2Error:
    return OTHER_DESTINATION(region, here)


def excluded_not_data(volume_id: str, instance_id: str) -> Ec2Error:
    return EXCLUDED_NOT_DATA(volume_id, instance_id)


def bad_copy_tags(value: str) -> Ec2Error:
    return BAD_COPY_TAGS(value)


def smaller_size() -> Ec2Error:
    return SMALLER_SIZE()


def modification_in_progress(volume_id: str, state: str) -> Ec2Error:
    return MODIFICATION_IN_PROGRESS(volume_id, state)


def rate_exceeded() -> Ec2Error:
    return RATE_EXCEEDED()


def nothing_to_modify(volume_id: str) -> Ec2Error:
    return NOTHING_TO_MODIFY(volume_id)


def magnetic(volume_id: str) -> Ec2Error:
    return MAGNETIC(volume_id)


# ------------------------------------------------------------------ the table: tiers

ALREADY_ARCHIVED = SNAPSHOT_STATE.variant("Snapshot '{}' is already archived or being archived.")
NOT_ARCHIVED = SNAPSHOT_STATE.variant("Snapshot '{}' is not in the archive tier.")
RESTORE_CHOICE = INVALID_PARAMETER_COMBINATION.variant(
    "Specify either TemporaryRestoreDays or PermanentRestore, not both.")
RESTORE_DAYS = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter temporaryRestoreDays is invalid. Expecting a value between 1 and 180.")


def already_archived(snapshot_id: str) -> Ec2Error:
    return ALREADY_ARCHIVED(snapshot_id)


def not_archived(snapshot_id: str) -> Ec2Error:
    return NOT_ARCHIVED(snapshot_id)


def restore_choice() -> Ec2Error:
    return RESTORE_CHOICE()


def restore_days(value: object) -> Ec2Error:
    return RESTORE_DAYS(value)
