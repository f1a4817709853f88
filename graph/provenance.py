"""Provenance and fact-checking: trace a claim to its original speaker, count its independent
sources, find contradictions and circular reporting, and record verdicts.

A claim (``cg:Claim``) reaches an article through a **reporting chain**: the article's own
passage (``cg:ArticleMention``, carried by the outlet, with the exact span as evidence) is
``cg:derivedFrom`` (or ``cg:quotedFrom``) a wire report (``cg:WireReport``, carried by an
agency), which is derived from the original speaker's ``cg:Utterance``.  :func:`trace` follows
every chain of a claim from the article end to its origin and returns a :class:`Trace`; the
same value renders as a readable tree (:meth:`Trace.text`), as JSON (:meth:`Trace.as_dict`,
documented in ``docs/provenance.md``) and as PROV-O (:meth:`Trace.turtle`).

**Independence** (:func:`corroboration`): each chain is followed to its origin, the carrier of
its last hop.  Chains that meet at a shared report (two outlets repeating one wire story, one
agency citing another) share that report's origin and count once; chains whose origins are
the same agent count once; anonymous sources linked by ``cg:possiblySameAs`` count once.  A
chain that loops has no origin and is not counted.  Every merge is explained in
:attr:`Corroboration.reasoning`.

>>> from claimgraph.store import open_store
>>> from claimgraph.ingest import ingest_seed
>>> store = open_store(":memory:")
>>> _ = ingest_seed(store)
>>> t = trace(store, "unrealistic")
>>> for h in t.chains[0].hops:
...     print(f"{h.role}: {h.carrier.label}")
outlet: Publisher of the seed article
agency: Reuters
speaker: Ukrainian diplomatic source (told Reuters)
>>> corroboration(store, "cgi:claim-delegations-paused").independent_sources
2
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import pyoxigraph as ox

from .errors import Ambiguous, NotFound, UsageError
from .rdf import (
    CG,
    CGI,
    META_GRAPH,
    OA,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    VALUES_CHUNK,
    XSD,
    as_iri,
    choose_literal,
    compact,
    humanise,
    local_name,
    sparql_iri,
    term_bool,
    term_int,
    term_text,
    values_blocks,
)
from .store import Store
from .vocabulary import is_a, most_specific, subclasses, term_label
from .wording import compact_text, plural

__all__ = [
    "FLAG_CODES",
    "NORMALIZED_RATINGS",
    "Agent",
    "Chain",
    "ClaimInfo",
    "ClaimSummary",
    "Circularity",
    "Contradiction",
    "ContradictionSide",
    "Corroboration",
    "Evidence",
    "Flag",
    "Hop",
    "Ref",
    "ReviewInfo",
    "ReviewResult",
    "Revision",
    "SourceGroup",
    "Trace",
    "circular_reporting",
    "claim_summaries",
    "contradictions",
    "corroboration",
    "normalize_rating",
    "record_review",
    "resolve_claim",
    "revision_text",
    "trace",
]

_LINKS = "cg:derivedFrom|cg:quotedFrom"
_MAX_CHAINS = 500
"""Chains enumerated per claim at most (diamond-shaped derivations multiply paths)."""


# --------------------------------------------------------------------------- the values


@dataclass(frozen=True)
class Ref:
    """A resource named in a result: its IRI, its compact id and a label for people."""

    iri: str
    id: str
    label: str


@dataclass(frozen=True)
class Agent:
    """Who carried or said something: a person, organisation, agency, outlet or anonymous
    source.  For an anonymous source, ``described_as`` is the article's own words and
    ``affiliations`` its stated side."""

    iri: str
    id: str
    label: str
    types: list[str]
    anonymous: bool
    described_as: str | None = None
    affiliations: list[Ref] = field(default_factory=list)
    anonymity_level: str | None = None
    is_group: bool | None = None
    possibly_same_as: list[Ref] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """The span of an article revision that evidences a hop, checked against the revision's
    text: ``verified`` is True when the text at ``[start, end)`` (Unicode code points) is
    exactly ``exact``; otherwise ``problem`` says what is wrong and ``found_at`` where the quote
    actually occurs, if anywhere."""

    revision: str | None
    exact: str | None
    start: int | None
    end: int | None
    verified: bool
    problem: str | None = None
    found_at: int | None = None


@dataclass(frozen=True)
class Revision:
    """The article revision a mention sits in, with its article and publisher."""

    iri: str
    id: str
    label: str
    number: int | None
    revision_label: str | None
    published: str | None
    article: Ref | None
    publisher: Ref | None
    previous: Ref | None
    text_available: bool | None


@dataclass(frozen=True)
class Hop:
    """One report of a chain.  ``position`` counts from 1 at the article end; ``link`` is how
    this hop took the claim from the next one (``quoted from`` / ``derived from``), None for
    the last hop."""

    position: int
    report: Ref
    kind: str
    role: str | None
    carrier: Agent | None
    cue_verb: str | None
    channel: str | None
    date: str | None
    observed: bool | None
    certainty: str | None
    polarity: str | None
    verbatim: str | None
    occasion: Ref | None
    location: Ref | None
    in_reply_to: list[Ref]
    after: list[Ref]
    revision: Revision | None
    evidence: list[Evidence]
    link: str | None


@dataclass(frozen=True)
class Circularity:
    """Circular reporting on one chain: a ``derivation-cycle`` (the reports derive from each
    other in a loop) or a ``citation-loop`` (A cites B, which cites A, across reports)."""

    kind: str
    reports: list[str]
    carriers: list[str]
    message: str


@dataclass(frozen=True)
class Chain:
    """One path from a report at the article end to the origin.  ``origin`` is the carrier
    of the last hop; ``traced`` is True when that hop is the speaker's (hop role
    ``cg:speaker``) or its carrier is a claimant of the claim.  An untraced chain of a claim
    with a single claimant takes that claimant as its origin (``origin_inferred``): the
    claimant is by definition the original speaker, the chain just skips the utterance."""

    number: int
    hops: list[Hop]
    origin: Agent | None
    traced: bool
    circular: Circularity | None = None
    origin_inferred: bool = False

    def summary(self) -> str:
        """``Outlet ← Agency ← Speaker``, article end first."""
        names = [h.carrier.label if h.carrier else h.report.id for h in self.hops]
        text = " ← ".join(names)
        if self.circular is not None and self.circular.kind == "derivation-cycle":
            text += " ← (loops back)"
        return text


@dataclass(frozen=True)
class SourceGroup:
    """One independent source: the origin agent(s) and the chains that lead to it."""

    label: str
    agents: list[Agent]
    chains: list[int]
    origin_reports: list[str]
    anonymous: bool
    affiliations: list[Ref]


@dataclass(frozen=True)
class Corroboration:
    """How many independent sources stand behind a claim, and why."""

    claim: Ref
    independent_sources: int
    chains: int
    sources: list[SourceGroup]
    reasoning: list[str]

    @property
    def single_source(self) -> bool:
        """Exactly one independent source."""
        return self.independent_sources == 1

    @property
    def anonymous_only(self) -> bool:
        """Every independent source is anonymous (and there is at least one)."""
        return bool(self.sources) and all(s.anonymous for s in self.sources)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["single_source"] = self.single_source
        d["anonymous_only"] = self.anonymous_only
        return d

    def text(self) -> str:
        """The count, the sources and the reasoning, for people."""
        n = self.independent_sources
        lines = [
            f"{self.claim.id}  {self.claim.label}",
            f"independent sources: {n} (from {self.chains} {plural(self.chains, 'chain')})",
        ]
        for i, s in enumerate(self.sources, 1):
            kind = "anonymous" if s.anonymous else "named"
            aff = (
                f", affiliated with {', '.join(a.label for a in s.affiliations)}"
                if s.affiliations
                else ""
            )
            chains = ", ".join(str(c) for c in s.chains) or "none"
            lines.append(f"  {i}. {s.label} ({kind}{aff}); chains {chains}")
        lines.append("reasoning:")
        lines += [f"  - {r}" for r in self.reasoning]
        return "\n".join(lines) + "\n"


FLAG_CODES: tuple[str, ...] = (
    "anonymous-only",
    "single-source",
    "no-source",
    "circular-reporting",
    "untraced-chain",
    "no-evidence",
    "evidence-mismatch",
    "shape-warning",
    "contradicted",
    "superseded",
    "retracted",
)
"""Every :attr:`Flag.code` (documented in ``docs/provenance.md``)."""


@dataclass(frozen=True)
class Flag:
    """A warning for fact-checkers about a claim: ``single-source``, ``anonymous-only``,
    ``circular-reporting``, ``untraced-chain``, ``no-evidence``, ``evidence-mismatch``,
    ``contradicted``, ``superseded``, ``retracted`` or ``shape-warning`` (a warning the shapes
    recorded when the claim's batch was ingested)."""

    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class ReviewInfo:
    """A fact-checker's verdict on a claim (a ``schema:ClaimReview``)."""

    iri: str
    id: str
    author: Ref | None
    date: str | None
    rating_label: str | None
    rating_value: str | None
    normalized: Ref | None
    note: str | None
    retracted: bool
    batch: str | None


@dataclass(frozen=True)
class ClaimInfo:
    """The claim itself: text, claimants, date and what it is about."""

    iri: str
    id: str
    label: str
    text: str | None
    types: list[str]
    claimants: list[Agent]
    date: str | None
    about_events: list[Ref]
    about_actors: list[Ref]
    topics: list[Ref]
    stated_property: Ref | None
    stated_value: str | None
    supports: list[Ref]
    contradicts: list[Ref]
    conflicts_with: list[Ref]
    same_claim_as: list[Ref]
    supersedes: list[Ref]
    superseded_by: list[Ref]
    retracted: bool


@dataclass(frozen=True)
class Trace:
    """Everything a fact-checker needs about one claim: the claim, each reporting chain hop by
    hop with its evidence, the corroboration count, the flags and the reviews."""

    claim: ClaimInfo
    chains: list[Chain]
    corroboration: Corroboration
    flags: list[Flag]
    reviews: list[ReviewInfo]

    def as_dict(self) -> dict[str, Any]:
        """The JSON structure documented in ``docs/provenance.md``."""
        return {
            "claim": asdict(self.claim),
            "chains": [asdict(c) | {"summary": c.summary()} for c in self.chains],
            "corroboration": self.corroboration.as_dict(),
            "flags": [asdict(f) for f in self.flags],
            "reviews": [asdict(r) for r in self.reviews],
        }

    def text(self) -> str:
        """The trace as a readable tree."""
        return _trace_text(self)

    def prov_triples(self) -> list[ox.Triple]:
        """The trace as PROV-O (plus the claimgraph and Web Annotation terms it refines)."""
        return _prov_triples(self)

    def turtle(self) -> str:
        """:meth:`prov_triples` serialised as Turtle by pyoxigraph."""
        triples = sorted(
            self.prov_triples(), key=lambda t: (isinstance(t.subject, ox.BlankNode), str(t.subject))
        )
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES)
        return data.decode("utf-8") if data else ""


