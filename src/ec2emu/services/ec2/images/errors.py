"""The catalogue of the errors of image sharing, copying and deprecation (the images
family's own; the errors images share with launches — ``InvalidAMIID.*``, the names, the
mappings — are rows of :mod:`ec2emu.services.ec2.errors`).

Wordings: ``InvalidAMIAttributeItemValue`` 'Invalid attribute item value "x" for userId
item type.' is EC2's; block public access's ``OperationNotPermitted`` text is EC2's as
quoted by users (hortonworks/cloudbreak-images#926, the curly apostrophe included). The
deprecation and region wordings under ``InvalidParameterValue`` and ``InvalidRegion``
are ours: EC2's exact texts are not on record.
"""

from __future__ import annotations

from ec2emu.errors import INVALID_PARAMETER_VALUE, Ec2Error, ErrorSpec
from ec2emu.services.ec2.errors import IMAGE_UNAVAILABLE, TERMINATION_PROTECTED

BAD_ITEM_VALUE = ErrorSpec("InvalidAMIAttributeItemValue", 400, 'Invalid attribute item value "{}" for {} item type.')
PUBLIC_SHARING_BLOCKED = TERMINATION_PROTECTED.variant(
    "You can’t publicly share this image because block public access for AMIs is enabled for this account. "
    "To publicly share the image, you must call the DisableImageBlockPublicAccess API.")
UNKNOWN_ATTRIBUTE = INVALID_PARAMETER_VALUE.variant("Value ({}) for parameter attribute is invalid. Unknown attribute.")
READ_ONLY_ATTRIBUTE = INVALID_PARAMETER_VALUE.variant("Value ({}) for parameter attribute is invalid. {}")
DEPRECATE_IN_PAST = INVALID_PARAMETER_VALUE.variant(
    "The deprecation time '{}' is in the past. Specify a time in the future.")
DEPRECATE_TOO_LATE = INVALID_PARAMETER_VALUE.variant(
    "The deprecation time '{}' is more than 10 years from now. Specify a time up to 10 years from now.")
PUBLIC_DEPRECATION_TOO_LATE = INVALID_PARAMETER_VALUE.variant(
    "The deprecation time '{}' is more than 2 years after the creation of this public image.")
IMAGE_NOT_COPYABLE = IMAGE_UNAVAILABLE.variant("AMI '{}' is {}, and cannot be copied")
INVALID_REGION = ErrorSpec("InvalidRegion", 400, "The region '{}' is not valid.")


def bad_item_value(value: str, kind: str) -> Ec2Error:
    """A launch permission's item that is not an account ID (``kind`` ``userId``) or the
    group ``all`` (``group``)."""
    return BAD_ITEM_VALUE(value, kind)


def public_sharing_blocked() -> Ec2Error:
    return PUBLIC_SHARING_BLOCKED()


def unknown_attribute(name: str) -> Ec2Error:
    return UNKNOWN_ATTRIBUTE(name)


def read_only_attribute(name: str, why: str) -> Ec2Error:
    return READ_ONLY_ATTRIBUTE(name, why)


def deprecate_in_past(when: str) -> Ec2Error:
    return DEPRECATE_IN_PAST(when)


def deprecate_too_late(when: str) -> Ec2Error:
    return DEPRECATE_TOO_LATE(when)


def public_deprecation_too_late(when: str) -> Ec2Error:
    return PUBLIC_DEPRECATION_TOO_LATE(when)


def image_not_copyable(image_id: str, state: str) -> Ec2Error:
    return IMAGE_NOT_COPYABLE(image_id, state)


def invalid_region(region: str) -> Ec2Error:
    return INVALID_REGION(region)
