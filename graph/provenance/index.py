"""What provenance reads from the store for a set of claims, in one pass: the claims, every
report of their chains, the agents, revisions and articles those name, the evidence checked
against the revisions' text, the shapes' warnings and the claims that conflict with them.

:func:`load_index` does the reading; chains, corroboration, flags and contradictions then
compute from the :class:`Index` without querying again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..rdf import CG, META_GRAPH, PROV, RDF, RDFS, VALUES_CHUNK, sparql_iri, values_blocks
from ..statements import (
    DEFAULT_STANDINGS,
    STANDINGS,
    best_standing,
    dataset,
    graph_standings,
    resource_standings,
)
from ..store import Store
from ..vocabulary import superproperties
from .evidence import load_evidence
from .facts import Facts, inverse_pattern, load_facts
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
_CLAIMANT = [CG + "claimant"]
"""Who made a claim: read with its standing (a judged claimant is no speaker the article
names)."""
_AGENT_PROPS = [RDF + "type"] + [
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
"""What an agent is (kinds, sides, words, anonymity, identities): read with its standing."""
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
    warnings: dict[str, list[tuple[str, str]]]
    same_as_scores: dict[frozenset[str], str]
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    standing: dict[str, str] = field(default_factory=dict)
    """The standing of each claim and report (:func:`claimgraph.statements.resource_standings`)."""
    added: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    """Claim → (property, value, graph) of what non-evidenced graphs say about it."""
    graph_facts: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    """Statement graph → (standing, who added or judged it, confidence)."""
    standings: tuple[str, ...] = DEFAULT_STANDINGS
    """The standings whose statements say what an agent is and who made a claim."""
    agent_added: dict[str, list[tuple[str, Any, str, str]]] = field(default_factory=dict)
    """Agent → (property, value, graph, standing) of what no article says of it."""
    agents: dict[str, Agent] = field(default_factory=dict)
    revisions: dict[str, Revision] = field(default_factory=dict)
    same: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each thing linked by ``owl:sameAs`` (either way, through others too) → everything it is
    one with, itself included (:mod:`claimgraph.resolution` writes these links)."""
    links: dict[frozenset[str], str] = field(default_factory=dict)
    """Each linked pair → the graph that links it."""
    parties: frozenset[str] = frozenset()
    """The sides a delegation represents (``cg:represents``): the parties to the talks."""

    def one_with(self, iri: str) -> frozenset[str]:
        """``iri`` and everything linked to it as the same thing."""
        return self.same.get(iri, frozenset((iri,)))

    def claimants(self, claim: str) -> list[str]:
        """The claimants of ``claim`` and of the claims linked to it as the same, sorted."""
        return sorted(
            {a for c in self.one_with(claim) for a in self.facts.iris(c, CG + "claimant")}
        )

    def derived(self, report: str) -> list[str]:
        """The reports ``report`` took the claim from (derived or quoted), sorted."""
        return sorted(
            set(self.facts.iris(report, CG + "derivedFrom"))
            | set(self.facts.iris(report, CG + "quotedFrom"))
        )