@dataclass(frozen=True)
class ContradictionSide:
    """One side of a contradiction: the claim, who stands behind it, how independently."""

    claim: Ref
    text: str | None
    stated_value: str | None
    claimants: list[Agent]
    independent_sources: int
    sources: list[SourceGroup]
    chains: list[str]
    flags: list[str]


@dataclass(frozen=True)
class Contradiction:
    """Two claims that cannot both be true.  ``kind`` is ``asserted`` (someone stated
    ``cg:contradicts``, a ``cg:ClaimRelation`` or a ``cg:denies``), ``detected`` (both give a
    different value for the same property of the same event) or ``asserted+detected``."""

    kind: str
    basis: list[str]
    event: Ref | None
    property: Ref | None
    sides: list[ContradictionSide]
    shared_sources: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ClaimSummary:
    """One claim in a listing: its id, label, number of independent sources and flags."""

    claim: Ref
    independent_sources: int
    chains: int
    flags: list[Flag]


@dataclass(frozen=True)
class ReviewResult:
    """What :func:`record_review` wrote: the review's IRI, its batch and the normalised
    rating; ``created`` is False when the identical review was already there."""

    review: str
    batch: str
    created: bool
    normalized: str
    rating_label: str


_TURTLE_PREFIXES = {
    p: PREFIXES[p] for p in ("rdf", "rdfs", "xsd", "prov", "schema", "oa", "cg", "cgi")
}


# ------------------------------------------------------------------------ vocabulary


def _claim_classes() -> set[str]:
    return set(subclasses(CG + "Claim")) | {SCHEMA + "Claim"}


# --------------------------------------------------------------------------- helpers


def _rows(store: Store, sparql: str, **bindings: ox.NamedNode) -> ox.QuerySolutions:
    result = store.query(sparql, bindings=bindings or None)
    assert isinstance(result, ox.QuerySolutions)
    return result


class _Facts:
    """Property values of a set of resources, with label picking."""

    def __init__(self, lang: str = "en") -> None:
        self.values: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = (
            defaultdict(lambda: defaultdict(list))
        )
        self.lang = lang
        self._iris: dict[tuple[str, str], list[str]] = {}
        self._refs: dict[str, Ref] = {}

    def add(self, s: str, p: str, o: Any) -> None:
        vals = self.values[s][p]
        if o not in vals:
            vals.append(o)
            self._iris.pop((s, p), None)
            self._refs.pop(s, None)

    def get(self, s: str, p: str) -> list[Any]:
        return self.values.get(s, {}).get(p, [])

    def first(self, s: str, p: str) -> Any:
        vals = self.get(s, p)
        return self._pick(vals) if vals else None

    def iris(self, s: str, p: str) -> list[str]:
        found = self._iris.get((s, p))
        if found is None:
            found = sorted({v.value for v in self.get(s, p) if isinstance(v, ox.NamedNode)})
            self._iris[(s, p)] = found
        return list(found)

    def _pick(self, vals: list[Any]) -> Any:
        return choose_literal(vals, self.lang)

    def label(self, iri: str) -> str:
        for p in (RDFS + "label", CG + "headline", SCHEMA + "name"):
            v = self.first(iri, p)
            if v is not None:
                return str(term_text(v))
        return term_label(iri, self.lang)

    def ref(self, iri: str) -> Ref:
        found = self._refs.get(iri)
        if found is None:
            found = self._refs[iri] = Ref(iri, compact(iri), self.label(iri))
        return found

    def types(self, iri: str) -> list[str]:
        return most_specific(self.iris(iri, RDF + "type"))


def _load_facts(
    store: Store,
    facts: _Facts,
    iris: Iterable[str],
    props: Sequence[str],
    *,
    inverse: Sequence[str] = (),
) -> None:
    """Fill ``facts`` with the ``props`` of ``iris``, and the subjects of the ``inverse``
    properties pointing at them (recorded under ``^p``).

    (The properties go in a FILTER: a second VALUES block for them makes pyoxigraph 0.5
    evaluate the triple pattern unbound, hundreds of times slower.)"""
    iris = list(iris)
    if not iris:
        return
    flt = f"FILTER(?p IN ({', '.join(sparql_iri(p) for p in props)}))"
    for values in values_blocks("s", iris):
        for row in _rows(store, f"SELECT ?s ?p ?o WHERE {{ {values} ?s ?p ?o {flt} }}"):
            facts.add(row["s"].value, row["p"].value, row["o"])
    if inverse:
        inv = f"FILTER(?p IN ({', '.join(sparql_iri(p) for p in inverse)}))"
        for values in values_blocks("s", iris):
            for row in _rows(store, f"SELECT ?s ?p ?o WHERE {{ {values} ?o ?p ?s {inv} }}"):
                facts.add(row["s"].value, "^" + row["p"].value, row["o"])


# ------------------------------------------------------------------ resolving a claim


def resolve_claim(store: Store, text: str) -> str:
    """The IRI of the claim ``text`` names: a full IRI, a prefixed name (``cgi:claim-x``), an
    unambiguous part of the IRI's local name, or words of its label or text.

    Raises :class:`~claimgraph.errors.NotFound` when nothing matches and
    :class:`~claimgraph.errors.Ambiguous` (listing the candidates) when several do.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> compact(resolve_claim(store, "unrealistic"))
    'cgi:claim-russian-demands-unrealistic'
    >>> resolve_claim(store, "paused")
    Traceback (most recent call last):
    ...
    claimgraph.errors.Ambiguous: 'paused' matches 2 claims: cgi:claim-delegations-paused ...
    """
    ref = text.strip()
    if not ref:
        raise UsageError(
            "name a claim: its IRI, cgi:claim-…, part of its id, or words of its label"
        )
    iri = as_iri(ref)
    if iri is not None:
        if _all_claims(store, iri=iri):
            return iri
        types = [
            r["t"].value
            for r in _rows(store, "SELECT ?x ?t WHERE { ?x a ?t }", x=ox.NamedNode(iri))
        ]
        if types:
            kinds = ", ".join(sorted(compact(t) for t in most_specific(types)))
            raise UsageError(f"{compact(iri)} is a {kinds}, not a claim")
        if ref.startswith(("http://", "https://", "urn:", "<")):
            raise NotFound(f"no claim {compact(iri)} in the store. {_LIST_HINT}")
    needle = ref.lower()
    local = (
        needle.split(":", 1)[1] if ":" in needle and needle.split(":", 1)[0] in PREFIXES else needle
    )
    # every tier below needs the longest word of ``local`` somewhere in the id, label or text:
    # let the store narrow the candidates to those
    claims = _all_claims(store, containing=max(local.split() or [local], key=len))
    tiers: list[list[str]] = [[], [], []]
    for c, (label, claim_text) in claims.items():
        name = local_name(c).lower()
        words = f"{name.replace('-', ' ')} {label} {claim_text}".lower()
        if name in (local, f"claim-{local}") or label.lower() == needle:
            tiers[0].append(c)
        elif (
            name.startswith(local)
            or name.endswith(local)
            or name.startswith(f"claim-{local}")
            or label.lower().startswith(needle)
        ):
            tiers[1].append(c)
        elif local in name or all(w in words for w in needle.split()):
            tiers[2].append(c)
    for found in tiers:
        if len(found) == 1:
            return found[0]
        if found:
            raise _ambiguous(ref, sorted(found), claims)
    raise NotFound(f"no claim matches {ref!r}. {_LIST_HINT}")


_LIST_HINT = "List the claims with `claimgraph claims` (over HTTP: GET /api/claims)."


def _ambiguous(ref: str, found: list[str], claims: dict[str, tuple[str, str]]) -> Ambiguous:
    """The error for several matches, with ``candidates`` (built here, not in the raising
    frame, so that no frame holds its own exception: that cycle would keep the store open
    until the garbage collector runs)."""
    shown = "; ".join(f"{compact(c)} ({claims[c][0]})" for c in found[:12])
    more = f"; and {len(found) - 12} more" if len(found) > 12 else ""
    err = Ambiguous(
        f"{ref!r} matches {len(found)} claims: {shown}{more}. Give more of the name, or the IRI"
    )
    err.candidates = found  # type: ignore[attr-defined]
    return err


def _all_claims(
    store: Store, *, iri: str | None = None, containing: str | None = None
) -> dict[str, tuple[str, str]]:
    """Every claim: IRI → (label, claim text); only ``iri`` if given; only claims whose IRI,
    label or text contains ``containing`` (lower case) if given."""
    classes = " ".join(sparql_iri(c) for c in sorted(_claim_classes()))
    out: dict[str, tuple[str, str]] = {}
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    flt = ""
    if iri is not None:
        bindings["c"] = ox.NamedNode(iri)
    if containing:
        bindings["q"] = ox.Literal(containing)
        flt = (
            "FILTER(CONTAINS(LCASE(STR(?c)), ?q) || CONTAINS(LCASE(STR(?l)), ?q) "
            "|| CONTAINS(LCASE(STR(?x)), ?q))"
        )
    query = f"""SELECT ?c ?q (SAMPLE(?l) AS ?label) (SAMPLE(?x) AS ?text) WHERE {{
        {{ VALUES ?t {{ {classes} }} ?c a ?t }} UNION {{ ?r cg:reports ?c }}
        FILTER(isIRI(?c))
        OPTIONAL {{ ?c rdfs:label ?l }} OPTIONAL {{ ?c cg:claimText ?x }}
        {flt}
    }} GROUP BY ?c ?q"""
    result = store.query(query, bindings=bindings or None)
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        c = row["c"].value
        out[c] = (term_text(row["label"]) or humanise(c), term_text(row["text"]) or "")
    return out


# ------------------------------------------------------------------ loading the chains


