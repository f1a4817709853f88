"""Reading which claimgraph modules a module imports, from source (for the layout tests)."""

from __future__ import annotations

import ast
import importlib.util
from collections import deque
from pathlib import Path


def imports_of(module: str) -> set[str]:
    """Every module ``module``'s own import statements name, read from its source (imports
    inside functions and under TYPE_CHECKING included)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin, module
    path = Path(spec.origin)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            named |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            named.add(base)
            for alias in node.names:  # ``from . import x`` can name a module
                try:
                    if importlib.util.find_spec(f"{base}.{alias.name}") is not None:
                        named.add(f"{base}.{alias.name}")
                except ModuleNotFoundError:
                    pass  # a name defined in ``base``, not a module
    return named


def claimgraph_imports(module: str) -> set[str]:
    """The claimgraph modules among :func:`imports_of`."""
    return {m for m in imports_of(module) if m == "claimgraph" or m.startswith("claimgraph.")}


def reaches(module: str) -> set[str]:
    """Every claimgraph module ``module`` imports, directly or through others (the packages
    Python loads first, such as ``claimgraph/__init__``, count only where they are named)."""
    seen: set[str] = set()
    todo = deque([module])
    while todo:
        for imported in claimgraph_imports(todo.popleft()) - seen:
            seen.add(imported)
            todo.append(imported)
    return seen
