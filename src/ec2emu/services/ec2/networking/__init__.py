"""VPC networking, one module per concern: a scope's network as it stands, stored or
derived (``network``), CIDR rules (``cidrs``), VPCs (``vpcs``), subnets (``subnets``),
private addresses (``addresses``), the VPCs' default security groups (``groups``) and the
errors of all of them (``errors``)."""