_REPORT_PROPS = [RDF + "type"] + [
    CG + p
    for p in (
        "reports",
        "carrier",
        "hopRole",
        "derivedFrom",
        "quotedFrom",
        "cueVerb",
        "channel",
        "reportedAt",
        "observed",
        "certainty",
        "polarity",
        "verbatim",
        "occasion",
        "location",
        "inReplyTo",
        "after",
        "inArticle",
    )
]
_CLAIM_PROPS = [RDF + "type", RDFS + "label"] + [
    CG + p
    for p in (
        "claimText",
        "claimant",
        "claimDate",
        "aboutEvent",
        "aboutActor",
        "topic",
        "statedProperty",
        "statedValue",
        "supports",
        "contradicts",
        "supersedes",
        "sameClaimAs",
        "retracted",
        "denies",
    )
]
_AGENT_PROPS = [RDF + "type", RDFS + "label"] + [
    CG + p
    for p in (
        "describedAs",
        "affiliatedWith",
        "represents",
        "anonymityLevel",
        "isGroup",
        "possiblySameAs",
        "appearsIn",
    )
]
_REVISION_PROPS = [
    RDF + "type",
    RDFS + "label",
    CG + "revisionNumber",
    CG + "revisionLabel",
    CG + "published",
    CG + "revisionOf",
    PROV + "wasRevisionOf",
    CG + "textAvailable",
    CG + "headline",
    CG + "publisher",
]


@dataclass
class _Index:
    """What the computations read: claims, their reports and everything those name."""

    facts: _Facts
    claims: list[str]
    reports_of: dict[str, list[str]]
    evidence: dict[str, list[Evidence]]
    warnings: dict[str, list[str]]
    same_as_scores: dict[frozenset[str], str]
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    revisions: dict[str, Revision] = field(default_factory=dict)

    def derived(self, report: str) -> list[str]:
        return sorted(
            set(self.facts.iris(report, CG + "derivedFrom"))
            | set(self.facts.iris(report, CG + "quotedFrom"))
        )


def _load(
    store: Store, claims: list[str] | None, *, lang: str = "en", detail: bool = True
) -> _Index:
    facts = _Facts(lang)
    if claims is None:
        claims = sorted(_all_claims(store))
    reports_of: dict[str, set[str]] = defaultdict(set)
    reports: set[str] = set()
    claim_set = set(claims)
    scope = list(values_blocks("c", claims)) if len(claims) <= 2 * VALUES_CHUNK else [""]
    for values in scope:
        for row in _rows(
            store,
            f"""SELECT DISTINCT ?c ?r WHERE {{ {values}
                ?r0 cg:reports ?c . ?r0 ({_LINKS})* ?r . FILTER(isIRI(?r)) }}""",
        ):
            c = row["c"].value
            if c in claim_set:
                reports_of[c].add(row["r"].value)
                reports.add(row["r"].value)
    _load_facts(store, facts, reports, _REPORT_PROPS)
    _load_facts(
        store,
        facts,
        claims,
        _CLAIM_PROPS,
        inverse=[CG + "supersedes", CG + "contradicts", CG + "denies", CG + "sameClaimAs"],
    )
    agents: set[str] = set()
    for r in reports:
        agents.update(facts.iris(r, CG + "carrier"))
    for c in claims:
        agents.update(facts.iris(c, CG + "claimant"))
    _load_facts(store, facts, agents, _AGENT_PROPS, inverse=[CG + "possiblySameAs"])
    named: set[str] = set()
    for a in agents:
        named.update(facts.iris(a, CG + "affiliatedWith"))
        named.update(facts.iris(a, CG + "possiblySameAs"))
        named.update(
            v.value
            for v in facts.get(a, "^" + CG + "possiblySameAs")
            if isinstance(v, ox.NamedNode)
        )
    scores: dict[frozenset[str], str] = {}
    if agents:
        for values in values_blocks("a", agents):
            for row in _rows(
                store,
                f"""SELECT ?a ?b ?score WHERE {{ {values}
                    ?ic cg:candidate ?a , ?b ; cg:score ?score . FILTER(?a != ?b) }}""",
            ):
                scores[frozenset((row["a"].value, row["b"].value))] = row["score"].value
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    revisions: set[str] = set()
    if detail:
        for r in reports:
            revisions.update(facts.iris(r, CG + "inArticle"))
            for p in ("occasion", "location", "inReplyTo", "after"):
                named.update(facts.iris(r, CG + p))
        for c in claims:
            for p in (
                "aboutEvent",
                "aboutActor",
                "topic",
                "supports",
                "contradicts",
                "supersedes",
                "sameClaimAs",
            ):
                named.update(facts.iris(c, CG + p))
            named.update(
                v.value
                for p in ("supersedes", "contradicts", "sameClaimAs")
                for v in facts.get(c, f"^{CG}{p}")
                if isinstance(v, ox.NamedNode)
            )
        _load_evidence(store, reports, evidence, revisions)
        _load_facts(store, facts, revisions, _REVISION_PROPS, inverse=[CG + "hasRevision"])
        for rev in revisions:
            named.update(facts.iris(rev, CG + "revisionOf"))
            named.update(facts.iris(rev, PROV + "wasRevisionOf"))
            named.update(
                v.value
                for v in facts.get(rev, "^" + CG + "hasRevision")
                if isinstance(v, ox.NamedNode)
            )
        articles = {a for rev in revisions for a in facts.iris(rev, CG + "revisionOf")} | {
            v.value
            for rev in revisions
            for v in facts.get(rev, "^" + CG + "hasRevision")
            if isinstance(v, ox.NamedNode)
        }
        _load_facts(
            store,
            facts,
            articles,
            [RDFS + "label", CG + "headline", CG + "publisher", CG + "published"],
        )
        named.update(p for a in articles for p in facts.iris(a, CG + "publisher"))
    warnings: dict[str, list[str]] = defaultdict(list)
    for values in values_blocks("c", claims):
        for row in _rows(
            store,
            f"""SELECT DISTINCT ?c ?m WHERE {{ {values}
                GRAPH {sparql_iri(META_GRAPH)} {{ ?b cg:validationWarning ?w . ?w sh:focusNode ?c ;
                sh:resultMessage ?m }} }}""",
        ):
            warnings[row["c"].value].append(row["m"].value)
    conflicts: dict[str, set[str]] = defaultdict(set)
    for values in values_blocks("c", claims):
        for row in _rows(store, f"""SELECT DISTINCT ?c ?o WHERE {{ {values} {_CONFLICT} }}"""):
            conflicts[row["c"].value].add(row["o"].value)
    named.update(o for os_ in conflicts.values() for o in os_)
    _load_facts(store, facts, named - set(facts.values), [RDFS + "label", RDF + "type"])
    return _Index(
        facts,
        claims,
        {c: sorted(rs) for c, rs in reports_of.items()},
        evidence,
        warnings,
        scores,
        {c: sorted(o) for c, o in conflicts.items()},
    )


_CONFLICT = """
    ?c cg:aboutEvent ?e ; cg:statedProperty ?p ; cg:statedValue ?v .
    ?o cg:aboutEvent ?e ; cg:statedProperty ?p ; cg:statedValue ?w .
    FILTER(isIRI(?o) && ?o != ?c)
    FILTER(!sameTerm(?v, ?w) && COALESCE(?v != ?w, true))
    FILTER NOT EXISTS { ?c cg:statedValue ?w }
    FILTER NOT EXISTS { ?o cg:statedValue ?v }
    FILTER NOT EXISTS { ?c cg:supersedes|^cg:supersedes ?o }
"""
"""Two claims give different values for the same property of the same event (``?c``, ``?o``);
a claim that supersedes the other is an update, not a contradiction."""


def _load_evidence(
    store: Store, reports: set[str], evidence: dict[str, list[Evidence]], revisions: set[str]
) -> None:
    mismatched: list[tuple[str, int, Evidence]] = []
    for values in values_blocks("r", reports):
        rows = _rows(
            store,
            f"""SELECT ?r ?src ?exact ?start ?end ?len ?found WHERE {{ {values}
            ?r cg:evidence ?e .
            OPTIONAL {{ ?e oa:hasSource ?src }}
            OPTIONAL {{ ?e oa:hasSelector ?sel .
                OPTIONAL {{ ?sel oa:exact ?exact }} OPTIONAL {{ ?sel oa:start ?start }}
                OPTIONAL {{ ?sel oa:end ?end }} }}
            OPTIONAL {{ ?src cg:text ?text }}
            BIND(STRLEN(?text) AS ?len)
            BIND(SUBSTR(?text, xsd:integer(?start) + 1,
                        xsd:integer(?end) - xsd:integer(?start)) AS ?found)
        }} ORDER BY ?r ?start""",
        )
        for row in rows:
            r = row["r"].value
            src, exact = term_text(row["src"]), term_text(row["exact"])
            start, end = term_int(row["start"]), term_int(row["end"])
            length, found = term_int(row["len"]), term_text(row["found"])
            if src:
                revisions.add(src)
            problem = None
            if src is None:
                problem = "the evidence names no revision (oa:hasSource)"
            elif exact is None:
                problem = "the evidence has no quote (oa:exact)"
            elif start is None or end is None:
                problem = "the evidence has no offsets (oa:start, oa:end)"
            elif length is None:
                problem = f"the store holds no text for {compact(src)} to check the quote against"
            elif not (0 <= start <= end <= length):
                problem = f"offsets [{start}, {end}) lie outside the text ({length} characters)"
            elif found != exact:
                problem = f"the text at [{start}, {end}) is {found!r}, not the quote"
            ev = Evidence(src, exact, start, end, problem is None, problem)
            if problem is not None and exact and src and length is not None:
                mismatched.append((r, len(evidence[r]), ev))
            evidence[r].append(ev)
    for r, i, ev in mismatched:
        assert ev.revision is not None and ev.exact is not None
        text = revision_text(store, ev.revision)
        at = text.find(ev.exact) if text else -1
        if at >= 0:
            evidence[r][i] = replace(ev, found_at=at)


def revision_text(store: Store, revision: str) -> str | None:
    """The text of an article revision (``cg:text``), or None when the store holds none."""
    for row in _rows(
        store, "SELECT ?rev ?t WHERE { ?rev cg:text ?t } LIMIT 1", rev=ox.NamedNode(revision)
    ):
        return str(row["t"].value)
    return None


# -------------------------------------------------------------------- building values


def _agent(ix: _Index, iri: str) -> Agent:
    found = ix.agents.get(iri)
    if found is None:
        found = ix.agents[iri] = _make_agent(ix, iri)
    return found


def _make_agent(ix: _Index, iri: str) -> Agent:
    f = ix.facts
    types = f.types(iri)
    anonymous = is_a(types, CG + "AnonymousSource")
    same = set(f.iris(iri, CG + "possiblySameAs")) | {
        v.value for v in f.get(iri, "^" + CG + "possiblySameAs") if isinstance(v, ox.NamedNode)
    }
    level = f.first(iri, CG + "anonymityLevel")
    return Agent(
        iri=iri,
        id=compact(iri),
        label=f.label(iri),
        types=[compact(t) for t in types],
        anonymous=anonymous,
        described_as=term_text(f.first(iri, CG + "describedAs")),
        affiliations=[f.ref(a) for a in f.iris(iri, CG + "affiliatedWith")],
        anonymity_level=f.label(level.value) if isinstance(level, ox.NamedNode) else None,
        is_group=term_bool(f.first(iri, CG + "isGroup")),
        possibly_same_as=[f.ref(a) for a in sorted(same)],
    )


