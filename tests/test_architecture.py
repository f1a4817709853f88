"""The layout keeps its promises (docs/architecture.md): the library never imports an edge,
and the architecture page names every package and module."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest
from imports import imports_of

import claimgraph

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
EDGES = ("claimgraph.server", "claimgraph.cli")
FORBIDDEN = (*EDGES, "flask", "click", "gunicorn")


def library_modules() -> list[str]:
    """Every module of the library: claimgraph, less the command line (the server is its own
    folder and package)."""
    found = ["claimgraph"] + [
        m.name for m in pkgutil.walk_packages(claimgraph.__path__, "claimgraph.")
    ]
    return sorted(m for m in found if not m.startswith(EDGES))


@pytest.mark.parametrize("module", library_modules())
def test_the_library_never_imports_an_edge(module: str) -> None:
    bad = sorted(
        m for m in imports_of(module) for f in FORBIDDEN if m == f or m.startswith(f + ".")
    )
    assert not bad, f"{module} imports {bad}: the library returns values; only the edges talk"


def test_the_edges_are_where_the_page_says() -> None:
    names = {m.name for m in pkgutil.walk_packages(claimgraph.__path__, "claimgraph.")}
    assert {"claimgraph.cli", "claimgraph.cli.group"} <= names
    assert "claimgraph.server" not in library_modules()


def test_the_architecture_page_names_every_package_and_module() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`(claimgraph(?:\.\w+)*)`", text))
    short = set(re.findall(r"`(\w+)`", text))
    missing = []
    for module in library_modules() + ["claimgraph.cli", "claimgraph.server"]:
        parts = module.split(".")
        if module in named or (len(parts) > 2 and parts[-1] in short):
            continue
        if len(parts) <= 2 and module not in named:
            missing.append(module)
    assert not missing, f"docs/architecture.md does not name {missing}"


def test_no_public_name_hides_a_module() -> None:
    # the bug: `from .export import export` in claimgraph/__init__ replaced the package
    # claimgraph.export by a function, and `claimgraph.saved_queries` stopped being a module
    import importlib
    import types

    for name in claimgraph.__all__:
        try:
            module = importlib.import_module(f"claimgraph.{name}")
        except ModuleNotFoundError:
            continue
        assert getattr(claimgraph, name) is module, f"claimgraph.{name} is not the module"
        assert isinstance(module, types.ModuleType)
    for info in pkgutil.iter_modules(claimgraph.__path__):
        value = getattr(claimgraph, info.name, None)
        assert value is None or isinstance(value, types.ModuleType), info.name
