"""The catalogue of the errors network interfaces and their private addresses answer
(CreateNetworkInterface and its neighbours, and the interface members of RunInstances).
Each row is AWS's code, the HTTP status and the message EC2 gives; the constructors below
are what handlers raise.

Sources (``shared/reference/networking-facts.md`` §5.1): ``OperationNotPermitted`` "The
network interface at device index 0 cannot be detached."; ``InvalidIPAddress.InUse``
"Address … is in use." (RunInstances) and "The specified address is already in use"
(CreateNetworkInterface); ``InvalidParameterValue`` "invalid value for parameter address:
…"; ``InvalidParameterValue`` "Network interface '…' is currently in use." (deleting an
attached interface); ``InvalidNetworkInterface.InUse`` "Interface: […] in use.". Observed
in public issue threads quoting AWS: ``InvalidParameterValue`` "Instance '…' already has an
interface attached at device index '…'." (lstoll/k8s-vpcnet#71), ``InvalidParameterCombination``
"Network interfaces and an instance-level subnet ID may not be specified on the same
request" (aws/aws-cli#613) and "… an instance-level private IP address …" (aws/aws-cli#520).
Our wording, the codes being AWS's published ones: the malformed and unknown interface
and attachment IDs, ``AttachmentLimitExceeded``, ``PrivateIpAddressLimitExceeded``, an
instance neither running nor stopped, an attachment across zones, the instance-level
groups beside interfaces, ``PrivateIpAddress`` for more than one instance, the
interface members of a launch that disagree, and UnassignPrivateIpAddresses of an address
not assigned or of the primary one.
"""

from __future__ import annotations

from ec2emu.errors import (
    INVALID_PARAMETER_COMBINATION,
    INVALID_PARAMETER_VALUE,
    Ec2Error,
    ErrorSpec,
    one_or_many,
)
from ec2emu.services.ec2.errors import INCORRECT_INSTANCE_STATE, TERMINATION_PROTECTED

# ------------------------------------------------------------------ the table

MALFORMED_INTERFACE_ID = ErrorSpec("InvalidNetworkInterfaceId.Malformed", 400, 'Invalid id: "{}" (expecting "eni-...")')
INTERFACE_NOT_FOUND = ErrorSpec("InvalidNetworkInterfaceID.NotFound", 400,
                                "The networkInterface ID '{}' does not exist")
INTERFACES_NOT_FOUND = INTERFACE_NOT_FOUND.variant("The networkInterface IDs '{}' do not exist")
MALFORMED_ATTACHMENT_ID = ErrorSpec("InvalidNetworkInterfaceAttachmentId.Malformed", 400,
                                    'Invalid id: "{}" (expecting "eni-attach-...")')
ATTACHMENT_NOT_FOUND = ErrorSpec("InvalidAttachmentID.NotFound", 400, "The attachment ID '{}' does not exist")
INTERFACE_IN_USE = ErrorSpec("InvalidNetworkInterface.InUse", 400, "Interface: [{}] in use.")
ATTACHED_INTERFACE = INVALID_PARAMETER_VALUE.variant("Network interface '{}' is currently in use.")
PRIMARY_NOT_DETACHABLE = TERMINATION_PROTECTED.variant("The network interface at device index 0 cannot be detached.")
ADDRESS_IN_USE = ErrorSpec("InvalidIPAddress.InUse", 400, "Address {} is in use.")
ADDRESS_TAKEN = ADDRESS_IN_USE.variant("The specified address is already in use")
INVALID_ADDRESS = INVALID_PARAMETER_VALUE.variant("invalid value for parameter address: {}")
DEVICE_INDEX_TAKEN = INVALID_PARAMETER_VALUE.variant(
    "Instance '{}' already has an interface attached at device index '{}'.")
ZONE_MISMATCH = INVALID_PARAMETER_COMBINATION.variant(
    "You may not attach a network interface to an instance if they are not in the same availability zone")
NOT_ATTACHABLE = INCORRECT_INSTANCE_STATE.variant(
    "The instance '{}' is not in a state from which a network interface can be attached or detached.")
ATTACHMENT_LIMIT = ErrorSpec("AttachmentLimitExceeded", 400, "Interface count {} exceeds the limit for {}")
ADDRESS_LIMIT = ErrorSpec("PrivateIpAddressLimitExceeded", 400,
                          "Number of private addresses will exceed limit for {} ({} per interface).")
