"""The AWS CLI version 2 (Debian's ``awscli`` package) against a real server, run from its
own path (``/usr/bin/aws``) so that it never mixes with the version 1 in ``.venv``:
``examples/aws_cli_v2.sh`` (shown in the README) with ``--endpoint-url``, its waiters and
``--query``; what a failed call prints and exits with (254 in version 2, where version 1
exits 255). Without ``/usr/bin/aws`` (``.ci/run`` installs it) the tests are skipped,
saying so; each records the CLI's ``--version`` line for the run's summary."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import advance, client_env
from tests.conftest import CLIENT_VERSION, ServerProcess
from tests.helpers import states

ROOT = Path(__file__).resolve().parents[2]
AWS_V2 = Path("/usr/bin/aws")

pytestmark = pytest.mark.skipif(not AWS_V2.exists(),
                                reason="the AWS CLI v2 is not installed: apt-get install awscli (/usr/bin/aws)")


def v2_env(home: Path, endpoint: str) -> dict[str, str]:
    """A user's environment whose ``aws`` is version 2 (``home/bin/aws``, first on PATH),
    with nothing that would point its Python at other packages."""
    env = client_env(home, endpoint)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    env["PATH"] = f"{home / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture
def v2(tmp_path: Path, record_property: pytest.RecordProperty) -> Path:
    """The home of a user whose ``aws`` is version 2; records its version."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "aws").symlink_to(AWS_V2)
    result = subprocess.run(["aws", "--version"], capture_output=True, text=True, timeout=60,
                            env=v2_env(tmp_path, "http://127.0.0.1:1"))
    version = result.stdout.strip()
    print(version)
    assert result.returncode == 0 and version.startswith("aws-cli/2."), result.stderr
    record_property(CLIENT_VERSION, version)
    return tmp_path


def aws(home: Path, endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``aws ARGS --endpoint-url ENDPOINT`` as that user."""
    return subprocess.run(["aws", *args, "--endpoint-url", endpoint], capture_output=True, text=True, timeout=60,
                          env=v2_env(home, endpoint))


def test_the_readme_script(v2: Path, instant_server: ServerProcess) -> None:
    """Launch with termination protection, wait until running, the refused terminate (its
    message and exit status), then unprotect, terminate and wait: the CLI's waiters poll
    every 15 seconds, so the server's transitions take no time."""
    result = subprocess.run(["bash", str(ROOT / "examples" / "aws_cli_v2.sh")], capture_output=True, text=True,
                            timeout=120, env=v2_env(v2, instant_server.endpoint))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    instance = lines[-1].split()[0]
    assert lines == [f"{instance}\trunning\tus-east-1a", "terminate-instances exited 254", "shutting-down",
                     f"{instance} terminated"]
    assert result.stderr.strip() == (
        "An error occurred (OperationNotPermitted) when calling the TerminateInstances operation: "
        f"The instance '{instance}' may not be terminated. Modify its 'disableApiTermination' "
        "instance attribute and try again."
    )
    assert states(instant_server.client(), [instance]) == {instance: "terminated"}


def test_errors_exit_254_with_the_message_on_stderr(v2: Path, server: ServerProcess) -> None:
    result = aws(v2, server.endpoint, "ec2", "terminate-instances", "--instance-ids", "i-0123456789abcdef0")
    assert (result.returncode, result.stdout) == (254, "")
    assert result.stderr.strip() == (
        "An error occurred (InvalidInstanceID.NotFound) when calling the TerminateInstances operation: "
        "The instance ID 'i-0123456789abcdef0' does not exist"
    )
    result = aws(v2, server.endpoint, "ec2", "describe-instances", "--instance-ids", "i-123")
    assert result.returncode == 254 and "(InvalidInstanceID.Malformed)" in result.stderr


def test_query_and_waiter_on_a_moving_clock(v2: Path, server: ServerProcess) -> None:
    """Two tagged instances, a ``--filters`` and ``--query`` projection while pending, the
    clock moved, then ``wait instance-running`` and the projection again."""
    image = aws(v2, server.endpoint, "ec2", "describe-images", "--owners", "amazon", "--filters",
                "Name=name,Values=al2023-ami-2023.*-x86_64", "--query", "Images[0].ImageId", "--output", "text")
    assert image.returncode == 0, image.stderr
    launched = aws(v2, server.endpoint, "ec2", "run-instances", "--image-id", image.stdout.strip(), "--count", "2",
                   "--placement", "AvailabilityZone=us-east-1b",
                   "--tag-specifications", "ResourceType=instance,Tags=[{Key=team,Value=a}]",
                   "--query", "Instances[].InstanceId", "--output", "text")
    assert launched.returncode == 0, launched.stderr
    ids = sorted(launched.stdout.split())
    query = ["ec2", "describe-instances", "--filters", "Name=tag:team,Values=a",
             "--query", "sort_by(Reservations[].Instances[], &InstanceId)[].[InstanceId,State.Name,"
                        "Placement.AvailabilityZone]", "--output", "text"]
    pending = aws(v2, server.endpoint, *query)
    assert pending.stdout.strip().splitlines() == [f"{i}\tpending\tus-east-1b" for i in ids]
    advance(server.endpoint, 60)
    waited = aws(v2, server.endpoint, "ec2", "wait", "instance-running", "--instance-ids", *ids)
    assert waited.returncode == 0, waited.stderr
    assert aws(v2, server.endpoint, *query).stdout.strip().splitlines() == [f"{i}\trunning\tus-east-1b" for i in ids]
