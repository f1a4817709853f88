"""Generated data for tests: N-Triples in the seed's shape from the benchmarks' generator
(``bench/synthetic.py``), at any size."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


@cache
def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_text(triples: int, seed: int, *, fresh: str = "") -> str:
    """About ``triples`` valid triples as N-Triples; ``fresh`` prefixes every IRI's local
    name and blank node label, so that files made with different prefixes share nothing."""
    text = "".join(_generator().generate(triples, seed=seed))
    if fresh:
        text = text.replace("/id/", f"/id/{fresh}-").replace("_:", f"_:{fresh}")
    return text


@cache
def _copier() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_queries", REPO / "bench" / "bench_queries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_copies(copies: int, group: int = 5) -> list[object]:
    """The quads of ``copies`` copies of the seed, each another article about another round
    of talks in its own batch graph, rounds chained ``group`` at a time (the saved-query
    benchmark's data, ``bench/bench_queries.py``): every saved query finds rows in them."""
    return list(_copier().copies(copies, group))
