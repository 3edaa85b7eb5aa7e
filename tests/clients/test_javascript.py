"""The AWS SDK for JavaScript v3 (``@aws-sdk/client-ec2``, pinned by
``tests/clients/js/package-lock.json``) against a real server: the reference page's
A/B/C/D example in ``tests/clients/js/terminate_abcd.mjs`` (shown in the README), with
``waitUntilInstanceRunning``, the ``OperationNotPermitted`` error and
``waitUntilInstanceTerminated``.

``make test`` installs the packages with ``npm ci``; run directly, this test installs
them itself when they are missing. Without ``node`` and ``npm`` it is skipped, saying so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import client_env
from tests.conftest import CLIENT_VERSION, ServerProcess
from tests.helpers import states

JS = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node")
NPM = shutil.which("npm")

pytestmark = pytest.mark.skipif(NODE is None or NPM is None,
                                reason="node and npm are not installed: the JavaScript SDK test needs them")


@pytest.fixture(scope="module")
def js_packages() -> Path:
    installed = JS / "node_modules" / ".package-lock.json"
    lock = JS / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run([str(NPM), "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=300,
                       capture_output=True)
    return JS


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL"])
def test_reference_example_with_the_javascript_sdk(js_packages: Path, fast_server: ServerProcess,
                                                   tmp_path: Path, variable: str,
                                                   record_property: pytest.RecordProperty) -> None:
    sdk = json.loads((js_packages / "node_modules" / "@aws-sdk" / "client-ec2" / "package.json").read_text())
    node = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    print(f"@aws-sdk/client-ec2/{sdk['version']} node/{node}")
    record_property(CLIENT_VERSION, f"@aws-sdk/client-ec2/{sdk['version']} node/{node}")
    env = client_env(tmp_path, fast_server.endpoint)
    del env["AWS_ENDPOINT_URL_EC2"]
    env[variable] = fast_server.endpoint
    result = subprocess.run([str(NODE), "terminate_abcd.mjs"], cwd=js_packages, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.strip().splitlines()
    ids = {line.split()[0]: line.split()[1] for line in rest}
    assert sorted(ids) == ["A", "B", "C", "D"]
    assert first == (
        f"TerminateInstances: OperationNotPermitted (HTTP 400): The instance '{ids['C']}' may not be "
        "terminated. Modify its 'disableApiTermination' instance attribute and try again."
    )
    reported = {line.split()[0]: line.split()[2] for line in rest}
    assert reported == {"A": "terminated", "B": "terminated", "C": "running", "D": "running"}
    # The server agrees, through boto3.
    assert states(fast_server.client(), list(ids.values())) == {
        ids["A"]: "terminated", ids["B"]: "terminated", ids["C"]: "running", ids["D"]: "running",
    }
