"""Statement graphs: every statement is evidenced by the article, cited, or judged.

For each standing a record that passes and records that fail; then the seed itself, walked
statement by statement against the article's text; then the answers the re-modelled seed
gives to what the article says: what the update added, joint attribution, the speaker's own
reasoning, and the queries that used to pair rows of different chains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from claimgraph.errors import DraftRefused, ParseError, ValidationFailed
from claimgraph.ingest import ingest_bytes, ingest_file
from claimgraph.provenance import corroboration, trace
from claimgraph.queries import get_query
from claimgraph.rdf import CG, compact
from claimgraph.statements import EVIDENCE_RULE, META_GRAPH, graph_standings
from claimgraph.store import Store

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (REPO.parent / "shared" / "seed" / "000_6e98255791d8cd18.txt").read_text("utf-8")

HEAD = '"@context": https://w3id.org/claimgraph/context.jsonld\n"@graph":\n'
REVISION = """
  - id: cgi:t-outlet
    type: NewsOutlet
    label: {en: Test Outlet}
  - id: cgi:t-article
    type: Article
    publisher: cgi:t-outlet
    hasRevision: cgi:t-r1
  - id: cgi:t-r1
    type: ArticleRevision
    revisionOf: cgi:t-article
    revisionNumber: 1
    textAvailable: true
    text: "The talks in Geneva ended on Friday, a spokesman said."
"""
SPAN = (
    "{type: EvidenceSpan, source: cgi:t-r1, selector: "
    "{type: [TextQuoteSelector, TextPositionSelector], exact: %s}}"
)


def evidenced(body: str, *, extra: str = "") -> str:
    return (
        HEAD
        + REVISION
        + f"""
  - id: cgi:t-statements
    type: EvidencedStatements
    evidenceFrom: cgi:t-r1
{extra}    "@graph":
{body}"""
    )


TALKS = f"""      - id: cgi:t-talks
        type: Negotiation
        label: {{en: The talks in Geneva}}
        evidence: {SPAN % '"The talks in Geneva"'}
"""


def ingest_text(store: Store, text: str, **kw: bool) -> object:
    return ingest_bytes(store, text.encode(), format="records", source="t.yaml", **kw)


# ---------------------------------------------------------------- evidenced


def test_an_evidenced_graph_whose_nodes_carry_spans_of_its_revision_is_accepted(
    store: Store,
) -> None:
    r = ingest_text(store, evidenced(TALKS))
    assert r.created
    assert graph_standings(store)[CG.replace("ns#", "id/") + "t-statements"] == "evidenced"


def test_an_evidenced_node_without_a_span_is_refused_and_nothing_is_written(store: Store) -> None:
    body = (
        TALKS
        + """      - id: cgi:t-talks-date
        type: Negotiation
        label: {en: The talks}
        startTime: 2025-06-06
"""
    )
    before = len(store)
    with pytest.raises(ValidationFailed) as e:
        ingest_text(store, evidenced(body))
    rules = {str(r.source_shape) for r in e.value.report.violations}
    assert EVIDENCE_RULE in rules
    focus = {
        str(r.focus_node) for r in e.value.report.violations if str(r.source_shape) == EVIDENCE_RULE
    }
    assert focus == {"https://w3id.org/claimgraph/id/t-talks-date"}
    assert len(store) == before


def test_an_evidenced_node_whose_span_is_from_another_revision_is_refused(store: Store) -> None:
    earlier = """
  - id: cgi:t-r0
    type: ArticleRevision
    revisionOf: cgi:t-article
    revisionNumber: 0
    textAvailable: true
    text: "The talks in Geneva began."
