"""The code reads one way: ruff's lint and format, as configured in pyproject.toml, pass on
every Python file of the project (the pre-commit hooks run the same checks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ["graph", "server", "tests", "bench", "scripts", "queries", "ontology", "shapes"]
RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_passes(command: list[str]) -> None:
    result = subprocess.run(
        [str(RUFF), *command, *FOLDERS], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
