"""Identity: the one place an access key becomes an account.

``credentials`` holds who each access key belongs to; ``sigv4`` proves that a request
was signed with that key's secret (or, in permissive mode, lets an unknown key act as
the default account's root); ``policy`` and ``arn`` decide what an identity may do.
The app asks :func:`ec2emu.auth.sigv4.authenticate` for the :class:`Principal` of every
API request before its parameters are parsed, and runs the request in that principal's
account.
"""

from ec2emu.auth.credentials import Credential, CredentialSource, Principal
from ec2emu.auth.sigv4 import AUTH_MODES, RawRequest, Signature, authenticate, read_signature

__all__ = ["AUTH_MODES", "Credential", "CredentialSource", "Principal", "RawRequest", "Signature",
           "authenticate", "read_signature"]