def _revision(ix: _Index, iri: str) -> Revision:
    found = ix.revisions.get(iri)
    if found is None:
        found = ix.revisions[iri] = _make_revision(ix, iri)
    return found


def _make_revision(ix: _Index, iri: str) -> Revision:
    f = ix.facts
    articles = f.iris(iri, CG + "revisionOf") or sorted(
        v.value for v in f.get(iri, "^" + CG + "hasRevision") if isinstance(v, ox.NamedNode)
    )
    article = articles[0] if articles else None
    publisher = None
    if article is not None:
        pubs = f.iris(article, CG + "publisher")
        publisher = f.ref(pubs[0]) if pubs else None
    previous = f.iris(iri, PROV + "wasRevisionOf")
    return Revision(
        iri=iri,
        id=compact(iri),
        label=f.label(iri),
        number=term_int(f.first(iri, CG + "revisionNumber")),
        revision_label=term_text(f.first(iri, CG + "revisionLabel")),
        published=term_text(f.first(iri, CG + "published"))
        or (term_text(f.first(article, CG + "published")) if article else None),
        article=f.ref(article) if article else None,
        publisher=publisher,
        previous=f.ref(previous[0]) if previous else None,
        text_available=term_bool(f.first(iri, CG + "textAvailable")),
    )


_KINDS = [
    ("ArticleMention", "article mention"),
    ("WireReport", "wire report"),
    ("Utterance", "utterance"),
]


def _hop(ix: _Index, report: str, position: int, link: str | None) -> Hop:
    f = ix.facts
    types = f.types(report)
    kind = next((name for cls, name in _KINDS if is_a(types, CG + cls)), "report")
    role = f.first(report, CG + "hopRole")
    carriers = f.iris(report, CG + "carrier")
    revisions = f.iris(report, CG + "inArticle")
    occasion = f.iris(report, CG + "occasion")
    location = f.iris(report, CG + "location")
    return Hop(
        position=position,
        report=f.ref(report),
        kind=kind,
        role=local_name(role.value) if isinstance(role, ox.NamedNode) else None,
        carrier=_agent(ix, carriers[0]) if carriers else None,
        cue_verb=term_text(f.first(report, CG + "cueVerb")),
        channel=term_text(f.first(report, CG + "channel")),
        date=term_text(f.first(report, CG + "reportedAt")),
        observed=term_bool(f.first(report, CG + "observed")),
        certainty=_code(f.first(report, CG + "certainty")),
        polarity=_code(f.first(report, CG + "polarity")),
        verbatim=term_text(f.first(report, CG + "verbatim")),
        occasion=f.ref(occasion[0]) if occasion else None,
        location=f.ref(location[0]) if location else None,
        in_reply_to=[f.ref(x) for x in f.iris(report, CG + "inReplyTo")],
        after=[f.ref(x) for x in f.iris(report, CG + "after")],
        revision=_revision(ix, revisions[0]) if revisions else None,
        evidence=list(ix.evidence.get(report, [])),
        link=link,
    )


def _code(term: Any) -> str | None:
    """A code-list value by its local name (``cg:probable`` → ``probable``)."""
    if isinstance(term, ox.NamedNode):
        return local_name(term.value)
    return term_text(term)


def _paths(ix: _Index, claim: str) -> list[tuple[list[str], list[str] | None]]:
    """Every path from a head report of ``claim`` to an end, with the cycle that stopped it
    (reports, first repeated at the end) or None."""
    reports = ix.reports_of.get(claim, [])
    carrying = [r for r in reports if claim in ix.facts.iris(r, CG + "reports")]
    fed = {d for r in carrying for d in ix.derived(r)}
    heads = [r for r in carrying if r not in fed]
    f = ix.facts
    heads.sort(key=lambda r: (not term_bool(f.first(r, CG + "observed")), r))
    out: list[tuple[list[str], list[str] | None]] = []
    visited: set[str] = set()

    def walk(path: list[str]) -> None:
        if len(out) >= _MAX_CHAINS:
            return
        visited.add(path[-1])
        nexts = ix.derived(path[-1])
        if not nexts:
            out.append((path, None))
        for n in nexts:
            if n in path:
                out.append((path, path[path.index(n) :] + [n]))
            else:
                walk(path + [n])

    for h in heads:
        walk([h])
    for r in carrying:  # reports only reachable through a loop
        if r not in visited:
            walk([r])
    return out


def _citation_loop(hops: list[Hop]) -> Circularity | None:
    carriers = [h.carrier.iri if h.carrier else None for h in hops]
    for i, a in enumerate(carriers):
        if a is None:
            continue
        for k in range(i + 2, len(carriers)):
            if carriers[k] == a and any(c not in (a, None) for c in carriers[i + 1 : k]):
                seg = hops[i : k + 1]
                names = [h.carrier.label if h.carrier else "?" for h in seg]
                return Circularity(
                    "citation-loop",
                    [h.report.id for h in seg],
                    [h.carrier.id if h.carrier else "?" for h in seg],
                    f"circular reporting: {' cites '.join(names)} — {names[0]} is cited back "
                    "to itself, so the intermediaries do not confirm it independently",
                )
    return None


def _chains(ix: _Index, claim: str) -> list[Chain]:
    claimants = set(ix.facts.iris(claim, CG + "claimant"))
    chains: list[Chain] = []
    for n, (path, cycle) in enumerate(_paths(ix, claim), 1):
        hops = []
        for i, r in enumerate(path):
            link = None
            nxt = path[i + 1] if i + 1 < len(path) else (cycle[-1] if cycle else None)
            if nxt is not None:
                link = (
                    "quoted from" if nxt in ix.facts.iris(r, CG + "quotedFrom") else "derived from"
                )
            hops.append(_hop(ix, r, i + 1, link))
        circular = None
        if cycle is not None:
            ids = [compact(r) for r in cycle]
            circular = Circularity(
                "derivation-cycle",
                ids,
                [compact(c) for r in cycle for c in ix.facts.iris(r, CG + "carrier")[:1]],
                "circular reporting: the reports derive from each other in a loop ("
                + " → ".join(ids)
                + "); the chain never reaches an original speaker",
            )
        else:
            circular = _citation_loop(hops)
        last = hops[-1]
        origin = None if cycle is not None else last.carrier
        traced = (
            cycle is None
            and origin is not None
            and (last.role == "speaker" or origin.iri in claimants)
        )
        inferred = False
        if cycle is None and not traced and len(claimants) == 1:
            origin, inferred = _agent(ix, next(iter(claimants))), True
        chains.append(Chain(n, hops, origin, traced, circular, inferred))
    return chains


def _claim_info(ix: _Index, claim: str) -> ClaimInfo:
    f = ix.facts
    prop = f.iris(claim, CG + "statedProperty")
    value = f.first(claim, CG + "statedValue")

    def refs(p: str) -> list[Ref]:
        return [f.ref(x) for x in f.iris(claim, p)]

    def inverse(p: str) -> list[str]:
        return sorted(v.value for v in f.get(claim, "^" + p) if isinstance(v, ox.NamedNode))

    contradicts = sorted(set(f.iris(claim, CG + "contradicts")) | set(inverse(CG + "contradicts")))
    return ClaimInfo(
        iri=claim,
        id=compact(claim),
        label=f.label(claim),
        text=term_text(f.first(claim, CG + "claimText")),
        types=[compact(t) for t in f.types(claim)],
        claimants=[_agent(ix, a) for a in f.iris(claim, CG + "claimant")],
        date=term_text(f.first(claim, CG + "claimDate")),
        about_events=refs(CG + "aboutEvent"),
        about_actors=refs(CG + "aboutActor"),
        topics=refs(CG + "topic"),
        stated_property=f.ref(prop[0]) if prop else None,
        stated_value=_value_text(f, value),
        supports=refs(CG + "supports"),
        contradicts=[f.ref(x) for x in contradicts],
        conflicts_with=[f.ref(x) for x in ix.conflicts.get(claim, [])],
        same_claim_as=[
            f.ref(x)
            for x in sorted(
                set(f.iris(claim, CG + "sameClaimAs")) | set(inverse(CG + "sameClaimAs"))
            )
        ],
        supersedes=refs(CG + "supersedes"),
        superseded_by=[f.ref(x) for x in inverse(CG + "supersedes")],
        retracted=bool(term_bool(f.first(claim, CG + "retracted"))),
    )


