"""The catalogue of the errors public IPv4 addresses and Elastic IPs answer. Each row is
AWS's code, the HTTP status and the message EC2 gives; the constructors below are what
handlers raise.

Sources (``shared/reference/networking-facts.md`` §1.7, §2.1, §5.3): ``AddressLimitExceeded``
"The maximum number of addresses has been reached.", ``Gateway.NotAttached`` "Network … is
not attached to any internet gateway", ``InvalidAllocationID.NotFound`` "The allocation ID
'…' does not exist", ``Resource.AlreadyAssociated`` "resource eipalloc-… is already
associated with associate-id eipassoc-…", ``DependencyViolation`` "Network … has some
mapped public address(es). Please unmap those public address(es) before detaching the
gateway.", the code ``InvalidIPAddress.InUse`` of ReleaseAddress. Observed in public issue
threads quoting AWS: ``InvalidInstanceID`` "The pending instance '…' is not in a valid
state for this operation." (hashicorp/terraform-provider-aws#3072, #21228;
cloudposse/terraform-aws-ec2-instance#95 for a terminated one) and "There are multiple
interfaces attached to instance '…'. Please specify an interface ID for the operation
instead." (cilium/cilium#39654),
``InvalidParameterCombination`` "You must specify an allocation id when mapping an address
to a VPC instance" (NixOS/nixops#297), ``InvalidParameterValue`` "You must specify an
allocation id when releasing a VPC elastic IP address" (boto/boto#2727),
``InvalidParameterCombination`` "The associatePublicIPAddress parameter cannot be specified
when launching with multiple network interfaces" (erlcloud/erlcloud#284).

Our wording, the codes being AWS's published ones: a malformed allocation ID (answered as
not found: AWS publishes no ``Malformed`` code for allocation IDs), ``InvalidAddress.NotFound``
and ``InvalidAddress.Malformed`` for DescribeAddresses' ``PublicIps``, the text of
``InvalidIPAddress.InUse``, a network border group other than the region, the ``standard``
domain (EC2-Classic, which a VPC-only account does not have), the refusals of an
association naming neither or both of an instance and an interface, of a private address
that is not the instance's or the interface's, of DisassociateAddress by public address, and of
``AssociatePublicIpAddress`` on an interface other than a new one at device index 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from ec2emu.errors import (
    INVALID_PARAMETER_COMBINATION,
    INVALID_PARAMETER_VALUE,
    MISSING_PARAMETER,
    Ec2Error,
    ErrorSpec,
    one_or_many,
)
from ec2emu.services.ec2.networking.errors import VPC_DEPENDENCY
from ec2emu.services.ec2.networking.interface_errors import ADDRESS_IN_USE
from ec2emu.services.ec2.networking.routing_errors import ALREADY_ATTACHED, NOT_ATTACHED

# ------------------------------------------------------------------ the table

ALLOCATION_NOT_FOUND = ErrorSpec("InvalidAllocationID.NotFound", 400, "The allocation ID '{}' does not exist")
ALLOCATIONS_NOT_FOUND = ALLOCATION_NOT_FOUND.variant("The allocation IDs '{}' do not exist")
ADDRESS_NOT_FOUND = ErrorSpec("InvalidAddress.NotFound", 400, "Address '{}' not found.")
ADDRESSES_NOT_FOUND = ADDRESS_NOT_FOUND.variant("Addresses '{}' not found.")
NOT_IN_BORDER_GROUP = ADDRESS_NOT_FOUND.variant("The allocation ID '{}' is not in the network border group '{}'.")
MALFORMED_ADDRESS = ErrorSpec("InvalidAddress.Malformed", 400, "Invalid address: '{}'")
ADDRESS_LIMIT_EXCEEDED = ErrorSpec("AddressLimitExceeded", 400, "The maximum number of addresses has been reached.")
ALLOCATION_IN_USE = ADDRESS_IN_USE.variant("The address with allocation id [{}] is in use.")
INSTANCE_NOT_VALID = ErrorSpec(
    "InvalidInstanceID", 400, "The {} instance '{}' is not in a valid state for this operation.")
ALREADY_ASSOCIATED = ALREADY_ATTACHED.variant("resource {} is already associated with associate-id {}")
NO_GATEWAY = NOT_ATTACHED.variant("Network {} is not attached to any internet gateway")
MAPPED_ADDRESSES = VPC_DEPENDENCY.variant(
    "Network {} has some mapped public address(es). Please unmap those public address(es) before detaching the "
    "gateway.")
CLASSIC_DOMAIN = INVALID_PARAMETER_VALUE.variant(
    "Value (standard) for parameter domain is invalid. This account supports only addresses for use in a VPC "
    "(vpc).")
BORDER_GROUP = INVALID_PARAMETER_VALUE.variant("Value ({}) for parameter networkBorderGroup is invalid.")
MAPPING_NEEDS_ALLOCATION = INVALID_PARAMETER_COMBINATION.variant(
    "You must specify an allocation id when mapping an address to a VPC instance")
RELEASE_NEEDS_ALLOCATION = INVALID_PARAMETER_VALUE.variant(
    "You must specify an allocation id when releasing a VPC elastic IP address")
PUBLIC_IP_WITH_ID = INVALID_PARAMETER_COMBINATION.variant("The parameter PublicIp cannot be used with the parameter {}")
UNMAPPING_NEEDS_ASSOCIATION = INVALID_PARAMETER_VALUE.variant(
    "You must specify an association id when unmapping an address from a VPC instance")
NO_TARGET = MISSING_PARAMETER.variant("Either an instance ID or a network interface ID must be specified")
BOTH_TARGETS = INVALID_PARAMETER_COMBINATION.variant(
    "The parameter instanceId cannot be used with the parameter networkInterfaceId")
NOT_INSTANCE_ADDRESS = INVALID_PARAMETER_VALUE.variant(
    "The private IP address {} is not assigned to the instance {}.")
NOT_INTERFACE_ADDRESS = INVALID_PARAMETER_VALUE.variant(
    "The private IP address {} is not assigned to the network interface {}.")
MULTIPLE_INTERFACES = INSTANCE_NOT_VALID.variant(
    "There are multiple interfaces attached to instance '{}'. Please specify an interface ID for the operation "
    "instead.")
PUBLIC_IP_MULTIPLE_INTERFACES = INVALID_PARAMETER_COMBINATION.variant(
    "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces")
PUBLIC_IP_DEVICE_INDEX = INVALID_PARAMETER_COMBINATION.variant(
    "The associatePublicIPAddress parameter can only be specified for the network interface with DeviceIndex 0.")
PUBLIC_IP_EXISTING_INTERFACE = INVALID_PARAMETER_COMBINATION.variant(
    "The associatePublicIPAddress parameter cannot be specified for an existing network interface.")


# ------------------------------------------------------------------ Elastic IPs

def allocation_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(ALLOCATION_NOT_FOUND, ALLOCATIONS_NOT_FOUND, missing)


def malformed_allocation_id(value: str) -> Ec2Error:
    """A malformed allocation ID: not found, as AWS publishes no ``Malformed`` code for it."""
    return ALLOCATION_NOT_FOUND(value)


def address_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(ADDRESS_NOT_FOUND, ADDRESSES_NOT_FOUND, missing)


def not_in_border_group(allocation_id: str, group: str) -> Ec2Error:
    return NOT_IN_BORDER_GROUP(allocation_id, group)


def malformed_address(value: str) -> Ec2Error:
    return MALFORMED_ADDRESS(value)


def address_limit_exceeded() -> Ec2Error:
    return ADDRESS_LIMIT_EXCEEDED()


def address_in_use(allocation_id: str) -> Ec2Error:
    """ReleaseAddress of an address associated in a nondefault VPC."""
    return ALLOCATION_IN_USE(allocation_id)


def instance_not_valid(state: str, instance_id: str) -> Ec2Error:
    return INSTANCE_NOT_VALID(state, instance_id)


def already_associated(allocation_id: str, association_id: str) -> Ec2Error:
    return ALREADY_ASSOCIATED(allocation_id, association_id)


def no_gateway(vpc_id: str) -> Ec2Error:
    return NO_GATEWAY(vpc_id)


def mapped_addresses(vpc_id: str) -> Ec2Error:
    return MAPPED_ADDRESSES(vpc_id)


def classic_domain() -> Ec2Error:
    return CLASSIC_DOMAIN()


def border_group(value: str) -> Ec2Error:
    return BORDER_GROUP(value)


def mapping_needs_allocation() -> Ec2Error:
    return MAPPING_NEEDS_ALLOCATION()


def release_needs_allocation() -> Ec2Error:
    return RELEASE_NEEDS_ALLOCATION()


def unmapping_needs_association() -> Ec2Error:
    return UNMAPPING_NEEDS_ASSOCIATION()


def public_ip_with_id(other: str) -> Ec2Error:
    """``PublicIp`` (the EC2-Classic way to name an address) beside the ID that names it."""
    return PUBLIC_IP_WITH_ID(other)


def no_target() -> Ec2Error:
    return NO_TARGET()


def both_targets() -> Ec2Error:
    return BOTH_TARGETS()


def not_instance_address(private_ip: str, instance_id: str) -> Ec2Error:
    return NOT_INSTANCE_ADDRESS(private_ip, instance_id)


def not_interface_address(private_ip: str, interface_id: str) -> Ec2Error:
    return NOT_INTERFACE_ADDRESS(private_ip, interface_id)


def multiple_interfaces(instance_id: str) -> Ec2Error:
    return MULTIPLE_INTERFACES(instance_id)


# ------------------------------------------------------------------ AssociatePublicIpAddress at launch

def public_ip_multiple_interfaces() -> Ec2Error:
    return PUBLIC_IP_MULTIPLE_INTERFACES()


def public_ip_device_index() -> Ec2Error:
    return PUBLIC_IP_DEVICE_INDEX()


def public_ip_existing_interface() -> Ec2Error:
    return PUBLIC_IP_EXISTING_INTERFACE()
