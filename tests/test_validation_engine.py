"""The SPARQL validation engine against pySHACL, the reference: on every shape's passing and
failing file (as a batch with its context, and merged with the base data), on the seed, on
generated data with seeded random damage, and on a whole store, the two engines must give the
same results (focus node, path, value, source shape, constraint component, severity, message,
where a blank node sits), the same ``conforms`` and focus count, and isomorphic SHACL report
graphs."""

from __future__ import annotations

import random
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from generated import synthetic_text
from rdflib import RDF, BNode
from rdflib.compare import isomorphic
from rdflib.term import Node

from claimgraph.errors import ValidationFailed
from claimgraph.ingest import SEED_FILES, ingest_bytes, with_entailments
from claimgraph.rdf import CG, CGI, XSD
from claimgraph.records import parse_records
from claimgraph.statements import split_file_graphs
from claimgraph.store import Store, open_store
from claimgraph.validation import (
    DEFINED_TERMS_RULE,
    ValidationReport,
    context_for,
    validate_batch,
    validate_store,
)
from claimgraph.validation.compiler import compiled_shapes
from claimgraph.validation.dataset import ValidationData
from claimgraph.validation.engine import validate_data
from claimgraph.validation.report import result_identity
from claimgraph.validation.terms import to_rdflib

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "shapes"
BASE = DATA / "base.ttl"
FILES = sorted((DATA / "invalid").glob("*.ttl")) + sorted((DATA / "valid").glob("*.ttl"))


def parse(path: Path) -> list[ox.Triple]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def findings(report: ValidationReport) -> list[tuple[str, ...]]:
    return sorted((*result_identity(r), r.focus_context, r.rule) for r in report.results)


def content(graph: rdflib.Graph) -> tuple[list[str], list[str]]:
    """A report graph's content with blank nodes read as what they hold (a report graph is
    a tree of blank nodes under the report): equal for isomorphic report graphs, and fast
    where rdflib's general isomorphism test takes minutes."""

    def expand(node: Node, depth: int) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        if depth > 12:
            return "[]"
        held = sorted(f"{p.n3()} {expand(o, depth + 1)}" for p, o in graph.predicate_objects(node))
        return "[" + " ; ".join(held) + "]"

    roots = {s for s in graph.subjects() if isinstance(s, BNode) and (None, None, s) not in graph}
    named = sorted(
        f"{s.n3()} {p.n3()} {expand(o, 0)}" for s, p, o in graph if not isinstance(s, BNode)
    )
    return sorted(expand(r, 0) for r in roots), named


def assert_same(reference: ValidationReport, engine: ValidationReport) -> None:
    assert findings(engine) == findings(reference)
    assert engine.conforms == reference.conforms
    assert engine.focus_count == reference.focus_count
    if len(reference.graph) < 2000:
        assert isomorphic(engine.graph, reference.graph)
    else:
        assert content(engine.graph) == content(reference.graph)


@pytest.fixture(scope="module")
def base_store() -> Store:
    store = open_store(":memory:")
    store.add_batch("https://w3id.org/claimgraph/batch/base", parse(BASE), [])
    return store


def test_every_packaged_shape_compiles() -> None:
    compiled = compiled_shapes()
    assert compiled.reasons == {}
    assert len(compiled.checks) > 150


def test_a_check_left_out_for_a_missing_property_joins_that_property() -> None:
    """A batch whose data has no triple with a check's ``needs`` skips the check: sound only
    when every row the query returns matches ``?this <needs> ?v`` outside any OPTIONAL."""
    needing = [c for c in compiled_shapes().checks if c.needs]
    assert len(needing) > 50
    for check in needing:
        for text in (check.query, check.with_paths):
            assert f" ?this <{check.needs}> ?v" in text, text
            assert f"OPTIONAL {{ ?this <{check.needs}>" not in text, text
            assert "UNION" not in text.split("?this <", 1)[1], text


def _meetings(links: list[tuple[int, int]]) -> list[ox.Triple]:
    m = [ox.NamedNode(f"{CGI}meeting-{i}") for i in range(1 + max(max(pair) for pair in links))]
    typed = [ox.Triple(n, ox.NamedNode(str(RDF.type)), ox.NamedNode(f"{CG}Meeting")) for n in m]
    precedes = ox.NamedNode(f"{CG}precedes")
    return typed + [ox.Triple(m[a], precedes, m[b]) for a, b in links]


