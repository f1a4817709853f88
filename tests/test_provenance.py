"""Provenance and fact-checking on the seed dataset: exact chains, evidence, PROV-O, JSON,
corroboration, contradictions, flags, reviews; the CLI, HTTP and the /trace page.

Purpose-built cases (wire stories, cycles, anonymous-only claims, …) are in
``test_provenance_cases.py``.
"""

from __future__ import annotations

import doctest
import importlib
import json
import pkgutil
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from backends import Backend, known_difference
from click.testing import Result
from conftest import TOKEN
from rdflib import RDF, Literal, Namespace, URIRef

import claimgraph.provenance
from claimgraph.batches import list_batches
from claimgraph.errors import Ambiguous, NotFound, UsageError, ValidationFailed
from claimgraph.ingest import ingest_bytes
from claimgraph.provenance import (
    claim_summaries,
    contradictions,
    corroboration,
    normalize_rating,
    record_review,
    resolve_claim,
    trace,
)
from claimgraph.store import Store

pytest_plugins = ["fixtures_server"]

CG = Namespace("https://w3id.org/claimgraph/ns#")
CGI = Namespace("https://w3id.org/claimgraph/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

ID = "https://w3id.org/claimgraph/id/"
"""Resource IRIs as plain strings (rdflib's URIRef never equals a str)."""
UNREALISTIC = "cgi:claim-russian-demands-unrealistic"
SEED_TEXT = files("claimgraph.seed").joinpath("000_6e98255791d8cd18.txt").read_text("utf-8")
UNREALISTIC_SPAN = (
    "a Ukrainian diplomatic source telling Reuters that Russia’s demands during the "
    "negotiations were “unrealistic” and went far beyond anything previously discussed "
    "between the two sides"
)


# ------------------------------------------------------------------------ resolving


@pytest.mark.parametrize(
    "ref",
    [
        "https://w3id.org/claimgraph/id/claim-russian-demands-unrealistic",
        "<https://w3id.org/claimgraph/id/claim-russian-demands-unrealistic>",
        UNREALISTIC,
        "claim-russian-demands-unrealistic",
        "russian-demands-unrealistic",
        "unrealistic",
        "Russia's demands were unrealistic",
        "russia's demands",
    ],
)
def test_resolve_claim(seed_store: Store, ref: str) -> None:
    assert resolve_claim(seed_store, ref) == ID + "claim-russian-demands-unrealistic"


def test_resolve_ambiguous_lists_candidates(seed_store: Store) -> None:
    with pytest.raises(Ambiguous) as e:
        resolve_claim(seed_store, "paused")
    assert "cgi:claim-talks-paused" in str(e.value)
    assert "cgi:claim-delegations-paused" in str(e.value)
    assert sorted(e.value.candidates) == [  # type: ignore[attr-defined]
        ID + "claim-delegations-paused",
        ID + "claim-talks-paused",
    ]


def test_resolve_errors(seed_store: Store) -> None:
    with pytest.raises(NotFound, match="no claim matches 'no such thing'"):
        resolve_claim(seed_store, "no such thing")
    with pytest.raises(NotFound, match="cgi:claim-missing"):
        resolve_claim(seed_store, "https://w3id.org/claimgraph/id/claim-missing")
    with pytest.raises(UsageError, match="cgi:istanbul-talks is a cg:Negotiation, not a claim"):
        resolve_claim(seed_store, "cgi:istanbul-talks")
    with pytest.raises(UsageError):
        resolve_claim(seed_store, "  ")


# --------------------------------------------------------------- the seed: "unrealistic"


def test_trace_unrealistic_reaches_the_anonymous_source_through_reuters(seed_store: Store) -> None:
    t = trace(seed_store, "unrealistic")
    assert t.claim.id == UNREALISTIC
    assert [a.id for a in t.claim.claimants] == ["cgi:anon-ua-diplomatic-source-1"]
    (chain,) = t.chains
    assert [
        (h.report.id, h.kind, h.role, h.carrier.id if h.carrier else None) for h in chain.hops
    ] == [
        ("cgi:mention-russian-demands-unrealistic", "article mention", "outlet", "cgi:seed-outlet"),
        ("cgi:wire-reuters-russian-demands-unrealistic", "wire report", "agency", "cgi:reuters"),
        (
            "cgi:utterance-russian-demands-unrealistic",
            "utterance",
            "speaker",
            "cgi:anon-ua-diplomatic-source-1",
        ),
    ]
    mention, wire, utterance = chain.hops
    assert [h.link for h in chain.hops] == ["derived from", "derived from", None]
    assert mention.observed is True and wire.observed is False
    assert [h.date for h in chain.hops] == [None] * 3  # the article dates none of them
    assert [h.standing for h in chain.hops] == ["evidenced"] * 3
    assert (utterance.cue_verb, utterance.channel, utterance.verbatim) == (
        "telling",
        "telling Reuters",
        "unrealistic",
    )

    # the evidence: the exact span, its offsets, checked against the revision text
    (ev,) = mention.evidence
    assert (ev.revision, ev.start, ev.end) == (ID + "article-istanbul-r2", 731, 913)
    assert ev.exact == UNREALISTIC_SPAN and ev.verified and ev.problem is None
    assert SEED_TEXT[731:913] == UNREALISTIC_SPAN
    rev = mention.revision
    assert rev is not None
    assert (rev.id, rev.number, rev.revision_label, rev.published) == (
        "cgi:article-istanbul-r2",
        2,
        "UPD",
        None,  # the file gives no publication date
    )
    assert rev.article is not None and rev.article.id == "cgi:article-istanbul"
    assert rev.publisher is not None and rev.publisher.id == "cgi:seed-outlet"
    assert rev.previous is not None and rev.previous.id == "cgi:article-istanbul-r1"

    # the anonymous source: the article's words, the affiliation, never merged
    source = chain.origin
    assert source is not None and chain.traced
    assert source.id == "cgi:anon-ua-diplomatic-source-1" and source.anonymous
    assert source.described_as == "a Ukrainian diplomatic source"
    assert [r.label for r in source.affiliations] == ["Ukraine"]
    assert source.anonymity_level == "affiliation only"
    assert source.is_group is False
    # that the two Ukrainian diplomatic sources may be one person is judged, not said: shown
    # with its standing beside the source, not as one of its identities (unless included)
    assert source.possibly_same_as == []
    assert [(a.property, a.value, a.standing) for a in source.added] == [
        ("cg:possiblySameAs", "cgi:anon-ua-diplomatic-source-2", "judged")
    ]
    judged = trace(seed_store, UNREALISTIC, standings=("evidenced", "judged")).chains[0].origin
    assert judged is not None
    assert [r.id for r in judged.possibly_same_as] == ["cgi:anon-ua-diplomatic-source-2"]

    assert t.corroboration.independent_sources == 1
    # the shapes recorded "single anonymous source" at ingest; the flags say it afresh instead
    assert {f.code for f in t.flags} == {"single-source", "anonymous-only"}
    assert t.reviews == []


def test_trace_text_is_a_readable_tree(seed_store: Store) -> None:
    text = trace(seed_store, UNREALISTIC).text()
    lines = text.splitlines()
    assert lines[0] == (
        "cgi:claim-russian-demands-unrealistic  Russia's demands were unrealistic  [cg:Assessment]"
    )
    assert (
        "chain 1 of 1: Publisher of the seed article ← Reuters ← Ukrainian diplomatic "
        "source (told Reuters)"
    ) in lines
    assert "  └─ outlet: Publisher of the seed article (cgi:seed-outlet)" in lines
    assert "     └─ agency: Reuters (cgi:reuters)" in lines
    speaker = next(x for x in lines if "└─ speaker:" in x)
    assert speaker.startswith("        └─ speaker: Ukrainian diplomatic source (told Reuters)")
    assert 'described as "a Ukrainian diplomatic source"' in speaker
    assert "affiliated with Ukraine" in speaker
    assert "     evidence [731:913] ✓ verified" in lines
    assert f'       "{UNREALISTIC_SPAN}"' in lines
    assert '           cue "telling", channel "telling Reuters", certain' in lines
    assert "corroboration: 1 independent source" in lines
    assert "reviews: none" in lines


def test_trace_json_structure(seed_store: Store) -> None:
    data = json.loads(json.dumps(trace(seed_store, UNREALISTIC).as_dict()))
    assert list(data) == ["claim", "chains", "corroboration", "flags", "reviews"]
    assert data["claim"]["id"] == UNREALISTIC
    (chain,) = data["chains"]
    assert set(chain) == {
        "number",
        "hops",
        "origin",
        "traced",
        "circular",
        "summary",
        "origin_inferred",
        "origins",
    }
    assert [h["role"] for h in chain["hops"]] == ["outlet", "agency", "speaker"]
    hop = chain["hops"][0]
    assert set(hop) == {
        "position",
        "report",
        "kind",
        "role",
        "carrier",
        "cue_verb",
        "channel",
        "date",
        "observed",
        "certainty",
        "polarity",
        "verbatim",
        "standing",
        "carriers",
        "occasion",
        "location",
        "in_reply_to",
        "after",
        "revision",
        "evidence",
        "link",
    }
    assert hop["evidence"] == [
        {
            "revision": ID + "article-istanbul-r2",
            "exact": UNREALISTIC_SPAN,
            "start": 731,
            "end": 913,
            "verified": True,
            "problem": None,
            "found_at": None,
        }
    ]
    assert chain["origin"]["described_as"] == "a Ukrainian diplomatic source"
    assert data["corroboration"]["independent_sources"] == 1
    assert data["corroboration"]["anonymous_only"] is True


def _prov(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=turtle, format="turtle")


def test_trace_turtle_is_prov_o(seed_store: Store) -> None:
    g = _prov(trace(seed_store, UNREALISTIC).turtle())
    claim = CGI["claim-russian-demands-unrealistic"]
    mention, wire = (
        CGI["mention-russian-demands-unrealistic"],
        CGI["wire-reuters-russian-demands-unrealistic"],
    )
    utterance, source = (
        CGI["utterance-russian-demands-unrealistic"],
        CGI["anon-ua-diplomatic-source-1"],
    )
    assert (claim, PROV.wasAttributedTo, source) in g
    assert (mention, PROV.wasDerivedFrom, wire) in g
    assert (wire, PROV.wasDerivedFrom, utterance) in g
    assert (utterance, PROV.wasAttributedTo, source) in g
    assert (wire, PROV.wasAttributedTo, CGI.reuters) in g
    assert (mention, PROV.wasAttributedTo, CGI["seed-outlet"]) in g
    for report, agent, role in [
        (mention, CGI["seed-outlet"], CG.outlet),
        (wire, CGI.reuters, CG.agency),
        (utterance, source, CG.speaker),
    ]:
        (att,) = g.objects(report, PROV.qualifiedAttribution)
        assert (att, RDF.type, PROV.Attribution) in g
        assert (att, PROV.agent, agent) in g
        assert (att, PROV.hadRole, role) in g
        assert (report, RDF.type, PROV.Entity) in g
    (att,) = g.objects(utterance, PROV.qualifiedAttribution)
    assert (att, CG.channel, Literal("telling Reuters", lang="en")) in g
    (der,) = g.objects(mention, PROV.qualifiedDerivation)
    assert (der, RDF.type, PROV.Derivation) in g and (der, PROV.entity, wire) in g
    assert (source, RDF.type, PROV.Agent) in g
    assert (source, RDF.type, CG.AnonymousSource) in g
    assert (source, PROV.actedOnBehalfOf, CGI.ukraine) in g
    assert (source, CG.describedAs, Literal("a Ukrainian diplomatic source", lang="en")) in g
    assert (CGI.reuters, RDF.type, PROV.Organization) in g
    # the evidence as a Web Annotation selector on the revision
    (span,) = g.objects(mention, CG.evidence)
    assert (span, OA.hasSource, CGI["article-istanbul-r2"]) in g
    (sel,) = g.objects(span, OA.hasSelector)
    assert str(g.value(sel, OA.exact)) == UNREALISTIC_SPAN
    assert (int(g.value(sel, OA.start)), int(g.value(sel, OA.end))) == (731, 913)  # type: ignore[arg-type]
    rev = CGI["article-istanbul-r2"]
    assert (rev, PROV.wasRevisionOf, CGI["article-istanbul-r1"]) in g
    assert (rev, PROV.wasAttributedTo, CGI["seed-outlet"]) in g
    assert (rev, PROV.specializationOf, CGI["article-istanbul"]) in g


def test_trace_turtle_marks_quotations(seed_store: Store) -> None:
    g = _prov(trace(seed_store, "cgi:claim-zelensky-same-people").turtle())
    mention, utterance = CGI["mention-zelensky-same-people"], CGI["utterance-zelensky-same-people"]
    assert (mention, PROV.wasQuotedFrom, utterance) in g
    assert (mention, PROV.wasDerivedFrom, utterance) in g
    (q,) = g.objects(mention, PROV.qualifiedQuotation)
    assert (q, RDF.type, PROV.Quotation) in g and (q, PROV.entity, utterance) in g
    assert (utterance, PROV.atLocation, CGI.albania) in g
    assert (utterance, CG.occasion, CGI["european-summit-albania"]) in g


def test_zelensky_quote_hop_details(seed_store: Store) -> None:
    (chain,) = trace(seed_store, "cgi:claim-zelensky-same-people").chains
    mention, utterance = chain.hops
    assert mention.link == "quoted from"
    assert (
        utterance.occasion is not None and utterance.occasion.label == "European summit in Albania"
    )
    assert utterance.location is not None and utterance.location.label == "Albania"
    assert [r.id for r in utterance.in_reply_to] == ["cgi:istanbul-talks"]
    assert utterance.verbatim == (
        "Russia has sent almost the same people it sent back in 2022. This shows that it has "
        "not changed its fundamental approach"
    )


def test_every_seed_claim_traces_to_verified_evidence(seed_store: Store) -> None:
    summaries = claim_summaries(seed_store)
    assert len(summaries) == 25
    for s in summaries:
        t = trace(seed_store, s.claim.iri)
        assert t.chains, s.claim.id
        for chain in t.chains:
            assert chain.traced and chain.circular is None, (s.claim.id, chain.number)
            head = chain.hops[0]
            assert head.kind == "article mention" and head.observed
            for e in head.evidence:
                assert e.verified
                assert SEED_TEXT[e.start : e.end] == e.exact  # type: ignore[misc]


# ----------------------------------------------------------- corroboration and flags


def test_delegations_paused_has_two_independent_chains(seed_store: Store) -> None:
    t = trace(seed_store, "cgi:claim-delegations-paused")
    assert [[h.report.id for h in c.hops] for c in t.chains] == [
        ["cgi:mention-delegations-paused-tass", "cgi:wire-tass-delegations-paused"],
        ["cgi:mention-delegations-paused-ua", "cgi:utterance-delegations-paused-ua"],
    ]
    assert [c.origin.id for c in t.chains if c.origin] == ["cgi:tass", "cgi:anon-ua-side-sources"]
    # TASS is the origin of its own wire report: an agency with no speaker named behind it
    assert t.chains[0].hops[1].role == "agency"
    assert len(t.chains[0].hops) == 2
    c = corroboration(seed_store, "cgi:claim-delegations-paused")
    assert c.independent_sources == 2
    assert [(s.label, s.anonymous) for s in c.sources] == [
        ("TASS", False),
        ("Sources from the Ukrainian side", True),
    ]
    assert [[r.label for r in s.affiliations] for s in c.sources] == [["Russia"], ["Ukraine"]]
    assert c.reasoning[-1] == "independent sources: 2 (TASS; Sources from the Ukrainian side)"
    assert not c.anonymous_only and not c.single_source


def test_seed_flags(seed_store: Store) -> None:
    flagged = {s.claim.id: {f.code for f in s.flags} for s in claim_summaries(seed_store)}
    anonymous_only = sorted(c for c, codes in flagged.items() if "anonymous-only" in codes)
    assert anonymous_only == [
        "cgi:claim-kyiv-prioritises-ceasefire",
        "cgi:claim-russian-demands-unrealistic",
        "cgi:claim-talks-ended",
        "cgi:claim-trilateral-over-an-hour",
        "cgi:claim-trilateral-preceded-bilateral",
    ]
    # the shapes' sourcing warnings recorded at ingest are computed afresh, never shown stale
    assert not any("shape-warning" in flagged[c] for c in anonymous_only)
    assert "single-source" not in flagged["cgi:claim-delegations-paused"]
    assert "contradicted" in flagged["cgi:claim-talks-paused"]  # detected, not asserted
    assert not any(
        code in codes
        for codes in flagged.values()
        for code in ("circular-reporting", "untraced-chain", "evidence-mismatch")
    )
    assert claimgraph.provenance.circular_reporting(seed_store) == []


def test_seed_contradictions_ended_vs_paused(seed_store: Store) -> None:
    found = contradictions(seed_store)
    assert [(c.kind, [s.claim.id for s in c.sides]) for c in found] == [
        ("asserted+detected", ["cgi:claim-delegations-paused", "cgi:claim-talks-ended"]),
        ("detected", ["cgi:claim-talks-ended", "cgi:claim-talks-paused"]),
    ]
    first = found[0]
    assert first.event is not None and first.event.id == "cgi:istanbul-talks"
    assert first.property is not None and first.property.label == "event status"
    assert first.basis == [
        "cgi:claim-delegations-paused cg:contradicts cgi:claim-talks-ended",
        "both give cg:eventStatus of cgi:istanbul-talks: cg:paused "
        "(cgi:claim-delegations-paused) vs cg:ended (cgi:claim-talks-ended)",
    ]
    paused, ended = first.sides
    assert paused.stated_value == "cg:paused" and ended.stated_value == "cg:ended"
    assert [(a.id, a.anonymous) for a in paused.claimants] == [
        ("cgi:anon-ua-side-sources", True),
        ("cgi:tass", False),
    ]
    assert paused.independent_sources == 2
    assert paused.chains == [
        "Publisher of the seed article ← TASS",
        "Publisher of the seed article ← Sources from the Ukrainian side",
    ]
    assert [(a.id, a.anonymous, [r.id for r in a.affiliations]) for a in ended.claimants] == [
        ("cgi:anon-turkish-mfa-leak", True, ["cgi:turkish-foreign-ministry"])
    ]
    assert ended.independent_sources == 1
    assert {"anonymous-only", "single-source"} <= set(ended.flags)
    assert first.shared_sources == []


def test_evidence_is_checked_in_code_points(
    store: Store, backend: Backend, request: pytest.FixtureRequest
) -> None:
    """Offsets count Unicode code points: an emoji before the span (two UTF-16 units, one
    code point) must not shift it; a wrong offset is reported with where the quote is."""
    known_difference(
        request,
        backend,
        "virtuoso",
        "Virtuoso 7.2.5's SUBSTR cuts a stored literal that holds characters outside the "
        "BMP two characters off (STRLEN is right; constants are right)",
    )
    text = "🕊️ Peace talks. The envoy said “talks will resume” today."
    exact = "talks will resume"
    start = text.index(exact)  # Python indexes code points
    data = _evidence_case(
        text, [(exact, start, start + len(exact)), (exact, start + 2, start + 2 + len(exact))]
    )
    store.add_batch("https://w3id.org/claimgraph/batch/evidence-test", data, [])
    t = trace(store, "cgi:ev-claim")
    good, bad = (h.evidence[0] for c in t.chains for h in c.hops if h.evidence)
    assert good.verified and (good.start, good.end) == (start, start + len(exact))
    assert not bad.verified and bad.found_at == start
    assert "is 'lks will resume” '" in (bad.problem or "")
    flags = [f for f in t.flags if f.code == "evidence-mismatch"]
    assert len(flags) == 1 and f"the quote occurs at {start}" in flags[0].message


def _evidence_case(text: str, spans: list[tuple[str, int, int]]) -> list[ox.Triple]:
    ttl = [
        "@prefix cg: <https://w3id.org/claimgraph/ns#> .",
        "@prefix cgi: <https://w3id.org/claimgraph/id/> .",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        'cgi:ev-outlet a cg:NewsOutlet ; rdfs:label "Outlet" .',
        'cgi:ev-envoy a cg:Person ; rdfs:label "Envoy" .',
        'cgi:ev-claim a cg:Statement ; cg:claimText "Talks will resume."@en ; '
        "cg:claimant cgi:ev-envoy .",
        "cgi:ev-article a cg:Article ; cg:publisher cgi:ev-outlet ; cg:hasRevision cgi:ev-r1 .",
        f"cgi:ev-r1 a cg:ArticleRevision ; cg:revisionOf cgi:ev-article ; "
        f"cg:text {json.dumps(text, ensure_ascii=False)} .",
        "cgi:ev-utterance a cg:Utterance ; cg:reports cgi:ev-claim ; cg:carrier cgi:ev-envoy ; "
        "cg:hopRole cg:speaker .",
    ]
    for i, (exact, s, e) in enumerate(spans):
        ttl.append(
            f"cgi:ev-mention-{i} a cg:ArticleMention ; cg:reports cgi:ev-claim ; "
            "cg:carrier cgi:ev-outlet ; cg:hopRole cg:outlet ; cg:observed true ; "
            "cg:inArticle cgi:ev-r1 ; cg:derivedFrom cgi:ev-utterance ; cg:evidence [ "
            "oa:hasSource cgi:ev-r1 ; oa:hasSelector [ "
            f"oa:exact {json.dumps(exact)} ; oa:start {s} ; oa:end {e} ] ] ."
        )
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse("\n".join(ttl).encode("utf-8"), ox.RdfFormat.TURTLE)
    ]


