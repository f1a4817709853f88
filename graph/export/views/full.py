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
from ...store import Store
from ...vocabulary import superproperties, symmetric_properties, term_label
from ..builder import GraphBuilder
from ..kinds import CODE_NAMESPACES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["full_view"]


def full_view(store: Store, lang: str) -> nx.MultiDiGraph:
    """The ``full`` view of ``store``."""
    b = GraphBuilder(store, "full", lang)
    literal_attrs: dict[str, dict[str, list[tuple[str, Scalar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    preds: dict[str, tuple[str, str, str]] = {}
    below = _aligned_subproperties()
    symmetric = symmetric_properties()
    for graph_name in store.graphs():
        if graph_name == META_GRAPH:
            continue
        for t in _statements_without_implied(store, graph_name, below):
            s = t.subject
            if isinstance(s, ox.Triple):
                continue
            sk = b.add_node(s)
            p = t.predicate.value
            o = t.object
            if p == RDF_TYPE:
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
                if p in symmetric and ok < sk:
                    continue  # drawn once, from the smaller key (both directions are stored)
                b.add_edge(sk, ok, info[2], info[1], key=info[0])
    for sk, attrs in literal_attrs.items():
        b.set_attributes(sk, attrs)
    return b.finish()


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


def _statements_without_implied(
    store: Store, graph: str, below: dict[str, frozenset[str]]
) -> Iterator[Any]:
    """The statements of ``graph`` without those ingest added for an aligned superproperty:
    ``s prov:wasAttributedTo o`` is left out when ``s cg:claimant o`` is there too, so the
    full view draws each stated relation once.  Two reads of the graph; between them, a set
    of hashes of the statements that imply others (not the statements themselves)."""
    implying = {sub for subs in below.values() for sub in subs}
    seen = {
        hash((t.subject, t.predicate.value, t.object))
        for t in _graph_statements(store, graph)
        if t.predicate.value in implying
    }
    for t in _graph_statements(store, graph):
        subs = below.get(t.predicate.value)
        if subs and any(hash((t.subject, sub, t.object)) in seen for sub in subs):
            continue
        yield t


def _graph_statements(store: Store, graph: str) -> Iterable[ox.Triple | ox.Quad]:
    """The statements of one graph: straight from pyoxigraph's quads when the store has them
    (no Triple copies), else through the store interface."""
    raw = getattr(store, "raw", None)
    if isinstance(raw, ox.Store):
        return raw.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    return store.triples(graph)
