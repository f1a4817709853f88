"""Things linked as one thing are one node: an actor that two articles describe, once
``claimgraph link`` has said they are the same (``owl:sameAs``), is drawn and measured once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..provenance.index import identity_links
from ..store import Store

if TYPE_CHECKING:
    import networkx as nx


def merge_linked(g: nx.MultiDiGraph, store: Store) -> nx.MultiDiGraph:
    """Merge the nodes of ``g`` that ``owl:sameAs`` links make one: the node with the most
    edges (then the shortest key) keeps its key and takes the others' edges; its ``same_as``
    attribute lists the keys merged into it (space-separated).  An edge both nodes had is kept
    once; the link itself is not drawn (it would be a loop).

    >>> import networkx as nx
    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> g = nx.MultiDiGraph()
    >>> merge_linked(g, store) is g
    True
    """
    same, _ = identity_links(store)
    if not same:
        return g
    by_iri = {data.get("iri"): key for key, data in g.nodes(data=True)}
    done: set[frozenset[str]] = set()
    for group in same.values():
        if group in done:
            continue
        done.add(group)
        present = sorted(by_iri[iri] for iri in group if iri in by_iri)
        if len(present) < 2:
            continue
        keep = max(present, key=lambda k: (g.degree(k), -len(k), k))
        merged = [k for k in present if k != keep]
        for other in merged:
            _move_edges(g, other, keep)
            g.remove_node(other)
        g.nodes[keep]["same_as"] = " ".join(merged)
    return g


def _move_edges(g: nx.MultiDiGraph, old: str, new: str) -> None:
    moved = [(new, v, k, d) for _, v, k, d in g.out_edges(old, keys=True, data=True)]
    moved += [(u, new, k, d) for u, _, k, d in g.in_edges(old, keys=True, data=True)]
    for u, v, key, data in moved:
        u, v = (new if u == old else u), (new if v == old else v)
        if u == v or g.has_edge(u, v, key):
            continue  # the link itself, or an edge the kept node already has
        g.add_edge(u, v, key=key, **data)
