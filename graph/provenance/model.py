"""The values provenance returns: a claim's reporting chains hop by hop with their evidence,
its independent sources, flags, reviews and contradictions.

They are frozen dataclasses; ``as_dict`` gives the JSON documented in ``docs/provenance.md``
(every field of every class here is named there).  Turning a value into text or PROV-O is
rendering's business: the methods below delegate to :mod:`.text` and :mod:`.prov_o`, whose
functions take these values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from .prov_o import trace_triples, trace_turtle
from .text import corroboration_text, trace_text


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
    standing: str = "evidenced"
    """``evidenced`` when the article says the hop; ``cited`` or ``judged`` when it was added
    beside the article (:mod:`claimgraph.statements`)."""
    carriers: list[Agent] = field(default_factory=list)
    """Every carrier; several for a joint statement (``cg:joint``), else ``[carrier]``."""


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
        """``Outlet ← Agency ← Speaker``, article end first (``A and B`` for a joint hop)."""
        names = [
            " and ".join(a.label for a in h.carriers)
            if len(h.carriers) > 1
            else h.carrier.label
            if h.carrier
            else h.report.id
            for h in self.hops
        ]
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
    counted_from: list[str] = field(default_factory=lambda: ["evidenced"])
    """The standings whose chains were counted (by default what articles say)."""

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
        return corroboration_text(self)


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
    because: list[Ref] = field(default_factory=list)
    """The claims its own speaker gives as its reasons (``cg:because``)."""
    standing: str = "evidenced"
    """The standing of the statements that make the claim (``evidenced`` for an article's)."""
    added: list[AddedStatement] = field(default_factory=list)
    """What is said of the claim beside the article (topics, codes, relations): each
    statement with its standing and who added or judged it."""


@dataclass(frozen=True)
class AddedStatement:
    """One statement about a claim that the article does not make: cited (with who added
    it) or judged (by whom, when, how sure)."""

    property: str
    value: str
    standing: str
    graph: str
    by: Ref | None
    confidence: str | None = None


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
        return trace_text(self)

    def prov_triples(self) -> list[ox.Triple]:
        """The trace as PROV-O (plus the claimgraph and Web Annotation terms it refines)."""
        return trace_triples(self)

    def turtle(self) -> str:
        """:meth:`prov_triples` serialised as Turtle by pyoxigraph."""
        return trace_turtle(self)


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
