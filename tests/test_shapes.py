"""The shapes themselves: one passing and one failing case per rule, and the shapes graph's
own quality (SHACL-for-SHACL, labels, messages, known terms, documentation).

Every file in ``data/shapes/invalid/`` declares what it must raise in its header::

    # expect: cgi:claim cgsh:ClaimClaimantShape
    # expect: cgi:selector cgsh:SelectorStartShape sh:LessThanConstraintComponent

The set of (focus node, shape) pairs reported for the file's own nodes must be exactly the
expected set, among results of severity sh:Violation and sh:Warning (and sh:Info when an
expected shape is an Info rule).  Files in ``data/shapes/valid/`` must raise no violation and
no warning.  Each file is run twice: as a batch against a store that holds ``base.ttl`` (the
ingest path, with :func:`context_for`), and merged with ``base.ttl`` into one batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SH

from claimgraph.rdf import PREFIXES
from claimgraph.store import Store, open_store
from claimgraph.validation import (
    SHAPES,
    ValidationReport,
    context_for,
    load_ontology,
    load_shapes,
    validate_batch,
)

# pySHACL's SHACL-for-SHACL run trips rdflib's Dataset deprecation warnings by the thousand.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "shapes"
BASE = DATA / "base.ttl"
REPO = HERE.parent
SHAPES_DIR = REPO / "shapes"
VOCAB = REPO.parent / "shared" / "vocab"
DOCS = REPO / "docs" / "shapes.md"

INVALID = sorted((DATA / "invalid").glob("*.ttl"))
VALID = sorted((DATA / "valid").glob("*.ttl"))
EXPAND = {**PREFIXES, "cgsh": SHAPES}


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(EXPAND[prefix] + local)


def expectations(path: Path) -> list[tuple[URIRef, URIRef, URIRef | None]]:
    """The ``# expect: focus shape [component]`` lines of a data file."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect:"):
            parts = line.removeprefix("# expect:").split()
            component = expand(parts[2]) if len(parts) > 2 else None
            out.append((expand(parts[0]), expand(parts[1]), component))
    return out


def parse(path: Path) -> list[ox.Triple]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def own_nodes(triples: list[ox.Triple]) -> set[rdflib.term.Node]:
    nodes: set[rdflib.term.Node] = set()
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, ox.BlankNode):
                nodes.add(rdflib.BNode(term.value))
        if isinstance(t.subject, ox.NamedNode):
            nodes.add(URIRef(t.subject.value))
    return nodes


def severity_of(shape: URIRef) -> URIRef:
    value = load_shapes().value(shape, SH.severity)
    return value if isinstance(value, URIRef) else SH.Violation


@pytest.fixture(scope="module")
def base_store() -> Iterator[Store]:
    """A store holding base.ttl, written directly (base.ttl's own validity is a test below)."""
    store = open_store(":memory:")
    store.add_batch("https://w3id.org/claimgraph/batch/base", parse(BASE), [])
    yield store
    store.close()


def run(path: Path, mode: str, store: Store) -> tuple[ValidationReport, list[ox.Triple]]:
    batch = parse(path)
    if mode == "context":
        return validate_batch(batch, context=context_for(store, batch)), batch
    return validate_batch(parse(BASE) + batch), batch


MODES = ["context", "merged"]


def test_base_is_valid() -> None:
    report = validate_batch(parse(BASE))
    assert not report.violations and not report.warnings, report.text()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_data_raises_exactly_the_expected_results(
    path: Path, mode: str, base_store: Store
) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} declares no '# expect:' line"
    report, batch = run(path, mode, base_store)
    own = own_nodes(batch)
    severities = {SH.Violation, SH.Warning} | {severity_of(shape) for _, shape, _ in expected}
    got = {
        (r.focus_node, r.source_shape)
        for r in report.results
        if r.severity in severities and r.focus_node in own
    }
    assert got == {(focus, shape) for focus, shape, _ in expected}, report.text()
    for focus, shape, component in expected:
        if component is not None:
            assert any(
                r.focus_node == focus
                and r.source_shape == shape
                and r.constraint_component == component
                for r in report.results
            ), report.text()
    blocking = any(severity_of(shape) == SH.Violation for _, shape, _ in expected)
    assert report.conforms is not blocking


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_data_raises_no_violation_or_warning(
    path: Path, mode: str, base_store: Store
) -> None:
    report, batch = run(path, mode, base_store)
    own = own_nodes(batch)
    flagged = [
        r
        for r in report.results
        if r.severity in (SH.Violation, SH.Warning) and r.focus_node in own
    ]
    assert not flagged, report.text()
    assert report.conforms
    for focus, shape, _ in expectations(path):
        assert any(r.focus_node == focus and r.source_shape == shape for r in report.results), (
            report.text()
        )


def rules() -> list[URIRef]:
    """The shapes that produce results: every shape with a declared severity."""
    return sorted(s for s in load_shapes().subjects(SH.severity, None) if isinstance(s, URIRef))


def test_every_rule_has_a_failing_case() -> None:
    covered = {shape for path in INVALID for _, shape, _ in expectations(path)}
    missing = [str(r) for r in rules() if r not in covered]
    assert not missing, f"rules without a file in data/shapes/invalid/: {missing}"


