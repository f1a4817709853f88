"""The examples in the library's docstrings are run, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import claimgraph
import claimgraph.server

MODULES = sorted(
    [m.name for m in pkgutil.walk_packages(claimgraph.__path__, "claimgraph.")]
    + ["claimgraph.server"]
    + [m.name for m in pkgutil.walk_packages(claimgraph.server.__path__, "claimgraph.server.")]
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert failed == 0, f"{failed} docstring example(s) of {name} failed (run doctest on it)"