# --------------------------------------------------------------------------- reviews


def test_review_is_its_own_validated_batch_and_shows_in_the_trace(fresh_seed_store: Store) -> None:
    store = fresh_seed_store
    before = {b.batch for b in list_batches(store)}
    r = record_review(
        store,
        "unrealistic",
        rating="Unproven",
        author="Example Fact Check",
        note="One unnamed diplomat; no second source.",
        review_date="2025-05-20",
    )
    assert r.created and r.normalized == "unproven" and r.rating_label == "Unproven"
    after = {b.batch for b in list_batches(store)}
    assert after - before == {r.batch}
    (review,) = trace(store, UNREALISTIC).reviews
    assert review.iri == r.review and review.batch == r.batch
    assert review.rating_label == "Unproven"
    assert review.normalized is not None and review.normalized.id == "cg:ratingUnproven"
    assert review.author is not None and review.author.label == "Example Fact Check"
    assert (review.date, review.note) == ("2025-05-20", "One unnamed diplomat; no second source.")
    again = record_review(
        store,
        "unrealistic",
        rating="Unproven",
        author="Example Fact Check",
        note="One unnamed diplomat; no second source.",
        review_date="2025-05-20",
    )
    assert not again.created and again.review == r.review

    # schema.org ClaimReview as stored
    rows = list(
        store.query(
            "SELECT ?rev ?label ?value WHERE { ?rev a schema:ClaimReview , cg:Review ; "
            "schema:itemReviewed cgi:claim-talks-ended ; schema:reviewRating ?r . "
            "?r schema:alternateName ?label ; schema:ratingValue ?value }"
        )
    )  # type: ignore[union-attr]
    assert rows == []
    r2 = record_review(
        store,
        "cgi:claim-talks-ended",
        rating="Pants on Fire",
        author="cgi:seed-outlet",
        review_date="2025-05-21T09:30:00Z",
    )
    assert r2.normalized == "false"
    (row,) = store.query(  # type: ignore[misc]
        "SELECT ?rev ?label ?value ?author WHERE { ?rev a schema:ClaimReview , cg:Review ; "
        "schema:itemReviewed cgi:claim-talks-ended ; schema:author ?author ; "
        "schema:reviewRating ?r . ?r schema:alternateName ?label ; schema:ratingValue ?value }"
    )
    assert (row["label"].value, row["value"].value, row["author"].value) == (
        "Pants on Fire",
        "1",
        ID + "seed-outlet",
    )
    t = trace(store, "cgi:claim-talks-ended")
    assert [x.rating_label for x in t.reviews] == ["Pants on Fire"]
    assert "Pants on Fire" in t.text()
    g = _prov(t.turtle())
    assert (URIRef(r2.review), SCHEMA.itemReviewed, CGI["claim-talks-ended"]) in g
    assert (URIRef(r2.review), CG.normalizedRating, CG.ratingFalse) in g