def test_every_rule_has_a_passing_case() -> None:
    """Every rule is applied, without result, to at least one node of the valid data (base,
    the valid files and the seed), and every property it checks occurs there."""
    from claimgraph.ingest import ingest_seed
    from claimgraph.rdf import META_GRAPH
    from claimgraph.store import open_store
    from claimgraph.validation.batch import focus_nodes
    from claimgraph.validation.pyshacl_bridge import working_shapes
    from claimgraph.validation.shapes import ontology_facts

    triples = parse(BASE)
    for path in VALID:
        triples += parse(path)
    store = open_store(":memory:")
    ingest_seed(store)  # as ingested: offsets computed from the quotes, statement graphs
    triples += [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads()
        if q.graph_name != ox.NamedNode(META_GRAPH)
    ]
    report = validate_batch(triples)
    assert report.conforms, report.text()
    own = {t.subject for t in triples}
    own |= {t.object for t in triples if isinstance(t.object, ox.BlankNode)}
    facts = ontology_facts()
    targets = focus_nodes(triples + list(facts.subclass_triples), own, facts)
    hoisted = working_shapes().hoisted
    predicates = {t.predicate.value for t in triples}
    shapes = load_shapes()
    failing = {(r.source_shape, str(r.focus_node)) for r in report.results}
    unexercised = []
    for rule in rules():
        parents = hoisted.get(rule, [])
        nodes = [*targets.get(rule, []), *(n for p in parents for n in targets.get(p, []))]
        if not any((rule, n.value) not in failing for n in nodes):
            unexercised.append(f"{rule} (no focus node)")
            continue
        if shapes.value(rule, SH.maxCount) == rdflib.Literal(0):
            continue  # a rule that forbids a property passes where it is absent
        path = shapes.value(rule, SH.path)
        if path is not None and not (set(_path_predicates(shapes, path)) & predicates):
            unexercised.append(f"{rule} (its property never occurs)")
    assert not unexercised, unexercised


def _path_predicates(graph: rdflib.Graph, path: rdflib.term.Node) -> Iterator[str]:
    if isinstance(path, URIRef):
        yield str(path)
        return
    if (path, RDF.first, None) in graph:
        for item in graph.items(path):  # type: ignore[arg-type]
            yield from _path_predicates(graph, item)
        return
    for kind in (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath):
        inner = graph.value(path, kind)
        if inner is not None:
            yield from _path_predicates(graph, inner)


# ---------------------------------------------------------------- the shapes graph itself


SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))


@pytest.mark.parametrize("path", SHAPE_FILES, ids=[p.name for p in SHAPE_FILES])
def test_shapes_conform_to_shacl_for_shacl(path: Path) -> None:
    shsh = VOCAB / "shacl-shacl.ttl"
    assert shsh.exists(), f"missing {shsh}: ../shared/vocab must sit beside the repository"
    graph = rdflib.Graph().parse(path, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=str(shsh), inference="none")
    assert conforms, text


def test_all_shapes_together_conform_to_shacl_for_shacl() -> None:
    conforms, _, text = pyshacl.validate(
        load_shapes(), shacl_graph=str(VOCAB / "shacl-shacl.ttl"), inference="none"
    )
    assert conforms, text


def test_shapes_package_data_matches_the_folder() -> None:
    from importlib.resources import files

    entries = files("claimgraph.shapes").iterdir()
    packaged = sorted(e.name for e in entries if e.name.endswith(".ttl"))
    assert packaged == [p.name for p in SHAPE_FILES]
    assert {"actors.ttl", "events.ttl", "claims.ttl", "sources.ttl", "reviews.ttl"} <= set(packaged)


def all_shapes() -> list[rdflib.term.Node]:
    g = load_shapes()
    found = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for p in (SH.property, SH.node, SH.qualifiedValueShape):
        found |= set(g.objects(None, p))
    return sorted(found, key=str)


def test_every_shape_is_named_labelled_and_explained() -> None:
    g = load_shapes()
    problems = []
    for shape in all_shapes():
        if not isinstance(shape, URIRef) or not str(shape).startswith(SHAPES):
            problems.append(f"{shape}: shapes are IRIs in {SHAPES}")
            continue
        if g.value(shape, RDFS.label) is None:
            problems.append(f"{shape}: no rdfs:label")
        if g.value(shape, SH.message) is None:
            problems.append(f"{shape}: no sh:message")
        if g.value(shape, SH.path) is not None and g.value(shape, SH.name) is None:
            problems.append(f"{shape}: property shape without sh:name")
    assert not problems, problems


def test_shapes_use_only_defined_terms() -> None:
    """Every term of our own namespace the shapes use is in the ontology; every external term
    is in the offline vocabulary copies."""
    ontology = load_ontology()
    known = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    vocab = rdflib.Graph()
    for name in ("oa.ttl", "org.ttl", "prov-o.ttl", "schemaorg-current-https-v30.0.ttl"):
        vocab.parse(VOCAB / name, format="turtle")
    known |= {s for s in vocab.subjects() if isinstance(s, URIRef)}
    external = (
        "http://www.w3.org/ns/oa#",
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/prov#",
        "https://schema.org/",
        PREFIXES["cg"],
    )
    used = {
        term
        for triple in load_shapes()
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(external)
    }
    for text in load_shapes().objects(None, SH.select):
        for prefix in ("cg", "oa"):
            for local in _locals(str(text), prefix):
                used.add(URIRef(PREFIXES[prefix] + local))
    unknown = sorted(str(t) for t in used if t not in known)
    assert not unknown, unknown


def _locals(query: str, prefix: str) -> set[str]:
    import re

    return set(re.findall(rf"\b{prefix}:([A-Za-z][\w-]*)", query))


def test_every_rule_is_documented() -> None:
    text = DOCS.read_text("utf-8")
    missing = [str(r) for r in rules() if f"cgsh:{str(r)[len(SHAPES) :]}" not in text]
    assert not missing, f"rules missing from docs/shapes.md: {missing}"
