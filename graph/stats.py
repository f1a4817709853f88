"""Counts that describe a store at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .namespaces import BATCH, compact
from .store import Store


@dataclass(frozen=True)
class Stats:
    """How much is in a store: quads, batches, and instances per class."""

    quads: int
    batches: int
    graphs: int
    by_class: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "quads": self.quads, "batches": self.batches, "graphs": self.graphs,
            "by_class": self.by_class,
        }


def store_stats(store: Store) -> Stats:
    """Count quads, batches and instances of every class used.

    >>> from claimgraph.store import open_store
    >>> store_stats(open_store(":memory:")).quads
    0
    """
    graphs = store.graphs()
    rows = store.query(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } "
        "GROUP BY ?class ORDER BY DESC(?n) ?class"
    )
    assert isinstance(rows, ox.QuerySolutions)
    by_class = {compact(r["class"].value): int(r["n"].value) for r in rows}
    return Stats(
        quads=len(store),
        batches=sum(1 for g in graphs if g.startswith(BATCH)),
        graphs=len(graphs),
        by_class=by_class,
    )