"""
    text = evidenced(TALKS.replace("source: cgi:t-r1", "source: cgi:t-r0")) + earlier
    with pytest.raises(ValidationFailed) as e:
        ingest_text(store, text)
    assert EVIDENCE_RULE in {str(r.source_shape) for r in e.value.report.violations}
    assert len(store) == 0


def test_an_evidenced_graph_without_its_revision_is_refused(store: Store) -> None:
    with pytest.raises(ValidationFailed) as e:
        ingest_text(store, evidenced(TALKS).replace("    evidenceFrom: cgi:t-r1\n", ""))
    assert any("evidenceFrom" in str(r.result_path) for r in e.value.report.violations)


def test_a_quote_the_revision_does_not_hold_is_refused(store: Store) -> None:
    with pytest.raises(ParseError, match="Zurich"):
        ingest_text(store, evidenced(TALKS.replace('"The talks in Geneva"', '"talks in Zurich"')))


# ---------------------------------------------------------------- cited

CITED = (
    HEAD
    + """
  - id: cgi:t-background
    type: CitedStatements
    citation:
      type: Citation
      name: {en: "A reference work"}
      url: https://example.org/geneva-talks
    addedBy: cgi:t-team
    addedAt: "2026-12-01T00:00:00Z"
    "@graph":
      - {id: cgi:t-talks, startTime: 2025-06-06}
"""
)


def test_a_cited_graph_with_its_citation_and_who_added_it_is_accepted(store: Store) -> None:
    ingest_text(store, CITED)
    rows = store.select(
        f"""SELECT ?url ?by WHERE {{ GRAPH <{META_GRAPH}> {{
              cgi:t-background cg:citation/schema:url ?url ; cg:addedBy ?by }} }}""",
        default_graphs=[],
    )
    assert [(r["url"].value, compact(r["by"].value)) for r in rows] == [
        ("https://example.org/geneva-talks", "cgi:t-team")
    ]


@pytest.mark.parametrize(
    ("remove", "path"),
    [
        (
            '    citation:\n      type: Citation\n      name: {en: "A reference work"}\n'
            "      url: https://example.org/geneva-talks\n",
            "citation",
        ),
        ("    addedBy: cgi:t-team\n", "addedBy"),
    ],
)
def test_a_cited_graph_without_its_source_or_who_added_it_is_refused(
    store: Store, remove: str, path: str
) -> None:
    assert remove in CITED
    with pytest.raises(ValidationFailed) as e:
        ingest_text(store, CITED.replace(remove, ""))
    assert any(path in str(r.result_path) for r in e.value.report.violations)
    assert len(store) == 0


# ---------------------------------------------------------------- judged

JUDGED = (
    HEAD
    + """
  - id: cgi:t-judgement
    type: JudgedStatements
    judgedBy: cgi:t-team
    judgedAt: "2026-12-01T00:00:00Z"
    confidence: "0.7"
    rationale: {en: "Both accounts describe the same meeting."}
    "@graph":
      - {id: cgi:t-claim-a, supports: cgi:t-claim-b}