def _value_text(f: _Facts, value: Any) -> str | None:
    if isinstance(value, ox.NamedNode):
        return compact(value.value)
    return term_text(value)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def _corroboration(ix: _Index, claim: str, chains: list[Chain]) -> Corroboration:
    f = ix.facts
    reasoning: list[str] = []
    for c in chains:
        origin = c.origin.label if c.origin else "no origin"
        reasoning.append(f"chain {c.number}: {c.summary()} (origin: {origin})")
    counted = [c for c in chains if c.origin is not None]
    for c in chains:
        if c.origin is None and c.circular is not None:
            reasoning.append(
                f"chain {c.number} loops ({' → '.join(c.circular.reports)}): it "
                "has no origin and is not counted"
            )
        elif c.origin is not None and not c.traced:
            last = c.hops[-1]
            ends = (
                f"chain {c.number} ends at the {last.role or 'report'} hop "
                f"({last.report.id}) that names no speaker"
            )
            if c.origin_inferred:
                reasoning.append(
                    f"{ends}: the claim's only claimant, {c.origin.label}, is taken as its origin"
                )
            else:
                reasoning.append(f"{ends}: {c.origin.label} is counted as its source")
        if c.circular is not None and c.circular.kind == "citation-loop":
            reasoning.append(f"chain {c.number}: {c.circular.message}")
    uf = _UnionFind()
    agents: dict[str, Agent] = {}
    chain_agent: dict[int, str] = {}
    for c in counted:
        assert c.origin is not None
        agents[c.origin.iri] = c.origin
        chain_agent[c.number] = c.origin.iri
        uf.find(c.origin.iri)
    if not counted and not chains:
        claimants = f.iris(claim, CG + "claimant")
        for a in claimants:
            agents[a] = _agent(ix, a)
            uf.find(a)
        if claimants:
            reasoning.append(
                "no reporting chain is recorded: the claimants named on the claim "
                "are counted as its sources"
            )
    # chains that meet at a shared report share its origin
    seen_meet: set[tuple[int, int]] = set()
    for i, ca in enumerate(counted):
        for cb in counted[i + 1 :]:
            shared = [
                h.report.iri for h in ca.hops if any(h.report.iri == x.report.iri for x in cb.hops)
            ]
            if shared and (ca.number, cb.number) not in seen_meet:
                seen_meet.add((ca.number, cb.number))
                first = shared[0]
                carrier = next(
                    (h.carrier.label for h in ca.hops if h.report.iri == first and h.carrier), "?"
                )
                uf.union(chain_agent[ca.number], chain_agent[cb.number])
                reasoning.append(
                    f"chains {ca.number} and {cb.number} meet at {compact(first)} ({carrier}) "
                    "and share its origin: they count once"
                )
    # the same origin agent through separate reports
    by_agent: dict[str, list[int]] = defaultdict(list)
    for c in counted:
        by_agent[chain_agent[c.number]].append(c.number)
    for a, nums in sorted(by_agent.items()):
        if len(nums) > 1:
            pairs_met = all((x, y) in seen_meet for i, x in enumerate(nums) for y in nums[i + 1 :])
            if not pairs_met:
                reasoning.append(
                    f"chains {', '.join(map(str, nums))} all originate with "
                    f"{agents[a].label}: one source"
                )
    # anonymous sources that may be the same agent
    for a in sorted(agents):
        for other in agents[a].possibly_same_as:
            if other.iri in agents and a < other.iri and uf.union(a, other.iri):
                score = ix.same_as_scores.get(frozenset((a, other.iri)))
                scored = f", score {score}" if score else ""
                reasoning.append(
                    f"{agents[a].label} and {agents[other.iri].label} are possibly the same "
                    f"source (cg:possiblySameAs{scored}): counted once"
                )
    groups: dict[str, list[str]] = defaultdict(list)
    for a in sorted(agents):
        groups[uf.find(a)].append(a)
    sources = []

    def first_chain(root: str) -> tuple[int, str]:
        nums = [n for n, a in chain_agent.items() if a in groups[root]]
        return (min(nums) if nums else 10**9, root)

    for root in sorted(groups, key=first_chain):
        members = [agents[a] for a in groups[root]]
        nums = sorted(n for n, a in chain_agent.items() if a in groups[root])
        origin_reports = sorted({c.hops[-1].report.id for c in counted if c.number in nums})
        affs: dict[str, Ref] = {}
        for m in members:
            for r in m.affiliations:
                affs.setdefault(r.iri, r)
        sources.append(
            SourceGroup(
                label=" / ".join(m.label for m in members),
                agents=members,
                chains=nums,
                origin_reports=origin_reports,
                anonymous=all(m.anonymous for m in members),
                affiliations=[affs[k] for k in sorted(affs)],
            )
        )
    # independent, but on the same side
    for i, sa in enumerate(sources):
        for sb in sources[i + 1 :]:
            common = {r.iri for r in sa.affiliations} & {r.iri for r in sb.affiliations}
            if common:
                names = ", ".join(f.label(x) for x in sorted(common))
                reasoning.append(
                    f"{sa.label} and {sb.label} are independent reports but both "
                    f"are affiliated with {names}"
                )
    same = sorted(
        set(f.iris(claim, CG + "sameClaimAs"))
        | {v.value for v in f.get(claim, "^" + CG + "sameClaimAs") if isinstance(v, ox.NamedNode)}
    )
    for equivalent in same:
        reasoning.append(
            f"{compact(equivalent)} states the same proposition (cg:sameClaimAs); its "
            "chains are its own and are not counted here: trace it too"
        )
    claimants = [a for a in f.iris(claim, CG + "claimant") if a not in agents]
    for a in claimants:
        reasoning.append(f"{f.label(a)} is named as claimant but no recorded chain reaches them")
    n = len(sources)
    names = "; ".join(s.label for s in sources)
    reasoning.append(f"independent sources: {n}" + (f" ({names})" if names else ""))
    return Corroboration(f.ref(claim), n, len(chains), sources, reasoning)


def _flags(ix: _Index, info: ClaimInfo, chains: list[Chain], corr: Corroboration) -> list[Flag]:
    out: list[Flag] = []
    if info.retracted:
        out.append(Flag("retracted", "warning", "the claim was retracted by whoever made it"))
    if info.superseded_by:
        out.append(
            Flag(
                "superseded",
                "warning",
                "superseded by " + ", ".join(r.id for r in info.superseded_by),
            )
        )
    if corr.independent_sources == 0:
        out.append(Flag("no-source", "warning", "no source can be traced for this claim"))
    if corr.anonymous_only:
        which = "a single anonymous source" if corr.single_source else "anonymous sources only"
        out.append(
            Flag(
                "anonymous-only",
                "warning",
                f"rests on {which}: "
                + "; ".join(_anon_text(a) for s in corr.sources for a in s.agents),
            )
        )
    if corr.single_source:
        out.append(
            Flag(
                "single-source",
                "warning" if corr.anonymous_only else "info",
                f"one independent source: {corr.sources[0].label}",
            )
        )
    loops = [c for c in chains if c.circular is not None]
    for c in loops:
        assert c.circular is not None
        out.append(Flag("circular-reporting", "warning", f"chain {c.number}: {c.circular.message}"))
    for c in chains:
        if c.origin is not None and not c.traced:
            out.append(
                Flag(
                    "untraced-chain",
                    "warning",
                    f"chain {c.number} ({c.summary()}) stops before an original speaker",
                )
            )
    if chains and not any(e for c in chains for h in c.hops for e in h.evidence):
        out.append(
            Flag(
                "no-evidence",
                "warning",
                "no hop of any chain points at an article span (cg:evidence)",
            )
        )
    for c in chains:
        for h in c.hops:
            for e in h.evidence:
                if not e.verified:
                    hint = f" (the quote occurs at {e.found_at})" if e.found_at is not None else ""
                    out.append(
                        Flag("evidence-mismatch", "warning", f"{h.report.id}: {e.problem}{hint}")
                    )
    for r in info.contradicts:
        out.append(Flag("contradicted", "info", f"contradicted by {r.id} ({r.label})"))
    prop = info.stated_property.label if info.stated_property else "the same property"
    for r in info.conflicts_with:
        if r.iri not in {x.iri for x in info.contradicts}:
            out.append(
                Flag(
                    "contradicted",
                    "info",
                    f"{r.id} ({r.label}) gives another value for {prop} of the same event",
                )
            )
    for m in ix.warnings.get(info.iri, []):
        out.append(Flag("shape-warning", "warning", compact_text(m)))
    seen: set[tuple[str, str]] = set()
    unique = []
    for fl in out:
        if (fl.code, fl.message) not in seen:
            seen.add((fl.code, fl.message))
            unique.append(fl)
    return unique


def _anon_text(a: Agent) -> str:
    aff = ", ".join(r.label for r in a.affiliations) or "no stated affiliation"
    said = f'"{a.described_as}"' if a.described_as else a.label
    return f"{said} ({a.id}, affiliated with {aff})" if a.anonymous else a.label


def _reviews(store: Store, claim: str, f: _Facts) -> list[ReviewInfo]:
    rows = _rows(
        store,
        """SELECT ?c ?rev ?author ?date ?label ?value ?norm ?note ?retracted ?g
        WHERE {
          GRAPH ?g { ?rev schema:itemReviewed ?c }
          OPTIONAL { ?rev schema:author ?author }
          OPTIONAL { ?rev schema:datePublished ?date }
          OPTIONAL { ?rev schema:reviewRating ?rating .
                     OPTIONAL { ?rating schema:alternateName ?label }
                     OPTIONAL { ?rating schema:ratingValue ?value } }
          OPTIONAL { ?rev cg:normalizedRating ?norm }
          OPTIONAL { ?rev cg:reviewNote|schema:reviewBody ?note }
          OPTIONAL { ?rev cg:retracted ?retracted }
        } ORDER BY ?date ?rev""",
        c=ox.NamedNode(claim),
    )
    found: dict[str, ReviewInfo] = {}
    authors = set()
    raw = list(rows)
    for row in raw:
        if isinstance(row["author"], ox.NamedNode):
            authors.add(row["author"].value)
    _load_facts(store, f, authors - set(f.values), [RDFS + "label", SCHEMA + "name"])
    for row in raw:
        iri = row["rev"].value if isinstance(row["rev"], ox.NamedNode) else str(row["rev"])
        if iri in found:
            continue
        author = row["author"]
        norm = row["norm"]
        found[iri] = ReviewInfo(
            iri=iri,
            id=compact(iri),
            author=(
                f.ref(author.value)
                if isinstance(author, ox.NamedNode)
                else Ref("", "", str(term_text(author)))
                if author is not None
                else None
            ),
            date=term_text(row["date"]),
            rating_label=term_text(row["label"]),
            rating_value=term_text(row["value"]),
            normalized=f.ref(norm.value) if isinstance(norm, ox.NamedNode) else None,
            note=term_text(row["note"]),
            retracted=bool(term_bool(row["retracted"])),
            batch=term_text(row["g"]),
        )
    return list(found.values())


# ------------------------------------------------------------------------ public API


def trace(store: Store, claim: str, *, lang: str = "en") -> Trace:
    """Trace ``claim`` (anything :func:`resolve_claim` accepts) through every reporting chain
    to its original speaker.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> t = trace(store, "cgi:claim-russian-demands-unrealistic")
    >>> ev = t.chains[0].hops[0].evidence[0]
    >>> ev.start, ev.end, ev.verified
    (731, 913, True)
    >>> [f.code for f in t.flags][:2]
    ['anonymous-only', 'single-source']
    """
    iri = resolve_claim(store, claim)
    ix = _load(store, [iri], lang=lang)
    chains = _chains(ix, iri)
    info = _claim_info(ix, iri)
    corr = _corroboration(ix, iri, chains)
    return Trace(info, chains, corr, _flags(ix, info, chains, corr), _reviews(store, iri, ix.facts))


def corroboration(store: Store, claim: str, *, lang: str = "en") -> Corroboration:
    """How many independent sources stand behind ``claim``, with the reasoning.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> c = corroboration(store, "cgi:claim-delegations-paused")
    >>> [s.label for s in c.sources]
    ['TASS', 'Sources from the Ukrainian side']
    """
    iri = resolve_claim(store, claim)
    ix = _load(store, [iri], lang=lang, detail=False)
    return _corroboration(ix, iri, _chains(ix, iri))


def corroborations(
    store: Store, *, lang: str = "en", claims: Sequence[str] | None = None
) -> dict[str, Corroboration]:
    """:func:`corroboration` of every claim (or of those given, as IRIs), by claim IRI, read
    in one pass — what every listing and measure that shows an independent-source count
    uses."""
    ix = _load(store, list(claims) if claims is not None else None, lang=lang, detail=False)
    return {c: _corroboration(ix, c, _chains(ix, c)) for c in sorted(ix.claims)}