def test_review_errors(fresh_seed_store: Store) -> None:
    store = fresh_seed_store
    with pytest.raises(UsageError, match="--normalized"):
        record_review(store, "unrealistic", rating="Spicy", author="X")
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        record_review(store, "unrealistic", rating="False", author="X", review_date="yesterday")
    with pytest.raises(UsageError, match="not one of"):
        record_review(store, "unrealistic", rating="False", author="X", normalized="wrong")
    with pytest.raises(NotFound, match="no agent cgi:nobody"):
        record_review(store, "unrealistic", rating="False", author="cgi:nobody")
    with pytest.raises(NotFound):
        record_review(store, "no such claim", rating="False", author="X")
    r = record_review(store, "unrealistic", rating="Spicy", author="X", normalized="mixture")
    assert r.normalized == "mixture"


def test_malformed_review_is_refused_by_the_shapes(fresh_seed_store: Store) -> None:
    store = fresh_seed_store
    size = len(store)
    bad = b"""@prefix schema: <https://schema.org/> .
    @prefix cgi: <https://w3id.org/claimgraph/id/> .
    @prefix cg: <https://w3id.org/claimgraph/ns#> .
    cgi:review-bad a schema:ClaimReview , cg:Review ;
        schema:itemReviewed cgi:claim-russian-demands-unrealistic ;
        schema:author cgi:seed-outlet ."""
    with pytest.raises(ValidationFailed) as e:
        ingest_bytes(store, bad, format="turtle", source="bad-review.ttl")
    rules = {v.rule for v in e.value.report.violations}  # type: ignore[attr-defined]
    assert {"cgsh:ReviewRatingShape", "cgsh:ReviewDateShape"} <= rules
    assert len(store) == size