INTERFACES_WITH_SUBNET = INVALID_PARAMETER_COMBINATION.variant(
    "Network interfaces and an instance-level subnet ID may not be specified on the same request")
INTERFACES_WITH_ADDRESS = INVALID_PARAMETER_COMBINATION.variant(
    "Network interfaces and an instance-level private IP address may not be specified on the same request")
INTERFACES_WITH_GROUPS = INVALID_PARAMETER_COMBINATION.variant(
    "Network interfaces and an instance-level security groups may not be specified on the same request")
ADDRESS_FOR_MANY = INVALID_PARAMETER_COMBINATION.variant(
    "A private IP address can only be specified when launching a single instance.")
LAUNCH_INTERFACE = INVALID_PARAMETER_COMBINATION.variant("{}")
NOT_ASSIGNED = INVALID_PARAMETER_VALUE.variant("Some of the specified addresses are not assigned to interface {}")
PRIMARY_ADDRESS = INVALID_PARAMETER_VALUE.variant("The primary IP address {} of interface {} cannot be unassigned.")


# ------------------------------------------------------------------ look-ups


def malformed_interface_id(value: str) -> Ec2Error:
    return MALFORMED_INTERFACE_ID(value)


def interface_not_found(values: list[str]) -> Ec2Error:
    return one_or_many(INTERFACE_NOT_FOUND, INTERFACES_NOT_FOUND, values)


def malformed_attachment_id(value: str) -> Ec2Error:
    return MALFORMED_ATTACHMENT_ID(value)


def attachment_not_found(value: str) -> Ec2Error:
    return ATTACHMENT_NOT_FOUND(value)


# ------------------------------------------------------------------ interfaces in use


def interface_in_use(interface_id: str) -> Ec2Error:
    """An interface a launch or an attachment names that is attached already."""
    return INTERFACE_IN_USE(interface_id)


def attached_interface(interface_id: str) -> Ec2Error:
    """DeleteNetworkInterface of an attached interface."""
    return ATTACHED_INTERFACE(interface_id)


def primary_not_detachable() -> Ec2Error:
    return PRIMARY_NOT_DETACHABLE()


def device_index_taken(instance_id: str, index: int) -> Ec2Error:
    return DEVICE_INDEX_TAKEN(instance_id, index)


def zone_mismatch() -> Ec2Error:
    return ZONE_MISMATCH()


def not_attachable(instance_id: str) -> Ec2Error:
    """An instance neither running nor stopped."""
    return NOT_ATTACHABLE(instance_id)


def attachment_limit(count: int, instance_type: str) -> Ec2Error:
    return ATTACHMENT_LIMIT(count, instance_type)


# ------------------------------------------------------------------ addresses


def address_in_use(address: str, *, launch: bool) -> Ec2Error:
    """A private address an interface holds already (RunInstances' wording, or
    CreateNetworkInterface's and AssignPrivateIpAddresses')."""
    return ADDRESS_IN_USE(address) if launch else ADDRESS_TAKEN()


def invalid_address(address: str) -> Ec2Error:
    """Not an address, outside the subnet, or one of the five it reserves."""
    return INVALID_ADDRESS(address)


def address_limit(instance_type: str, limit: int) -> Ec2Error:
    return ADDRESS_LIMIT(instance_type, limit)


def not_assigned(interface_id: str) -> Ec2Error:
    """UnassignPrivateIpAddresses of an address the interface does not hold."""
    return NOT_ASSIGNED(interface_id)


def primary_address(address: str, interface_id: str) -> Ec2Error:
    return PRIMARY_ADDRESS(address, interface_id)


# ------------------------------------------------------------------ RunInstances


def interfaces_with_subnet() -> Ec2Error:
    return INTERFACES_WITH_SUBNET()


def interfaces_with_address() -> Ec2Error:
    return INTERFACES_WITH_ADDRESS()


def interfaces_with_groups() -> Ec2Error:
    return INTERFACES_WITH_GROUPS()


def address_for_many() -> Ec2Error:
    return ADDRESS_FOR_MANY()


def launch_interface(message: str) -> Ec2Error:
    """Interface members of a launch that disagree with each other or with the launch."""
    return LAUNCH_INTERFACE(message)
