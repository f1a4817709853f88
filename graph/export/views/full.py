"""The ``full`` view: every resource of the data (not the batch metadata graph); literals and
code-list values (``cg:mediator``, ``cg:certain``, CAMEO codes) are node attributes, named by
their compact predicate, not nodes."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ...rdf import CG, LABEL_PROPERTIES, META_GRAPH, RDF_TYPE, RDFS, Scalar, compact, literal_value
from ...statements import best_standing, graph_standings
from ...store import Store
from ...vocabulary import superproperties, symmetric_properties, term_label
from ..builder import GraphBuilder, attribute_value
from ..kinds import CODE_NAMESPACES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["full_view"]

_RDFS_LABEL = RDFS + "label"


def full_view(store: Store, lang: str) -> nx.MultiDiGraph:
    """The ``full`` view of ``store``.

    One read of each graph gives the nodes, edges and attributes, and also their standings:
    a node's is the best of the graphs that state its type, an edge's the best of the graphs
    that state its triple in either direction (as :meth:`GraphBuilder.finish` would find them
    by querying the store for every node and edge).  The nodes and edges are gathered in
    plain dicts and lists first and given to networkx at once: the loop over the statements
    is the view's cost at scale."""
    b = GraphBuilder(store, "full", lang)
    nodes: dict[str, dict[str, Any]] = {}  # node key -> attributes (its IRI first)
    edges: list[tuple[str, str, str, str, str]] = []  # (u, v, key, predicate, label)
    drawn: set[tuple[str, str, str]] = set()
    literal_attrs: dict[str, dict[str, list[tuple[str, Scalar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    preds: dict[str, tuple[str, str]] = {}  # predicate -> (compact, label)
    keys: dict[str, str] = {}  # IRI -> node key
    below = _aligned_subproperties()
    symmetric = symmetric_properties()
    per_graph = graph_standings(store)
    typed_in: dict[str, str] = {}  # node key -> best standing of the graphs typing it
    stated_in: dict[tuple[str, str, str], str] = {}  # (key, predicate, key) -> best standing
    types, label_candidate = b.types, b.add_label_candidate
    NamedNode, BlankNode, Literal = ox.NamedNode, ox.BlankNode, ox.Literal

    def key(term: Any) -> str | None:
        """A resource's node key (None for a quoted triple)."""
        if type(term) is NamedNode:
            iri = term.value
            k = keys.get(iri)
            if k is None:
                k = keys[iri] = compact(iri)
            return k
        if type(term) is BlankNode:
            return "_:" + term.value
        return None

    def keep(found: dict[Any, str], k: Any, standing: str) -> None:
        old = found.setdefault(k, standing)
        if old != standing:
            found[k] = best_standing((old, standing)) or old

    for graph_name in store.graphs():
        if graph_name == META_GRAPH:
            continue
        standing = per_graph.get(graph_name, "")  # "": none
        seen = _implying_statements(store, graph_name, below)
        last_s: Any = None
        sk: Any = None
        for s, p_term, o, _ in _graph_statements(store, graph_name):
            if s != last_s:  # a subject's statements mostly come together: key it once
                last_s, sk = s, key(s)
                named = bool(standing) and type(s) is NamedNode
            if sk is None:
                continue
            p = p_term.value
            if p == RDF_TYPE:
                if sk not in nodes:
                    nodes[sk] = {"iri": s.value if type(s) is NamedNode else sk}
                if named and typed_in.setdefault(sk, standing) != standing:
                    keep(typed_in, sk, standing)
                if type(o) is NamedNode:
                    types[sk].add(o.value)
                continue
            subs = below.get(p)
            if subs is not None and any(hash((s, sub, o)) in seen for sub in subs):
                # implied: not drawn, but its graph counts for the same edge drawn from another
                if named and type(o) is NamedNode:
                    keep(stated_in, (sk, p, key(o)), standing)
                continue
            if sk not in nodes:
                nodes[sk] = {"iri": s.value if type(s) is NamedNode else sk}
            info = preds.get(p)
            if info is None:
                info = preds[p] = (compact(p), term_label(p, lang))
            if type(o) is Literal:
                if p in LABEL_PROPERTIES:
                    label_candidate(sk, p, o)
                    if p == _RDFS_LABEL:
                        continue  # the node's label, not an attribute
                literal_attrs[sk][info[0]].append((o.language or "", literal_value(o)))
                continue
            ok = key(o)
            if ok is None:
                continue
            if type(o) is NamedNode:
                if o.value.startswith(CODE_NAMESPACES):
                    literal_attrs[sk][info[0]].append(("", ok))
                    continue
                if named and stated_in.setdefault((sk, p, ok), standing) != standing:
                    keep(stated_in, (sk, p, ok), standing)
            if ok not in nodes:
                nodes[ok] = {"iri": o.value if type(o) is NamedNode else ok}
            if p in symmetric and ok < sk:
                continue  # drawn once, from the smaller key (both directions are stored)
            if (sk, ok, info[0]) not in drawn:
                drawn.add((sk, ok, info[0]))
                edges.append((sk, ok, info[0], p, info[1]))
    del drawn
    for sk, attrs in literal_attrs.items():
        node = nodes[sk]
        for name, pairs in attrs.items():
            node[name] = attribute_value(pairs, lang)
    del literal_attrs
    g = b.graph
    for k in list(nodes):  # each node's dict handed over and dropped: no second copy of all
        g.add_node(k, **nodes.pop(k))
    add_edge = g.add_edge
    for i, (u, v, k, p, label) in enumerate(edges, 1):  # the edges' dicts made as added
        here, back = stated_in.get((u, p, v)), stated_in.get((v, p, u))
        found = here if back is None or back == here else best_standing((here, back))
        if found is None:
            add_edge(u, v, key=k, id=f"e{i}", predicate=p, label=label)
        else:
            add_edge(u, v, key=k, id=f"e{i}", predicate=p, label=label, standing=found)
    del stated_in, edges
    g = b.finish(standings=False)
    for k, standing in typed_in.items():  # set last, as finish would have
        g.nodes[k]["standing"] = standing
    return g


@functools.cache
def _aligned_subproperties() -> dict[str, frozenset[str]]:
    """Each superproperty ingest adds from an aligned vocabulary (``prov:wasAttributedTo``)
    with the ``cg:`` properties that imply it (``cg:claimant``, ``cg:carrier``...)."""
    below: dict[str, set[str]] = defaultdict(set)
    for p, supers in superproperties().items():
        for sup in supers:
            if not sup.startswith(CG):
                below[sup].add(p)
    return {sup: frozenset(ps) for sup, ps in below.items()}


def _implying_statements(store: Store, graph: str, below: dict[str, frozenset[str]]) -> set[int]:
    """Hashes of the statements of ``graph`` that imply another one ingest added for an
    aligned superproperty (``s cg:claimant o`` implies ``s prov:wasAttributedTo o``): a
    statement ``(s, p, o)`` is implied when ``hash((s, sub, o))`` is here for one of the
    ``below[p]``, and the full view draws each stated relation once.  Read by predicate, and
    kept as hashes, not the statements themselves."""
    implying = {sub for subs in below.values() for sub in subs}
    return {
        hash((s, p.value, o))
        for s, p, o, _ in _graph_statements(store, graph, sorted(implying))
        if p.value in implying
    }


def _graph_statements(
    store: Store, graph: str, predicates: Iterable[str] | None = None
) -> Iterable[tuple[Any, Any, Any, Any]]:
    """The statements of one graph as (subject, predicate, object, graph) (with one of
    ``predicates``, if given; a store without pyoxigraph's index gives them all): straight
    from pyoxigraph's quads when the store has them (no Triple copies), else through the
    store interface."""
    raw = getattr(store, "raw", None)
    if not isinstance(raw, ox.Store):
        return ((t.subject, t.predicate, t.object, None) for t in store.triples(graph))
    g = ox.NamedNode(graph)
    if predicates is None:
        return raw.quads_for_pattern(None, None, None, g)  # type: ignore[return-value]
    return (q for p in predicates for q in raw.quads_for_pattern(None, ox.NamedNode(p), None, g))  # type: ignore[misc]
