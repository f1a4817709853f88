"""What provenance reads from the store for a set of claims, in one pass: the claims, every
report of their chains, the agents, revisions and articles those name, the evidence checked
against the revisions' text, the shapes' warnings and the claims that conflict with them.

:func:`load_index` does the reading; chains, corroboration, flags and contradictions then
compute from the :class:`Index` without querying again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..rdf import CG, META_GRAPH, PROV, RDF, RDFS, VALUES_CHUNK, sparql_iri, values_blocks
from ..statements import graph_standings, resource_standings
from ..store import Store
from ..vocabulary import superproperties
from .evidence import load_evidence
from .facts import Facts, load_facts
from .model import Agent, Evidence, Revision
from .resolve import find_claims
from .terms import DERIVATION_PATH, DIFFERENT_VALUES

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
        "joint",
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
        "because",
    )
]
_CLAIM_INVERSE_PROPS = [CG + "supersedes", CG + "contradicts", CG + "denies", CG + "sameClaimAs"]
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
_ARTICLE_PROPS = [RDFS + "label", CG + "headline", CG + "publisher", CG + "published"]
_REPORT_NAMES = ("occasion", "location", "inReplyTo", "after")
"""Properties of a report whose values a trace shows by label."""
_CLAIM_NAMES = (
    "because",
    "aboutEvent",
    "aboutActor",
    "topic",
    "supports",
    "contradicts",
    "supersedes",
    "sameClaimAs",
)
"""Properties of a claim whose values a trace shows by label."""


_ALIGNED = frozenset(
    sup for p, sups in superproperties().items() if p.startswith(CG) for sup in sups
)
"""The superproperties outside ``cg:`` that ingest states for ``cg:`` properties."""


@dataclass
class Index:
    """What the computations read: claims, their reports and everything those name.  The
    agents and revisions built from the facts are kept here too, each built once."""

    facts: Facts
    claims: list[str]
    reports_of: dict[str, list[str]]
    evidence: dict[str, list[Evidence]]
    warnings: dict[str, list[str]]
    same_as_scores: dict[frozenset[str], str]
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    standing: dict[str, str] = field(default_factory=dict)
    """The standing of each claim and report (:func:`claimgraph.statements.resource_standings`)."""
    added: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    """Claim → (property, value, graph) of what non-evidenced graphs say about it."""
    graph_facts: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    """Statement graph → (standing, who added or judged it, confidence)."""
    agents: dict[str, Agent] = field(default_factory=dict)
    revisions: dict[str, Revision] = field(default_factory=dict)

    def derived(self, report: str) -> list[str]:
        """The reports ``report`` took the claim from (derived or quoted), sorted."""
        return sorted(
            set(self.facts.iris(report, CG + "derivedFrom"))
            | set(self.facts.iris(report, CG + "quotedFrom"))
        )


def load_index(
    store: Store, claims: list[str] | None, *, lang: str = "en", detail: bool = True
) -> Index:
    """Read what provenance needs about ``claims`` (every claim if None).  Without
    ``detail``, only what counting independent sources needs: no evidence, revisions,
    articles or the labels of what the claims are about.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> from claimgraph.rdf import CGI, compact
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> ix = load_index(store, [CGI + "claim-russian-demands-unrealistic"])
    >>> [compact(r) for r in ix.derived(CGI + "mention-russian-demands-unrealistic")]
    ['cgi:wire-reuters-russian-demands-unrealistic']
    """
    facts = Facts(lang)
    if claims is None:
        claims = sorted(find_claims(store))
    reports_of = _reports_of(store, claims)
    reports = {r for rs in reports_of.values() for r in rs}
    load_facts(store, facts, reports, _REPORT_PROPS)
    load_facts(store, facts, claims, _CLAIM_PROPS, inverse=_CLAIM_INVERSE_PROPS)
    agents: set[str] = set()
    for r in reports:
        agents.update(facts.iris(r, CG + "carrier"))
    for c in claims:
        agents.update(facts.iris(c, CG + "claimant"))
    load_facts(store, facts, agents, _AGENT_PROPS, inverse=[CG + "possiblySameAs"])
    named: set[str] = set()
    for a in agents:
        named.update(facts.iris(a, CG + "affiliatedWith"))
        named.update(facts.linked(a, CG + "possiblySameAs"))
    scores = _same_as_scores(store, agents)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    if detail:
        named |= _load_details(store, facts, claims, reports, evidence)
    warnings = _shape_warnings(store, claims)
    conflicts = _conflicting_claims(store, claims)
    named.update(other for others in conflicts.values() for other in others)
    standing = resource_standings(store, [*claims, *reports])
    added, graph_facts = _added_statements(store, claims) if detail else ({}, {})
    named.update(v for items in added.values() for _, v, _ in items if v.startswith("http"))
    named.update(by for _, by, _ in graph_facts.values() if by)
    load_facts(store, facts, named - set(facts.values), [RDFS + "label", RDF + "type"])
    return Index(
        facts,
        claims,
        reports_of,
        evidence,
        warnings,
        scores,
        conflicts,
        standing,
        added,
        graph_facts,
    )


def _implied(predicate: str) -> bool:
    """Whether ``predicate`` is one ingest states because a ``cg:`` property implies it (a
    superproperty from PROV-O or schema.org): shown once, as the ``cg:`` statement."""
    return not predicate.startswith(CG) and predicate in _ALIGNED


def _added_statements(
    store: Store, claims: list[str]
) -> tuple[dict[str, list[tuple[str, str, str]]], dict[str, tuple[str, str | None, str | None]]]:
    """What graphs other than evidenced ones say about ``claims`` (claim → property, value,
    graph), and each such graph's standing, who added or judged it, and its confidence."""
    per_graph = graph_standings(store)
    others = {g for g, s in per_graph.items() if s != "evidenced"}
    added: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for values in values_blocks("c", claims):
        for row in store.select(
            f"SELECT ?c ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?c ?p ?o }} "
            f"FILTER(?p != rdf:type && !isBlank(?o)) }}",
            default_graphs=[],
        ):
            g = row["g"].value
            if g in others and not _implied(row["p"].value):
                added[row["c"].value].append((row["p"].value, row["o"].value, g))
    used = sorted({g for items in added.values() for _, _, g in items})
    graph_facts: dict[str, tuple[str, str | None, str | None]] = {}
    for values in values_blocks("g", used):
        for row in store.select(
            f"""SELECT ?g ?by ?confidence WHERE {{ {values} GRAPH {sparql_iri(META_GRAPH)} {{
                OPTIONAL {{ ?g cg:judgedBy|cg:addedBy ?by }}
                OPTIONAL {{ ?g cg:confidence ?confidence }} }} }}""",
            default_graphs=[],
        ):
            g = row["g"].value
            by, conf = row["by"], row["confidence"]
            graph_facts[g] = (
                per_graph.get(g, "cited"),
                by.value if by is not None else None,
                conf.value if conf is not None else None,
            )
    return {c: sorted(items) for c, items in added.items()}, graph_facts