@pytest.mark.parametrize(
    ("label", "normalized"),
    [
        ("True", "true"),
        ("Mostly True", "mostly-true"),
        ("Half True", "mixture"),
        ("Misleading", "mostly-false"),
        ("FALSE", "false"),
        ("Pants on Fire!", "false"),
        ("Unverified", "unproven"),
        ("Four Pinocchios", "false"),
        ("Spicy", None),
    ],
)
def test_normalize_rating(label: str, normalized: str | None) -> None:
    assert normalize_rating(label) == normalized


# ------------------------------------------------------------------------------ CLI


@pytest.fixture
def seeded_cli(cli: Callable[..., Result]) -> Callable[..., Result]:
    assert cli("ingest", "--seed").exit_code == 0
    return cli


def test_cli_trace_formats(seeded_cli: Callable[..., Result]) -> None:
    text = seeded_cli("trace", "unrealistic")
    assert text.exit_code == 0
    assert "└─ agency: Reuters (cgi:reuters)" in text.output
    assert "evidence [731:913] ✓ verified" in text.output
    data = json.loads(seeded_cli("trace", "unrealistic", "--format", "json").output)
    assert [h["carrier"]["id"] for h in data["chains"][0]["hops"]] == [
        "cgi:seed-outlet",
        "cgi:reuters",
        "cgi:anon-ua-diplomatic-source-1",
    ]
    g = _prov(seeded_cli("trace", "unrealistic", "--format", "turtle").output)
    assert (
        CGI["wire-reuters-russian-demands-unrealistic"],
        PROV.wasDerivedFrom,
        CGI["utterance-russian-demands-unrealistic"],
    ) in g
    assert (
        CGI["utterance-russian-demands-unrealistic"],
        PROV.wasAttributedTo,
        CGI["anon-ua-diplomatic-source-1"],
    ) in g