"""
)


def test_a_judged_graph_with_judge_time_and_confidence_is_accepted(store: Store) -> None:
    ingest_text(store, JUDGED)
    assert graph_standings(store)["https://w3id.org/claimgraph/id/t-judgement"] == "judged"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (("    judgedBy: cgi:t-team\n", ""), "judgedBy"),
        (('    judgedAt: "2026-12-01T00:00:00Z"\n', ""), "judgedAt"),
        (('confidence: "0.7"', 'confidence: "1.7"'), "confidence"),
    ],
)
def test_a_judged_graph_without_judge_time_or_sane_confidence_is_refused(
    store: Store, change: tuple[str, str], path: str
) -> None:
    assert change[0] in JUDGED
    with pytest.raises(ValidationFailed) as e:
        ingest_text(store, JUDGED.replace(*change))
    assert any(path in str(r.result_path) for r in e.value.report.violations)


# ---------------------------------------------------------------- files and graphs


def test_statements_outside_any_graph_are_cited_to_the_file_they_came_from(store: Store) -> None:
    r = ingest_text(store, HEAD + REVISION)
    rows = store.select(
        f"""SELECT ?kind ?file ?sha WHERE {{ GRAPH <{META_GRAPH}> {{
              <{r.batch}> a ?kind ; cg:citation ?c . ?c schema:name ?file ; cg:sha256 ?sha
              FILTER (?kind = cg:CitedStatements) }} }}""",
        default_graphs=[],
    )
    assert [(row["file"].value, row["sha"].value) for row in rows] == [("t.yaml", r.sha256)]


def test_a_draft_is_refused_unless_accepted(store: Store) -> None:
    text = evidenced(TALKS, extra="    draft: true\n")
    with pytest.raises(DraftRefused, match="t-statements"):
        ingest_text(store, text)
    assert len(store) == 0
    assert ingest_text(store, text, accept_drafts=True).created


def test_a_graph_another_batch_owns_is_refused(store: Store) -> None:
    ingest_text(store, JUDGED)
    before = len(store)
    again = JUDGED.replace("Both accounts", "The two accounts")
    with pytest.raises(ParseError, match="t-judgement.*another batch"):
        ingest_text(store, again)
    assert len(store) == before


def test_a_graph_with_two_standings_is_refused(store: Store) -> None:
    with pytest.raises(ParseError, match="two standings"):
        ingest_text(
            store,
            JUDGED.replace("type: JudgedStatements", "type: [JudgedStatements, CitedStatements]"),
        )


def test_the_minimal_claim_of_the_docs_ingests_and_traces(store: Store) -> None:
    r = ingest_file(store, REPO / "docs" / "examples" / "minimal-claim.yaml")
    assert r.created and not r.report.violations
    t = trace(store, "cgi:example-claim-two-hours")
    (hop,) = t.chains[0].hops
    assert hop.standing == "evidenced"
    assert [(e.start, e.end, e.verified) for e in hop.evidence] == [(0, 42, True)]
    assert t.corroboration.independent_sources == 1


# ---------------------------------------------------------------- the seed, statement by statement


def test_every_statement_of_the_seed_is_evidenced_cited_or_judged(seed_store: Store) -> None:
    """Walk every triple of every seed graph: an evidenced one belongs to a resource with a
    span that is really in the article; a cited one's graph names its citation and who added
    it; a judged one's graph names its judge, when, and how sure."""
    standings = graph_standings(seed_store)
    seed_graphs = {g: s for g, s in standings.items() if "/id/" in g or "/batch/" in g}
    assert sorted(set(seed_graphs.values())) == ["cited", "evidenced", "judged"]
    spans = {
        (
            r["node"].value,
            r["source"].value,
            r["exact"].value,
            int(r["start"].value),
            int(r["end"].value),
        )
        for r in seed_store.select(
            """SELECT ?node ?source ?exact ?start ?end WHERE {
                 ?node cg:evidence ?e . ?e oa:hasSource ?source ;
                    oa:hasSelector [ oa:exact ?exact ; oa:start ?start ; oa:end ?end ] }"""
        )
    }
    revision_text = {
        r["r"].value: r["t"].value
        for r in seed_store.select("SELECT ?r ?t WHERE { ?r cg:text ?t }")
    }
    verified: dict[str, set[str]] = {}
    for node, source, exact, start, end in spans:
        assert revision_text[source][start:end] == exact, (node, exact)
        verified.setdefault(node, set()).add(source)
    meta: dict[str, set[str]] = {}
    for r in seed_store.select(
        f"SELECT ?g ?p WHERE {{ GRAPH <{META_GRAPH}> {{ ?g ?p ?o }} }}", default_graphs=[]
    ):
        meta.setdefault(r["g"].value, set()).add(r["p"].value)
    walked = 0
    for graph, standing in seed_graphs.items():
        props = meta[graph]
        if standing == "cited":
            assert {CG + "citation", CG + "addedBy", CG + "addedAt"} <= props, graph
        elif standing == "judged":
            assert {CG + "judgedBy", CG + "judgedAt", CG + "confidence"} <= props, graph
        for q in seed_store.quads(graph):
            walked += 1
            if standing != "evidenced":
                continue
            subject = q.subject
            if isinstance(subject, ox.BlankNode):
                continue  # a span, a selector or a participation: reached from its owner
            (revision,) = {
                r["r"].value
                for r in seed_store.select(
                    f"SELECT ?r WHERE {{ GRAPH <{META_GRAPH}> "
                    f"{{ <{graph}> cg:evidenceFrom ?r }} }}",
                    default_graphs=[],
                )
            }
            assert revision in verified.get(subject.value, set()), (graph, compact(subject.value))
    assert walked > 1000


