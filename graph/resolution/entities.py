"""What resolution compares, read from the store in a few queries: every named actor, place,
event, anonymous source and claim with its names, identifiers, sides, dates, batches and (for
anonymous sources) the channels and claims it speaks through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ..rdf import CG, META_GRAPH, expand, sparql_iri, values_blocks
from ..store import Store
from .names import name_keys, normalise

KINDS: tuple[tuple[str, str], ...] = (
    ("anonymous", CG + "AnonymousSource"),
    ("person", CG + "Person"),
    ("state", CG + "State"),
    ("organisation", CG + "Organisation"),
    ("place", CG + "Place"),
    ("event", CG + "Event"),
    ("claim", CG + "Claim"),
)
"""The kinds of things resolution matches, each by its class; a resource is of the first kind
whose class it has, and is only ever compared with things of its own kind."""

NAME_PROPERTIES = (
    "rdfs:label",
    "cg:alias",
    "skos:prefLabel",
    "skos:altLabel",
    "schema:name",
    "schema:alternateName",
    "foaf:name",
)
"""Where a thing's names are read from: labels and aliases in any language or script."""


TEXT_PROPERTIES = ("cg:claimText", "cg:describedAs")
"""Where a claim's words and an anonymous source's description are read from."""

SIDES = "cg:affiliatedWith|cg:represents|org:subOrganizationOf"
"""The path from an actor or anonymous source to the sides it belongs to."""


KEYED_PROPERTIES = frozenset(
    {expand(p) for p in (*NAME_PROPERTIES, *TEXT_PROPERTIES)} | {CG + "wikidata"}
)
"""The properties whose values give a thing's name keys (:func:`name_keys_of`)."""


def name_keys_of(triples: Iterable[ox.Triple]) -> dict[str, set[str]]:
    """Each thing named in ``triples`` (an ingested batch) → the keys it can be compared
    under (:func:`.names.name_keys` of its names and words, ``wd:`` + its Wikidata items):
    written with the batch (:func:`claimgraph.batches.batch_metadata`) so that a new
    batch's candidates are found without reading every name in the store.

    >>> t = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode(CG + "wikidata"), ox.Literal("Q1"))
    >>> name_keys_of([t])
    {'urn:x': {'wd:Q1'}}
    """
    named = KEYED_PROPERTIES - {CG + "wikidata"}
    out: dict[str, set[str]] = {}
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.Literal):
            continue
        if p in named:
            out.setdefault(s.value, set()).update(f"key:{k}" for k in name_keys(o.value))
        elif p == CG + "wikidata":
            out.setdefault(s.value, set()).add(f"wd:{o.value}")
    return {x: keys for x, keys in out.items() if keys}


@dataclass
class Entity:
    """One thing as resolution sees it.  ``names`` are normalised (:func:`.names.normalise`);
    ``batches`` are the batches that type it; ``dates`` the days (or years) it happened or was
    said; for an anonymous source, ``channels`` are the agents its words went through and
    ``claims`` what it said."""

    iri: str
    kind: str
    label: str = ""
    names: set[str] | None = None
    wikidata: set[str] | None = None
    affiliations: set[str] | None = None
    dates: set[str] | None = None
    places: set[str] | None = None
    batches: set[str] | None = None
    articles: set[str] | None = None
    channels: set[str] | None = None
    claims: set[str] | None = None
    events: set[str] | None = None
    text: str = ""

    def get(self, name: str) -> set[str]:
        """The set ``name`` (empty when nothing was read)."""
        found: set[str] | None = getattr(self, name)
        return found if found is not None else set()

    def add(self, name: str, value: str) -> None:
        """Add ``value`` to the set ``name``."""
        found: set[str] | None = getattr(self, name)
        if found is None:
            setattr(self, name, {value})
        else:
            found.add(value)


def load_entities(
    store: Store,
    kinds: set[str] | None = None,
    *,
    only: Iterable[str] | None = None,
    names_only: bool = False,
) -> dict[str, Entity]:
    """Every thing of ``kinds`` (default: all of :data:`KINDS`) in the store, by IRI; with
    ``only``, those among these IRIs (each read as the whole store has it: what is read of
    one thing never depends on which others are read); with ``names_only``, only what
    things are compared under (kind, names, words, Wikidata items).

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> from claimgraph.rdf import CGI
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> e = load_entities(store, {"state"})[CGI + "ukraine"]
    >>> e.kind, sorted(e.names), sorted(e.wikidata)
    ('state', ['kyiv', 'ukraine'], ['Q212'])
    >>> sorted(load_entities(store, only=[CGI + "ukraine", CGI + "nowhere"]))
    ['https://w3id.org/claimgraph/id/ukraine']
    """
    if only is None:
        return _load(store, kinds, "", names_only)
    out: dict[str, Entity] = {}
    for block in values_blocks("x", only):
        out.update(_load(store, kinds, block, names_only))
    return out


