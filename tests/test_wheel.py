"""The wheel built from the repository works installed elsewhere, with no checkout around."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        cwd=out,
    )
    (found,) = out.glob("claimgraph-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel and its dependencies."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        cwd=env_dir,
    )
    return env_dir


def test_wheel_installs_only_the_claimgraph_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {
        "claimgraph",
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    }
    for data in [
        "claimgraph/ontology/claimgraph.ttl",
        "claimgraph/ontology/cameo.ttl",
        "claimgraph/context.jsonld",
        "claimgraph/seed/istanbul-talks.yaml",
        "claimgraph/seed/article.yaml",
        "claimgraph/py.typed",
        "claimgraph/cli/__init__.py",
        "claimgraph/server/cli.py",
    ]:
        assert data in names
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[claimgraph.commands]\nserve = claimgraph.server.cli:serve" in text
    assert any(n.startswith("claimgraph/shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("claimgraph/queries/") and n.endswith(".rq") for n in names)
    assert any(n.startswith("claimgraph/server/") for n in names)


def run(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(cwd)
    return subprocess.run(
        [str(installed / "bin" / "claimgraph"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_installed_cli_ingests_the_seed_and_counts(installed: Path, tmp_path: Path) -> None:
    store = tmp_path / "S"
    r = run(installed, tmp_path, "--store", str(store), "ingest", "--seed")
    assert r.returncode == 0, r.stderr
    r = run(
        installed,
        tmp_path,
        "--store",
        str(store),
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "n"
    assert int(lines[-1]) > 1000


def test_installed_package_has_no_bare_modules(installed: Path, tmp_path: Path) -> None:
    code = (
        "import importlib.util, claimgraph, claimgraph.server;"
        "print(importlib.util.find_spec('graph'), importlib.util.find_spec('server'))"
    )
    r = subprocess.run(
        [str(installed / "bin" / "python"), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "None None"


def test_installed_cli_lists_saved_queries(installed: Path, tmp_path: Path) -> None:
    r = run(installed, tmp_path, "query", "--list")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) >= 14


def test_installed_cli_serves_through_the_entry_point(installed: Path, tmp_path: Path) -> None:
    """``serve`` reaches the installed command line through the ``claimgraph.commands``
    entry point, with its options generated from the settings table."""
    r = run(installed, tmp_path, "serve", "--help")
    assert r.returncode == 0, r.stderr
    for text in ("--port", "--unvalidated-writes", "CLAIMGRAPH_TIMEOUT"):
        assert text in r.stdout
    r = run(installed, tmp_path, "--help")
    assert r.returncode == 0, r.stderr
    assert "  serve " in r.stdout
