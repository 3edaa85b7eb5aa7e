"""Wire protocol: bytes to (operation, params) and (result | error) to bytes.

Driven by botocore's EC2 service model; knows nothing of state or storage.
"""