def test_cli_errors(seeded_cli: Callable[..., Result]) -> None:
    r = seeded_cli("trace", "paused")
    assert r.exit_code == 4 and "matches 2 claims" in r.output
    r = seeded_cli("trace", "zzz")
    assert r.exit_code == 4 and "no claim matches 'zzz'" in r.output
    r = seeded_cli("trace", "cgi:istanbul-talks")
    assert r.exit_code == 2 and "not a claim" in r.output
    r = seeded_cli("review", "unrealistic", "--rating", "False", "--author", "X", "--date", "soon")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_cli_corroboration_contradictions_flags_claims(seeded_cli: Callable[..., Result]) -> None:
    r = seeded_cli("corroboration", "cgi:claim-delegations-paused")
    assert r.exit_code == 0
    assert "independent sources: 2 (from 2 chains)" in r.output
    assert "1. TASS (named, affiliated with Russia); chains 1" in r.output
    data = json.loads(seeded_cli("corroboration", "unrealistic", "--format", "json").output)
    assert data["independent_sources"] == 1 and data["anonymous_only"] is True

    r = seeded_cli("contradictions")
    assert r.exit_code == 0
    assert "1. asserted+detected on event status of Istanbul peace talks" in r.output
    assert "claimants: Sources from the Ukrainian side (anonymous); TASS" in r.output
    assert "claimants: Turkish Foreign Ministry leak (anonymous)" in r.output
    data = json.loads(seeded_cli("contradictions", "--format", "json").output)
    assert len(data) == 2

    r = seeded_cli("flags")
    assert r.exit_code == 0 and "(5 claims flagged)" in r.output
    assert "no circular reporting" in r.output
    data = json.loads(seeded_cli("flags", "--format", "json", "--all").output)
    assert len(data["claims"]) == 25 and data["circular_reporting"] == []
    r = seeded_cli("flags", "unrealistic")
    assert "anonymous-only" in r.output

    r = seeded_cli("claims")
    assert r.exit_code == 0 and "(25 claims)" in r.output