@pytest.mark.parametrize(
    "links,cycle",
    [
        ([(0, 1), (1, 2), (2, 3)], False),
        ([(0, 1), (0, 2), (1, 3), (2, 3)], False),
        ([(0, 0)], True),
        ([(0, 1), (1, 2), (2, 0)], True),
        ([(0, 1), (1, 2), (2, 3), (3, 2), (4, 0)], True),
    ],
    ids=["chain", "diamond", "self-loop", "triangle", "chain-into-a-loop"],
)
def test_has_cycle_finds_cycles_and_only_cycles(links: list[tuple[int, int]], cycle: bool) -> None:
    data = ValidationData.for_batch(_meetings(links), [])
    assert data.has_cycle(f"{CG}precedes") is cycle


class _Counting(ValidationData):
    """The validation data of a batch, counting the queries that follow a path of
    ``cg:precedes`` (the cycle shape's)."""

    walks = 0

    def query(self, sparql: str) -> ox.QuerySolutions:
        if "precedes*" in sparql:
            self.walks += 1
        return super().query(sparql)


def test_event_order_cycle_check_walked_the_chain_from_every_event() -> None:
    """The cycle shape's query follows ``cg:precedes*`` from every event to the end of its
    chain: quadratic in a chain's length (25.8 s of a 75 s validation at 1M synthetic
    triples, whose meetings form one chain; a 10M ingest never finished). It runs only when
    the data has a cycle, which one linear pass finds; with one, the same results."""
    chain = _meetings([(i, i + 1) for i in range(40)])
    data = _Counting(ValidationData.for_batch(chain, []).store)
    validate_data(data)
    assert data.walks == 0
    looped = _meetings([(i, i + 1) for i in range(40)] + [(40, 0)])
    data = _Counting(ValidationData.for_batch(looped, []).store)
    report = validate_data(data)
    assert data.walks == 1
    cycle = {str(r.focus_node) for r in report.results if "EventOrderCycle" in str(r.source_shape)}
    assert cycle == {f"{CGI}meeting-{i}" for i in range(41)}


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_same_report_as_pyshacl_on_every_shape_file(path: Path, base_store: Store) -> None:
    batch = parse(path)
    context = context_for(base_store, batch)
    assert_same(
        validate_batch(batch, context=context, engine="pyshacl"),
        validate_batch(batch, context=context),
    )
    merged = parse(BASE) + batch
    assert_same(validate_batch(merged, engine="pyshacl"), validate_batch(merged))


def seed_triples() -> list[ox.Triple]:
    """Every seed file's statements, their statement graphs flattened as ingest flattens
    them for the shapes."""
    seed = files("claimgraph.seed")
    out: list[ox.Triple] = []
    for name in SEED_FILES:
        quads = parse_records(seed.joinpath(name).read_bytes(), source=name)
        out += split_file_graphs(quads, source=name).all_triples()
    return with_entailments(out)


def test_same_report_as_pyshacl_on_the_seed() -> None:
    triples = seed_triples()
    reference = validate_batch(triples, engine="pyshacl")
    assert reference.warnings  # the seed has single-anonymous-source claims
    assert_same(reference, validate_batch(triples))


def ingest_both(stores: tuple[Store, Store], data: bytes, source: str) -> bool:
    """Ingest ``data`` into two stores holding the same, validated by each engine: the same
    outcome, and the same report (of a refusal, or the warnings of a batch written).
    Whether it was written."""
    reports: list[ValidationReport | None] = []
    for store, engine in zip(stores, ("pyshacl", "sparql"), strict=True):
        try:
            result = ingest_bytes(store, data, format="records", source=source, engine=engine)
            reports.append(result.report)
        except ValidationFailed as e:
            reports.append(e.report)
    reference, engine_report = reports
    assert isinstance(reference, ValidationReport) and isinstance(engine_report, ValidationReport)
    assert_same(reference, engine_report)
    assert len(stores[0]) == len(stores[1])
    return reference.conforms


def test_same_report_as_pyshacl_ingesting_the_seed_file_by_file() -> None:
    """The seed's records, with their evidenced, cited and judged graphs, each validated with
    the files before it as context."""
    stores = (open_store(":memory:"), open_store(":memory:"))
    seed = files("claimgraph.seed")
    for name in SEED_FILES:
        assert ingest_both(stores, seed.joinpath(name).read_bytes(), name)


