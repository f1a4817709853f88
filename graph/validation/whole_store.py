"""Re-validating everything in a store: every node of every batch graph, against the union of
the batch graphs and the ontology's facts."""

from __future__ import annotations

from ..errors import UsageError
from ..rdf import META_GRAPH
from ..store import Store
from .report import ValidationReport


def validate_store(store: Store, *, engine: str = "sparql") -> ValidationReport:
    """Re-validate everything in the store: every node of every batch graph is a focus node,
    and the data is the union of the batch graphs (not the batch descriptions) with the
    ontology's facts.  A node described in several batches is judged once, on all of them.

    ``engine`` ``sparql`` copies the batch graphs into memory and runs the compiled shapes
    there (:mod:`~claimgraph.validation.engine`); ``pyshacl`` runs pySHACL on the same union
    (the reference; slow).

    >>> from claimgraph.store import open_store
    >>> validate_store(open_store(":memory:")).summary()
    'conforms: 0 violations, 0 warnings, 0 infos'
    """
    if engine == "pyshacl":
        from .batch import validate_batch

        with store.reading():
            triples = [
                t for name in store.graphs() if name != META_GRAPH for t in store.triples(name)
            ]
        return validate_batch(triples, engine="pyshacl")
    from .batch import ENGINES
    from .dataset import ValidationData
    from .engine import validate_data

    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine {engine!r}; choose one of {ENGINES}")
    return validate_data(ValidationData.for_store(store))
