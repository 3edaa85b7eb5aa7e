"""VPC networking, one module per concern: a scope's network as it stands, stored or
derived (``network``), CIDR rules (``cidrs``), VPCs (``vpcs``), subnets (``subnets``),
private addresses (``addresses``), the VPCs' default security groups (``groups``), internet
gateways (``gateways``), the rows of gateways and route tables (``routing``), route tables
and their associations (``route_tables``), routes (``routes``), the permissions of
gateways and route tables (``permissions``) and the errors of all of them (``errors``)."""