def _reports_of(store: Store, claims: list[str]) -> dict[str, list[str]]:
    """Claim → every report on its chains (the reports that carry it and those they took it
    from), sorted.  Many claims are looked up in one query over the whole store."""
    reports_of: dict[str, set[str]] = defaultdict(set)
    claim_set = set(claims)
    scope = list(values_blocks("c", claims)) if len(claims) <= 2 * VALUES_CHUNK else [""]
    for values in scope:
        for row in store.select(
            f"""SELECT DISTINCT ?c ?r WHERE {{ {values}
                ?r0 cg:reports ?c . ?r0 ({DERIVATION_PATH})* ?r . FILTER(isIRI(?r)) }}"""
        ):
            c = row["c"].value
            if c in claim_set:
                reports_of[c].add(row["r"].value)
    return {c: sorted(rs) for c, rs in reports_of.items()}


def _same_as_scores(store: Store, agents: set[str]) -> dict[frozenset[str], str]:
    """The identity candidates' scores for pairs of ``agents`` (``cg:candidate``,
    ``cg:score``), by pair."""
    scores: dict[frozenset[str], str] = {}
    if agents:
        for values in values_blocks("a", agents):
            for row in store.select(
                f"""SELECT ?a ?b ?score WHERE {{ {values}
                    ?ic cg:candidate ?a , ?b ; cg:score ?score . FILTER(?a != ?b) }}"""
            ):
                scores[frozenset((row["a"].value, row["b"].value))] = row["score"].value
    return scores


