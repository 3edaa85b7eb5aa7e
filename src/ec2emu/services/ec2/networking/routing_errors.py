"""The catalogue of the errors internet gateways and route tables answer (the rest of VPC
networking's are in :mod:`ec2emu.services.ec2.networking.errors`). Each row is AWS's code,
the HTTP status and the message EC2 gives; the constructors below are what handlers raise.

Sources (``shared/reference/networking-facts.md`` §2.1, §2.2): ``Resource.AlreadyAssociated``
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
"""

from __future__ import annotations

from collections.abc import Sequence

from ec2emu.errors import INVALID_PARAMETER_VALUE, MISSING_PARAMETER, Ec2Error, ErrorSpec, one_or_many
from ec2emu.services.ec2.errors import NOT_EBS_BACKED
from ec2emu.services.ec2.networking.errors import VPC_DEPENDENCY

# ------------------------------------------------------------------ the table

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