def test_the_article_batch_states_no_date_place_role_or_identity_the_article_does_not(
    seed_store: Store,
) -> None:
    """The article dates only the 2022 talks, places only the talks (Istanbul) and the summit
    (Albania), names no mediator, host or head of delegation, and identifies nobody."""
    evidenced = [g for g, s in graph_standings(seed_store).items() if s == "evidenced"]
    assert evidenced
    for graph in evidenced:
        rows = seed_store.select(
            f"""SELECT ?p ?o ?label WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}
                  OPTIONAL {{ GRAPH ?where {{ ?o rdfs:label ?label }} }} }}""",
            default_graphs=[],
        )
        for r in rows:
            p, o = r["p"].value, r["o"]
            name = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if name in {
                "startTime",
                "endTime",
                "claimDate",
                "reportedAt",
                "published",
                "datePublished",
            }:
                assert o.value in ARTICLE, (graph, name, o.value)
            if name in {"location", "atLocation"}:
                assert r["label"] is not None and r["label"].value in ARTICLE, (name, o.value)
            if name == "role":
                assert compact(o.value) in {"cg:party", "cg:participant"}, o.value
            assert name not in {"head", "sameAs", "possiblySameAs", "wikidata", "sameClaimAs"}, name


# ---------------------------------------------------------------- what the re-modelled seed answers


def _rows(
    store: Store, name: str, columns: str, include: tuple[str, ...], **params: str
) -> list[tuple[str | None, ...]]:
    result = get_query(name).run(store, params, standings=include)
    assert isinstance(result, ox.QuerySolutions)
    out = []
    for row in result:
        out.append(
            tuple(
                None
                if row[c] is None
                else compact(row[c].value)
                if isinstance(row[c], ox.NamedNode)
                else row[c].value
                for c in columns.split()
            )
        )
    return out


def test_what_the_update_added_is_the_first_three_paragraphs_as_judged(seed_store: Store) -> None:
    lead_end = ARTICLE.index("the near future.") + len("the near future.")
    rows = _rows(
        seed_store,
        "revision-changes",
        "revision change kind start end standing",
        ("evidenced", "judged"),
    )
    assert {r[:6] for r in rows} == {
        (
            "cgi:article-istanbul-r2",
            "cgi:change-update-added-lead",
            "cg:added",
            "0",
            str(lead_end),
            "judged",
        )
    }
    claims = {r[0] for r in _rows(seed_store, "revision-changes", "claim", ("evidenced", "judged"))}
    assert claims == {
        "cgi:claim-prisoner-exchange-agreed",
        "cgi:claim-common-ground",
        "cgi:claim-kyiv-proposed-leaders-meeting",
        "cgi:claim-elevate-dialogue",
        "cgi:claim-each-side-presented-ceasefire-proposals",
        "cgi:claim-russia-presented-ceasefire-proposals",
        "cgi:claim-ukraine-presented-ceasefire-proposals",
        "cgi:claim-no-breakthrough",
        "cgi:claim-talks-to-continue",
    }
    # the article alone does not say what its update changed
    assert _rows(seed_store, "revision-changes", "change", ("evidenced",)) == []


def test_statements_from_both_delegations_are_one_joint_utterance_with_two_sources(
    seed_store: Store,
) -> None:
    t = trace(seed_store, "cgi:claim-each-side-presented-ceasefire-proposals")
    (chain,) = t.chains
    assert chain.summary() == (
        "Publisher of the seed article ← Russian delegation and Ukrainian delegation"
    )
    speaker = chain.hops[-1]
    assert speaker.role == "speaker"
    assert sorted(a.id for a in speaker.carriers) == [
        "cgi:russian-delegation",
        "cgi:ukrainian-delegation",
    ]
    c = corroboration(seed_store, "cgi:claim-each-side-presented-ceasefire-proposals")
    assert c.independent_sources == 2
    assert sorted(a.id for group in c.sources for a in group.agents) == [
        "cgi:russian-delegation",
        "cgi:ukrainian-delegation",
    ]


