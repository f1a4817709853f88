"""The code type-checks under mypy --strict with the package as users import it.

The folders are not named after the import (``graph/`` is ``claimgraph``, ``server/`` is
``claimgraph.server``), and mypy cannot follow setuptools' editable finder: run on the folders,
it reads every ``from claimgraph...`` import as ``Any``, so the server's use of the library went
unchecked. Here mypy reads a tree of links laid out as the import names."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _link_tree(root: Path) -> None:
    """``root/claimgraph/...``: one link per module and subpackage, as pyproject maps them."""
    setup = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    package = root / "claimgraph"
    package.mkdir()
    for entry in (REPO / "graph").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for name, folder in setup["package-dir"].items():
        if name.count(".") == 1 and any((REPO / folder).glob("*.py")):
            (package / name.split(".")[1]).symlink_to(REPO / folder)


def test_mypy_strict_passes_with_the_package_resolved(tmp_path: Path) -> None:
    _link_tree(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "-p",
            "claimgraph",
        ],
        cwd=tmp_path,
        env={"MYPYPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues found" in result.stdout