def load_index(
    store: Store,
    claims: list[str] | None,
    *,
    lang: str = "en",
    detail: bool = True,
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> Index:
    """Read what provenance needs about ``claims`` (every claim if None).  Without
    ``detail``, only what counting independent sources needs: no evidence, revisions,
    articles or the labels of what the claims are about.  What the agents are (their kinds,
    sides, words, identities), who made each claim and which sides are parties to the talks
    come from the statements of ``standings`` (by default what articles say); what other
    statements say of an agent is kept apart, with its standing (``agent_added``).

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
    view = graph_view(store, standings)
    per_graph = view.per_graph
    if claims is None:
        claims = sorted(find_claims(store))
    same, links = identity_links(store)
    linked_claims = sorted({o for c in claims for o in same.get(c, ())} - set(claims))
    reports_of = _reports_of(store, claims + linked_claims)
    for c in claims:
        if c in same:
            reports_of[c] = sorted({r for o in same[c] for r in reports_of.get(o, [])})
    reports = {r for rs in reports_of.values() for r in rs}
    load_facts(store, facts, reports, _REPORT_PROPS)
    load_facts(store, facts, claims + linked_claims, _CLAIM_PROPS, inverse=_CLAIM_INVERSE_PROPS)
    load_stated(store, facts, claims + linked_claims, _CLAIMANT, view)
    agents: set[str] = set()
    for r in reports:
        agents.update(facts.iris(r, CG + "carrier"))
    for c in claims + linked_claims:
        agents.update(facts.iris(c, CG + "claimant"))
    load_facts(store, facts, agents, [RDFS + "label"])
    agent_added = load_stated(
        store, facts, agents, _AGENT_PROPS, view, inverse=[CG + "possiblySameAs"]
    )
    named: set[str] = set()
    for a in agents:
        for p, v, _, _ in agent_added.get(a, []):
            if p != RDF + "type" and isinstance(v, ox.NamedNode):
                named.add(v.value)
        named.update(facts.iris(a, CG + "affiliatedWith"))
        named.update(same.get(a, ()))
        named.update(facts.linked(a, CG + "possiblySameAs"))
    scores = _same_as_scores(store, agents)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    if detail:
        named |= _load_details(store, facts, claims, reports, evidence)
    warnings = _shape_warnings(store, claims)
    conflicts = _conflicting_claims(store, claims)
    named.update(other for others in conflicts.values() for other in others)
    standing = resource_standings(store, [*claims, *reports])
    added = _added_statements(store, claims, per_graph) if detail else {}
    used = {g for items in added.values() for _, _, g in items}
    used.update(g for items in agent_added.values() for _, _, g, _ in items)
    graph_facts = _graph_facts(store, used, per_graph)
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
        view.standings,
        agent_added,
        same=same,
        links=links,
        parties=_parties(store, view),
    )


def identity_links(store: Store) -> tuple[dict[str, frozenset[str]], dict[frozenset[str], str]]:
    """Every ``owl:sameAs`` link in the store, whatever its standing (a link says which nodes
    are one thing, not what an article said): each linked IRI → the IRIs it is one with, and
    each linked pair → the graph that states it."""
    links: dict[frozenset[str], str] = {}
    for row in store.select(
        "SELECT ?a ?b ?g WHERE { GRAPH ?g { ?a owl:sameAs ?b } FILTER(isIRI(?b) && ?a != ?b) }",
        default_graphs=[],
    ):
        links.setdefault(frozenset((row["a"].value, row["b"].value)), row["g"].value)
    same: dict[str, frozenset[str]] = {}
    for pair in links:
        merged = set(pair)
        for x in pair:
            merged |= same.get(x, frozenset())
        group = frozenset(merged)
        for x in group:
            same[x] = group
    return same, links


def _parties(store: Store, view: GraphView) -> frozenset[str]:
    """The sides delegations represent, as the graphs read say."""
    rows = store.select(
        "SELECT DISTINCT ?s ?g WHERE { ?d cg:represents ?s "
        "OPTIONAL { GRAPH ?g { ?d cg:represents ?s } } }"
    )
    return frozenset(r["s"].value for r in rows if view.reads(_graph_name(r["g"])))


def _graph_name(term: Any) -> str:
    """A named graph's IRI, or ``""`` for the store's own default graph (written without a
    batch)."""
    return str(term.value) if term is not None else ""


@dataclass(frozen=True)
class GraphView:
    """Which graphs an answer reads for the standings asked for, as saved queries do
    (:func:`claimgraph.statements.dataset`): the statement graphs of those standings and the
    graphs holding the articles they quote.  ``base`` is what is read by default (what
    articles say, and the articles themselves); a statement in none of its graphs is one no
    article makes, shown with its standing."""

    standings: tuple[str, ...]
    per_graph: dict[str, str]
    base: frozenset[str]
    read: frozenset[str] | None
    """None: every graph."""

    def reads(self, graph: str) -> bool:
        """Whether a statement in ``graph`` (``""``: the store's own default graph, which
        stands cited) is read."""
        if self.read is None:
            return True
        return graph in self.read if graph else "cited" in self.standings

    def standing(self, graph: str) -> str:
        """The standing of ``graph``: declared, else cited."""
        return self.per_graph.get(graph, "cited")


def graph_view(store: Store, standings: Iterable[str]) -> GraphView:
    """The :class:`GraphView` for ``standings`` (evidenced is always among them)."""
    wanted = tuple(s for s in STANDINGS if s == "evidenced" or s in set(standings))
    base = dataset(store, DEFAULT_STANDINGS)
    read = dataset(store, wanted)
    per_graph = graph_standings(store)
    return GraphView(
        wanted,
        per_graph,
        frozenset(base if base is not None else per_graph),
        frozenset(read) if read is not None else None,
    )


def load_stated(
    store: Store,
    facts: Facts,
    iris: Iterable[str],
    props: Sequence[str],
    view: GraphView,
    *,
    inverse: Sequence[str] = (),
) -> dict[str, list[tuple[str, Any, str, str]]]:
    """Load into ``facts`` the ``props`` of ``iris`` (and the ``inverse`` ones, under ``^p``)
    that the graphs of ``view`` state; return, per IRI, the (property, value, graph, standing)
    of every value no graph read by default states (no article says it): the best standing
    among the graphs that state it, and the first of those graphs.  An inverse value is
    returned under its property, from the IRI's side.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> from claimgraph.rdf import CGI, compact
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> facts, source = Facts(), CGI + "anon-ua-diplomatic-source-1"
    >>> view = graph_view(store, ["evidenced"])
    >>> added = load_stated(store, facts, [source], [CG + "possiblySameAs"], view,
    ...                     inverse=[CG + "possiblySameAs"])
    >>> facts.linked(source, CG + "possiblySameAs")
    []
    >>> [(compact(p), compact(v.value), s) for p, v, _, s in added[source]]
    [('cg:possiblySameAs', 'cgi:anon-ua-diplomatic-source-2', 'judged')]
    """
    iris = list(iris)
    found: dict[tuple[str, str, Any], set[str]] = defaultdict(set)
    for direction, wanted_props in (("", props), ("^", inverse)):
        if not iris or not wanted_props:
            continue
        listed = ", ".join(sparql_iri(p) for p in wanted_props)
        pattern = (
            f"?s ?p ?o FILTER(?p IN ({listed}))" if not direction else inverse_pattern(wanted_props)
        )
        triple = "?s ?p ?o" if not direction else "?o ?p ?s"
        for values in values_blocks("s", iris):
            for row in store.select(
                f"SELECT ?s ?p ?o ?g WHERE {{ {values} {pattern} "
                f"OPTIONAL {{ GRAPH ?g {{ {triple} }} }} }}"
            ):
                key = (row["s"].value, direction + row["p"].value, row["o"])
                found[key].add(_graph_name(row["g"]))
    added: dict[str, list[tuple[str, Any, str, str]]] = defaultdict(list)
    for (s, p, o), graphs in sorted(found.items(), key=lambda kv: str(kv[0])):
        if any(view.reads(g) for g in graphs):
            facts.add(s, p, o)
        if graphs & view.base:
            continue
        best = best_standing(view.standing(g) for g in graphs) or "cited"
        graph = min(g for g in graphs if view.standing(g) == best)
        if not any(x[:2] == (p.lstrip("^"), o) for x in added[s]):  # both ways, once
            added[s].append((p.lstrip("^"), o, graph, best))
    return dict(added)


def _implied(predicate: str) -> bool:
    """Whether ``predicate`` is one ingest states because a ``cg:`` property implies it (a
    superproperty from PROV-O or schema.org): shown once, as the ``cg:`` statement."""
    return not predicate.startswith(CG) and predicate in _ALIGNED


def _added_statements(
    store: Store, claims: list[str], per_graph: dict[str, str]
) -> dict[str, list[tuple[str, str, str]]]:
    """What graphs other than evidenced ones say about ``claims`` (claim → property, value,
    graph)."""
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
    return {c: sorted(items) for c, items in added.items()}


def _graph_facts(
    store: Store, used: Iterable[str], per_graph: dict[str, str]
) -> dict[str, tuple[str, str | None, str | None]]:
    """Each of the statement graphs ``used``: its standing, who added or judged it, and its
    confidence."""
    graph_facts: dict[str, tuple[str, str | None, str | None]] = {}
    for values in values_blocks("g", sorted(g for g in used if g)):
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
    return graph_facts


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


def _shape_warnings(store: Store, claims: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Claim → the (shape, message) of each warning the shapes recorded about it at ingest."""
    warnings: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for values in values_blocks("c", claims):
        for row in store.select(
            f"""SELECT DISTINCT ?c ?shape ?m WHERE {{ {values}
                GRAPH {sparql_iri(META_GRAPH)} {{ ?b cg:validationWarning ?w . ?w sh:focusNode ?c ;
                sh:resultMessage ?m OPTIONAL {{ ?w sh:sourceShape ?shape }} }} }}"""
        ):
            shape = row["shape"]
            warnings[row["c"].value].append(
                (shape.value if shape is not None else "", row["m"].value)
            )
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
