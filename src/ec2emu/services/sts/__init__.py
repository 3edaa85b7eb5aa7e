"""STS: caller identity, assumed roles, decoded authorization messages; ``service``
declares the service and lists its modules."""