def test_joint_statement_chain_origin_names_every_joint_speaker(seed_store: Store) -> None:
    """The bug: the reasoning said ``chain 1: … ← Russian delegation and Ukrainian delegation
    (origin: Russian delegation)`` and the JSON's ``origin`` named one delegation: the origin
    of a joint statement is both speakers, jointly."""
    t = trace(seed_store, "each-side-presented")
    both = ["cgi:russian-delegation", "cgi:ukrainian-delegation"]
    (chain,) = t.chains
    assert [a.id for a in chain.origins] == both
    assert chain.origin_label() == "Russian delegation and Ukrainian delegation"
    data = t.as_dict()
    assert [a["id"] for a in data["chains"][0]["origins"]] == both
    assert data["chains"][0]["origin"]["id"] == both[0]  # the first, as a hop's carrier
    note = (
        "chain 1: Publisher of the seed article ← Russian delegation and Ukrainian delegation "
        "(origin: Russian delegation and Ukrainian delegation)"
    )
    assert note in t.corroboration.reasoning
    assert note in data["corroboration"]["reasoning"]
    text = t.text().splitlines()
    assert f"  - {note}" in text
    assert (
        "  origin: Russian delegation (cgi:russian-delegation) [affiliated with Russia] and "
        "Ukrainian delegation (cgi:ukrainian-delegation) [affiliated with Ukraine] (jointly)"
    ) in text
    assert corroboration(seed_store, "each-side-presented").reasoning[0] == note


def test_zelenskys_this_shows_is_his_own_reason_not_a_modellers_link(seed_store: Store) -> None:
    info = trace(seed_store, "cgi:claim-zelensky-approach-unchanged").claim
    assert [r.id for r in info.because] == ["cgi:claim-zelensky-same-people"]
    standing = {
        r["kind"].value.rsplit("#", 1)[-1]
        for r in seed_store.select(
            f"""SELECT ?kind WHERE {{
                  GRAPH ?g {{ cgi:claim-zelensky-approach-unchanged cg:because ?reason }}
                  GRAPH <{META_GRAPH}> {{ ?g a ?kind }} }}""",
            default_graphs=[],
        )
    }
    assert "EvidencedStatements" in standing
    # `supports` links are the modellers' judgement, never in the article's graph
    kinds = {
        r["kind"].value.rsplit("#", 1)[-1]
        for r in seed_store.select(
            f"""SELECT DISTINCT ?kind WHERE {{ GRAPH ?g {{ ?a cg:supports ?b }}
                  GRAPH <{META_GRAPH}> {{ ?g a ?kind }}
                  FILTER (STRENDS(STR(?kind), "Statements")) }}""",
            default_graphs=[],
        )
    }
    assert kinds == {"JudgedStatements"}


def test_no_breakthrough_announced_is_not_the_last_minute_breakthrough(seed_store: Store) -> None:
    rows = _rows(
        seed_store,
        "claims-about-event",
        "claim",
        ("evidenced",),
        event="cgi:last-minute-breakthrough",
    )
    assert "cgi:claim-no-breakthrough" not in {r[0] for r in rows}
    assert seed_store.ask(
        """ASK { cgi:last-minute-breakthrough a cg:ProceduralBreakthrough ;
                   cg:resolves cgi:diplomatic-impasse . cgi:diplomatic-impasse a cg:Impasse .
                 cgi:claim-no-breakthrough cg:statedProperty cg:breakthroughAnnounced ;
                   cg:statedValue false }"""
    )


def test_claims_reported_by_tass_follow_tass_chains_only(seed_store: Store) -> None:
    """claims-reported-by used to pair TASS's report with "sources from the Ukrainian side":
    the two accounts of the pause are separate chains."""
    rows = _rows(
        seed_store, "claims-reported-by", "claim origin", ("evidenced",), reporter="cgi:tass"
    )
    assert sorted(set(rows)) == [
        ("cgi:claim-delegations-paused", "cgi:tass"),
        ("cgi:claim-trilateral-over-an-hour", "cgi:anon-turkish-mfa-sources"),
        ("cgi:claim-trilateral-preceded-bilateral", "cgi:anon-turkish-mfa-sources"),
    ]


