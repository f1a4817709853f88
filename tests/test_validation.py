"""The validation library: the seed, batch-versus-store validation, the context trap, the
report's forms (text, results, SHACL report graph) and the store-wide re-validation."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib import RDF, URIRef
from rdflib.namespace import SH

from claimgraph.ingest import ingest_bytes, ingest_seed
from claimgraph.rdf import CG, CGI, META_GRAPH
from claimgraph.store import Store, open_store
from claimgraph.validation import (
    SHAPES,
    ValidationReport,
    context_for,
    load_ontology,
    load_shapes,
    validate_batch,
    validate_store,
)

DATA = Path(__file__).resolve().parent / "data" / "shapes"
RDF_TYPE = ox.NamedNode(str(RDF.type))

SEED_WARNINGS = {
    "claim-russian-demands-unrealistic": "anon-ua-diplomatic-source-1",
    "claim-talks-ended": "anon-turkish-mfa-leak",
    "claim-trilateral-preceded-bilateral": "anon-turkish-mfa-sources",
    "claim-trilateral-over-an-hour": "anon-turkish-mfa-sources",
    "claim-kyiv-prioritises-ceasefire": "anon-ua-diplomatic-source-2",
}
"""The seed's claims whose only source is one anonymous source, and that source."""


def seed_triples() -> list[ox.Triple]:
    """The seed as ingest stores it (offsets computed from the quotes, what the ontology
    implies stated), every statement graph, without the batch metadata."""
    store = open_store(":memory:")
    ingest_seed(store)
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads()
        if q.graph_name != ox.NamedNode(META_GRAPH)
    ]


def parse(path: Path) -> list[ox.Triple]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def cgi(local: str) -> URIRef:
    return URIRef(CGI + local)


def shape(local: str) -> URIRef:
    return URIRef(SHAPES + local)


# ---------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_report() -> ValidationReport:
    return validate_batch(seed_triples())


def test_seed_has_no_violations(seed_report: ValidationReport) -> None:
    assert seed_report.conforms, seed_report.text()
    assert seed_report.violations == []


def test_seed_flags_each_claim_resting_on_a_single_anonymous_source(
    seed_report: ValidationReport,
) -> None:
    found = {
        (r.focus_node, r.value)
        for r in seed_report.warnings
        if r.source_shape == shape("SingleAnonymousSourceShape")
    }
    assert found == {(cgi(c), cgi(s)) for c, s in SEED_WARNINGS.items()}
    assert len(seed_report.warnings) == len(SEED_WARNINGS), seed_report.text()


def test_seed_blank_evidence_spans_are_validated_and_located() -> None:
    """Record files make evidence spans and selectors blank nodes: they are focus nodes too,
    and a result on one says where it sits."""
    triples = seed_triples()
    mention = ox.NamedNode(CGI + "mention-talks-ended")
    evidence = next(
        t.object for t in triples if t.subject == mention and t.predicate.value == CG + "evidence"
    )
    selector = next(
        t.object
        for t in triples
        if t.subject == evidence and t.predicate.value.endswith("hasSelector")
    )
    broken = [
        ox.Triple(t.subject, t.predicate, ox.Literal("leaks from the Turkish Foreign Ministry"))
        if t.subject == selector and t.predicate.value.endswith("#exact")
        else t
        for t in triples
    ]
    report = validate_batch(broken)
    assert [r.source_shape for r in report.violations] == [shape("EvidenceQuoteShape")]
    result = report.violations[0]
    assert result.focus_node == rdflib.BNode(evidence.value)
    assert result.focus_context == "cg:evidence of cgi:mention-talks-ended"
    assert "(cg:evidence of cgi:mention-talks-ended)" in report.text()
    assert (
        'the text there reads "leaks from the Turkish Foreign Ministry that talks had '
        'ended"' in result.message
    )


def test_seed_ingested_then_revalidated_gives_the_same_results(
    seed_report: ValidationReport,
) -> None:
    store = open_store(":memory:")
    ingest_seed(store)
    whole = validate_store(store)
    assert whole.conforms

    def key(report: ValidationReport) -> set[tuple[str, str, str]]:
        return {(str(r.focus_node), str(r.source_shape), str(r.value)) for r in report.results}

    assert key(whole) == key(seed_report)


def test_seed_ingest_records_the_warnings() -> None:
    store = open_store(":memory:")
    results = ingest_seed(store)
    # the article says it (5); the judgements add topics to four of those claims, which are
    # then validated again as part of that batch (4)
    assert [r.warnings for r in results] == [0, len(SEED_WARNINGS), 0, 4]


# ---------------------------------------------------------------- batch and context


@pytest.fixture
def base_store() -> Store:
    store = open_store(":memory:")
    store.add_batch("https://w3id.org/claimgraph/batch/base", parse(DATA / "base.ttl"), [])
    return store


NEW_CLAIM = parse(DATA / "valid" / "chains.ttl")
"""A batch that references many stored nodes (actors, the article revision, the talks, the
opening session) without describing them."""


