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
