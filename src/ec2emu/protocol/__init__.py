"""Wire protocols: bytes to (operation, params) and (result | error) to bytes.

Driven by botocore's service models, one module per protocol family (``protocols.py``
says which a model speaks); knows nothing of state or storage.
"""
