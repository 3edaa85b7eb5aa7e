"""Installing ec2emu as a user does, from a clean copy of the repository (the files git
tracks, as they are in the working tree): ``make serve`` installs only the runtime
dependencies and serves within a minute; the sdist and wheel that ``python -m build``
makes install into a fresh virtual environment and work there with nothing from the
repository — ``ec2emu --version``, ``ec2emu serve`` answering boto3, and the README's two
pytest examples (``ec2emu.mock()`` and the plugin's fixtures, the plugin loaded from its
entry point).

Both install from the package index as a user would (pip's cache makes repeats quick).
Without git or a ``.git`` there is no telling which files a clone holds, and the tests
are skipped, saying so."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import boto3
import pytest

from ec2emu import __version__
from tests.conftest import NO_RETRY, free_port
from tests.helpers import launch, states

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
EXPORT = re.compile(r"^export AWS_ENDPOINT_URL_EC2=(http://\S+)$", re.MULTILINE)


def name_of(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503)."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0]).lower()


RUNTIME = {name_of(r) for r in PROJECT["dependencies"]}
TEST_ONLY = {name_of(r) for r in PROJECT["optional-dependencies"]["test"]} - RUNTIME


def user_env(**extra: str) -> dict[str, str]:
    """A user's shell: nothing of this test run's Python, make, pytest, AWS or ec2emu."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
           and not k.startswith(("EC2EMU_", "AWS_", "PYTEST_"))}
    env.update(extra)
    return env


def run(*args: str | Path, cwd: Path, timeout: float = 300, **env: str) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=user_env(**env), capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def clean_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a clone of the repository holds: the tracked files, as they are now."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("git and a .git are needed to know which files a clone holds")
    listed = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    clone = tmp_path_factory.mktemp("clone") / "ec2emu"
    for name in filter(None, listed.split(b"\0")):
        source = ROOT / os.fsdecode(name)
        if source.is_file() and not source.is_symlink():
            target = clone / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return clone


def wait_for_endpoint(proc: subprocess.Popen[bytes], output: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while not (match := EXPORT.search(output.read_text(errors="replace"))):
        assert proc.poll() is None, output.read_text(errors="replace")
        assert time.monotonic() < deadline, f"not serving after {timeout} s:\n{output.read_text(errors='replace')}"
        time.sleep(0.1)
    return match.group(1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End the process group the test started (make and the server under it)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def installed(python: Path, cwd: Path) -> set[str]:
    listing = run(python, "-c", "import importlib.metadata as m\n"
                                "print('\\n'.join(d.metadata['Name'] for d in m.distributions()))", cwd=cwd)
    return {name_of(line) for line in listing.split()}


def boto3_round_trip(endpoint: str) -> None:
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test",
                       aws_secret_access_key="test", config=NO_RETRY)
    [instance] = launch(ec2)
    assert states(ec2, [instance]) == {instance: "pending"}


def test_make_serve_from_a_clean_clone_installs_only_the_runtime(clean_clone: Path, tmp_path: Path) -> None:
    output = tmp_path / "make-serve.out"
    env = user_env(EC2EMU_PORT=str(free_port()), EC2EMU_STATE_DIR=str(tmp_path / "state"))
    started = time.monotonic()
    with open(output, "wb") as out:
        proc = subprocess.Popen(["make", "serve"], cwd=clean_clone, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        endpoint = wait_for_endpoint(proc, output, timeout=300)
        elapsed = time.monotonic() - started
        print(f"make serve: serving after {elapsed:.1f} s")
        assert elapsed < 60, f"make serve took {elapsed:.1f} s to serve"
        boto3_round_trip(endpoint)
        present = installed(clean_clone / ".venv" / "bin" / "python", tmp_path)
        assert RUNTIME | {"ec2emu"} <= present
        assert not present & TEST_ONLY, f"make serve installed test dependencies: {sorted(present & TEST_ONLY)}"
    finally:
        stop(proc)


USER_TESTS = ("test_in_process.py", "test_with_fixtures.py")


def test_the_wheel_and_sdist_work_outside_the_repository(clean_clone: Path, tmp_path: Path) -> None:
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    run(sys.executable, "-m", "build", "--outdir", dist, clean_clone, cwd=tmp_path, timeout=600)
    [wheel], [sdist] = dist.glob("*.whl"), dist.glob("*.tar.gz")

    # Every file of the package is in the wheel: modules, migrations, data.
    package = clean_clone / "src"
    files = {p.relative_to(package).as_posix() for p in (package / "ec2emu").rglob("*") if p.is_file()}
    with zipfile.ZipFile(wheel) as archive:
        assert files <= set(archive.namelist()), sorted(files - set(archive.namelist()))

    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python, bin_dir = venv / "bin" / "python", venv / "bin"
    users_pins = [r for r in PROJECT["optional-dependencies"]["test"] if name_of(r) in ("boto3", "pytest")]
    run(python, "-m", "pip", "install", "--quiet", wheel, *users_pins, cwd=tmp_path, timeout=600)
    assert not installed(python, elsewhere) & (TEST_ONLY - {"boto3", "pytest"})

    def check_the_install() -> None:
        location = run(python, "-c", "import ec2emu; print(ec2emu.__file__)", cwd=elsewhere).strip()
        assert Path(location).is_relative_to(venv), location
        assert run(bin_dir / "ec2emu", "--version", cwd=elsewhere).strip() == f"ec2emu, version {__version__}"

    check_the_install()
    output = elsewhere / "serve.out"
    with open(output, "wb") as out:
        server = subprocess.Popen([str(bin_dir / "ec2emu"), "serve", "--port", "0"], cwd=elsewhere,
                                  env=user_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        boto3_round_trip(wait_for_endpoint(server, output, timeout=60))
    finally:
        stop(server)
    assert (elsewhere / ".ec2emu" / "ec2emu.db").is_file()  # migrated from the installed package

    for name in USER_TESTS:
        shutil.copy(clean_clone / "examples" / name, elsewhere / name)
    result = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *USER_TESTS, cwd=elsewhere)
    assert re.search(r"\b6 passed\b", result), result

    # The sdist builds and installs in the wheel's place.
    run(python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", sdist, cwd=tmp_path,
        timeout=600)
    check_the_install()
    result = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", USER_TESTS[0], cwd=elsewhere)
    assert re.search(r"\b3 passed\b", result), result
