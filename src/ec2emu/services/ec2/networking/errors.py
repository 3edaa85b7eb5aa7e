"""The catalogue of the errors VPC networking answers: CIDR rules, dependencies, quotas,
default networks, addresses, internet gateways and route tables. Each row is AWS's code, the HTTP status and the message
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
cannot be used with the parameter subnet".

Internet gateways and route tables (fact sheet §2.1, §2.2): ``Resource.AlreadyAssociated``
"resource … is already attached to network …", ``InvalidParameterValue`` "Network … already
has an internet gateway attached", ``Gateway.NotAttached`` (its code), ``DependencyViolation``
"The internetGateway '…' / The routeTable '…' has dependencies and cannot be deleted.",
``RouteAlreadyExists`` "The route identified by … already exists.", ``InvalidParameterValue``
"route table … and network gateway … belong to different networks",
``InvalidGatewayID.NotFound`` "The gateway ID '…' does not exist". Observed in public issue
threads quoting AWS: ``Resource.AlreadyAssociated`` "the specified association for route
table … conflicts with an existing association" (hashicorp/terraform-provider-aws#38960),
``MissingParameter`` "The request must contain the parameter destinationCidrBlock or
destinationIpv6CidrBlock" (hashicorp/terraform#14564), ``InvalidParameterValue`` "Value (…)
for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."
(ansible-collections/amazon.aws#477). The codes ``InvalidInternetGatewayID.NotFound``,
``InvalidInternetGatewayId.Malformed``, ``InvalidRouteTableID.NotFound``,
``InvalidRouteTableId.Malformed``, ``InvalidRoute.NotFound``, ``InternetGatewayLimitExceeded``,
``RouteTableLimitExceeded`` and ``RouteLimitExceeded`` are AWS's published ones; their
messages here follow the wording of their VPC and subnet neighbours.

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
    one_or_many,
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
DNS_HOSTNAMES_NEED_SUPPORT = INVALID_PARAMETER_VALUE.variant(
    "DNS hostnames can only be enabled for a VPC whose DNS support is enabled.")
# Internet gateways and route tables
MALFORMED_GATEWAY_ID = ErrorSpec("InvalidInternetGatewayId.Malformed", 400, 'Invalid id: "{}" (expecting "igw-...")')
GATEWAY_NOT_FOUND = ErrorSpec("InvalidInternetGatewayID.NotFound", 400, "The internetGateway ID '{}' does not exist")
GATEWAYS_NOT_FOUND = GATEWAY_NOT_FOUND.variant("The internetGateway IDs '{}' do not exist")
MALFORMED_ROUTE_TABLE_ID = ErrorSpec("InvalidRouteTableId.Malformed", 400, 'Invalid id: "{}" (expecting "rtb-...")')
ROUTE_TABLE_NOT_FOUND = ErrorSpec("InvalidRouteTableID.NotFound", 400, "The routeTable ID '{}' does not exist")
ROUTE_TABLES_NOT_FOUND = ROUTE_TABLE_NOT_FOUND.variant("The routeTable IDs '{}' do not exist")
TARGET_NOT_FOUND = ErrorSpec("InvalidGatewayID.NotFound", 400, "The gateway ID '{}' does not exist")
ALREADY_ATTACHED = ErrorSpec("Resource.AlreadyAssociated", 400, "resource {} is already attached to network {}")
ASSOCIATION_CONFLICT = ALREADY_ATTACHED.variant(
    "the specified association for route table {} conflicts with an existing association")
VPC_HAS_GATEWAY = INVALID_PARAMETER_VALUE.variant("Network {} already has an internet gateway attached")
NOT_ATTACHED = ErrorSpec("Gateway.NotAttached", 400, "resource {} is not attached to network {}")
GATEWAY_DEPENDENCY = VPC_DEPENDENCY.variant("The internetGateway '{}' has dependencies and cannot be deleted.")
ROUTE_TABLE_DEPENDENCY = VPC_DEPENDENCY.variant("The routeTable '{}' has dependencies and cannot be deleted.")
GATEWAY_LIMIT_EXCEEDED = ErrorSpec(
    "InternetGatewayLimitExceeded", 400, "The maximum number of internet gateways has been reached.")
ROUTE_TABLE_LIMIT_EXCEEDED = ErrorSpec(
    "RouteTableLimitExceeded", 400, "The maximum number of route tables has been reached.")
ROUTE_LIMIT_EXCEEDED = ErrorSpec("RouteLimitExceeded", 400, "The maximum number of routes has been reached.")
ROUTE_EXISTS = ErrorSpec("RouteAlreadyExists", 400, "The route identified by {} already exists.")
ROUTE_NOT_FOUND = ErrorSpec("InvalidRoute.NotFound", 400, "no route with destination-cidr-block {} in route table {}")
NO_ROUTE_TO_REPLACE = INVALID_PARAMETER_VALUE.variant(
    "There is no route defined for '{}' in the route table. Use CreateRoute instead.")
DIFFERENT_NETWORKS = INVALID_PARAMETER_VALUE.variant(
    "route table {} and network gateway {} belong to different networks")
SUBNET_IN_OTHER_NETWORK = INVALID_PARAMETER_VALUE.variant("route table {} and subnet {} belong to different networks")
LOCAL_ROUTE = INVALID_PARAMETER_VALUE.variant("cannot {} local route {} in route table {}")
MORE_SPECIFIC_THAN_LOCAL = INVALID_PARAMETER_VALUE.variant(
    "The destination CIDR block {} is equal to or more specific than one of this VPC's CIDR blocks. This route "
    "can target only an interface or an instance.")
MISSING_DESTINATION = MISSING_PARAMETER.variant(
    "The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock")
INVALID_DESTINATION = INVALID_PARAMETER_VALUE.variant(
    "Value ({}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.")
MISSING_TARGET = MISSING_PARAMETER.variant("The request must contain exactly one route target: gatewayId")
UNSUPPORTED_TARGET = NOT_EBS_BACKED.variant(
    "The gateway ID '{}' is not supported by this endpoint: only internet gateways are route targets here.")
MAIN_ASSOCIATION = INVALID_PARAMETER_VALUE.variant("cannot disassociate the main route table association {}")


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


def dns_hostnames_need_support() -> Ec2Error:
    return DNS_HOSTNAMES_NEED_SUPPORT()


# ------------------------------------------------------------------ internet gateways

def malformed_gateway_id(value: str) -> Ec2Error:
    return MALFORMED_GATEWAY_ID(value)


def gateway_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(GATEWAY_NOT_FOUND, GATEWAYS_NOT_FOUND, missing)


def already_attached(gateway_id: str, vpc_id: str) -> Ec2Error:
    """AttachInternetGateway of a gateway attached already (to ``vpc_id``)."""
    return ALREADY_ATTACHED(gateway_id, vpc_id)


def vpc_has_gateway(vpc_id: str) -> Ec2Error:
    return VPC_HAS_GATEWAY(vpc_id)


def not_attached(gateway_id: str, vpc_id: str) -> Ec2Error:
    return NOT_ATTACHED(gateway_id, vpc_id)


def gateway_dependency(gateway_id: str) -> Ec2Error:
    return GATEWAY_DEPENDENCY(gateway_id)


def gateway_limit_exceeded() -> Ec2Error:
    return GATEWAY_LIMIT_EXCEEDED()


# ------------------------------------------------------------------ route tables and routes

def malformed_route_table_id(value: str) -> Ec2Error:
    return MALFORMED_ROUTE_TABLE_ID(value)


def route_table_not_found(missing: Sequence[str]) -> Ec2Error:
    return one_or_many(ROUTE_TABLE_NOT_FOUND, ROUTE_TABLES_NOT_FOUND, missing)


def route_table_dependency(route_table_id: str) -> Ec2Error:
    return ROUTE_TABLE_DEPENDENCY(route_table_id)


def route_table_limit_exceeded() -> Ec2Error:
    return ROUTE_TABLE_LIMIT_EXCEEDED()


def route_limit_exceeded() -> Ec2Error:
    return ROUTE_LIMIT_EXCEEDED()


def target_not_found(gateway_id: str) -> Ec2Error:
    return TARGET_NOT_FOUND(gateway_id)


def unsupported_target(gateway_id: str) -> Ec2Error:
    """A ``GatewayId`` naming a kind of gateway this endpoint does not have (``vgw-``, …)."""
    return UNSUPPORTED_TARGET(gateway_id)


def different_networks(route_table_id: str, gateway_id: str) -> Ec2Error:
    return DIFFERENT_NETWORKS(route_table_id, gateway_id)


def subnet_in_other_network(route_table_id: str, subnet_id: str) -> Ec2Error:
    return SUBNET_IN_OTHER_NETWORK(route_table_id, subnet_id)


def route_exists(destination: str) -> Ec2Error:
    return ROUTE_EXISTS(destination)


def route_not_found(destination: str, route_table_id: str) -> Ec2Error:
    return ROUTE_NOT_FOUND(destination, route_table_id)


def no_route_to_replace(destination: str) -> Ec2Error:
    return NO_ROUTE_TO_REPLACE(destination)


def local_route(verb: str, destination: str, route_table_id: str) -> Ec2Error:
    """DeleteRoute (``remove``) or ReplaceRoute (``replace``) of a table's local route."""
    return LOCAL_ROUTE(verb, destination, route_table_id)


def more_specific_than_local(destination: str) -> Ec2Error:
    return MORE_SPECIFIC_THAN_LOCAL(destination)


def missing_destination() -> Ec2Error:
    return MISSING_DESTINATION()


def invalid_destination(value: str) -> Ec2Error:
    return INVALID_DESTINATION(value)


def missing_target() -> Ec2Error:
    return MISSING_TARGET()


def association_conflict(route_table_id: str) -> Ec2Error:
    """AssociateRouteTable of a subnet that has an explicit association already."""
    return ASSOCIATION_CONFLICT(route_table_id)


def main_association(association_id: str) -> Ec2Error:
    return MAIN_ASSOCIATION(association_id)
