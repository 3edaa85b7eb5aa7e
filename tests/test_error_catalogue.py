"""The error catalogues: every code they hold has a source, each code is spelled in one row,
and no other module spells a code.

The catalogues are ``ec2emu/errors.py`` (the protocol's errors and those of no one service),
``ec2emu/auth/errors.py`` (signatures, credentials, the policy language),
``ec2emu/services/<service>/errors.py`` and ``ec2emu/services/ec2/networking/errors.py``
(VPCs and subnets). A code's source is one of:

- AWS's published list for the service: for EC2, the API Reference's "Error codes for the
  Amazon EC2 API", kept as data in ``services/ec2/published_errors.txt`` (it cannot be
  fetched while testing);
- the service's error shapes in botocore's model (IAM, STS, EventBridge, SSM, CloudTrail);
- an observation cited in a fact sheet under ``shared/reference/`` (:data:`OBSERVED`).

A code is checked against the sources of the catalogue that first holds it (shared and auth
codes against every service's sources). The codes that have none are listed in
:data:`UNSOURCED`, on purpose and exactly.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import botocore.session
import pytest

from ec2emu.errors import ErrorSpec

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "ec2emu"
REFERENCE = ROOT.parent / "shared" / "reference"

# Catalogue module -> the services whose sources may vouch for its codes (in the order a
# code is first looked for: shared and auth rows are everybody's).
CATALOGUES: dict[str, tuple[str, ...]] = {
    # The protocols' errors: those of the JSON protocols are vouched for by EventBridge, the
    # first JSON service.
    "ec2emu.errors": ("ec2", "iam", "sts", "events"),
    "ec2emu.auth.errors": ("ec2", "iam", "sts"),
    "ec2emu.services.ec2.errors": ("ec2",),
    "ec2emu.services.ec2.networking.errors": ("ec2",),
    "ec2emu.services.ec2.networking.routing_errors": ("ec2",),
    "ec2emu.services.ec2.profile_errors": ("ec2",),
    "ec2emu.services.ec2.instances.option_errors": ("ec2",),
    "ec2emu.services.ec2.ebs_errors": ("ec2",),
    "ec2emu.services.ec2.networking.address_errors": ("ec2",),
    "ec2emu.services.ec2.networking.interface_errors": ("ec2",),
    "ec2emu.services.ec2.launch_templates.errors": ("ec2",),
    "ec2emu.services.ec2.images.errors": ("ec2",),
    "ec2emu.services.iam.errors": ("iam",),
    "ec2emu.services.sts.errors": ("sts",),
    "ec2emu.services.ssm.errors": ("ssm",),
    "ec2emu.services.events.errors": ("events",),
    "ec2emu.services.cloudtrail.errors": ("cloudtrail",),
}

# Codes observed from real AWS and cited in a fact sheet: (code, service, fact sheet, section).
OBSERVED: list[tuple[str, str, str, str]] = [
    ("InvalidInstanceID.NotFound", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("InvalidInstanceID.Malformed", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("IncorrectInstanceState", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("UnsupportedOperation", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("VolumeModificationRateExceeded", "ec2", "networking-facts.md", "7.4 ModifyVolume"),
    ("OperationNotPermitted", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("UnsupportedHibernationConfiguration", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("InvalidParameterCombination", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("InvalidParameterValue", "ec2", "ec2-facts.md", "C.2 Validation errors"),
    ("MissingParameter", "ec2", "ec2-facts.md", "B.4 Error behaviour"),
    ("AuthFailure", "ec2", "ec2-facts.md", "B.4 Error behaviour"),
    ("SignatureDoesNotMatch", "ec2", "ec2-facts.md", "B.4 Error behaviour"),
    ("RequestExpired", "ec2", "ec2-facts.md", "B.4 Error behaviour"),
    ("DryRunOperation", "ec2", "ec2-facts.md", "C.3 DryRun"),
    ("UnauthorizedOperation", "ec2", "ec2-facts.md", "C.3 DryRun"),
    ("InvalidGroup.NotFound", "ec2", "networking-facts.md", "3.2 CreateSecurityGroup"),
    ("InvalidGroupId.Malformed", "ec2", "networking-facts.md", "3.2 CreateSecurityGroup"),
    ("InvalidVpcID.NotFound", "ec2", "networking-facts.md", "9. Filters"),
    ("InvalidSubnetID.NotFound", "ec2", "networking-facts.md", "9. Filters"),
    ("InvalidVpc.Range", "ec2", "networking-facts.md", "1.1 CIDR rules"),
    ("FilterLimitExceeded", "ec2", "networking-facts.md", "9. Filters"),
    ("ValidationException", "events", "wave2-facts.md", "C.1 Wire"),
]

# Codes the emulator answers that none of the sources above lists. AWS's generic "Common
# Errors" pages name only neighbours of them (RequestEntityTooLargeException,
# AccessDeniedException, ExpiredTokenException); no citation is claimed for these.
UNSOURCED = {
    "RequestEntityTooLarge",  # the HTTP layer's answer to a body over the size limit (413)
    # The HTTP layer's answer to a request that does not arrive in time: S3's code for
    # the same case, which botocore retries as transient (ec2emu.connections).
    "RequestTimeout",
    "AccessDenied",  # IAM's and STS's denial of a policy decision (403)
    "ExpiredToken",  # IAM's and STS's answer to expired temporary credentials (403)
    # The JSON protocols' answers to a body they cannot read and to an operation they do
    # not have. No fact sheet cites them and no botocore model lists them; Smithy's
    # published malformed-request cases for restJson1 expect SerializationException, and
    # public issue threads quote UnknownOperationException from CloudWatch Logs.
    "SerializationException",
    "UnknownOperationException",
    # EC2's answers to a security-group rule ID that is malformed or unknown (what real EC2
    # returns; the published list has no rule-ID codes).
    "InvalidSecurityGroupRuleId.Malformed",
    "InvalidSecurityGroupRuleId.NotFound",
    # The JSON services' answers to a missing, unknown, wrong or expired signature or
    # credential: no botocore model lists them (they are the protocol's, not a service's);
    # public issue threads quote them from SSM, DynamoDB, Kinesis, Cognito and CloudWatch
    # Logs (aws/aws-sdk-js#254, boto/botocore#1775, aws/aws-sdk-php#2444).
    "MissingAuthenticationTokenException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "IncompleteSignatureException",
}

_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?")


def published_ec2_codes() -> set[str]:
    text = (SRC / "services" / "ec2" / "published_errors.txt").read_text()
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def model_codes(service: str) -> set[str]:
    model = botocore.session.get_session().get_service_model(service)
    return {shape.metadata.get("error", {}).get("code") or shape.name for shape in model.error_shapes}


def sources() -> dict[str, set[str]]:
    found = {"ec2": published_ec2_codes(), "iam": model_codes("iam"), "sts": model_codes("sts"),
             "events": model_codes("events"), "ssm": model_codes("ssm"), "cloudtrail": model_codes("cloudtrail")}
    for code, service, _, _ in OBSERVED:
        found[service].add(code)
    return found


def specs(module: ModuleType) -> list[ErrorSpec]:
    return [value for value in vars(module).values() if isinstance(value, ErrorSpec)]


def owned_codes() -> dict[str, set[str]]:
    """Catalogue -> the codes it is the first to hold."""
    seen: set[str] = set()
    owned: dict[str, set[str]] = {}
    for name in CATALOGUES:
        codes = {spec.code for spec in specs(importlib.import_module(name))}
        owned[name] = codes - seen
        seen |= codes
    return owned


def catalogue_paths() -> set[Path]:
    return {SRC.joinpath(*name.split(".")[1:]).with_suffix(".py") for name in CATALOGUES}


def test_the_published_ec2_list_is_codes_only() -> None:
    lines = [line.strip() for line in (SRC / "services" / "ec2" / "published_errors.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) > 300
    assert [line for line in lines if not _CODE.fullmatch(line)] == []
    assert [code for code, count in Counter(lines).items() if count > 1] == []


def test_every_catalogue_has_rows_and_says_what_it_owns() -> None:
    for name in CATALOGUES:
        module = importlib.import_module(name)
        assert specs(module), name
        assert module.__doc__ and module.__doc__.strip(), name


def test_every_catalogued_code_has_a_source() -> None:
    known = sources()
    unsourced: set[str] = set()
    for name, codes in owned_codes().items():
        vouching = set().union(*(known[service] for service in CATALOGUES[name]))
        unsourced |= {f"{name}: {code}" for code in codes - vouching}
    assert {entry.split(": ")[1] for entry in unsourced} == UNSOURCED, sorted(unsourced)


def test_the_observed_codes_are_in_their_fact_sheet_sections() -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"no fact sheets at {REFERENCE}")
    missing = []
    for code, _, sheet, section in OBSERVED:
        lines = (REFERENCE / sheet).read_text().splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("#") and section in line)
        level = len(lines[start]) - len(lines[start].lstrip("#"))
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level),
                   len(lines))
        if code not in "\n".join(lines[start:end]):
            missing.append((code, sheet, section))
    assert missing == []


def _error_spec_rows(path: Path) -> list[str]:
    """The codes spelled as the first argument of ``ErrorSpec(...)`` in one module."""
    tree = ast.parse(path.read_text())
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _called(node) == "ErrorSpec"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def test_each_code_is_spelled_in_one_row() -> None:
    rows = [code for path in sorted(catalogue_paths()) for code in _error_spec_rows(path)]
    assert [code for code, count in Counter(rows).items() if count > 1] == []
    catalogued = {spec.code for name in CATALOGUES for spec in specs(importlib.import_module(name))}
    assert set(rows) == catalogued


def test_no_other_module_spells_an_error_code() -> None:
    """Outside the catalogues, ``Ec2Error(...)`` never gets its code as a string literal (a
    catalogued code or any other), and no module makes catalogue rows of its own."""
    catalogued = {spec.code for name in CATALOGUES for spec in specs(importlib.import_module(name))}
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        if path in catalogue_paths():
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            if name == "ErrorSpec":
                offences.append(f"{where}: a catalogue row outside the catalogues")
            elif name == "Ec2Error":
                first = node.args[0] if node.args else next(
                    (keyword.value for keyword in node.keywords if keyword.arg == "code"), None)
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    kind = "catalogued code" if first.value in catalogued else "code"
                    offences.append(f"{where}: Ec2Error spells the {kind} {first.value!r}")
                elif isinstance(first, ast.JoinedStr):
                    offences.append(f"{where}: Ec2Error builds its code from an f-string")
    assert offences == []
