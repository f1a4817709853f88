"""The data the compiled shapes run on: an in-memory pyoxigraph store that holds what is
validated, its context and the ontology's facts, each in its own graph, and the marks
(:data:`~claimgraph.validation.compiled.MARKS`) the engine works out before it runs the
checks.  Queries read the union of the graphs.

Three ways to fill one, and the nodes each validates (its *own* nodes):

- :meth:`ValidationData.for_batch`: a batch and its context (from
  :func:`~claimgraph.validation.context_for`): the batch's subjects and blank nodes;
- :meth:`ValidationData.for_store`: a copy of every batch graph of a store: every node;
- :meth:`ValidationData.staged`: a store already filled by a bulk load (its batch in
  :data:`BATCH_GRAPH`), to which a context is then added: the batch's nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import pyoxigraph as ox

from ..rdf import META_GRAPH, RDF, RDFS, XSD
from ..store import Store
from ..store.interface import Term
from .compiled import IS, MARKS, OWN, V, own_mark
from .report_graph import lead_in_order
from .shapes import ontology_facts
from .terms import to_rdflib

BATCH_GRAPH = ox.NamedNode(V + "batch")
"""Where a batch's own triples are kept."""
CONTEXT_GRAPH = ox.NamedNode(V + "context")
ONTOLOGY_GRAPH = ox.NamedNode(V + "ontology")
_MARKS = ox.NamedNode(MARKS)
_OWN = ox.NamedNode(OWN[1:-1])
_IS = ox.NamedNode(IS[1:-1])
_PRIVATE = frozenset({_MARKS, ONTOLOGY_GRAPH, CONTEXT_GRAPH})