def claim_summaries(
    store: Store, *, lang: str = "en", claims: Sequence[str] | None = None
) -> list[ClaimSummary]:
    """Every claim (or those given, as IRIs) with its independent-source count and flags,
    sorted by IRI — what ``claimgraph claims`` and ``claimgraph flags`` show."""
    ix = _load(store, list(claims) if claims is not None else None, lang=lang)
    out = []
    for c in sorted(ix.claims):
        chains = _chains(ix, c)
        info = _claim_info(ix, c)
        corr = _corroboration(ix, c, chains)
        out.append(
            ClaimSummary(
                ix.facts.ref(c),
                corr.independent_sources,
                len(chains),
                _flags(ix, info, chains, corr),
            )
        )
    return out


def circular_reporting(store: Store) -> list[Circularity]:
    """Every loop of circular reporting in the store, whether or not a claim's chain reaches
    it: derivation cycles among reports (``cg:derivedFrom``/``cg:quotedFrom``) and citation
    loops (A's report derived, through B's, from an earlier report of A's).

    Data that went through ``ingest`` cannot hold a derivation cycle (a shape refuses it), but
    data written by other means can; this finds both kinds.
    """
    edges: dict[str, list[str]] = defaultdict(list)
    carrier: dict[str, str] = {}
    for row in _rows(
        store,
        f"""SELECT DISTINCT ?a ?b WHERE {{ ?a {_LINKS} ?b
                             FILTER(isIRI(?a) && isIRI(?b)) }}""",
    ):
        edges[row["a"].value].append(row["b"].value)
    for row in _rows(store, "SELECT ?r ?c WHERE { ?r cg:carrier ?c FILTER(isIRI(?r)) }"):
        carrier.setdefault(row["r"].value, row["c"].value)
    labels = _Facts()
    _load_facts(store, labels, set(carrier.values()), [RDFS + "label"])
    out: list[Circularity] = []
    seen_cycles: set[frozenset[str]] = set()
    import networkx as nx

    g = nx.DiGraph()
    for a, bs in edges.items():
        for b in bs:
            g.add_edge(a, b)
    for cycle in nx.simple_cycles(g):
        key = frozenset(cycle)
        if key in seen_cycles:
            continue
        seen_cycles.add(key)
        start = cycle.index(min(cycle))
        loop = cycle[start:] + cycle[:start] + [cycle[start]]
        ids = [compact(r) for r in loop]
        out.append(
            Circularity(
                "derivation-cycle",
                ids,
                [compact(carrier[r]) for r in loop if r in carrier],
                "circular reporting: the reports derive from each other in a loop ("
                + " → ".join(ids)
                + ")",
            )
        )
    # citation loops: a path r1 → … → rk whose carriers go A, B…, A
    in_cycle = {r for c in seen_cycles for r in c}
    seen_loops: set[tuple[str, ...]] = set()
    for start in sorted(edges):
        if start not in carrier or start in in_cycle:
            continue
        a = carrier[start]
        stack: list[list[str]] = [[start]]
        while stack:
            path = stack.pop()
            for n in edges.get(path[-1], []):
                if n in path or n in in_cycle:
                    continue
                new = path + [n]
                if carrier.get(n) == a and any(carrier.get(r) not in (a, None) for r in new[1:-1]):
                    key2 = tuple(new)
                    if key2 not in seen_loops:
                        seen_loops.add(key2)
                        names = [labels.label(carrier[r]) if r in carrier else "?" for r in new]
                        out.append(
                            Circularity(
                                "citation-loop",
                                [compact(r) for r in new],
                                [compact(carrier[r]) for r in new if r in carrier],
                                f"circular reporting: {' cites '.join(names)}",
                            )
                        )
                elif len(new) < 50:
                    stack.append(new)
    return out


def contradictions(
    store: Store, *, lang: str = "en", include_hidden: bool = False
) -> list[Contradiction]:
    """Pairs of claims that contradict each other, asserted (``cg:contradicts`` either way, a
    ``cg:ClaimRelation`` with ``cg:relation cg:contradicts``, ``cg:denies``) or detected (same
    ``cg:aboutEvent`` and ``cg:statedProperty``, different ``cg:statedValue``), each side with
    its claimants and independent sources.  Retracted claims, and pairs where one claim
    supersedes the other, are left out unless ``include_hidden``.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> for c in contradictions(store):
    ...     print(c.kind, [s.claim.id for s in c.sides])
    asserted+detected ['cgi:claim-delegations-paused', 'cgi:claim-talks-ended']
    detected ['cgi:claim-talks-ended', 'cgi:claim-talks-paused']
    """
    pairs: dict[tuple[str, str], dict[str, Any]] = {}

    def entry(a: str, b: str) -> dict[str, Any]:
        key = (a, b) if a < b else (b, a)
        return pairs.setdefault(
            key, {"asserted": [], "detected": [], "event": None, "property": None}
        )

    # cg:contradicts is symmetric: ingest stores both directions, the basis names the pair once
    for row in _rows(
        store,
        """SELECT DISTINCT ?a ?b WHERE {
                     { ?a cg:contradicts ?b } UNION { ?b cg:contradicts ?a }
                     FILTER(isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b)) }""",
    ):
        a, b = row["a"].value, row["b"].value
        entry(a, b)["asserted"].append(f"{compact(a)} cg:contradicts {compact(b)}")
    for row in _rows(
        store,
        """SELECT DISTINCT ?a ?b WHERE { ?a cg:denies ?b
                     FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b) }""",
    ):
        a, b = row["a"].value, row["b"].value
        entry(a, b)["asserted"].append(f"{compact(a)} denies {compact(b)}")
    judges = _Facts(lang)
    rel_rows = list(
        _rows(
            store,
            """SELECT ?rel ?a ?b ?judge ?conf ?at WHERE {
            ?rel cg:relation cg:contradicts ; cg:fromClaim ?a ; cg:toClaim ?b .
            OPTIONAL { ?rel cg:judgedBy ?judge } OPTIONAL { ?rel cg:confidence ?conf }
            OPTIONAL { ?rel cg:judgedAt ?at } FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b) }""",
        )
    )
    _load_facts(
        store,
        judges,
        {r["judge"].value for r in rel_rows if isinstance(r["judge"], ox.NamedNode)},
        [RDFS + "label"],
    )
    for row in rel_rows:
        a, b = row["a"].value, row["b"].value
        rel = row["rel"]
        name = compact(rel.value) if isinstance(rel, ox.NamedNode) else "a claim relation"
        parts = [f"{name}: {compact(a)} contradicts {compact(b)}"]
        if isinstance(row["judge"], ox.NamedNode):
            parts.append(f"judged by {judges.label(row['judge'].value)}")
        if row["conf"] is not None:
            parts.append(f"confidence {row['conf'].value}")
        if row["at"] is not None:
            parts.append(f"at {row['at'].value}")
        entry(a, b)["asserted"].append(", ".join(parts))
    for row in _rows(
        store,
        """SELECT DISTINCT ?a ?b ?e ?p ?v ?w WHERE {
            ?a cg:aboutEvent ?e ; cg:statedProperty ?p ; cg:statedValue ?v .
            ?b cg:aboutEvent ?e ; cg:statedProperty ?p ; cg:statedValue ?w .
            FILTER(isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b))
            FILTER(!sameTerm(?v, ?w) && COALESCE(?v != ?w, true))
            FILTER NOT EXISTS { ?a cg:statedValue ?w }
            FILTER NOT EXISTS { ?b cg:statedValue ?v }
        } ORDER BY ?a ?b""",
    ):
        a, b = row["a"].value, row["b"].value
        e = entry(a, b)
        e["event"], e["property"] = row["e"].value, row["p"].value
        e["detected"].append(
            f"both give {compact(row['p'].value)} of {compact(row['e'].value)}: "
            f"{_value_text(judges, row['v'])} ({compact(a)}) vs "
            f"{_value_text(judges, row['w'])} ({compact(b)})"
        )
    if not pairs:
        return []
    claims = sorted({c for key in pairs for c in key})
    ix = _load(store, claims, lang=lang)
    _load_facts(
        store,
        ix.facts,
        {v for e in pairs.values() for v in (e["event"], e["property"]) if v},
        [RDFS + "label"],
    )
    out = []
    for (a, b), e in sorted(pairs.items()):
        infos = {c: _claim_info(ix, c) for c in (a, b)}
        if not include_hidden:
            if any(i.retracted for i in infos.values()):
                continue
            if b in [r.iri for r in infos[a].supersedes + infos[a].superseded_by]:
                continue
        sides = []
        for c in (a, b):
            chains = _chains(ix, c)
            corr = _corroboration(ix, c, chains)
            flags = _flags(ix, infos[c], chains, corr)
            sides.append(
                ContradictionSide(
                    claim=ix.facts.ref(c),
                    text=infos[c].text,
                    stated_value=infos[c].stated_value,
                    claimants=infos[c].claimants,
                    independent_sources=corr.independent_sources,
                    sources=corr.sources,
                    chains=[ch.summary() for ch in chains],
                    flags=sorted({fl.code for fl in flags} - {"contradicted"}),
                )
            )
        shared = sorted(
            {ag.id for ag in (x for s in sides[0].sources for x in s.agents)}
            & {ag.id for ag in (x for s in sides[1].sources for x in s.agents)}
        )
        kind = "+".join(k for k in ("asserted", "detected") if e[k])
        out.append(
            Contradiction(
                kind=kind,
                basis=sorted(set(e["asserted"])) + e["detected"],
                event=ix.facts.ref(e["event"]) if e["event"] else None,
                property=ix.facts.ref(e["property"]) if e["property"] else None,
                sides=sides,
                shared_sources=shared,
            )
        )
    return out


# --------------------------------------------------------------------------- reviews


NORMALIZED_RATINGS: dict[str, str] = {
    "true": CG + "ratingTrue",
    "mostly-true": CG + "ratingMostlyTrue",
    "mixture": CG + "ratingMixture",
    "mostly-false": CG + "ratingMostlyFalse",
    "false": CG + "ratingFalse",
    "unproven": CG + "ratingUnproven",
}
"""claimgraph's normalised verdict scale: notation → IRI (``cg:RatingScale``)."""

_RATING_VALUES = {"false": 1, "mostly-false": 2, "mixture": 3, "mostly-true": 4, "true": 5}

