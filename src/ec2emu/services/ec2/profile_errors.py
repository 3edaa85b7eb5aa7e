"""The catalogue of the errors IAM instance profiles answer in EC2 (RunInstances'
``IamInstanceProfile`` and the profile associations of
:mod:`~ec2emu.services.ec2.instance_profiles`). Each row is AWS's code, the HTTP status
and the message EC2 gives; the constructors below are what handlers raise. An unknown
association ID is networking's ``InvalidAssociationID.NotFound``
(:func:`~ec2emu.services.ec2.networking.errors.association_not_found`).

Sources: the ``InvalidParameterValue`` messages of an unknown profile name are as public
issue threads quote AWS (hashicorp/terraform-provider-aws#24281, #27516); the ARN's is the
same sentence for ``iamInstanceProfile.arn``. ``IncorrectState`` "There is an existing
association for instance i-…" is EC2's answer to a second association.
"""

from __future__ import annotations

from ec2emu.errors import INVALID_PARAMETER_VALUE, Ec2Error
from ec2emu.services.ec2.errors import SNAPSHOT_STATE

# ------------------------------------------------------------------ the table

INVALID_PROFILE_NAME = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
INVALID_PROFILE_ARN = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN")
EXISTING_ASSOCIATION = SNAPSHOT_STATE.variant("There is an existing association for instance {}")


# ------------------------------------------------------------------ constructors

def invalid_profile_name(name: str) -> Ec2Error:
    """A profile name the caller's account has no profile of."""
    return INVALID_PROFILE_NAME(name)


def invalid_profile_arn(arn: str) -> Ec2Error:
    """An ARN that names no profile of the caller's account (or is no profile's ARN)."""
    return INVALID_PROFILE_ARN(arn)


def existing_association(instance_id: str) -> Ec2Error:
    return EXISTING_ASSOCIATION(instance_id)
