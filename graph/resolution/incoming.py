"""Duplicates at ingest: the things a new batch describes that look like things already in the
store — reported, never merged; ``ingest --link auto`` links those at or above
:data:`~.candidates.AUTO_LINK_THRESHOLD` as judged batches by :data:`~.links.AUTO_AGENT`."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..rdf import META_GRAPH, VALUES_CHUNK, sparql_iri, values_blocks
from ..store import Store
from .candidates import (
    AUTO_LINK_THRESHOLD,
    MAX_BLOCK,
    Candidate,
    blocks_of,
    candidates,
    link_groups,
)
from .entities import SIDES, Entity, load_entities
from .links import AUTO_AGENT, LinkResult, link
from .names import block_keys, normalise


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
    sources never are) and returned as links.  Only the :func:`neighbourhood` of the batch is
    read when every graph wrote its name keys (:func:`all_keyed`), else the whole store; the
    answers are the same.

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
    keyed = all_keyed(store)

    def compare() -> list[Candidate]:
        if not things:
            return []
        if not keyed:
            return candidates(store, among=things)
        near = neighbourhood(store, things)
        return candidates(store, among=things, entities=near.entities, crowded=near.crowded)

    found = compare()
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
        found = compare()
        if not made:
            break
    return found, linked


def all_keyed(store: Store) -> bool:
    """Whether every graph in the store is a batch that wrote its name keys at ingest
    (``cg:nameKeyCount``) or one of its statement graphs; when not (batches ingested before
    keys were written, graphs loaded in bulk or through the Graph Store protocol), an
    incoming batch is compared with the whole store."""
    meta = sparql_iri(META_GRAPH)
    keyed = {
        r["g"].value
        for r in store.select(
            f"""SELECT ?g WHERE {{ GRAPH {meta} {{ {{ ?g cg:nameKeyCount ?n }} UNION
                {{ ?g cg:inBatch ?b . ?b cg:nameKeyCount ?n }} }} }}"""
        )
    }
    return all(g in keyed for g in store.graphs() if g != META_GRAPH)


@dataclass
class Neighbourhood:
    """What :func:`neighbourhood` read: the ``entities`` to compare, and the ``crowded``
    blocks (kind, key) that hold more than :data:`.candidates.MAX_BLOCK` things in the whole
    store (not compared on), of which ``entities`` hold only some."""

    entities: dict[str, Entity]
    crowded: set[tuple[str, str]]


def neighbourhood(store: Store, things: set[str]) -> Neighbourhood:
    """The things a full comparison would pair with ``things`` — those sharing a name key or
    Wikidata item with one of them (read from the keys batches wrote at ingest), anonymous
    sources on one of their sides, claims about one of their events — and what scoring
    reads of others: their sides and channels, and everything linked as one with any of
    these.  :func:`.candidates.candidates` on these gives what it gives on the whole store
    for pairs with a side in ``things``, as long as every batch wrote its keys
    (:func:`all_keyed`).

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> from claimgraph.rdf import CGI
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> near = neighbourhood(store, {CGI + "ukraine"}).entities
    >>> CGI + "ukrainian-delegation" in near, CGI + "russia" in near
    (True, False)
    """
    same = link_groups(store)

    def grouped(iris: set[str]) -> set[str]:
        return iris.union(*(same.get(x, set()) for x in iris))

    focus = load_entities(store, only=things)
    keys: set[str] = set()
    sides: set[str] = set()
    events: set[str] = set()
    for e in focus.values():
        keys |= {f"wd:{w}" for w in e.get("wikidata")}
        keys |= {f"key:{k}" for n in e.get("names") for k in block_keys(n)}
        keys |= {f"key:{k}" for k in block_keys(normalise(e.text))}
        sides |= e.get("affiliations")
        events |= e.get("events")
    found, crowded = _key_neighbours(store, keys)
    near = set(things) | found
    for block in values_blocks("s", grouped(sides)):
        near |= _iris(store, f"SELECT DISTINCT ?x WHERE {{ {block} ?x {SIDES} ?s }}")
    for block in values_blocks("e", grouped(events)):
        near |= _iris(store, f"SELECT DISTINCT ?x WHERE {{ {block} ?x cg:aboutEvent ?e }}")
    loaded = focus | load_entities(store, only=near - set(focus))
    others: set[str] = set()
    for e in loaded.values():
        others |= e.get("affiliations") | e.get("channels")
    more = grouped(grouped(set(loaded)) | others) - set(loaded)
    loaded.update(load_entities(store, only=more))
    return Neighbourhood(loaded, crowded)


def _key_neighbours(store: Store, keys: set[str]) -> tuple[set[str], set[tuple[str, str]]]:
    """The things of the blocks ``keys`` (``key:``/``wd:``, :func:`.candidates.blocks_of`)
    that a full comparison compares in: every holder of a key held by few things; of a key
    held by more than :data:`.candidates.MAX_BLOCK`, its holders' kinds and names are read
    first, and those of a block over the cap (not compared on) are left out; with the
    blocks over the cap."""
    meta = sparql_iri(META_GRAPH)
    holders: dict[str, set[str]] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), VALUES_CHUNK):
        chunk = " ".join(str(ox.Literal(k)) for k in ordered[i : i + VALUES_CHUNK])
        for r in store.select(
            f"SELECT DISTINCT ?k ?x WHERE {{ VALUES ?k {{ {chunk} }} "
            f"GRAPH {meta} {{ ?n cg:nameKey ?k ; cg:keyOf ?x }} }}"
        ):
            holders.setdefault(r["k"].value, set()).add(r["x"].value)
    near = set().union(*(xs for xs in holders.values() if len(xs) <= MAX_BLOCK))
    crowded = {k: xs for k, xs in holders.items() if len(xs) > MAX_BLOCK}
    over: set[tuple[str, str]] = set()
    if not crowded:
        return near, over
    named = load_entities(store, only=set().union(*crowded.values()), names_only=True)
    blocks = {x: blocks_of(e) for x, e in named.items()}
    for key, xs in crowded.items():
        by_kind: dict[str, set[str]] = {}
        for x in xs:
            if x in named and key in blocks[x]:
                by_kind.setdefault(named[x].kind, set()).add(x)
        near.update(*(m for m in by_kind.values() if len(m) <= MAX_BLOCK))
        over |= {(kind, key) for kind, m in by_kind.items() if len(m) > MAX_BLOCK}
    return near, over


def _iris(store: Store, query: str) -> set[str]:
    return {r["x"].value for r in store.select(query) if r["x"] is not None}
