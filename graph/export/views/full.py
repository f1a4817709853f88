"""The ``full`` view: every resource of the data (not the batch metadata graph); literals and
code-list values (``cg:mediator``, ``cg:certain``, CAMEO codes) are node attributes, named by
their compact predicate, not nodes."""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ...rdf import CG, LABEL_PROPERTIES, META_GRAPH, RDF_TYPE, RDFS, Scalar, compact, scalar_value
from ...statements import best_standing, graph_standings
from ...store import Store
from ...store.rows import literal_parts
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
    keys: dict[str, str] = {}  # row text of a resource -> node key
    below = _aligned_subproperties()
    symmetric = symmetric_properties()
    per_graph = graph_standings(store)
    typed_in: dict[str, str] = {}  # node key -> best standing of the graphs typing it
    stated_in: dict[tuple[str, str, str], str] = {}  # (key, predicate, key) -> best standing
    types, label_candidate = b.types, b.add_label_candidate

    def key(text: str) -> str | None:
        """A resource's node key from its row text (None for a literal or quoted triple)."""
        k = keys.get(text)
        if k is None:
            if text[0] == "<" and text[1] != "<":
                k = keys[text] = compact(text[1:-1])
            elif text[0] == "_":
                k = keys[text] = text
            else:
                return None
        return k

    def keep(found: dict[Any, str], k: Any, standing: str) -> None:
        old = found.setdefault(k, standing)
        if old != standing:
            found[k] = best_standing((old, standing)) or old

    for graph_name in store.graphs():
        if graph_name == META_GRAPH:
            continue
        standing = per_graph.get(graph_name, "")  # "": none
        seen = _implying_statements(store, graph_name, below)
        last_s = ""
        sk: Any = None
        for s, p, o in store.statement_rows(graph_name):
            if s != last_s:  # a subject's statements mostly come together: key it once
                last_s, sk = s, key(s)
                iri = s[1:-1] if s[0] == "<" else sk
                named = bool(standing) and s[0] == "<"
            if sk is None:
                continue
            o_iri = o[0] == "<" and o[1] != "<"
            if p == RDF_TYPE:
                if sk not in nodes:
                    nodes[sk] = {"iri": iri}
                if named and typed_in.setdefault(sk, standing) != standing:
                    keep(typed_in, sk, standing)
                if o_iri:
                    types[sk].add(o[1:-1])
                continue
            subs = below.get(p)
            if subs is not None and any(hash((s, sub, o)) in seen for sub in subs):
                # implied: not drawn, but its graph counts for the same edge drawn from another
                if named and o_iri:
                    keep(stated_in, (sk, p, key(o)), standing)
                continue
            if sk not in nodes:
                nodes[sk] = {"iri": iri}
            info = preds.get(p)
            if info is None:
                info = preds[p] = (compact(p), term_label(p, lang))
            ok = key(o)
            if ok is None:
                lexical = literal_parts(o)
                if lexical is None:
                    continue  # a quoted triple
                text, tag, datatype = lexical
                if p in LABEL_PROPERTIES:
                    label_candidate(sk, p, tag, text)
                    if p == _RDFS_LABEL:
                        continue  # the node's label, not an attribute
                literal_attrs[sk][info[0]].append((tag, scalar_value(text, datatype)))
                continue
            if o_iri:
                if o.startswith(CODE_NAMESPACES, 1):
                    literal_attrs[sk][info[0]].append(("", ok))
                    continue
                if named and stated_in.setdefault((sk, p, ok), standing) != standing:
                    keep(stated_in, (sk, p, ok), standing)
            if ok not in nodes:
                nodes[ok] = {"iri": o[1:-1] if o_iri else ok}
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
    statement ``(s, p, o)`` (row text, see :meth:`~claimgraph.store.Store.statement_rows`)
    is implied when ``hash((s, sub, o))`` is here for one of the ``below[p]``, and the full
    view draws each stated relation once.  Read by predicate, and kept as hashes, not the
    statements themselves."""
    implying = sorted({sub for subs in below.values() for sub in subs})
    return {hash(row) for row in store.statement_rows(graph, implying)}
