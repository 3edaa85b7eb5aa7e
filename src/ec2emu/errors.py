"""The one error type that the protocol and service layers share.

An :class:`Ec2Error` carries the AWS error code (the wire spelling, e.g.
``"InvalidInstanceID.NotFound"``), the message AWS would give and the HTTP status.
The serializer turns it into EC2's ``<Response><Errors>`` envelope. Nothing here knows
about state or storage.
"""

from __future__ import annotations


class Ec2Error(Exception):
    """An error answered to the client in EC2's error envelope."""

    def __init__(self, code: str, message: str, status: int = 400, *, commit: bool = False) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        # True when the request's changes are kept although it answers an error (the
        # zones TerminateInstances could terminate while another zone was protected).
        self.commit = commit


def missing_parameter(name: str) -> Ec2Error:
    return Ec2Error("MissingParameter", f"The request must contain the parameter {name}")


def invalid_parameter_value(message: str) -> Ec2Error:
    return Ec2Error("InvalidParameterValue", message)


def invalid_parameter_combination(message: str) -> Ec2Error:
    return Ec2Error("InvalidParameterCombination", message)


def dry_run_ok() -> Ec2Error:
    return Ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)


def internal_error() -> Ec2Error:
    return Ec2Error(
        "InternalError", "An internal error has occurred. Please try again later.", 500
    )


def service_unavailable() -> Ec2Error:
    return Ec2Error(
        "ServiceUnavailable", "The service is unavailable. Please try again shortly.", 503
    )
