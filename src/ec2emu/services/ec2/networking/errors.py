"""The catalogue of the errors VPC networking answers: CIDR rules, dependencies, quotas,
default networks, addresses and security-group rules (internet gateways' and route
tables' are in :mod:`~ec2emu.services.ec2.networking.routing_errors`).
Each row is AWS's code, the HTTP status and the message
EC2 gives; the constructors below are what handlers raise. The look-up errors of VPC,
subnet and group IDs (``InvalidVpcID.NotFound``, …) are in :mod:`ec2emu.services.ec2.errors`.

Sources (``shared/reference/networking-facts.md``): ``InvalidVpc.Range`` and
``InvalidSubnet.Range`` "The CIDR '…' is invalid.", ``InvalidSubnet.Conflict`` "The CIDR
'…' conflicts with another subnet" (§1.1); ``DependencyViolation`` "The vpc/subnet '…' has
dependencies and cannot be deleted." (§1.5); ``VPCIdNotSpecified`` "No default VPC for
this user" (§1.4); the quotas' codes (§1.7). Observed in public issue threads quoting
AWS: ``MissingParameter`` "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided."
(cloudposse/terraform-aws-vpc#118), ``VpcLimitExceeded`` "The maximum number of VPCs has
been reached." (terraform-aws-modules/terraform-aws-vpc#429), ``InsufficientFreeAddressesInSubnet``
"The specified subnet does not have enough free addresses to satisfy the request."
(aws/amazon-vpc-cni-k8s#1773), ``InvalidParameterCombination`` "The parameter groupName
cannot be used with the parameter subnet". A launch's network interfaces with an
instance-level subnet or groups: ``InvalidParameterCombination`` "Network interfaces and an
instance-level subnet ID (security groups) may not be specified on the same request"
(§6); an interface without its index: ``InvalidParameterValue`` "Each network interface
requires a device index." (hashicorp/packer#2242, aws/aws-sdk-go-v2#1178).

Security groups (§3): ``InvalidGroup.Duplicate`` "The security group '…' already exists for
VPC '…'", ``CannotDelete`` for the default group, ``DependencyViolation`` "resource sg-… has
a dependent object", ``InvalidPermission.Duplicate`` 'the specified rule "peer: …, TCP, from
port: 22, to port: 22, ALLOW" already exists', ``InvalidPermission.NotFound`` "The
specified rule does not exist in this security group.", ``RulesPerSecurityGroupLimitExceeded``
"The maximum number of rules per security group has been reached.". Our wording, the codes
being AWS's published ones: ``InvalidGroup.Reserved``, ``SecurityGroupLimitExceeded``,
``SecurityGroupsPerInterfaceLimitExceeded``, an unknown protocol, a bad port range or
ICMP type, a malformed or unknown rule ID (``InvalidSecurityGroupRuleId.*``, the code
real EC2 answers, not in the published list), a group of another VPC as a rule's peer or
an instance's group, and the ICMP shape of a duplicate rule's description.

Our wording where AWS's is not on record: an unreadable CIDR, ``SubnetLimitExceeded``,
the CIDR-block quota (AWS's own code for it is not in its published list, so
``ResourceLimitExceeded``), the default-VPC and default-subnet codes' messages (the codes
are AWS's published ones), ``InvalidAssociationID.NotFound``, the refusal to disassociate
a VPC's primary block or a block its subnets use, one attribute per Modify call, and the
refusals of parameters this endpoint does not honour (``UnsupportedOperation`` naming
the parameter), the text of ``Gateway.NotAttached`` for DetachInternetGateway, the
refusals of a local route's removal or replacement, of a route more specific than a VPC
block, of a route without a target, of a subnet of another VPC and of the main
association's removal, and ReplaceRoute of a destination the table has no route for.
"""

from __future__ import annotations

from collections.abc import Sequence

from ec2emu.errors import (
    INVALID_INPUT,
    INVALID_PARAMETER_COMBINATION,
    INVALID_PARAMETER_VALUE,
    MISSING_PARAMETER,
    Ec2Error,
    ErrorSpec,
)
from ec2emu.services.ec2.errors import NOT_EBS_BACKED, TERMINATION_PROTECTED

# ------------------------------------------------------------------ the table