def record_cases() -> list[tuple[str, str]]:
    """The statement-graph records of ``tests/test_statements.py``, passing and failing."""
    import test_statements as ts

    talks_without_span = ts.TALKS + (
        "      - id: cgi:t-talks-date\n        type: Negotiation\n"
        "        label: {en: The talks}\n        startTime: 2025-06-06\n"
    )
    cases = [
        ("evidenced", ts.evidenced(ts.TALKS)),
        ("evidenced-node-without-span", ts.evidenced(talks_without_span)),
        (
            "evidenced-without-revision",
            ts.evidenced(ts.TALKS).replace("    evidenceFrom: cgi:t-r1\n", ""),
        ),
        ("cited", ts.CITED),
        ("cited-without-adder", ts.CITED.replace("    addedBy: cgi:t-team\n", "")),
        ("cited-added-at-a-date", ts.CITED.replace('"2026-12-01T00:00:00Z"', "2026-12-01")),
        ("judged", ts.JUDGED),
        ("judged-without-judge", ts.JUDGED.replace("    judgedBy: cgi:t-team\n", "")),
        (
            "judged-confidence-above-one",
            ts.JUDGED.replace('confidence: "0.7"', 'confidence: "1.7"'),
        ),
        ("judged-confidence-not-a-number", ts.JUDGED.replace('"0.7"', '"sure"')),
        ("outside-any-graph", ts.HEAD + ts.REVISION),
    ]
    example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "minimal-claim.yaml"
    cases.append(("docs-minimal-claim", example.read_text("utf-8")))
    return cases


@pytest.mark.parametrize(("name", "text"), record_cases(), ids=[c[0] for c in record_cases()])
def test_same_report_as_pyshacl_on_statement_graph_records(name: str, text: str) -> None:
    stores = (open_store(":memory:"), open_store(":memory:"))
    written = ingest_both(stores, text.encode(), f"{name}.yaml")
    assert written == ("-" not in name or name.startswith(("outside", "docs")))


def synthetic(triples: int, seed: int) -> list[ox.Triple]:
    """Valid data in the seed's shape from the benchmarks' generator."""
    text = synthetic_text(triples, seed)
    return [
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text, ox.RdfFormat.N_TRIPLES)
    ]


def damage(triples: list[ox.Triple], rng: random.Random) -> list[ox.Triple]:
    """Break valid data the ways people do: drop statements, mistype literals (ill-typed,
    or well-typed but not in canonical form), give a value of the wrong kind, add a second
    value, close a cycle."""
    out = list(triples)
    xsd = lambda name: ox.NamedNode(XSD + name)  # noqa: E731
    for _ in range(rng.randint(3, 12)):
        i = rng.randrange(len(out))
        t = out[i]
        how = rng.choice(["drop", "literal", "kind", "second", "cycle", "noncanonical", "blank"])
        if how == "drop":
            del out[i]
        elif how == "literal" and isinstance(t.object, ox.Literal):
            bad = rng.choice(
                [
                    ox.Literal("16 May 2025", datatype=xsd("date")),
                    ox.Literal("high", datatype=xsd("decimal")),
                    ox.Literal("-3", datatype=xsd("nonNegativeInteger")),
                    ox.Literal("1.5", datatype=xsd("integer")),
                    ox.Literal("words"),
                    ox.Literal("words", language="en"),
                ]
            )
            out[i] = ox.Triple(t.subject, t.predicate, bad)
        elif how == "blank" and isinstance(t.subject, ox.BlankNode):  # a span's offsets, say
            bad = ox.Literal("-3", datatype=xsd("nonNegativeInteger"))
            out[i] = ox.Triple(t.subject, t.predicate, bad)
        elif how == "kind":
            out[i] = ox.Triple(t.subject, t.predicate, ox.NamedNode(CGI + "nothing-known"))
        elif how == "second":
            out.append(ox.Triple(t.subject, t.predicate, ox.NamedNode(CGI + "another")))
        elif how == "cycle" and t.predicate.value == CG + "derivedFrom":
            out.append(ox.Triple(t.object, t.predicate, t.subject))  # type: ignore[arg-type]
        elif how == "noncanonical":
            for value, datatype in (
                ("01", "integer"),
                ("1", "boolean"),
                ("2025-05-16T10:00:00Z", "dateTime"),
            ):
                out.append(
                    ox.Triple(
                        t.subject,
                        ox.NamedNode(CG + "observed"),
                        ox.Literal(value, datatype=xsd(datatype)),
                    )
                )
                break
    return out


