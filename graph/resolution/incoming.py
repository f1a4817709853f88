"""Duplicates at ingest: the things a new batch describes that look like things already in the
store — reported, never merged; ``ingest --link auto`` links those at or above
:data:`~.candidates.AUTO_LINK_THRESHOLD` as judged batches by :data:`~.links.AUTO_AGENT`."""

from __future__ import annotations

from ..rdf import META_GRAPH, sparql_iri
from ..store import Store
from .candidates import AUTO_LINK_THRESHOLD, Candidate, candidates, link_groups
from .links import AUTO_AGENT, LinkResult, link


def batch_things(store: Store, batch: str) -> set[str]:
    """The IRIs typed in ``batch`` (in its own graph or its statement graphs)."""
    rows = store.select(
        f"""SELECT DISTINCT ?x WHERE {{
            {{ GRAPH {sparql_iri(batch)} {{ ?x a ?t }} }} UNION
            {{ GRAPH {sparql_iri(META_GRAPH)} {{ ?g cg:inBatch {sparql_iri(batch)} }}
               GRAPH ?g {{ ?x a ?t }} }} FILTER(isIRI(?x)) }}"""
    )
    return {r["x"].value for r in rows}


def incoming_duplicates(
    store: Store, batch: str, *, auto_link: bool = False
) -> tuple[list[Candidate], list[LinkResult]]:
    """The candidates that pair a thing of ``batch`` with one from another batch, highest score
    first; with ``auto_link``, the named ones at or above the threshold are linked (anonymous
    sources never are) and returned as links.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed, ingest_bytes
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> ttl = '<https://w3id.org/claimgraph/id/kiev> a <https://w3id.org/claimgraph/ns#State> ;'
    >>> ttl += ' <http://www.w3.org/2000/01/rdf-schema#label> "Україна"@uk .'
    >>> r = ingest_bytes(store, ttl.encode(), format="turtle", source="k.ttl")
    >>> found, linked = incoming_duplicates(store, r.batch)
    >>> [(c.left.id, c.right.id, c.score) for c in found], linked
    ([('cgi:kiev', 'cgi:ukraine', 0.9)], [])
    """
    things = batch_things(store, batch)
    found = candidates(store, among=things) if things else []
    linked: list[LinkResult] = []
    while auto_link:  # a link can make more pairs comparable (a delegation once its state is)
        group = {x: set(g) for x, g in link_groups(store).items()}
        made = 0
        for c in found:
            a, b = c.left.iri, c.right.iri
            if c.link != "same" or c.score < AUTO_LINK_THRESHOLD or b in group.get(a, ()):
                continue
            linked.append(
                link(store, a, b, score=c.score, because="; ".join(c.reasons), agent=AUTO_AGENT)
            )
            made += 1
            merged = group.get(a, {a}) | group.get(b, {b})
            for x in merged:
                group[x] = merged
        found = candidates(store, among=things)
        if not made:
            break
    return found, linked