def test_context_holds_types_and_facts_of_referenced_nodes(base_store: Store) -> None:
    context = context_for(base_store, NEW_CLAIM)
    facts = {
        (t.subject.value.removeprefix(CGI), t.predicate.value.rsplit("#", 1)[-1]) for t in context
    }
    assert ("anon-official", "type") in facts
    assert ("rev1", "type") in facts and ("rev1", "text") in facts
    assert ("talks-opening", "precedes") in facts  # chains are followed
    assert ("ruritania", "label") not in facts  # descriptions of referenced nodes are not


def test_context_nodes_are_not_focus_nodes(base_store: Store) -> None:
    """The trap: with the context's types in the data graph, sh:targetClass makes every
    referenced node a focus node, and each fails for lack of the properties the context does
    not carry.  validate_batch judges only the batch's own nodes."""
    context = context_for(base_store, NEW_CLAIM)
    naive = rdflib.Graph()
    naive.parse(data=ox.serialize(NEW_CLAIM + context, format=ox.RdfFormat.N_TRIPLES), format="nt")
    naive += load_ontology()
    _, graph, _ = pyshacl.validate(naive, shacl_graph=load_shapes(), inference="none")
    own = {URIRef(t.subject.value) for t in NEW_CLAIM}
    false_alarms = [
        graph.value(r, SH.focusNode)
        for r in graph.subjects(RDF.type, SH.ValidationResult)
        if graph.value(r, SH.focusNode) not in own
    ]
    assert len(false_alarms) >= 10, "the naive data graph should show the trap"

    report = validate_batch(NEW_CLAIM, context=context)
    assert report.conforms, report.text()
    assert not report.warnings, report.text()
    assert {r.focus_node for r in report.results} <= own


def test_incomplete_stored_nodes_do_not_fail_a_batch_that_references_them() -> None:
    """Nodes written without validation (or by an older version of the shapes) may be
    incomplete; a batch that only points at them is not blamed for that."""
    store = open_store(":memory:")
    bare = [
        ox.Triple(ox.NamedNode(CGI + name), RDF_TYPE, ox.NamedNode(CG + cls))
        for name, cls in [
            ("ruritania", "State"),
            ("outlet", "NewsOutlet"),
            ("agency", "NewsAgency"),
            ("rudolf", "Person"),
            ("anon-official", "AnonymousSource"),
            ("freedonia", "State"),
            ("talks", "Negotiation"),
            ("geneva", "Place"),
            ("talks-opening", "Meeting"),
            ("article", "Article"),
        ]
    ]
    rev = ox.NamedNode(CGI + "rev1")
    base_text = next(t for t in parse(DATA / "base.ttl") if t.predicate.value == CG + "text")
    bare += [ox.Triple(rev, RDF_TYPE, ox.NamedNode(CG + "ArticleRevision")), base_text]
    store.add_batch("https://w3id.org/claimgraph/batch/bare", bare, [])
    assert not validate_store(store).conforms  # the stored nodes are incomplete...
    report = validate_batch(NEW_CLAIM, context=context_for(store, NEW_CLAIM))
    assert report.conforms, report.text()  # ...but the batch is not blamed for them