def _load_details(
    store: Store,
    facts: Facts,
    claims: list[str],
    reports: set[str],
    evidence: dict[str, list[Evidence]],
) -> set[str]:
    """Load the evidence of ``reports`` into ``evidence`` and the revisions and articles
    they sit in into ``facts``; the resources named on the way, to be labelled."""
    named: set[str] = set()
    revisions: set[str] = set()
    for r in reports:
        revisions.update(facts.iris(r, CG + "inArticle"))
        for p in _REPORT_NAMES:
            named.update(facts.iris(r, CG + p))
    for c in claims:
        for p in _CLAIM_NAMES:
            named.update(facts.iris(c, CG + p))
        for p in ("supersedes", "contradicts", "sameClaimAs"):
            named.update(facts.inverse_iris(c, CG + p))
    load_evidence(store, reports, evidence, revisions)
    load_facts(store, facts, revisions, _REVISION_PROPS, inverse=[CG + "hasRevision"])
    for rev in revisions:
        named.update(facts.iris(rev, CG + "revisionOf"))
        named.update(facts.iris(rev, PROV + "wasRevisionOf"))
        named.update(facts.inverse_iris(rev, CG + "hasRevision"))
    articles = {a for rev in revisions for a in facts.iris(rev, CG + "revisionOf")} | {
        a for rev in revisions for a in facts.inverse_iris(rev, CG + "hasRevision")
    }
    load_facts(store, facts, articles, _ARTICLE_PROPS)
    named.update(p for a in articles for p in facts.iris(a, CG + "publisher"))
    return named


def _shape_warnings(store: Store, claims: list[str]) -> dict[str, list[str]]:
    """Claim → the messages of the warnings the shapes recorded about it at ingest."""
    warnings: dict[str, list[str]] = defaultdict(list)
    for values in values_blocks("c", claims):
        for row in store.select(
            f"""SELECT DISTINCT ?c ?m WHERE {{ {values}
                GRAPH {sparql_iri(META_GRAPH)} {{ ?b cg:validationWarning ?w . ?w sh:focusNode ?c ;
                sh:resultMessage ?m }} }}"""
        ):
            warnings[row["c"].value].append(row["m"].value)
    return warnings


def _conflicting_claims(store: Store, claims: list[str]) -> dict[str, list[str]]:
    """Claim → the claims that give another value for the same property of the same event
    (:data:`DIFFERENT_VALUES`), sorted; a claim that supersedes the other (or is superseded
    by it) is an update, not a conflict."""
    conflicts: dict[str, set[str]] = defaultdict(set)
    for values in values_blocks("a", claims):
        for row in store.select(
            f"""SELECT DISTINCT ?a ?b WHERE {{ {values} {DIFFERENT_VALUES}
                FILTER(isIRI(?b) && ?b != ?a)
                FILTER NOT EXISTS {{ ?a cg:supersedes|^cg:supersedes ?b }} }}"""
        ):
            conflicts[row["a"].value].add(row["b"].value)
    return {c: sorted(o) for c, o in conflicts.items()}