def _load(store: Store, kinds: set[str] | None, only: str, names_only: bool) -> dict[str, Entity]:
    """:func:`load_entities` for the things ``only`` (a ``VALUES ?x`` block, or nothing)."""
    wanted = [(k, c) for k, c in KINDS if kinds is None or k in kinds]
    order = {c: i for i, (_, c) in enumerate(KINDS)}
    kind_of: dict[str, tuple[int, str]] = {}
    values = " ".join(sparql_iri(c) for _, c in wanted)
    # with ``only``, the things lead (a class filter, not a join the store starts from)
    of_kind = (
        f"{only} ?x a ?t FILTER(?t IN ({', '.join(sparql_iri(c) for _, c in wanted)}))"
        if only
        else f"VALUES ?t {{ {values} }} ?x a ?t"
    )
    for row in store.select(f"SELECT DISTINCT ?x ?t WHERE {{ {of_kind} }}"):
        x, t = row["x"], row["t"].value
        if not isinstance(x, ox.NamedNode):
            continue
        rank = order[t]
        if x.value not in kind_of or rank < kind_of[x.value][0]:
            kind_of[x.value] = (rank, KINDS[rank][0])
    # a thing of an earlier kind that is also of a later one stays of the earlier kind only
    out = {x: Entity(x, k) for x, (_, k) in kind_of.items() if kinds is None or k in kinds}
    if not out:
        return out
    typed = f"{of_kind} ."
    person = {x for x, e in out.items() if e.kind == "person"}
    for row in store.select(
        f"SELECT DISTINCT ?x ?n ?p WHERE {{ {typed} ?x ?p ?n . "
        f"FILTER(?p IN ({', '.join(NAME_PROPERTIES)}) && isLiteral(?n)) }}"
    ):
        e = out.get(row["x"].value)
        if e is None:
            continue
        n = row["n"].value
        e.add("names", normalise(n, person=e.iri in person))
        if row["p"].value.endswith("#label") and (
            not e.label or (not n.isascii(), n) < (not e.label.isascii(), e.label)
        ):
            e.label = n  # an ASCII one if any, the least: not the store's order
    _read(store, out, typed, "cg:wikidata", "wikidata")
    if not names_only:
        _read(store, out, typed, SIDES, "affiliations")
        _read(store, out, typed, "cg:startTime|cg:claimDate", "dates")
        _read(store, out, typed, "cg:location", "places")
        _read(store, out, typed, "cg:aboutEvent", "events")
        _read(store, out, typed, "cg:appearsIn", "articles")
    for row in store.select(
        f"SELECT DISTINCT ?x ?text WHERE {{ {typed} ?x {'|'.join(TEXT_PROPERTIES)} ?text }}"
    ):
        e = out.get(row["x"].value)
        if e is not None and (not e.text or row["text"].value < e.text):
            e.text = row["text"].value  # the least: not the store's order
    for e in out.values():
        if e.kind == "anonymous" and e.text:
            e.add("names", normalise(e.text))
    if names_only:
        return out
    for row in store.select(
        f"""SELECT DISTINCT ?x ?b WHERE {{ GRAPH ?g {{ {typed} }}
            OPTIONAL {{ GRAPH {sparql_iri(META_GRAPH)} {{ ?g cg:inBatch ?owner }} }}
            BIND(COALESCE(?owner, ?g) AS ?b) }}"""
    ):
        e = out.get(row["x"].value)
        if e is not None:
            e.add("batches", row["b"].value)
    if any(e.kind == "anonymous" for e in out.values()):
        _anonymous_reach(store, out, only)
    return out


def _read(store: Store, out: dict[str, Entity], typed: str, path: str, name: str) -> None:
    for row in store.select(f"SELECT DISTINCT ?x ?v WHERE {{ {typed} ?x {path} ?v }}"):
        e = out.get(row["x"].value)
        if e is not None:
            v = row["v"].value
            e.add(name, v[:10] if name == "dates" else v)


def _anonymous_reach(store: Store, out: dict[str, Entity], only: str) -> None:
    """For each anonymous source: the claims it speaks to, the agents that carried its words
    on (Reuters, TASS; not other anonymous sources) and the days it spoke or its article was
    published.  Three plain queries: one with the optional parts together is many times
    slower on a large store."""
    for row in store.select(
        f"""SELECT DISTINCT ?x ?claim ?said WHERE {{ {only} ?u cg:carrier ?x ; cg:reports ?claim .
            ?x a cg:AnonymousSource . OPTIONAL {{ ?u cg:reportedAt ?said }} }}"""
    ):
        e = out.get(row["x"].value)
        if e is not None:
            e.add("claims", row["claim"].value)
            if row["said"] is not None:
                e.add("dates", row["said"].value[:10])
    for row in store.select(
        f"""SELECT DISTINCT ?x ?via WHERE {{ {only} ?u cg:carrier ?x . ?x a cg:AnonymousSource .
            ?r cg:derivedFrom|cg:quotedFrom ?u . ?r cg:carrier ?via
            FILTER(!isIRI(?via) || NOT EXISTS {{ ?via a cg:AnonymousSource }}) }}"""
    ):
        e = out.get(row["x"].value)
        if e is not None:
            e.add("channels", row["via"].value)
    for row in store.select(
        f"""SELECT DISTINCT ?x ?day WHERE {{ {only} ?x a cg:AnonymousSource ;
            cg:appearsIn ?article . ?article cg:published ?day }}"""
    ):
        e = out.get(row["x"].value)
        if e is not None:
            e.add("dates", row["day"].value[:10])