@pytest.mark.parametrize("seed", range(6))
def test_same_report_as_pyshacl_on_generated_data(seed: int) -> None:
    rng = random.Random(seed)
    triples = with_entailments(damage(synthetic(500, seed), rng))
    reference = validate_batch(triples, engine="pyshacl")
    assert reference.results  # the damage shows
    assert_same(reference, validate_batch(triples))


def test_same_report_as_pyshacl_on_a_whole_store() -> None:
    store = open_store(":memory:")
    rng = random.Random(11)
    for n in range(3):
        store.add_batch(
            f"https://w3id.org/claimgraph/batch/{n}",
            with_entailments(damage(synthetic(300, 100 + n), rng)),
            [],
        )
    store.add_batch("https://w3id.org/claimgraph/batch/seed", seed_triples(), [])
    reference = validate_store(store, engine="pyshacl")
    assert not reference.conforms
    assert_same(reference, validate_store(store))


def test_same_report_when_the_data_declares_classes_of_its_own() -> None:
    """A class the data declares under an ontology class (``ex:Envoy rdfs:subClassOf
    cg:Person``) is read from the data, as pySHACL reads it."""
    declared = BASE.read_text() + (
        "\n<http://example.org/Envoy> rdfs:subClassOf cg:Person .\n"
        'cgi:envoy a <http://example.org/Envoy> ; rdfs:label "An envoy"@en .\n'
        "cgi:claim-holds cg:claimant cgi:envoy .\n"
        "cgi:claim-holds cg:aboutActor cgi:nobody .\n"
    )
    triples = [
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(declared, ox.RdfFormat.TURTLE)
    ]
    reference = validate_batch(triples, engine="pyshacl")
    assert any(r.rule == "cgsh:ClaimAboutActorShape" for r in reference.violations)
    assert not any(str(r.value).endswith("/envoy") for r in reference.results)
    assert_same(reference, validate_batch(triples))


def test_plain_pyshacl_on_the_whole_graph_finds_the_same() -> None:
    """pySHACL run as anyone would run it (the shapes' own targets, rdflib's SPARQL engine)
    on the seed with generated data finds the same (focus node, shape, component) results:
    the shapes' SPARQL means the same to both engines (rdflib's MIN over IRIs returns a
    string, for one, so the sourcing flags do not use it)."""
    import pyshacl
    from rdflib.namespace import RDF, SH

    from claimgraph.validation import load_shapes
    from claimgraph.validation.shapes import ontology_facts

    store = open_store(":memory:")
    store.add_batch("https://w3id.org/claimgraph/batch/seed", seed_triples(), [])
    store.add_batch(
        "https://w3id.org/claimgraph/batch/g",
        with_entailments(damage(synthetic(300, 21), random.Random(21))),
        [],
    )
    graph = rdflib.Graph()
    facts = ontology_facts()
    stated = [t for name in store.graphs() for t in store.triples(name)]
    ontology = list(facts.subclass_triples) + [
        t for ts in facts.individual_types.values() for t in ts
    ]
    for t in stated + ontology:
        graph.add(tuple(to_rdflib(x) for x in t))  # type: ignore[arg-type]
    _, report, _ = pyshacl.validate(
        graph, shacl_graph=load_shapes(), inference="none", allow_infos=True, allow_warnings=True
    )
    assert isinstance(report, rdflib.Graph)

    def key(focus: object, shape: object, component: object) -> tuple[str, str, str]:
        return ("_" if isinstance(focus, BNode) else str(focus), str(shape), str(component))

    plain = sorted(
        key(
            report.value(r, SH.focusNode),
            report.value(r, SH.sourceShape),
            report.value(r, SH.sourceConstraintComponent),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )
    engine = validate_store(store)
    ours = sorted(
        key(r.focus_node, r.source_shape, r.constraint_component)
        for r in engine.results
        if r.source_shape != DEFINED_TERMS_RULE
    )
    assert plain and ours == plain
