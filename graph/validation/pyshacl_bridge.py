"""Running pySHACL on a batch: the data graph it walks, the working copy of the shapes it
runs, and the terms passed between pyoxigraph and rdflib.

The targets are resolved by the caller (:func:`~claimgraph.validation.batch.focus_nodes`) and
handed to pySHACL as ``sh:targetNode`` statements on a working copy of the shapes whose own
targets are taken out (pySHACL's ``focus_nodes=`` option drops blank nodes, and claim records
make every evidence span a blank node).  On that copy the property shapes of targeted node
shapes are hoisted to carry their parent's focus nodes themselves: same results, less pySHACL
overhead.  The data graph is an rdflib graph (pySHACL walks it for the core constraints)
mirrored into an in-memory pyoxigraph store that answers the SHACL-SPARQL constraints (pySHACL
would otherwise re-parse each query for every focus node with rdflib's slow parser); the
rdflib graph is read back from that store, so both hold the data as the store will hold it
(pyoxigraph writes typed literals in their canonical form: ``"01"^^xsd:integer`` as ``"1"``,
``"5"^^xsd:nonNegativeInteger`` as ``"5"^^xsd:integer``).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.query import Result
from rdflib.term import Identifier, Node

from .shapes import TARGET_PROPERTIES, load_shapes, shape_targets
from .terms import to_oxigraph, to_rdflib

_RdflibTriple = tuple[Node, Node, Node]

# ---------------------------------------------------------------- the data graph


class _OxigraphQueriedGraph(rdflib.Graph):
    """An rdflib graph whose SPARQL queries run on a pyoxigraph mirror of the same triples.

    pySHACL evaluates each SHACL-SPARQL constraint once per focus node with
    ``graph.query(text, initBindings={"this": node})``; rdflib would parse the text every time
    (~8 ms), oxigraph parses and answers it in well under a millisecond.
    """

    def __init__(self, mirror: ox.Store) -> None:
        super().__init__()
        self.mirror = mirror

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # noqa: N803 - rdflib's signature
        initBindings: Any = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if not isinstance(query_object, str):
            return super().query(
                query_object,
                processor,
                result,
                initNs,
                initBindings,
                use_store_provided,
                **kwargs,
            )
        prefixes = {str(k): str(v) for k, v in (initNs or {}).items()}
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(str(name)): to_oxigraph(value)
            for name, value in (initBindings or {}).items()
        }
        answer = self.mirror.query(query_object, prefixes=prefixes, substitutions=substitutions)
        memo: dict[Any, Identifier] = {}
        if isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
            return out
        if isinstance(answer, ox.QuerySolutions):
            out = Result("SELECT")
            variables = [rdflib.Variable(v.value) for v in answer.variables]
            out.vars = variables
            rows: list[Mapping[rdflib.Variable, Identifier]] = []
            for row in answer:
                rows.append(
                    {
                        v: to_rdflib(x, memo)
                        for v, x in zip(variables, row, strict=True)
                        if x is not None
                    }
                )
            out.bindings = rows
            return out
        out = Result("CONSTRUCT")
        graph = rdflib.Graph()
        for t in answer:
            graph.add(tuple(to_rdflib(x, memo) for x in t))  # type: ignore[arg-type]
        out.graph = graph
        return out


# ---------------------------------------------------------------- the working shapes

_ANNOTATIONS = frozenset(
    {SH.message, SH.severity, SH.name, SH.description, SH.deactivated, SH.order, SH.group}
)


class WorkingShapes:
    """The shapes as pySHACL runs them for a batch.

    Targets are taken out: each validation adds ``sh:targetNode`` triples for its own focus
    nodes, runs, and takes them out again (under a lock: one validation at a time).

    The property shapes of targeted node shapes are *hoisted*: they get the node shape's focus
    nodes as their own targets instead of hanging off it by ``sh:property``.  The results are
    the same (focus node, path, source shape), but pySHACL then validates each property shape
    once for all its focus nodes rather than once per focus node, which is 2-3x faster.
    """

    def __init__(self) -> None:
        shapes = load_shapes()
        targeted = {t.shape for t in shape_targets()}
        self.hoisted: dict[URIRef, list[URIRef]] = defaultdict(list)
        """Hoisted property shape → the node shapes it hung off."""
        self.graph = rdflib.Graph()
        for s, p, o in shapes:
            if p in TARGET_PROPERTIES:
                continue
            if p == SH.property and s in targeted and isinstance(o, URIRef):
                self.hoisted[o].append(s)  # type: ignore[arg-type]
                continue
            self.graph.add((s, p, o))
        # Node shapes left with nothing to check once their property shapes are hoisted.
        self.empty = frozenset(
            shape
            for shape in targeted
            if not any(
                str(p).startswith(str(SH)) and p not in _ANNOTATIONS
                for p in self.graph.predicates(shape)
            )
        )
        for prefix, namespace in shapes.namespaces():
            self.graph.bind(prefix, namespace)
        self.lock = threading.Lock()

    def target_triples(
        self, targets: Mapping[URIRef, Sequence[Any]], term: Callable[[Any], Node]
    ) -> list[_RdflibTriple]:
        """``sh:targetNode`` triples for the focus nodes resolved per shape of the shapes
        graph (``term`` turns a focus node into its rdflib term)."""
        per_shape: dict[URIRef, dict[Any, None]] = defaultdict(dict)
        for shape, nodes in targets.items():
            if shape not in self.empty:
                per_shape[shape].update(dict.fromkeys(nodes))
        for prop, parents in self.hoisted.items():
            for parent in parents:
                per_shape[prop].update(dict.fromkeys(targets.get(parent, ())))
        return [
            (shape, SH.targetNode, term(node))
            for shape, nodes in per_shape.items()
            for node in nodes
        ]


@cache
def working_shapes() -> WorkingShapes:
    """The one working copy of the shapes (built on first use)."""
    return WorkingShapes()


# ---------------------------------------------------------------- running pySHACL


def run_pyshacl(
    data_triples: Sequence[ox.Triple], targets: Mapping[URIRef, Sequence[Any]]
) -> tuple[rdflib.Graph, rdflib.Graph]:
    """Validate ``data_triples`` with each shape judging exactly its ``targets`` (shape →
    focus nodes); the SHACL report graph and the data graph it judged."""
    from pyshacl import validate

    mirror = ox.Store()
    mirror.bulk_extend([ox.Quad(t.subject, t.predicate, t.object) for t in data_triples])
    data = _OxigraphQueriedGraph(mirror)
    memo: dict[Any, Identifier] = {}
    # the data as the store holds it: pyoxigraph writes typed literals in canonical form
    # (``"01"^^xsd:integer`` as ``"1"``, every integer type as xsd:integer), and the SPARQL
    # constraints already read the mirror so
    for q in mirror:
        data.add(
            (
                to_rdflib(q.subject, memo),
                to_rdflib(q.predicate, memo),
                to_rdflib(q.object, memo),
            )
        )
    working = working_shapes()
    target_triples = working.target_triples(targets, lambda n: to_rdflib(n, memo))
    with working.lock:
        for target in target_triples:
            working.graph.add(target)
        try:
            _, report, _ = validate(
                data,
                shacl_graph=working.graph,
                inference="none",
                allow_infos=True,
                allow_warnings=True,
                abort_on_first=False,
                advanced=False,
            )
        finally:
            for target in target_triples:
                working.graph.remove(target)
    assert isinstance(report, rdflib.Graph)
    return report, data