SECOND_ARTICLE = (
    (
        HEAD
        + REVISION.replace(
            "The talks in Geneva ended on Friday, a spokesman said.",
            "Russia's demands were unrealistic, a Ukrainian official told AFP.",
        )
        + """
  - id: cgi:t-statements
    type: EvidencedStatements
    evidenceFrom: cgi:t-r1
    "@graph":
      - id: cgi:t-official
        type: AnonymousSource
        label: {en: Ukrainian official (told AFP)}
        describedAs: a Ukrainian official
        affiliatedWith: cgi:ukraine
        appearsIn: cgi:t-article
        evidence: SPAN_OFFICIAL
      - id: cgi:afp
        type: NewsAgency
        label: {en: AFP}
        evidence: SPAN_AGENCY
      - id: cgi:t-utterance
        type: Utterance
        reports: cgi:claim-russian-demands-unrealistic
        carrier: cgi:t-official
        hopRole: speaker
        cueVerb: told
        channel: told AFP
        observed: false
        evidence: SPAN_ALL
      - id: cgi:t-wire
        type: WireReport
        reports: cgi:claim-russian-demands-unrealistic
        derivedFrom: cgi:t-utterance
        carrier: cgi:afp
        hopRole: agency
        observed: false
        evidence: SPAN_ALL
      - id: cgi:t-mention
        type: ArticleMention
        reports: cgi:claim-russian-demands-unrealistic
        derivedFrom: cgi:t-wire
        carrier: cgi:t-outlet
        hopRole: outlet
        observed: true
        inArticle: cgi:t-r1
        evidence: SPAN_ALL
"""
    )
    .replace("SPAN_OFFICIAL", SPAN % '"a Ukrainian official"')
    .replace("SPAN_AGENCY", SPAN % '"AFP"')
    .replace(
        "SPAN_ALL", SPAN % '"Russia\'s demands were unrealistic, a Ukrainian official told AFP"'
    )
)


def test_the_unrealistic_demands_pair_each_speaker_with_its_own_chain(
    fresh_seed_store: Store,
) -> None:
    """cq05 used to pair every claimant with every outlet once a second article added a
    chain: each row is now one chain, its speaker, agency and outlet together."""
    ingest_text(fresh_seed_store, SECOND_ARTICLE)
    rows = _rows(
        fresh_seed_store,
        "cq05-unrealistic-demands",
        "speaker agency outlet article",
        ("evidenced",),
    )
    assert sorted(set(rows)) == [
        (
            "cgi:anon-ua-diplomatic-source-1",
            "cgi:reuters",
            "cgi:seed-outlet",
            "cgi:article-istanbul",
        ),
        ("cgi:t-official", "cgi:afp", "cgi:t-outlet", "cgi:t-article"),
    ]
    by_afp = _rows(
        fresh_seed_store, "claims-reported-by", "claim origin", ("evidenced",), reporter="cgi:afp"
    )
    assert set(by_afp) == {("cgi:claim-russian-demands-unrealistic", "cgi:t-official")}


# ---------------------------------------------------------------- over HTTP


STATEMENTS = "https://w3id.org/claimgraph/id/istanbul-article-statements"


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_a_statement_graph_changes_only_with_its_batch_over_http(
    make_app: Any, method: str
) -> None:
    """The Graph Store Protocol wrote into (or dropped) a statement graph on its own, which
    left the graph's declared standing describing other content: 409, store unchanged."""
    from conftest import TOKEN, app_store

    app = make_app(seed=True)
    store = app_store(app)
    before = len(store)
    body = "<https://w3id.org/claimgraph/id/x> <http://example.org/p> 1 ."
    r = app.test_client().open(
        f"/store?graph={STATEMENTS}",
        method=method,
        data=None if method == "DELETE" else body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"},
    )
    assert r.status_code == 409, r.get_data(as_text=True)
    assert "statement graph of batch" in r.get_data(as_text=True)
    assert len(store) == before


def test_an_update_into_a_statement_graph_is_refused(make_app: Any) -> None:
    from conftest import TOKEN, app_store

    app = make_app(seed=True)
    store = app_store(app)
    before = len(store)
    r = app.test_client().post(
        "/update",
        data=f"INSERT DATA {{ GRAPH <{STATEMENTS}> {{ cgi:x cg:startTime '2025-05-16' }} }}",
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": "application/sparql-update",
        },
    )
    assert r.status_code == 409, r.get_data(as_text=True)
    assert len(store) == before
