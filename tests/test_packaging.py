"""Source-level rules of the package layout."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BARE = re.compile(r"^\s*(from|import)\s+(graph|server)(\.|\s|$)", re.MULTILINE)


def test_no_code_imports_the_source_folders_by_their_folder_names() -> None:
    offenders = [
        str(p.relative_to(REPO))
        for folder in ("graph", "server", "tests", "bench", "scripts")
        for p in (REPO / folder).rglob("*.py")
        if BARE.search(p.read_text("utf-8"))
    ]
    assert offenders == [], "import claimgraph / claimgraph.server instead"


def test_library_never_imports_the_server() -> None:
    offenders = [
        str(p.relative_to(REPO))
        for p in (REPO / "graph").rglob("*.py")
        if re.search(
            r"^\s*(from|import)\s+(claimgraph\.server|flask)\b", p.read_text("utf-8"), re.MULTILINE
        )
    ]
    assert offenders == []


def test_the_default_store_of_scripts_run_was_not_ignored_by_git() -> None:
    """``scripts/run serve`` keeps its store in the checkout (``.claimgraph/store``), and
    ``git status`` listed the store's files as new: it must be in .gitignore."""
    import subprocess

    default = re.search(
        r"^STORE=\$\{CLAIMGRAPH_STORE:-([^}]+)\}$", (REPO / "scripts" / "run").read_text(), re.M
    )
    assert default is not None, "scripts/run no longer names its default store"
    for path in (default.group(1), default.group(1) + "/CURRENT"):
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=REPO)
        assert ignored.returncode == 0, f"{path} is not in .gitignore"