def test_a_batch_that_extends_a_stored_node_revalidates_it(base_store: Store) -> None:
    batch = [
        ox.Triple(
            ox.NamedNode(CGI + "claim-holds"),
            ox.NamedNode(CG + "claimDate"),
            ox.Literal(
                "2025-05-17", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
        )
    ]
    report = validate_batch(batch, context=context_for(base_store, batch))
    assert [(r.focus_node, r.source_shape) for r in report.violations] == [
        (cgi("claim-holds"), shape("ClaimDateShape"))
    ]


def test_context_cost_follows_the_batch_not_the_store(base_store: Store) -> None:
    before = sorted(map(str, context_for(base_store, NEW_CLAIM)))
    unrelated = [
        ox.Triple(ox.NamedNode(f"{CGI}filler-{i}"), RDF_TYPE, ox.NamedNode(CG + "Topic"))
        for i in range(5000)
    ]
    base_store.add_batch("https://w3id.org/claimgraph/batch/filler", unrelated, [])
    assert sorted(map(str, context_for(base_store, NEW_CLAIM))) == before


def test_empty_and_untyped_batches_conform() -> None:
    assert validate_batch([]).conforms
    label = ox.Triple(
        ox.NamedNode(CGI + "x"), ox.NamedNode(str(rdflib.RDFS.label)), ox.Literal("x")
    )
    report = validate_batch([label])
    assert report.conforms and report.results == [] and report.focus_count == 0


# ---------------------------------------------------------------- the report


@pytest.fixture(scope="module")
def failing() -> ValidationReport:
    batch = parse(DATA / "invalid" / "claim-claimant-not-actor.ttl")
    batch += parse(DATA / "invalid" / "evidence-quote-wrong-offsets.ttl")
    return validate_batch(parse(DATA / "base.ttl") + batch)


def test_report_results_carry_node_path_value_rule_and_message(failing: ValidationReport) -> None:
    assert not failing.conforms
    claimant = next(r for r in failing.violations if r.source_shape == shape("ClaimClaimantShape"))
    assert claimant.focus_node == cgi("claim")
    assert claimant.result_path == URIRef(CG + "claimant")
    assert claimant.value == cgi("topic-ceasefire")
    assert claimant.constraint_component == SH.ClassConstraintComponent
    assert claimant.severity == SH.Violation and claimant.level == "Violation"
    assert "cg:Actor" in claimant.message
    assert claimant.to_dict()["node"] == "cgi:claim"


def test_report_text_reads_well(failing: ValidationReport) -> None:
    text = failing.text()
    assert text.startswith("does not conform: 2 violations")
    block = text.split("\n\n")[1]
    assert block.splitlines() == [
        "Violation: cgsh:ClaimClaimantShape (sh:ClassConstraintComponent)",
        "  node:  cgi:claim",
        "  path:  cg:claimant",
        "  value: cgi:topic-ceasefire",
        "  "
        + next(
            r.message for r in failing.violations if r.source_shape == shape("ClaimClaimantShape")
        ),
    ]
    assert "https://w3id.org" not in text  # IRIs are shortened, messages included
    quote = next(r for r in failing.violations if r.source_shape == shape("EvidenceQuoteShape"))
    assert "cgi:rev1 at [34, 68)" in quote.message


def test_report_graph_is_the_shacl_report(failing: ValidationReport) -> None:
    graph = rdflib.Graph().parse(data=failing.turtle(), format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    assert len(list(graph.objects(report, SH.result))) == len(failing.results)
    assert (None, SH.sourceShape, shape("EvidenceQuoteShape")) in graph


def test_warnings_do_not_block(seed_report: ValidationReport) -> None:
    assert seed_report.conforms and seed_report.warnings
    graph = rdflib.Graph().parse(data=seed_report.turtle(), format="turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in graph
    assert seed_report.summary() == (
        f"conforms: 0 violations, {len(SEED_WARNINGS)} warnings, {len(seed_report.infos)} infos"
    )


# ---------------------------------------------------------------- ingest and the store


def test_ingest_refuses_a_violating_batch_and_writes_nothing(base_store: Store) -> None:
    from claimgraph.errors import ValidationFailed

    before = len(base_store)
    data = (DATA / "invalid" / "reporting-chain-cycle-through-store.ttl").read_bytes()
    with pytest.raises(ValidationFailed) as caught:
        ingest_bytes(base_store, data, format="turtle", source="cycle.ttl")
    report = caught.value.report
    assert isinstance(report, ValidationReport)
    assert [(r.focus_node, r.source_shape) for r in report.violations] == [
        (cgi("utterance-holds"), shape("ReportChainCycleShape"))
    ]
    assert len(base_store) == before


def test_validate_store_finds_what_bypassed_ingest(base_store: Store) -> None:
    assert validate_store(base_store).conforms
    base_store.add_batch(
        "https://w3id.org/claimgraph/batch/bad",
        parse(DATA / "invalid" / "party-also-mediator.ttl"),
        [],
    )
    report = validate_store(base_store)
    assert [(r.focus_node, r.source_shape) for r in report.violations] == [
        (cgi("meeting"), shape("PartyMediatorShape"))
    ]
    assert report.focus_count > 0


def test_a_one_thousand_triple_batch_validates_in_reasonable_time(base_store: Store) -> None:
    """Not a benchmark (bench/bench_validation.py is): a guard against validation becoming
    quadratic.  The seed is a realistic batch of a few thousand triples."""
    triples = seed_triples()
    assert 2000 <= len(triples) <= 3000
    validate_batch(triples)
    started = time.perf_counter()
    validate_batch(triples, context=context_for(base_store, triples))
    assert time.perf_counter() - started < 10


def test_docstring_examples_run() -> None:
    import doctest
    import importlib
    import pkgutil

    import claimgraph.validation

    modules = [claimgraph.validation] + [
        importlib.import_module(m.name)
        for m in pkgutil.iter_modules(claimgraph.validation.__path__, "claimgraph.validation.")
    ]
    tried = 0
    for module in modules:
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__
        tried += result.attempted
    assert doctest.testmod(claimgraph.validation).attempted > 5 and tried > 20


def test_report_text_can_leave_out_lesser_results(seed_report: ValidationReport) -> None:
    warnings_only = seed_report.text(severity="Warning")
    assert warnings_only.count("\nWarning: ") == len(SEED_WARNINGS)
    assert "\nInfo: " not in warnings_only
    assert seed_report.text().count("\nInfo: ") == len(seed_report.infos) > 0
    with pytest.raises(ValueError):
        seed_report.text(severity="Fatal")


def test_triple_terms_are_refused_clearly() -> None:
    from claimgraph.errors import UsageError

    claim = ox.NamedNode(CGI + "x")
    quoted = ox.Triple(claim, ox.NamedNode(CG + "claimant"), ox.NamedNode(CGI + "y"))
    batch = [
        ox.Triple(claim, RDF_TYPE, ox.NamedNode(CG + "Statement")),
        ox.Triple(claim, ox.NamedNode(CG + "statedValue"), quoted),
    ]
    with pytest.raises(UsageError, match="triple term"):
        validate_batch(batch)
