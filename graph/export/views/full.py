"""The ``full`` view: every resource of the data (not the batch metadata graph); literals and
code-list values (``cg:mediator``, ``cg:certain``, CAMEO codes) are node attributes, named by
their compact predicate, not nodes."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ...rdf import CG, LABEL_PROPERTIES, META_GRAPH, RDF_TYPE, RDFS, Scalar, compact, literal_value
from ...statements import best_standing, graph_standings
from ...store import Store
from ...vocabulary import superproperties, symmetric_properties, term_label
from ..builder import GraphBuilder
from ..kinds import CODE_NAMESPACES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["full_view"]


def full_view(store: Store, lang: str) -> nx.MultiDiGraph:
    """The ``full`` view of ``store``.

    One read of each graph gives the nodes, edges and attributes, and also their standings:
    a node's is the best of the graphs that state its type, an edge's the best of the graphs
    that state its triple in either direction (as :meth:`GraphBuilder.finish` would find them
    by querying the store for every node and edge)."""
    b = GraphBuilder(store, "full", lang)
    literal_attrs: dict[str, dict[str, list[tuple[str, Scalar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    preds: dict[str, tuple[str, str, str]] = {}
    below = _aligned_subproperties()
    symmetric = symmetric_properties()
    per_graph = graph_standings(store)
    typed_in: dict[str, str] = {}  # node key -> best standing of the graphs typing it
    stated_in: dict[tuple[str, str, str], str] = {}  # (key, predicate, key) -> best standing
    for graph_name in store.graphs():
        if graph_name == META_GRAPH:
            continue
        standing = per_graph.get(graph_name)
        for t, implied in _statements_marking_implied(store, graph_name, below):
            s = t.subject
            if isinstance(s, ox.Triple):
                continue
            p = t.predicate.value
            o = t.object
            if implied:  # not drawn, but its graph counts for the same edge drawn from another
                if standing and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                    _keep_best(stated_in, (b.key(s), p, b.key(o)), standing)
                continue
            sk = b.add_node(s)
            if p == RDF_TYPE:
                if standing and isinstance(s, ox.NamedNode):
                    _keep_best(typed_in, sk, standing)
                if isinstance(o, ox.NamedNode):
                    b.types[sk].add(o.value)
                continue
            info = preds.get(p)
            if info is None:
                info = preds[p] = (compact(p), term_label(p, lang), p)
            if isinstance(o, ox.Literal):
                if p in LABEL_PROPERTIES:
                    b.add_label_candidate(sk, p, o)
                    if p == RDFS + "label":
                        continue  # the node's label, not an attribute
                literal_attrs[sk][info[0]].append((o.language or "", literal_value(o)))
            elif isinstance(o, ox.NamedNode) and o.value.startswith(CODE_NAMESPACES):
                literal_attrs[sk][info[0]].append(("", b.key(o)))
            elif isinstance(o, (ox.NamedNode, ox.BlankNode)):
                ok = b.add_node(o)
                if standing and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                    _keep_best(stated_in, (sk, p, ok), standing)
                if p in symmetric and ok < sk:
                    continue  # drawn once, from the smaller key (both directions are stored)
                b.add_edge(sk, ok, info[2], info[1], key=info[0])
    for sk, attrs in literal_attrs.items():
        b.set_attributes(sk, attrs)
    g = b.finish(standings=False)
    for k, standing in typed_in.items():  # set last, as finish would have
        g.nodes[k]["standing"] = standing
    for u, v, data in g.edges(data=True):
        p = data["predicate"]
        found = best_standing((stated_in.get((u, p, v)), stated_in.get((v, p, u))))
        if found is not None:
            data["standing"] = found
    return g


def _keep_best(found: dict[Any, str], key: Any, standing: str) -> None:
    """Keep the best standing of ``key`` (evidenced, then cited, then judged)."""
    old = found.get(key)
    if old is None:
        found[key] = standing
    elif old != standing:
        found[key] = best_standing((old, standing)) or old


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


def _statements_marking_implied(
    store: Store, graph: str, below: dict[str, frozenset[str]]
) -> Iterator[tuple[Any, bool]]:
    """The statements of ``graph``, each with whether ingest added it for an aligned
    superproperty: ``s prov:wasAttributedTo o`` is implied when ``s cg:claimant o`` is there
    too, and the full view draws each stated relation once.  The statements that imply others
    are read first (by predicate), kept as a set of hashes, not the statements themselves."""
    implying = sorted({sub for subs in below.values() for sub in subs})
    seen = {
        hash((t.subject, t.predicate.value, t.object))
        for t in _graph_statements(store, graph, implying)
        if t.predicate.value in implying
    }
    for t in _graph_statements(store, graph):
        subs = below.get(t.predicate.value)
        implied = subs is not None and any(hash((t.subject, sub, t.object)) in seen for sub in subs)
        yield t, implied


def _graph_statements(
    store: Store, graph: str, predicates: Iterable[str] | None = None
) -> Iterable[ox.Triple | ox.Quad]:
    """The statements of one graph (with one of ``predicates``, if given; a store without
    pyoxigraph's index gives them all): straight from pyoxigraph's quads when the store has
    them (no Triple copies), else through the store interface."""
    raw = getattr(store, "raw", None)
    if not isinstance(raw, ox.Store):
        return store.triples(graph)
    g = ox.NamedNode(graph)
    if predicates is None:
        return raw.quads_for_pattern(None, None, None, g)
    return (q for p in predicates for q in raw.quads_for_pattern(None, ox.NamedNode(p), None, g))
