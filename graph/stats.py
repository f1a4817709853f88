"""Counts that describe a store at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .batches import known_batches
from .rdf import CG, compact
from .store import Store
from .vocabulary import superclasses


@dataclass(frozen=True)
class Stats:
    """How much is in a store: quads, batches, and instances per class."""

    quads: int
    batches: int
    graphs: int
    by_class: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "quads": self.quads,
            "batches": self.batches,
            "graphs": self.graphs,
            "by_class": self.by_class,
        }


def store_stats(store: Store) -> Stats:
    """Count quads, batches (every batch the metadata graph describes:
    :func:`claimgraph.batches.known_batches`, whatever its graphs are named) and instances of
    every class used, leaving out the classes of aligned vocabularies that ingest adds above
    ``cg:`` ones (``prov:Entity``, ``foaf:Agent``): they would repeat the ``cg:`` counts under
    other names.

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
    aligned = {
        sup
        for cls, sups in superclasses().items()
        if cls.startswith(CG)
        for sup in sups
        if not sup.startswith(CG)
    }
    by_class = {
        compact(r["class"].value): int(r["n"].value)
        for r in rows
        if r["class"].value not in aligned
    }
    return Stats(
        quads=len(store),
        batches=len(known_batches(store)),
        graphs=len(graphs),
        by_class=by_class,
    )