INVALID_CIDR = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter cidrBlock is invalid. This is not a valid CIDR block.")
MISSING_CIDR = MISSING_PARAMETER.variant("Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
INVALID_VPC_RANGE = ErrorSpec("InvalidVpc.Range", 400, "The CIDR '{}' is invalid.")
INVALID_SUBNET_RANGE = ErrorSpec("InvalidSubnet.Range", 400, "The CIDR '{}' is invalid.")
SUBNET_CONFLICT = ErrorSpec("InvalidSubnet.Conflict", 400, "The CIDR '{}' conflicts with another subnet")
VPC_DEPENDENCY = ErrorSpec("DependencyViolation", 400, "The vpc '{}' has dependencies and cannot be deleted.")
SUBNET_DEPENDENCY = VPC_DEPENDENCY.variant("The subnet '{}' has dependencies and cannot be deleted.")
CIDR_BLOCK_IN_USE = VPC_DEPENDENCY.variant(
    "The vpc CIDR block with association ID {} has dependencies and cannot be disassociated.")
VPC_LIMIT_EXCEEDED = ErrorSpec("VpcLimitExceeded", 400, "The maximum number of VPCs has been reached.")
SUBNET_LIMIT_EXCEEDED = ErrorSpec("SubnetLimitExceeded", 400, "The maximum number of subnets has been reached.")
CIDR_BLOCK_LIMIT_EXCEEDED = ErrorSpec(
    "ResourceLimitExceeded", 400, "This network '{}' has met its maximum number of allowed CIDRs: {}")
INSUFFICIENT_ADDRESSES = ErrorSpec(
    "InsufficientFreeAddressesInSubnet", 400,
    "The specified subnet does not have enough free addresses to satisfy the request.")
DEFAULT_VPC_EXISTS = ErrorSpec(
    "DefaultVpcAlreadyExists", 400, "A Default VPC already exists for this account in this region.")
DEFAULT_VPC_MISSING = ErrorSpec(
    "DefaultVpcDoesNotExist", 400, "No default VPC exists for this account in this region.")
DEFAULT_SUBNET_EXISTS = ErrorSpec(
    "DefaultSubnetAlreadyExistsInAvailabilityZone", 400, "A default subnet already exists in availability zone {}.")
NO_DEFAULT_VPC = ErrorSpec("VPCIdNotSpecified", 400, "No default VPC for this user")
NO_DEFAULT_VPC_FOR_NAME = NO_DEFAULT_VPC.variant(
    "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.")
# As EC2 answers a launch with no subnet where the default VPC has none (tools match on
# these codes: ``InvalidInput`` "No default subnet for availability zone", ``MissingInput``
# "No subnets found for the default VPC").
NO_DEFAULT_SUBNET = INVALID_INPUT.variant("No default subnet for availability zone: '{}'.")
NO_DEFAULT_SUBNETS = ErrorSpec("MissingInput", 400,
                               "No subnets found for the default VPC '{}'. Please specify a subnet.")
ASSOCIATION_NOT_FOUND = ErrorSpec("InvalidAssociationID.NotFound", 400, "The association ID '{}' does not exist")
PRIMARY_CIDR_BLOCK = TERMINATION_PROTECTED.variant(
    "The vpc CIDR block with association ID {} may not be disassociated. It is the primary IPv4 CIDR block of "
    "the VPC")
UNSUPPORTED_PARAMETER = NOT_EBS_BACKED.variant("The parameter {} is not supported by this endpoint.")
UNSUPPORTED_VALUE = NOT_EBS_BACKED.variant("The value '{}' for the parameter {} is not supported by this endpoint.")
MULTIPLE_ATTRIBUTES = INVALID_PARAMETER_COMBINATION.variant("Fields for multiple attribute types specified: {}")
NO_ATTRIBUTE = INVALID_PARAMETER_COMBINATION.variant("No attributes specified.")
ZONE_AND_ZONE_ID = INVALID_PARAMETER_COMBINATION.variant(
    "Only one of AvailabilityZone or AvailabilityZoneId may be specified.")
GROUP_NAME_WITH_SUBNET = INVALID_PARAMETER_COMBINATION.variant(
    "The parameter groupName cannot be used with the parameter subnet")
INTERFACE_WITHOUT_DEVICE_INDEX = INVALID_PARAMETER_VALUE.variant("Each network interface requires a device index.")
GROUP_DUPLICATE = ErrorSpec("InvalidGroup.Duplicate", 400, "The security group '{}' already exists for VPC '{}'")
GROUP_RESERVED = ErrorSpec("InvalidGroup.Reserved", 400, "The security group name '{}' is reserved.")
GROUP_NAME_INVALID = INVALID_PARAMETER_VALUE.variant("Value ({}) for parameter {} is invalid. {}")
DEFAULT_GROUP_UNDELETABLE = ErrorSpec(
    "CannotDelete", 400, 'the specified group: "{}" name: "default" cannot be deleted by a user')
GROUP_DEPENDENCY = VPC_DEPENDENCY.variant("resource {} has a dependent object")
GROUP_LIMIT_EXCEEDED = ErrorSpec(
    "SecurityGroupLimitExceeded", 400, "The maximum number of security groups has been reached.")
GROUPS_PER_INTERFACE = ErrorSpec(
    "SecurityGroupsPerInterfaceLimitExceeded", 400,
    "The maximum number of security groups per interface has been reached.")
RULES_LIMIT_EXCEEDED = ErrorSpec(
    "RulesPerSecurityGroupLimitExceeded", 400, "The maximum number of rules per security group has been reached.")
PERMISSION_DUPLICATE = ErrorSpec("InvalidPermission.Duplicate", 400, 'the specified rule "{}" already exists')
PERMISSION_NOT_FOUND = ErrorSpec(
    "InvalidPermission.NotFound", 400, "The specified rule does not exist in this security group.")
PERMISSION_MALFORMED = ErrorSpec("InvalidPermission.Malformed", 400, "{}")
UNKNOWN_PROTOCOL = INVALID_PARAMETER_VALUE.variant("Invalid value '{}' for IP protocol. Unknown protocol.")
INVALID_PORTS = INVALID_PARAMETER_VALUE.variant("Invalid value '{}' for portRange.{}")
INVALID_RULE_CIDR = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter {} is invalid. This is not a valid CIDR block.")
MALFORMED_RULE_ID = ErrorSpec(
    "InvalidSecurityGroupRuleId.Malformed", 400, 'Invalid id: "{}" (expecting "sgr-...")')
RULE_NOT_FOUND = ErrorSpec(
    "InvalidSecurityGroupRuleId.NotFound", 400, "The security group rule ID '{}' does not exist")
GROUP_OF_OTHER_VPC = INVALID_PARAMETER_VALUE.variant("The security group '{}' does not belong to VPC '{}'.")
DNS_HOSTNAMES_NEED_SUPPORT = INVALID_PARAMETER_VALUE.variant(
    "DNS hostnames can only be enabled for a VPC whose DNS support is enabled.")
# ------------------------------------------------------------------ CIDR blocks

def invalid_cidr(value: str) -> Ec2Error:
    """A CIDR block that cannot be read (not ``a.b.c.d/n``)."""
    return INVALID_CIDR(value)


def missing_cidr() -> Ec2Error:
    return MISSING_CIDR()


def invalid_vpc_range(cidr: str) -> Ec2Error:
    """A VPC block outside /16–/28, a reserved range, or one overlapping the VPC's blocks."""
    return INVALID_VPC_RANGE(cidr)


def invalid_subnet_range(cidr: str) -> Ec2Error:
    """A subnet block outside /16–/28 or outside every block of its VPC."""
    return INVALID_SUBNET_RANGE(cidr)


def subnet_conflict(cidr: str) -> Ec2Error:
    return SUBNET_CONFLICT(cidr)


# ------------------------------------------------------------------ dependencies and quotas

def vpc_dependency(vpc_id: str) -> Ec2Error:
    return VPC_DEPENDENCY(vpc_id)


def subnet_dependency(subnet_id: str) -> Ec2Error:
    return SUBNET_DEPENDENCY(subnet_id)


def cidr_block_in_use(association_id: str) -> Ec2Error:
    """DisassociateVpcCidrBlock of a block a subnet of the VPC lies in."""
    return CIDR_BLOCK_IN_USE(association_id)


def vpc_limit_exceeded() -> Ec2Error:
    return VPC_LIMIT_EXCEEDED()


def subnet_limit_exceeded() -> Ec2Error:
    return SUBNET_LIMIT_EXCEEDED()


def cidr_block_limit_exceeded(vpc_id: str, limit: int) -> Ec2Error:
    return CIDR_BLOCK_LIMIT_EXCEEDED(vpc_id, limit)


def insufficient_free_addresses() -> Ec2Error:
    return INSUFFICIENT_ADDRESSES()


# ------------------------------------------------------------------ default networks

def default_vpc_exists() -> Ec2Error:
    return DEFAULT_VPC_EXISTS()


def default_vpc_missing() -> Ec2Error:
    """CreateDefaultSubnet without a default VPC."""
    return DEFAULT_VPC_MISSING()


def default_subnet_exists(zone: str) -> Ec2Error:
    return DEFAULT_SUBNET_EXISTS(zone)


def no_default_vpc() -> Ec2Error:
    """A launch that names no subnet in a region without a default VPC."""
    return NO_DEFAULT_VPC()


def no_default_vpc_for_name() -> Ec2Error:
    """A security group named (not by ID) in a region without a default VPC."""
    return NO_DEFAULT_VPC_FOR_NAME()


def no_default_subnet(zone: str) -> Ec2Error:
    """A launch naming a zone whose default subnet has been deleted."""
    return NO_DEFAULT_SUBNET(zone)


def no_default_subnets(vpc_id: str) -> Ec2Error:
    """A launch naming neither subnet nor zone when the default VPC has no default subnet."""
    return NO_DEFAULT_SUBNETS(vpc_id)


# ------------------------------------------------------------------ requests

def association_not_found(association_id: str) -> Ec2Error:
    return ASSOCIATION_NOT_FOUND(association_id)


def primary_cidr_block(association_id: str) -> Ec2Error:
    return PRIMARY_CIDR_BLOCK(association_id)


def unsupported_parameter(name: str) -> Ec2Error:
    """A parameter this endpoint does not honour, refused by name."""
    return UNSUPPORTED_PARAMETER(name)


def unsupported_value(name: str, value: object) -> Ec2Error:
    """A value of a parameter this endpoint honours only in part (``InstanceTenancy``)."""
    return UNSUPPORTED_VALUE(value, name)


def multiple_attributes(names: Sequence[str]) -> Ec2Error:
    """A Modify*Attribute call naming more than one attribute."""
    return MULTIPLE_ATTRIBUTES(", ".join(names))


def no_attribute() -> Ec2Error:
    return NO_ATTRIBUTE()


def zone_and_zone_id() -> Ec2Error:
    return ZONE_AND_ZONE_ID()


def group_name_with_subnet() -> Ec2Error:
    """A launch into a subnet of a VPC other than the default one naming groups by name."""
    return GROUP_NAME_WITH_SUBNET()


def interface_without_device_index() -> Ec2Error:
    return INTERFACE_WITHOUT_DEVICE_INDEX()


def dns_hostnames_need_support() -> Ec2Error:
    return DNS_HOSTNAMES_NEED_SUPPORT()


# ------------------------------------------------------------------ security groups

def group_duplicate(name: str, vpc_id: str) -> Ec2Error:
    return GROUP_DUPLICATE(name, vpc_id)


def group_reserved(name: str) -> Ec2Error:
    """CreateSecurityGroup naming a group ``default``."""
    return GROUP_RESERVED(name)


def group_name_invalid(value: str, parameter: str, reason: str) -> Ec2Error:
    """A group name or description too long, of characters EC2 refuses, or a name
    starting ``sg-``."""
    return GROUP_NAME_INVALID(value, parameter, reason)


def default_group_undeletable(group_id: str) -> Ec2Error:
    return DEFAULT_GROUP_UNDELETABLE(group_id)


def group_dependency(group_id: str) -> Ec2Error:
    """A group an instance uses, or another group's rule refers to."""
    return GROUP_DEPENDENCY(group_id)


def group_limit_exceeded() -> Ec2Error:
    return GROUP_LIMIT_EXCEEDED()


def groups_per_interface() -> Ec2Error:
    return GROUPS_PER_INTERFACE()


def rules_limit_exceeded() -> Ec2Error:
    return RULES_LIMIT_EXCEEDED()


def permission_duplicate(described: str) -> Ec2Error:
    return PERMISSION_DUPLICATE(described)


def permission_not_found() -> Ec2Error:
    return PERMISSION_NOT_FOUND()


def permission_malformed(message: str) -> Ec2Error:
    """A permission without a peer, or with one EC2 cannot read as one."""
    return PERMISSION_MALFORMED(message)


def unknown_protocol(value: object) -> Ec2Error:
    return UNKNOWN_PROTOCOL(value)


def invalid_ports(value: object, reason: str = "") -> Ec2Error:
    return INVALID_PORTS(value, f" {reason}" if reason else "")


def invalid_rule_cidr(value: object, parameter: str) -> Ec2Error:
    return INVALID_RULE_CIDR(value, parameter)


def malformed_rule_id(value: str) -> Ec2Error:
    return MALFORMED_RULE_ID(value)


def rule_not_found(rule_id: str) -> Ec2Error:
    return RULE_NOT_FOUND(rule_id)


def group_of_other_vpc(group_id: str, vpc_id: str) -> Ec2Error:
    """A rule's peer group, or an instance's group, of another VPC."""
    return GROUP_OF_OTHER_VPC(group_id, vpc_id)