_LABELS: dict[str, str] = {
    **{k: k for k in NORMALIZED_RATINGS},
    "mostly true": "mostly-true",
    "mostly false": "mostly-false",
    "correct": "true",
    "accurate": "true",
    "verified": "true",
    "confirmed": "true",
    "mostly correct": "mostly-true",
    "mostly accurate": "mostly-true",
    "half true": "mixture",
    "half-true": "mixture",
    "mixed": "mixture",
    "partly true": "mixture",
    "partly false": "mixture",
    "partially true": "mixture",
    "partially false": "mixture",
    "needs context": "mixture",
    "missing context": "mixture",
    "lacks context": "mixture",
    "two pinocchios": "mixture",
    "misleading": "mostly-false",
    "exaggerated": "mostly-false",
    "three pinocchios": "mostly-false",
    "one pinocchio": "mostly-true",
    "incorrect": "false",
    "inaccurate": "false",
    "wrong": "false",
    "fake": "false",
    "fabricated": "false",
    "pants on fire": "false",
    "pants on fire!": "false",
    "four pinocchios": "false",
    "debunked": "false",
    "unverified": "unproven",
    "unsupported": "unproven",
    "unsubstantiated": "unproven",
    "no evidence": "unproven",
    "unverifiable": "unproven",
    "research in progress": "unproven",
}


def normalize_rating(label: str) -> str | None:
    """The notation on claimgraph's scale for a fact-checker's label, if it is a known one.

    >>> normalize_rating("Pants on Fire"), normalize_rating("Half True"), normalize_rating("?")
    ('false', 'mixture', None)
    """
    key = re.sub(r"\s+", " ", label.strip().lower())
    return _LABELS.get(key) or _LABELS.get(key.rstrip("!.").strip())


def _review_date(value: str | date | datetime | None) -> ox.Literal:
    if value is None:
        return ox.Literal(datetime.now(UTC).date().isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    text = value.strip()
    try:
        if "T" in text:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "dateTime"))
        date.fromisoformat(text)
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    except ValueError:
        raise UsageError(
            f"date {value!r} is not YYYY-MM-DD or an ISO date-time (2025-05-17T10:00:00Z)"
        ) from None


def _review_author(store: Store, author: str) -> tuple[ox.NamedNode, list[ox.Triple]]:
    name = author.strip()
    if not name:
        raise UsageError("a review needs its author: give --author with a name or an IRI")
    iri = as_iri(name)
    if iri is None and re.fullmatch(r"[A-Za-z0-9._-]+", name):
        candidate = CGI + name
        if list(_rows(store, "SELECT ?x ?t WHERE { ?x a ?t } LIMIT 1", x=ox.NamedNode(candidate))):
            iri = candidate
    if iri is not None:
        node = ox.NamedNode(iri)
        if list(_rows(store, "SELECT ?x ?t WHERE { ?x a ?t } LIMIT 1", x=node)):
            return node, []
        if name.startswith(("http", "urn:", "<")) or ":" in name:
            raise NotFound(
                f"no agent {compact(iri)} in the store: give an existing agent's "
                "IRI, or the author's name to record a new fact-checker"
            )
    slug = (
        re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        or hashlib.sha256(name.encode()).hexdigest()[:12]
    )
    node = ox.NamedNode(CGI + "factchecker-" + slug)
    return node, [
        ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(PROV + "Agent")),
        ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(name)),
    ]


def record_review(
    store: Store,
    claim: str,
    *,
    rating: str,
    author: str,
    note: str | None = None,
    review_date: str | date | datetime | None = None,
    normalized: str | None = None,
    agent: str | None = None,
) -> ReviewResult:
    """Record a fact-checker's verdict on ``claim`` as a ``schema:ClaimReview`` (``cg:Review``)
    in its own validated batch.

    ``rating`` is the fact-checker's own label, kept verbatim (``schema:alternateName`` of the
    ``schema:Rating``); ``normalized`` (``true``, ``mostly-true``, ``mixture``,
    ``mostly-false``, ``false``, ``unproven``) puts it on claimgraph's scale and may be left out
    when the label is a known one (:func:`normalize_rating`).  ``author`` is an agent's IRI or
    ``cgi:`` id, or a name (a new ``prov:Agent`` is recorded for it).  ``review_date`` defaults
    to today (UTC).  The same review again is a no-op.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> r = record_review(store, "unrealistic", rating="Unproven", author="Example Check",
    ...                   review_date="2025-05-20")
    >>> r.normalized, r.created
    ('unproven', True)
    >>> [x.rating_label for x in trace(store, "unrealistic").reviews]
    ['Unproven']
    """
    from .ingest import ingest_bytes

    iri = resolve_claim(store, claim)
    label = rating.strip()
    if not label:
        raise UsageError("give the fact-checker's rating label with --rating, e.g. 'False'")
    if normalized is not None:
        key = normalized.strip().lower().replace(" ", "-").replace("_", "-")
        key = key.removeprefix("cg:rating").lower() if key.startswith("cg:") else key
        key = {"mostlytrue": "mostly-true", "mostlyfalse": "mostly-false"}.get(key, key)
        if key not in NORMALIZED_RATINGS:
            raise UsageError(
                f"normalized rating {normalized!r} is not one of {', '.join(NORMALIZED_RATINGS)}"
            )
    else:
        found = normalize_rating(label)
        if found is None:
            raise UsageError(
                f"cannot tell where {label!r} sits on claimgraph's scale: give "
                f'the normalized rating too (--normalized, or "normalized" '
                f"over HTTP), one of {', '.join(NORMALIZED_RATINGS)}"
            )
        key = found
    when = _review_date(review_date)
    who, author_triples = _review_author(store, author)
    digest = hashlib.sha256(
        "\n".join([iri, who.value, when.value, label, key, note or ""]).encode("utf-8")
    ).hexdigest()
    review = ox.NamedNode(CGI + "review-" + digest[:16])
    rating_node = ox.NamedNode(review.value + "-rating")

    def t(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        t(review, RDF + "type", ox.NamedNode(CG + "Review")),
        t(review, RDF + "type", ox.NamedNode(SCHEMA + "ClaimReview")),
        t(review, RDFS + "label", ox.Literal(f"Review of {compact(iri)}: {label}", language="en")),
        t(review, SCHEMA + "itemReviewed", ox.NamedNode(iri)),
        t(review, SCHEMA + "author", who),
        t(review, PROV + "wasAttributedTo", who),
        t(review, SCHEMA + "datePublished", when),
        t(review, SCHEMA + "reviewRating", rating_node),
        t(review, CG + "normalizedRating", ox.NamedNode(NORMALIZED_RATINGS[key])),
        t(rating_node, RDF + "type", ox.NamedNode(SCHEMA + "Rating")),
        t(rating_node, SCHEMA + "alternateName", ox.Literal(label)),
    ]
    if key in _RATING_VALUES:
        integer = ox.NamedNode(XSD + "integer")
        triples += [
            t(
                rating_node,
                SCHEMA + "ratingValue",
                ox.Literal(str(_RATING_VALUES[key]), datatype=integer),
            ),
            t(rating_node, SCHEMA + "bestRating", ox.Literal("5", datatype=integer)),
            t(rating_node, SCHEMA + "worstRating", ox.Literal("1", datatype=integer)),
        ]
    if note:
        triples.append(t(review, CG + "reviewNote", ox.Literal(note)))
    triples += author_triples
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b""
    result = ingest_bytes(
        store, data, format="turtle", source=f"review-{digest[:16]}.ttl", agent=agent
    )
    return ReviewResult(review.value, result.batch, result.created, key, label)


# --------------------------------------------------------------------------- rendering


def _trace_text(t: Trace) -> str:
    c = t.claim
    out = [f"{c.id}  {c.label}" + (f"  [{', '.join(c.types)}]" if c.types else "")]
    if c.text:
        out.append(f'  "{c.text}"')
    for a in c.claimants:
        out.append(f"  claimant: {_agent_text(a)}")
    if c.date:
        out.append(f"  date: {c.date}")
    if c.about_events:
        out.append("  about: " + ", ".join(r.label for r in c.about_events))
    if c.stated_property is not None:
        out.append(f"  states: {c.stated_property.label} = {c.stated_value}")
    for r in c.contradicts:
        out.append(f"  contradicts: {r.id} ({r.label})")
    for r in c.conflicts_with:
        if r not in c.contradicts:
            out.append(
                f"  conflicts with: {r.id} ({r.label}), another value for the same "
                "property of the same event"
            )
    for r in c.superseded_by:
        out.append(f"  superseded by: {r.id} ({r.label})")
    for r in c.same_claim_as:
        out.append(f"  same claim as: {r.id} ({r.label})")
    if c.retracted:
        out.append("  RETRACTED")
    out.append("")
    if not t.chains:
        out.append("no reporting chain is recorded for this claim")
    for ch in t.chains:
        origin = _agent_text(ch.origin) if ch.origin else "none (the chain loops)"
        out.append(f"chain {ch.number} of {len(t.chains)}: {ch.summary()}")
        note = (
            ""
            if ch.traced
            else ("  (untraced: the claimant, inferred)" if ch.origin_inferred else "  (untraced)")
        )
        out.append(f"  origin: {origin}{note}")
        for h in ch.hops:
            pad = "  " + "   " * (h.position - 1)
            who = _agent_text(h.carrier) if h.carrier else "(no carrier)"
            out.append(f"{pad}└─ {h.role or '?'}: {who}")
            pad += "   "
            bits = [h.kind, h.report.id]
            if h.date:
                bits.append(h.date)
            if h.observed:
                bits.append("observed in the article")
            out.append(f"{pad}{' · '.join(bits)}")
            words = []
            if h.cue_verb:
                words.append(f'cue "{h.cue_verb}"')
            if h.channel:
                words.append(f'channel "{h.channel}"')
            if h.certainty:
                words.append(h.certainty)
            if h.polarity and h.polarity != "affirmed":
                words.append(h.polarity)
            if words:
                out.append(f"{pad}{', '.join(words)}")
            if h.verbatim:
                out.append(f'{pad}verbatim: "{h.verbatim}"')
            for label, refs in (
                ("occasion", [h.occasion] if h.occasion else []),
                ("at", [h.location] if h.location else []),
                ("in reply to", h.in_reply_to),
                ("after", h.after),
            ):
                if refs:
                    out.append(f"{pad}{label}: {', '.join(r.label for r in refs)}")
            if h.revision is not None:
                rv = h.revision
                num = f"revision {rv.number}" if rv.number is not None else "revision"
                if rv.revision_label:
                    num += f" ({rv.revision_label})"
                art = f" of {rv.article.label}" if rv.article else ""
                pub = f", published by {rv.publisher.label}" if rv.publisher else ""
                when = f", {rv.published}" if rv.published else ""
                out.append(f"{pad}in {rv.id}: {num}{art}{pub}{when}")
            for e in h.evidence:
                mark = "✓ verified" if e.verified else f"✗ {e.problem}"
                out.append(f"{pad}evidence [{e.start}:{e.end}] {mark}")
                out.append(f'{pad}  "{e.exact}"')
            if h.link and h.position == len(ch.hops) and ch.circular is not None:
                back = ch.circular.reports[-1] if ch.circular.reports else "?"
                out.append(f"{pad}{h.link} {back}, already on this chain: a loop")
            elif h.link:
                out.append(f"{pad}{h.link}:")
        if ch.circular is not None:
            out.append(f"  ⚠ {ch.circular.message}")
        out.append("")
    corr = t.corroboration
    out.append(
        f"corroboration: {corr.independent_sources} independent "
        f"{plural(corr.independent_sources, 'source')}"
    )
    out += [f"  - {r}" for r in corr.reasoning]
    out.append("")
    if t.flags:
        out.append("flags:")
        out += [f"  {f.severity}: {f.code}: {f.message}" for f in t.flags]
    else:
        out.append("flags: none")
    out.append("")
    if t.reviews:
        out.append("reviews:")
        for review in t.reviews:
            who = review.author.label if review.author else "?"
            norm = f" → {review.normalized.label}" if review.normalized else ""
            retr = " (retracted)" if review.retracted else ""
            batch = f", batch {review.batch.rsplit('/', 1)[-1]}" if review.batch else ""
            out.append(
                f'  {review.date or "?"}  {who}: "{review.rating_label}"{norm}{retr}  '
                f"({review.id}{batch})"
            )
            if review.note:
                out.append(f"    {review.note}")
    else:
        out.append("reviews: none")
    return "\n".join(out) + "\n"


