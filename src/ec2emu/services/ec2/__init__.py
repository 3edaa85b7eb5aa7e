"""EC2: one module per resource family (instances a package of its own); ``service``
declares the service and lists the modules that register its operations and their
permission describers."""
