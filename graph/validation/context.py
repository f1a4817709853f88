"""The context of a batch: what the store already says about the nodes a batch references,
fetched with a few SPARQL queries whose cost follows the batch's size, not the store's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ..rdf import values_blocks
from ..store import OxigraphStore, Store

# Links to the parts of a node, described with it: an event's participations, a mention's
# evidence span and its selector, a review's rating.
_PARTS = ", ".join(("cg:hasParticipation", "cg:evidence", "oa:hasSelector", "schema:reviewRating"))

# Each query below has one ``%s``: the ``VALUES ?n`` block of the nodes it is asked about.

_DESCRIPTIONS = (
    """
    CONSTRUCT { ?n ?p ?o . ?o ?p1 ?o1 . ?o1 ?p2 ?o2 . ?o2 ?p3 ?o3 } WHERE {
      %s
      ?n ?p ?o .
      OPTIONAL { ?o ?p1 ?o1 . FILTER (isBlank(?o) || ?p IN ("""
    + _PARTS
    + """))
        OPTIONAL { ?o1 ?p2 ?o2 . FILTER (isBlank(?o1) || ?p1 IN ("""
    + _PARTS
    + """))
          OPTIONAL { ?o2 ?p3 ?o3 . FILTER (isBlank(?o2) || ?p2 IN ("""
    + _PARTS
    + """)) } } }
    }"""
)
"""A node's own triples, and those of blank nodes and parts up to three links away (a
mention's evidence span and its selector; an event's participations)."""

_POINTING_IN = """
    CONSTRUCT { ?report cg:reports ?n . ?event cg:hasParticipation ?n } WHERE {
      %s
      { ?report cg:reports ?n } UNION { ?event cg:hasParticipation ?n }
    }"""
"""The reports of a claim and the event of a participation.  Each property is written out in
its own UNION branch: with ``VALUES ?p`` instead, oxigraph scans every triple of each
property, and the cost follows the store."""

_FACTS = """
    CONSTRUCT { ?n rdf:type ?type . ?n cg:text ?text . ?n cg:reports ?claim } WHERE {
      %s
      { ?n rdf:type ?type } UNION { ?n cg:text ?text } UNION { ?n cg:reports ?claim }
    }"""
"""A node's types, a revision's text, what a report reports."""

_CHAINS = """
    CONSTRUCT { ?a cg:derivedFrom ?derived . ?a cg:quotedFrom ?quoted . ?a cg:precedes ?next }
    WHERE {
      %s
      ?n (cg:derivedFrom|cg:quotedFrom|cg:precedes)* ?a .
      { ?a cg:derivedFrom ?derived } UNION { ?a cg:quotedFrom ?quoted }
      UNION { ?a cg:precedes ?next }
    }"""
"""The derivation, quotation and sequence links reachable from a node."""


def context_for(store: Store, batch_triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The facts the shapes need about nodes a batch references but may not describe,
    fetched from ``store`` with a few SPARQL queries whose cost follows the batch's size.

    - the full description of every node the batch adds statements to and that the store
      already describes, with its parts (blank nodes, participations, evidence spans and
      their selectors, ratings), and the reports and events that point at it (a claim's
      reports, a participation's event);
    - for every node mentioned: its ``rdf:type``, a revision's ``cg:text``, what a report
      ``cg:reports``;
    - the ``cg:derivedFrom`` / ``cg:quotedFrom`` / ``cg:precedes`` links reachable from the
      batch, so a cycle closed through the store is seen.

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> context_for(store, [])
    []
    """
    batch = list(batch_triples)
    if not batch:
        return []
    subjects = {t.subject for t in batch if isinstance(t.subject, ox.NamedNode)}
    mentioned = set(subjects)
    for t in batch:
        if isinstance(t.object, ox.NamedNode):
            mentioned.add(t.object)
    return context_of(store, subjects, mentioned)


def context_of(
    store: Store, subjects: set[ox.NamedNode], mentioned: set[ox.NamedNode]
) -> list[ox.Triple]:
    """:func:`context_for` a batch given by the IRIs it describes (``subjects``) and the IRIs
    it names anywhere (``mentioned``): how a batch staged in bulk asks for its context."""
    with store.reading():  # one session: the answers stream, the lock is taken once
        return _context_of(store, subjects, mentioned)


def _context_of(
    store: Store, subjects: set[ox.NamedNode], mentioned: set[ox.NamedNode]
) -> list[ox.Triple]:
    found: dict[ox.Triple, None] = {}
    held = _Held(store)

    def add(triples: Iterable[ox.Triple]) -> None:
        for t in triples:
            found.setdefault(t)

    # 1. descriptions of the nodes the batch extends (with blank-node closure), and links in
    described = held.as_subjects(subjects)
    add(_construct_for_each_chunk(store, _DESCRIPTIONS, described))
    incoming = list(_construct_for_each_chunk(store, _POINTING_IN, held.as_objects(subjects)))
    add(incoming)
    pointing = {t.subject for t in incoming if isinstance(t.subject, ox.NamedNode)}
    add(_construct_for_each_chunk(store, _DESCRIPTIONS, pointing))
    # 2. facts about everything mentioned so far
    mentioned = set(mentioned) | subjects
    for t in found:
        if isinstance(t.subject, ox.NamedNode):
            mentioned.add(t.subject)
        if isinstance(t.object, ox.NamedNode):
            mentioned.add(t.object)
    mentioned = held.as_subjects(mentioned)
    add(_construct_for_each_chunk(store, _FACTS, mentioned))
    add(_construct_for_each_chunk(store, _CHAINS, mentioned))
    return list(found)


class _Held:
    """Which IRIs the store holds at all, as a subject or as an object: every context query
    starts from ``?n`` as the subject of a pattern (``_POINTING_IN`` as the object), so it
    finds nothing about an IRI the store does not hold there, and such IRIs are left out of
    its ``VALUES``: the same context, while a batch of new things costs one index lookup per
    IRI instead of queries whose cost grows with the store (at 1M triples: 37 → 5 ms CPU).
    Stores other than pyoxigraph's are asked about every IRI."""

    def __init__(self, store: Store) -> None:
        self.raw = store.raw if isinstance(store, OxigraphStore) else None
        self.subjects: dict[ox.NamedNode, bool] = {}

    def as_subjects(self, nodes: set[ox.NamedNode]) -> set[ox.NamedNode]:
        if self.raw is None:
            return nodes
        known = self.subjects
        for n in nodes:
            if n not in known:
                known[n] = _any(self.raw.quads_for_pattern(n, None, None, None))
        return {n for n in nodes if known[n]}

    def as_objects(self, nodes: set[ox.NamedNode]) -> set[ox.NamedNode]:
        if self.raw is None:
            return nodes
        return {n for n in nodes if _any(self.raw.quads_for_pattern(None, None, n, None))}


def _any(quads: Iterator[ox.Quad]) -> bool:
    return next(quads, None) is not None


def _construct_for_each_chunk(
    store: Store, template: str, nodes: Iterable[ox.NamedNode]
) -> Iterator[ox.Triple]:
    """Run one context query over ``nodes``, one ``VALUES`` block of IRIs at a time (our
    own text and IRIs: the safety check's lexing is skipped)."""
    for block in values_blocks("n", (n.value for n in nodes)):
        yield from store._own_construct(template % block)
