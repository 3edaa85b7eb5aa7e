"""The AWS SDK for Go v2 (Debian's ``golang-github-aws-aws-sdk-go-v2-dev``, built with
Debian's ``golang-go`` in GOPATH mode: nothing is downloaded) against a real server: the
reference page's A/B/C/D example in ``tests/clients/go/terminate_abcd.go`` (shown in the
README), launched into a new security group with a new key pair, with the SDK's
``InstanceRunning`` waiter, ``OperationNotPermitted`` read through smithy's ``APIError``
and the HTTP response error, and the ``InstanceTerminated`` waiter.

The build goes through Go's own build cache (``GOCACHE``, by default under the user's
cache directory), so only the first build on a machine compiles the SDK (about 40 s on
two cores); later ones take about a second. Without the Go toolchain or the SDK's
package (``.ci/run`` installs both) the test is skipped, saying so. The program's first
line, the SDK's and Go's versions, is recorded for the run's summary."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import client_env
from tests.conftest import CLIENT_VERSION, ServerProcess
from tests.helpers import states

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ROOT / "tests" / "clients" / "go" / "terminate_abcd.go"
GOCODE = Path("/usr/share/gocode")
GO = shutil.which("go") or ("/usr/lib/go/bin/go" if Path("/usr/lib/go/bin/go").exists() else None)
SDK = GOCODE / "src" / "github.com" / "aws" / "aws-sdk-go-v2" / "service" / "ec2"

pytestmark = [
    pytest.mark.skipif(GO is None, reason="the Go toolchain is not installed: apt-get install golang-go"),
    pytest.mark.skipif(not SDK.is_dir(), reason="the AWS SDK for Go v2 is not installed: "
                                                "apt-get install golang-github-aws-aws-sdk-go-v2-dev"),
]


def go_env() -> dict[str, str]:
    """GOPATH mode over Debian's packaged Go sources; the build cache is Go's default one,
    or one under the repository's ignored ``.ec2emu/`` where Go has no home to put it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "CGO"))}
    env.update(GO111MODULE="off", GOPATH=str(GOCODE), GOFLAGS="", GOTOOLCHAIN="local")
    if "GOCACHE" in os.environ:
        env["GOCACHE"] = os.environ["GOCACHE"]
    elif not (os.environ.get("HOME") or os.environ.get("XDG_CACHE_HOME")):
        env["GOCACHE"] = str(ROOT / ".ec2emu" / "go-build")
    return env


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    binary = tmp_path_factory.mktemp("go") / "terminate_abcd"
    assert GO is not None
    result = subprocess.run([GO, "build", "-o", str(binary), PROGRAM.name], cwd=PROGRAM.parent, env=go_env(),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return binary


def test_reference_example_with_the_go_sdk(program: Path, fast_server: ServerProcess, tmp_path: Path,
                                           record_property: pytest.RecordProperty) -> None:
    result = subprocess.run([str(program)], env=client_env(tmp_path, fast_server.endpoint), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    version, *launched_lines, error, a, b, c, d = result.stdout.strip().splitlines()
    print(version)
    assert version.startswith("aws-sdk-go-v2/") and " go1." in version
    record_property(CLIENT_VERSION, version)

    ids = {line.split()[0]: line.split()[1] for line in (a, b, c, d)}
    assert sorted(ids) == ["A", "B", "C", "D"]
    assert error == (
        f"TerminateInstances: OperationNotPermitted (HTTP 400): The instance '{ids['C']}' may not be "
        "terminated. Modify its 'disableApiTermination' instance attribute and try again."
    )
    assert {line.split()[0]: line.split()[2] for line in (a, b, c, d)} == {
        "A": "terminated", "B": "terminated", "C": "running", "D": "running",
    }

    # Every instance was launched into the program's security group with its key pair.
    ec2 = fast_server.client()
    [group] = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["abcd-*"]}])["SecurityGroups"]
    [key] = ec2.describe_key_pairs()["KeyPairs"]
    assert sorted(launched_lines) == sorted(
        f"launched {i} in {group['GroupId']} with key {key['KeyName']}" for i in ids.values()
    )
    assert key["KeyName"] == group["GroupName"]
    described = ec2.describe_instances(InstanceIds=[ids["C"], ids["D"]])["Reservations"]
    assert {(i["KeyName"], i["SecurityGroups"][0]["GroupId"]) for r in described for i in r["Instances"]} == {
        (key["KeyName"], group["GroupId"])
    }
    # The server agrees with what the SDK's waiters reported.
    assert states(ec2, list(ids.values())) == {
        ids["A"]: "terminated", ids["B"]: "terminated", ids["C"]: "running", ids["D"]: "running",
    }