def test_cli_review_then_trace(seeded_cli: Callable[..., Result]) -> None:
    r = seeded_cli(
        "review",
        "unrealistic",
        "--rating",
        "Unproven",
        "--author",
        "Example Fact Check",
        "--note",
        "One source.",
        "--date",
        "2025-05-20",
    )
    assert r.exit_code == 0 and "recorded" in r.output and "→ unproven" in r.output
    again = seeded_cli(
        "review",
        "unrealistic",
        "--rating",
        "Unproven",
        "--author",
        "Example Fact Check",
        "--note",
        "One source.",
        "--date",
        "2025-05-20",
    )
    assert again.exit_code == 0 and "nothing written" in again.output
    out = seeded_cli("trace", "unrealistic").output
    assert '2025-05-20  Example Fact Check: "Unproven" → unproven' in out
    assert seeded_cli("batches").output.count("review-") == 1
    batch = next(
        b["batch"]
        for b in json.loads(seeded_cli("batches", "--format", "json").output)
        if "review-" in b["source"]
    )
    assert f"batch {batch.rsplit('/', 1)[-1]})" in out  # the trace names the review's batch


# ----------------------------------------------------------------------------- HTTP


@pytest.fixture
def writable_client(make_app: Callable[..., Any]) -> Any:
    """The seed dataset served by an app of this test's own (the review test writes)."""
    return make_app(seed=True).test_client()