def _agent_text(a: Agent | None) -> str:
    if a is None:
        return "?"
    text = f"{a.label} ({a.id})"
    if a.anonymous:
        bits = ["anonymous"]
        if a.described_as:
            bits.append(f'described as "{a.described_as}"')
        if a.affiliations:
            bits.append("affiliated with " + ", ".join(r.label for r in a.affiliations))
        if a.anonymity_level:
            bits.append(a.anonymity_level)
        if a.is_group:
            bits.append("a group")
        if a.possibly_same_as:
            bits.append("possibly the same as " + ", ".join(r.id for r in a.possibly_same_as))
        text += " [" + "; ".join(bits) + "]"
    elif a.affiliations:
        text += " [affiliated with " + ", ".join(r.label for r in a.affiliations) + "]"
    return text


def _prov_triples(t: Trace) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    seen_agents: set[str] = set()

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        out.append(ox.Triple(s, n(p), o))

    def lit(value: str, lang: str | None = None) -> ox.Literal:
        return ox.Literal(value, language=lang) if lang else ox.Literal(value)

    def typed(value: str, dt: str) -> ox.Literal:
        return ox.Literal(value, datatype=n(XSD + dt))

    def date_lit(value: str) -> ox.Literal:
        return typed(value, "dateTime" if "T" in value else "date")

    def agent(a: Agent) -> ox.NamedNode:
        node = n(a.iri)
        if a.iri in seen_agents:
            return node
        seen_agents.add(a.iri)
        add(node, RDF + "type", n(PROV + "Agent"))
        for ty in a.types:
            add(node, RDF + "type", n(as_iri(ty) or ty))
        if is_a([as_iri(x) or x for x in a.types], CG + "Person"):
            add(node, RDF + "type", n(PROV + "Person"))
        elif is_a([as_iri(x) or x for x in a.types], CG + "Organisation"):
            add(node, RDF + "type", n(PROV + "Organization"))
        add(node, RDFS + "label", lit(a.label, "en"))
        if a.described_as:
            add(node, CG + "describedAs", lit(a.described_as, "en"))
        for aff in a.affiliations:
            add(node, PROV + "actedOnBehalfOf", n(aff.iri))
            add(node, CG + "affiliatedWith", n(aff.iri))
            add(n(aff.iri), RDFS + "label", lit(aff.label, "en"))
        for other in a.possibly_same_as:
            add(node, CG + "possiblySameAs", n(other.iri))
        return node

    c = t.claim
    claim = n(c.iri)
    add(claim, RDF + "type", n(PROV + "Entity"))
    for ty in c.types:
        add(claim, RDF + "type", n(as_iri(ty) or ty))
    add(claim, RDFS + "label", lit(c.label, "en"))
    if c.text:
        add(claim, CG + "claimText", lit(c.text, "en"))
    if c.date:
        add(claim, CG + "claimDate", date_lit(c.date))
    for a in c.claimants:
        node = agent(a)
        add(claim, PROV + "wasAttributedTo", node)
        add(claim, CG + "claimant", node)
        att = ox.BlankNode()
        add(claim, PROV + "qualifiedAttribution", att)
        add(att, RDF + "type", n(PROV + "Attribution"))
        add(att, PROV + "agent", node)
        add(att, PROV + "hadRole", n(CG + "speaker"))
    done_reports: set[str] = set()
    done_links: set[tuple[str, str]] = set()
    for ch in t.chains:
        for i, h in enumerate(ch.hops):
            r = n(h.report.iri)
            nxt = ch.hops[i + 1] if i + 1 < len(ch.hops) else None
            target: str | None = None
            if h.link and nxt is None and ch.circular is not None and ch.circular.reports:
                target = as_iri(ch.circular.reports[-1]) or ch.circular.reports[-1]
            elif nxt is not None:
                target = nxt.report.iri
            if target is not None and (h.report.iri, target) not in done_links:
                done_links.add((h.report.iri, target))
                add(r, PROV + "wasDerivedFrom", n(target))
                d = ox.BlankNode()
                add(r, PROV + "qualifiedDerivation", d)
                add(d, RDF + "type", n(PROV + "Derivation"))
                add(d, PROV + "entity", n(target))
                if h.link == "quoted from":
                    add(r, PROV + "wasQuotedFrom", n(target))
                    q = ox.BlankNode()
                    add(r, PROV + "qualifiedQuotation", q)
                    add(q, RDF + "type", n(PROV + "Quotation"))
                    add(q, PROV + "entity", n(target))
            if h.report.iri in done_reports:
                continue
            done_reports.add(h.report.iri)
            add(r, RDF + "type", n(PROV + "Entity"))
            kind_cls = {
                "article mention": "ArticleMention",
                "wire report": "WireReport",
                "utterance": "Utterance",
            }.get(h.kind, "Report")
            add(r, RDF + "type", n(CG + kind_cls))
            add(r, RDFS + "label", lit(h.report.label, "en"))
            add(r, CG + "reports", claim)
            if h.carrier is not None:
                who = agent(h.carrier)
                add(r, PROV + "wasAttributedTo", who)
                add(r, CG + "carrier", who)
                att = ox.BlankNode()
                add(r, PROV + "qualifiedAttribution", att)
                add(att, RDF + "type", n(PROV + "Attribution"))
                add(att, PROV + "agent", who)
                if h.role:
                    add(att, PROV + "hadRole", n(CG + h.role))
                    add(r, CG + "hopRole", n(CG + h.role))
                if h.cue_verb:
                    add(att, CG + "cueVerb", lit(h.cue_verb, "en"))
                if h.channel:
                    add(att, CG + "channel", lit(h.channel, "en"))
            if h.cue_verb:
                add(r, CG + "cueVerb", lit(h.cue_verb, "en"))
            if h.channel:
                add(r, CG + "channel", lit(h.channel, "en"))
            if h.date:
                add(r, CG + "reportedAt", date_lit(h.date))
            if h.observed is not None:
                add(r, CG + "observed", typed("true" if h.observed else "false", "boolean"))
            if h.verbatim:
                add(r, CG + "verbatim", lit(h.verbatim, "en"))
            if h.occasion:
                add(r, CG + "occasion", n(h.occasion.iri))
            if h.location:
                add(r, PROV + "atLocation", n(h.location.iri))
            for x in h.in_reply_to:
                add(r, CG + "inReplyTo", n(x.iri))
            if h.revision is not None:
                rv = h.revision
                rev = n(rv.iri)
                add(r, CG + "inArticle", rev)
                add(rev, RDF + "type", n(PROV + "Entity"))
                add(rev, RDF + "type", n(CG + "ArticleRevision"))
                add(rev, RDFS + "label", lit(rv.label, "en"))
                if rv.number is not None:
                    add(rev, CG + "revisionNumber", typed(str(rv.number), "integer"))
                if rv.article is not None:
                    add(rev, PROV + "specializationOf", n(rv.article.iri))
                    add(n(rv.article.iri), RDFS + "label", lit(rv.article.label, "en"))
                if rv.publisher is not None:
                    add(rev, PROV + "wasAttributedTo", n(rv.publisher.iri))
                if rv.previous is not None:
                    add(rev, PROV + "wasRevisionOf", n(rv.previous.iri))
            for e in h.evidence:
                span, sel = ox.BlankNode(), ox.BlankNode()
                add(r, CG + "evidence", span)
                add(span, RDF + "type", n(CG + "EvidenceSpan"))
                add(span, RDF + "type", n(OA + "SpecificResource"))
                if e.revision:
                    add(span, OA + "hasSource", n(e.revision))
                add(span, OA + "hasSelector", sel)
                add(sel, RDF + "type", n(OA + "TextQuoteSelector"))
                add(sel, RDF + "type", n(OA + "TextPositionSelector"))
                if e.exact is not None:
                    add(sel, OA + "exact", lit(e.exact))
                if e.start is not None:
                    add(sel, OA + "start", typed(str(e.start), "nonNegativeInteger"))
                if e.end is not None:
                    add(sel, OA + "end", typed(str(e.end), "nonNegativeInteger"))
    for rv_ in t.reviews:
        review = n(rv_.iri)
        add(review, RDF + "type", n(SCHEMA + "ClaimReview"))
        add(review, RDF + "type", n(PROV + "Entity"))
        add(review, SCHEMA + "itemReviewed", claim)
        if rv_.author is not None and rv_.author.iri:
            add(review, SCHEMA + "author", n(rv_.author.iri))
            add(review, PROV + "wasAttributedTo", n(rv_.author.iri))
            add(n(rv_.author.iri), RDFS + "label", lit(rv_.author.label))
        if rv_.date:
            add(review, SCHEMA + "datePublished", date_lit(rv_.date))
        rating = ox.BlankNode()
        add(review, SCHEMA + "reviewRating", rating)
        add(rating, RDF + "type", n(SCHEMA + "Rating"))
        if rv_.rating_label:
            add(rating, SCHEMA + "alternateName", lit(rv_.rating_label))
        if rv_.rating_value:
            add(rating, SCHEMA + "ratingValue", lit(rv_.rating_value))
        if rv_.normalized is not None:
            add(review, CG + "normalizedRating", n(rv_.normalized.iri))
        if rv_.note:
            add(review, CG + "reviewNote", lit(rv_.note))
    return out