class ValidationData:
    """An in-memory store of the data being validated, with its marks.

    >>> data = ValidationData.for_batch([], [])
    >>> data.own_count()
    0
    """

    def __init__(self, store: ox.Store, properties: frozenset[str] | None = None) -> None:
        self.store = store
        self.properties = properties
        """The properties the data uses (None when not listed): a check that needs one it
        does not use is not run (:attr:`~claimgraph.validation.compiled.Check.needs`)."""

    # ------------------------------------------------------------ filling

    @classmethod
    def for_batch(cls, batch: Iterable[ox.Triple], context: Iterable[ox.Triple]) -> ValidationData:
        """A batch with its context: the batch's subjects and blank nodes are its own."""
        store = ox.Store()
        quads = []
        own: dict[Any, None] = {}  # as _mark_own finds them, without a query
        for t in batch:
            if isinstance(t.object, ox.Triple) or isinstance(t.subject, ox.Triple):
                to_rdflib(t.subject if isinstance(t.subject, ox.Triple) else t.object)
            quads.append(ox.Quad(t.subject, t.predicate, t.object, BATCH_GRAPH))
            own[t.subject] = None
            if isinstance(t.object, ox.BlankNode):
                own[t.object] = None
        quads += [ox.Quad(t.subject, t.predicate, t.object, CONTEXT_GRAPH) for t in context]
        properties = {q.predicate for q in quads}
        quads += [ox.Quad(_OWN, _IS, n, _MARKS) for n in own]
        quads += _ontology_quads()
        store.extend(quads)
        return cls(store, frozenset(p.value for p in properties) | _ontology_properties())

    @classmethod
    def for_store(cls, source: Store) -> ValidationData:
        """Every batch graph of ``source`` (not the batch descriptions): every node is its
        own.  Blank nodes keep their ids."""
        store = ox.Store()
        meta = ox.NamedNode(META_GRAPH)
        with source.reading():
            store.bulk_extend(
                q for q in source.quads() if q.graph_name != meta and q.graph_name not in _PRIVATE
            )
        data = cls(store)
        data._mark_own("?g", f"FILTER(?g != <{META_GRAPH}>)")
        data._add_ontology()
        return data

    @classmethod
    def staged(cls, store: ox.Store, context: Iterable[ox.Triple]) -> ValidationData:
        """A store whose :data:`BATCH_GRAPH` holds a batch (loaded in bulk): the batch's
        nodes are its own, ``context`` is added beside it."""
        data = cls(store)
        data._mark_own(str(BATCH_GRAPH))
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, CONTEXT_GRAPH) for t in context)
        data._add_ontology()
        return data

    def _mark_own(self, graph: str, which_graphs: str = "") -> None:
        """Mark the subjects and blank nodes of ``graph`` (a graph or ``?g``, ``which_graphs``
        a FILTER on it) as own: each node found once, then marked (at 200k triples 1.5 s
        when the graph was a variable filtered to the batch's and every triple marked its
        node, 0.75 s now)."""
        self.store.update(
            f"INSERT {{ GRAPH <{MARKS}> {{ {own_mark('?n')} }} }} WHERE {{ SELECT DISTINCT ?n "
            f"WHERE {{ GRAPH {graph} {{ {{ ?n ?p ?o }} UNION {{ ?s ?p ?n FILTER(isBlank(?n)) }} }} "
            f"{which_graphs} }} }}"
        )

    def _add_ontology(self) -> None:
        self.store.extend(_ontology_quads())

    # ------------------------------------------------------------ reading

    def query(self, sparql: str) -> ox.QuerySolutions:
        """Run a SELECT on the union of the graphs."""
        result = self.store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return result

    def has_cycle(self, prop: str) -> bool:
        """Whether some node reaches itself through ``prop`` (a self-loop counts), over the
        union of the graphs: nodes no ``prop`` enters are taken away until none is left
        (Kahn's order), in one pass over the ``prop`` triples."""
        after: dict[Any, list[Any]] = {}
        entering: dict[Any, int] = {}
        for row in self.query(f"SELECT ?s ?o WHERE {{ ?s <{prop}> ?o }}"):
            s, o = row[0], row[1]
            after.setdefault(s, []).append(o)
            entering[o] = entering.get(o, 0) + 1
            entering.setdefault(s, 0)
        free = [n for n, k in entering.items() if k == 0]
        left = len(entering)
        while free:
            left -= 1
            for o in after.get(free.pop(), ()):
                entering[o] -= 1
                if entering[o] == 0:
                    free.append(o)
        return left > 0

    def update(self, sparql: str) -> None:
        self.store.update(sparql)

    def declares_classes(self) -> bool:
        """Whether the data (not the ontology) states ``rdfs:subClassOf``: the checks then
        read the subclass hierarchy from the data instead of the ontology's."""
        answer = self.store.query(
            f"ASK {{ GRAPH ?g {{ ?s <{RDFS}subClassOf> ?o }} "
            f"FILTER(?g != <{MARKS}> && ?g != {ONTOLOGY_GRAPH}) }}"
        )
        return bool(answer)

    def own_count(self) -> int:
        rows = self.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{MARKS}> {{ {own_mark('?x')} }} }}"
        )
        return int(next(iter(rows))["n"].value)

    def own_triples(self, narrow: str = "") -> Iterator[ox.Triple]:
        """The triples about own nodes (each once), ``narrow`` a FILTER on ``?s ?p ?o``."""
        rows = self.query(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH <{MARKS}> {{ {own_mark('?s')} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{MARKS}> && ?g != {ONTOLOGY_GRAPH}) {narrow} }}"
        )
        for row in rows:
            yield ox.Triple(row["s"], row["p"], row["o"])

    def about(self, node: ox.NamedNode | ox.BlankNode) -> list[tuple[ox.NamedNode, Any]]:
        """The properties and values of a node (each pair once), in a fixed order."""
        found = {
            (q.predicate, q.object)
            for q in self.store.quads_for_pattern(node, None, None, None)
            if q.graph_name != _MARKS
        }
        return sorted(found, key=lambda po: (po[0].value, str(po[1])))

    def pointing_at(self, node: ox.BlankNode) -> list[tuple[Any, ox.NamedNode]]:
        """The subjects and properties that lead to a node, in a fixed order."""
        found = {
            (q.subject, q.predicate)
            for q in self.store.quads_for_pattern(None, None, node, None)
            if q.graph_name != _MARKS
        }
        return sorted(found, key=lambda sp: lead_in_order((sp[0].value, sp[1].value)))

    # ------------------------------------------------------------ literals

    def typed_literals(self) -> list[ox.Literal]:
        """Every distinct literal with a datatype other than a string's."""
        rows = self.query(
            f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{MARKS}> "
            f"&& isLiteral(?o) && DATATYPE(?o) != <{XSD}string> "
            f"&& DATATYPE(?o) != <{RDF}langString>) }}"
        )
        return [row["o"] for row in rows]

    def replace_literals(self, changes: list[tuple[ox.Literal, ox.Literal]]) -> None:
        """Write each literal as its replacement, wherever it occurs."""
        for i in range(0, len(changes), 200):
            ops = [
                f"DELETE {{ GRAPH ?g {{ ?s ?p {old} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {new} }} }} "
                f"WHERE {{ GRAPH ?g {{ ?s ?p {old} }} }}"
                for old, new in changes[i : i + 200]
            ]
            self.store.update(" ;\n".join(ops))

    def mark(self, triples: Iterable[tuple[str, str, Term]]) -> None:
        """Add marks: (subject IRI, property IRI, value)."""
        self.store.extend(
            ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, _MARKS) for s, p, o in triples
        )


@cache
def _ontology_properties() -> frozenset[str]:
    return frozenset(q.predicate.value for q in _ontology_quads())


@cache
def _ontology_quads() -> tuple[ox.Quad, ...]:
    """The ontology's facts validation reads (subclasses, the types of its terms, the range
    of a property named as a value), in :data:`ONTOLOGY_GRAPH`."""
    facts = ontology_facts()
    triples = list(facts.subclass_triples)
    for found in facts.individual_types.values():
        triples += found
    return tuple(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples)