def test_http_trace_negotiates(client: Any) -> None:
    r = client.get("/api/trace?claim=unrealistic")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert [h["role"] for h in r.json["chains"][0]["hops"]] == ["outlet", "agency", "speaker"]
    r = client.get("/api/trace?claim=unrealistic", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = _prov(r.get_data(as_text=True))
    assert (
        CGI["claim-russian-demands-unrealistic"],
        PROV.wasAttributedTo,
        CGI["anon-ua-diplomatic-source-1"],
    ) in g
    r = client.get("/api/trace?claim=unrealistic&format=text")
    assert r.mimetype == "text/plain" and "└─ agency: Reuters" in r.get_data(as_text=True)
    r = client.get("/api/trace?claim=unrealistic&texts=1")
    assert r.json["revision_texts"] == {ID + "article-istanbul-r2": SEED_TEXT}


def test_http_errors(client: Any) -> None:
    assert client.get("/api/trace").status_code == 400
    r = client.get("/api/trace?claim=paused")
    assert r.status_code == 400 and "matches 2 claims" in r.json["error"]["detail"]
    assert client.get("/api/trace?claim=zzz").status_code == 404
    assert (
        client.get("/api/trace?claim=unrealistic", headers={"Accept": "image/png"}).status_code
        == 406
    )
    assert client.get("/api/trace?claim=unrealistic&format=png").status_code == 400


def test_http_corroboration_contradictions_flags(client: Any) -> None:
    r = client.get("/api/claims/cgi:claim-delegations-paused/corroboration")
    assert r.status_code == 200 and r.json["independent_sources"] == 2
    r = client.get(
        "/api/corroboration", query_string={"claim": str(CGI["claim-delegations-paused"])}
    )
    assert r.json["independent_sources"] == 2
    r = client.get("/api/contradictions")
    assert [[s["claim"]["id"] for s in c["sides"]] for c in r.json] == [
        ["cgi:claim-delegations-paused", "cgi:claim-talks-ended"],
        ["cgi:claim-talks-ended", "cgi:claim-talks-paused"],
    ]
    r = client.get("/api/flags")
    assert len(r.json["claims"]) == 5 and r.json["circular_reporting"] == []
    assert len(client.get("/api/claims").json) == 25


def test_http_review(writable_client: Any) -> None:
    client = writable_client
    body = {"rating": "False", "author": "Example Check", "date": "2025-05-20"}
    assert client.post("/api/claims/unrealistic/reviews", json=body).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/claims/unrealistic/reviews", json=body, headers=auth)
    assert r.status_code == 201 and r.json["normalized"] == "false"
    assert (
        client.post("/api/claims/unrealistic/reviews", json=body, headers=auth).status_code == 200
    )
    bad = client.post(
        "/api/claims/unrealistic/reviews", json={"rating": "Spicy", "author": "X"}, headers=auth
    )
    assert bad.status_code == 400 and "--normalized" in bad.json["error"]["detail"]
    assert client.post("/api/claims/unrealistic/reviews", data="x", headers=auth).status_code == 400
    for wrong, field in (({"rating": "False"}, "'author'"), ({**body, "note": 3}, "'note'")):
        refused = client.post("/api/claims/unrealistic/reviews", json=wrong, headers=auth)
        assert refused.status_code == 400 and field in refused.json["error"]["detail"], wrong
    t = client.get("/api/trace?claim=unrealistic").json
    assert [x["rating_label"] for x in t["reviews"]] == ["False"]


def test_trace_page_is_linked(client: Any) -> None:
    r = client.get("/trace?claim=unrealistic")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "trace.js" in page and '"unrealistic"' in page
    assert 'id="trace-view-link"' in client.get("/").get_data(as_text=True)
    assert client.get("/static/trace.js").status_code == 200


# ------------------------------------------------------------------------------ docs


def test_docs_describe_every_json_key_and_flag() -> None:
    """docs/provenance.md documents the JSON structure: every field of every value a trace,
    corroboration or contradiction holds, and every flag code."""
    from dataclasses import fields

    docs = (Path(__file__).resolve().parents[1] / "docs" / "provenance.md").read_text("utf-8")
    P = claimgraph.provenance
    for cls in (
        P.ClaimInfo,
        P.Chain,
        P.Hop,
        P.Agent,
        P.Evidence,
        P.Revision,
        P.Circularity,
        P.Corroboration,
        P.SourceGroup,
        P.Flag,
        P.ReviewInfo,
        P.ContradictionSide,
        P.Contradiction,
        P.ClaimSummary,
    ):
        for f in fields(cls):
            assert f"`{f.name}`" in docs or f" {f.name}" in docs, (cls.__name__, f.name)
    for code in P.FLAG_CODES:
        assert f"`{code}`" in docs, code


def test_flags_use_documented_codes(seed_store: Store) -> None:
    for s in claim_summaries(seed_store):
        assert {f.code for f in s.flags} <= set(claimgraph.provenance.FLAG_CODES)


# --------------------------------------------------------------------------- doctests


def test_doctests() -> None:
    """The examples of every module of the package run (the package is split by concern)."""
    modules = [claimgraph.provenance] + [
        importlib.import_module(m.name)
        for m in pkgutil.iter_modules(claimgraph.provenance.__path__, "claimgraph.provenance.")
    ]
    results = [doctest.testmod(m, optionflags=doctest.ELLIPSIS) for m in modules]
    failed, tried = sum(r.failed for r in results), sum(r.attempted for r in results)
    assert tried > 10 and failed == 0


# ------------------------------------------------------------------- a live server


def test_review_over_a_live_server(seed_store_dir: Path, tmp_path: Path) -> None:
    """The write path for real: gunicorn, a query process opening the on-disk store for
    writing under the lock, the review validated and landed as a batch, then read back by
    another request.  (A server of its own: the shared live server must stay unwritten.)"""
    from fixtures_server import serve_copy, stop_server

    server = serve_copy(seed_store_dir, tmp_path, "--workers", "1", "--query-workers", "2")
    try:
        body = json.dumps(
            {
                "rating": "Misleading",
                "author": "Example Check",
                "note": "One source.",
                "date": "2025-05-20",
            }
        )
        r = server.post("/api/claims/cgi:claim-talks-ended/reviews", body, "application/json")
        assert r.status == 401
        r = server.post(
            "/api/claims/cgi:claim-talks-ended/reviews", body, "application/json", **server.auth
        )
        assert r.status == 201, r.text
        review = json.loads(r.body)
        assert review["normalized"] == "mostly-false"
        assert r.headers.get("location") == review["review"]
        t = json.loads(server.get("/api/trace", {"claim": "cgi:claim-talks-ended"}).body)
        assert [(x["rating_label"], x["batch"]) for x in t["reviews"]] == [
            ("Misleading", review["batch"])
        ]
        r = server.get("/api/trace", {"claim": "cgi:claim-talks-ended", "format": "turtle"})
        g = _prov(r.text)
        assert (URIRef(review["review"]), CG.normalizedRating, CG.ratingMostlyFalse) in g
    finally:
        stop_server(server.process)


# ---------------------------------------------------------------------- the browser


@pytest.mark.browser
def test_trace_page_in_a_browser(live_server: Any, browser: Any) -> None:
    """The /trace page draws the chain (speaker → agency → outlet) and highlights the
    evidence in the article text; clicking the outlet's hop marks its span."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser
    driver.get(f"{live_server.url}/trace?claim=unrealistic")
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".tr-hop"))
    hops = driver.find_elements(By.CSS_SELECTOR, ".tr-chain .tr-hop")
    assert [h.get_attribute("data-report") for h in hops] == [
        "cgi:utterance-russian-demands-unrealistic",
        "cgi:wire-reuters-russian-demands-unrealistic",
        "cgi:mention-russian-demands-unrealistic",
    ]
    assert "anonymous" in hops[0].get_attribute("class")
    assert "a Ukrainian diplomatic source" in hops[0].text
    assert "Reuters" in hops[1].text
    marks = driver.find_elements(By.CSS_SELECTOR, "#tr-article mark")
    assert [m.text for m in marks] == [UNREALISTIC_SPAN]
    hops[2].click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tr-article mark.active"))
    assert driver.find_element(By.ID, "tr-count").text == "1"
    # another claim, two chains, from the picker
    Select(driver.find_element(By.ID, "tr-claim")).select_by_value(
        str(CGI["claim-delegations-paused"])
    )
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".tr-chain")) == 2)
    assert driver.find_element(By.ID, "tr-count").text == "2"
    assert not driver.find_element(By.ID, "tr-error").is_displayed()
