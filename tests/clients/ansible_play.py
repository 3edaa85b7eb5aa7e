"""Running a playbook of ``tests/clients/ansible/`` as a user would: the venv's
``ansible-playbook`` (its bundled ``amazon.aws`` collection, the venv's Python and boto3
for the modules), no user configuration, the server's endpoint as ``ec2emu_endpoint``,
one tagged half at a time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.clients.conftest import client_env
from tests.conftest import ServerProcess

PLAYBOOKS = Path(__file__).resolve().parent / "ansible"
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")


def play(server: ServerProcess, home: Path, playbook: str, tag: str, **extra_vars: str) -> tuple[int, str]:
    """Run the tasks of ``playbook`` tagged ``tag`` (with ``extra_vars`` as ``-e``);
    ``(tasks changed, its output)``. The run must succeed, with no task failed."""
    extra = [arg for name, value in extra_vars.items() for arg in ("-e", f"{name}={value}")]
    env = client_env(home, server.endpoint, LC_ALL="C.UTF-8", ANSIBLE_HOME=str(home / "ansible"),
                     ANSIBLE_LOCAL_TEMP=str(home / "ansible" / "tmp"), ANSIBLE_NOCOLOR="1",
                     ANSIBLE_CONFIG=str(home / "no-ansible.cfg"))
    result = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), str(PLAYBOOKS / playbook), "--tags", tag,
         "-e", f"ec2emu_endpoint={server.endpoint}", "-e", f"ansible_python_interpreter={sys.executable}", *extra],
        capture_output=True, text=True, timeout=120, env=env, cwd=home,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    recap = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", result.stdout)
    assert recap, result.stdout
    return int(recap.group(1)), result.stdout


def message(output: str, word: str) -> str:
    """What the playbook's ``debug`` task printed after ``word`` (``"msg": "word …"``)."""
    printed = re.search(rf'"msg": "{word} ([^"]*)"', output)
    assert printed, output
    return printed.group(1)
