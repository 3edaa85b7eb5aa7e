"""The catalogue of the errors of an instance's launch options: tenancy and placement,
CPU credits, detailed monitoring, the instance metadata options (and the account's
defaults for them), kernel and ramdisk.

Codes are AWS's published ones (``services/ec2/published_errors.txt``) or those of the
model (``UnsuccessfulInstanceCreditSpecificationErrorCode``). Observed in a public thread
quoting AWS (terraform-aws-modules/terraform-aws-ec2-instance#35): a credit option on a
type that is not burstable answers ``InstanceCreditSpecification.NotSupported``; its
wording here names CPU credits rather than "T2 Unlimited". Our wording where AWS's is not
on record: the value checks (``InvalidParameterValue`` naming the parameter and the
values allowed), a kernel or ramdisk ID that is not well formed, a duplicate instance ID
in ModifyInstanceCreditSpecification, the refusals of placement members this endpoint
does not honour (``UnsupportedOperation`` naming the member, as every refusal here).
"""

from __future__ import annotations

from ec2emu.errors import INVALID_PARAMETER_VALUE, Ec2Error, ErrorSpec
from ec2emu.services.ec2.errors import INCORRECT_INSTANCE_STATE, MALFORMED_INSTANCE_ID
from ec2emu.services.ec2.networking.errors import unsupported_parameter

CREDITS_NOT_SUPPORTED = ErrorSpec(
    "InstanceCreditSpecification.NotSupported", 400,
    "The {} instance type does not support CPU credit options: it is not a burstable performance instance type.")
INSTANCE_CREDITS_NOT_SUPPORTED = CREDITS_NOT_SUPPORTED.variant(
    "The instance '{}' is not a burstable performance instance: it has no CPU credit option.")
DUPLICATE_CREDIT_INSTANCE = ErrorSpec(
    "InvalidInstanceCreditSpecification.DuplicateInstanceId", 400,
    "The instance ID '{}' appears more than once in the request.")
INVALID_CPU_CREDITS = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter cpuCredits is invalid. Valid values: standard, unlimited")
INVALID_HOP_LIMIT = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter httpPutResponseHopLimit is invalid. Valid values: integers from 1 to 64{}")
MALFORMED_KERNEL_ID = ErrorSpec("InvalidKernelId.Malformed", 400, 'Invalid id: "{}" (expecting "aki-...")')
MALFORMED_RAMDISK_ID = INVALID_PARAMETER_VALUE.variant('Invalid id: "{}" (expecting "ari-...")')
KERNEL_NOT_STOPPED = INCORRECT_INSTANCE_STATE.variant(
    "The instance '{}' is not in the 'stopped' state: its {} can be changed only while it is stopped.")
TERMINATED_OPTIONS = INCORRECT_INSTANCE_STATE.variant("The instance '{}' is terminated: its {} cannot be changed.")


def credits_not_supported(instance_type: str) -> Ec2Error:
    return CREDITS_NOT_SUPPORTED(instance_type)


def instance_credits_not_supported(instance_id: str) -> Ec2Error:
    return INSTANCE_CREDITS_NOT_SUPPORTED(instance_id)


def duplicate_credit_instance(instance_id: str) -> Ec2Error:
    return DUPLICATE_CREDIT_INSTANCE(instance_id)


def invalid_cpu_credits(value: object) -> Ec2Error:
    return INVALID_CPU_CREDITS(value)


def invalid_hop_limit(value: object, no_preference: bool = False) -> Ec2Error:
    """``no_preference``: the account's default also takes -1 (no preference)."""
    return INVALID_HOP_LIMIT(value, ", or -1 for no preference" if no_preference else "")


def malformed_kernel_id(value: str) -> Ec2Error:
    return MALFORMED_KERNEL_ID(value)


def malformed_ramdisk_id(value: str) -> Ec2Error:
    return MALFORMED_RAMDISK_ID(value)


def kernel_not_stopped(instance_id: str, attribute: str) -> Ec2Error:
    """``attribute``: ``kernel`` or ``ramdisk``."""
    return KERNEL_NOT_STOPPED(instance_id, attribute)


def terminated_options(instance_id: str, what: str) -> Ec2Error:
    return TERMINATED_OPTIONS(instance_id, what)


def malformed_credit_instance(instance_id: str) -> Ec2Error:
    return MALFORMED_INSTANCE_ID(instance_id)


def unsupported_member(name: str) -> Ec2Error:
    """A nested member this endpoint does not honour (``Placement.HostId``), refused by name."""
    return unsupported_parameter(name)
