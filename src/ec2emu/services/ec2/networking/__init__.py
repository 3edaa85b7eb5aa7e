"""VPC networking, one module per concern: a scope's network as it stands, stored or
derived (``network``), CIDR rules (``cidrs``), VPCs (``vpcs``), subnets (``subnets``),
private addresses (``addresses``), the VPCs' default security groups (``groups``), internet
gateways (``gateways``), the rows of gateways and route tables (``routing``), route tables
and their associations (``route_tables``), routes (``routes``), public IPv4 addresses
(``public_addresses``), Elastic IPs (``elastic_ips``), the permissions of gateways, route
tables and Elastic IPs (``permissions``) and the errors of all of them (``errors``,
``routing_errors``, ``address_errors``)."""
