"""The well-formed-values rule: ill-typed XSD literals and IRIs of unwanted schemes are refused
in every namespace, with the node, the property and the value (issue: `"abc"^^xsd:integer`,
`"2025-13-45"^^xsd:date` and a `javascript:` IRI were accepted outside our namespace)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from claimgraph.errors import ValidationFailed
from claimgraph.ingest import ingest_bytes
from claimgraph.rdf import XSD
from claimgraph.store import open_store
from claimgraph.validation import validate_batch
from claimgraph.validation.values import UNWANTED_SCHEMES, unwanted_scheme, xsd_problem

VALID = {
    "integer": ["0", "-7", "+42", "007"],
    "decimal": ["3.14", "-.5", "1.", "+0"],
    "double": ["1.5e3", "INF", "-INF", "NaN", ".5E-2", "1"],
    "boolean": ["true", "false", "1", "0"],
    "date": ["2025-05-16", "2024-02-29", "-0044-03-15", "2025-05-16Z", "2025-05-16+14:00"],
    "dateTime": ["2025-05-16T09:30:00Z", "2025-05-16T24:00:00", "2025-05-16T09:30:00.123-05:00"],
    "time": ["09:30:00", "23:59:59.5"],
    "gYear": ["2025", "12025"],
    "gYearMonth": ["2025-05"],
    "gMonthDay": ["--02-29"],
    "duration": ["P1Y2M", "PT36H", "-P3D", "PT0.5S"],
    "byte": ["-128", "127"],
    "unsignedByte": ["255"],
    "language": ["en", "pt-BR"],
    "hexBinary": ["", "0fB7"],
    "base64Binary": ["aGVsbG8=", ""],
    "string": ["anything at all"],
    "anyURI": ["http://example.org/"],
}
INVALID = {
    "integer": ["abc", "1.0", "", " 42", "4 2"],
    "decimal": ["1e3", ".", "abc"],
    "double": ["inf", "1e", "e3"],
    "boolean": ["yes", "TRUE", ""],
    "date": ["2025-13-45", "2025-02-29", "2025-04-31", "25-05-16", "2025-5-16", "2025-05-16+15:00"],
    "dateTime": ["2025-05-16", "2025-05-16T24:00:01", "2025-05-16T09:60:00", "2025-05-16 09:30"],
    "time": ["25:00:00", "9:30"],
    "gYear": ["25", "02025"],
    "gYearMonth": ["2025-13"],
    "gMonthDay": ["--02-30"],
    "duration": ["P", "PT", "1Y", "P1H"],
    "byte": ["128", "-129"],
    "unsignedByte": ["-1", "256"],
    "positiveInteger": ["0"],
    "language": ["english language", "-en"],
    "hexBinary": ["0", "zz"],
    "base64Binary": ["a", "!!!!"],
}


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, ts in VALID.items() for t in ts])
def test_a_well_formed_xsd_literal_passes(name: str, text: str) -> None:
    assert xsd_problem(ox.Literal(text, datatype=ox.NamedNode(XSD + name))) is None


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, ts in INVALID.items() for t in ts])
def test_an_ill_typed_xsd_literal_is_named(name: str, text: str) -> None:
    problem = xsd_problem(ox.Literal(text, datatype=ox.NamedNode(XSD + name)))
    assert problem is not None and f"xsd:{name}" in problem


def test_a_datatype_xsd_does_not_define_is_refused() -> None:
    problem = xsd_problem(ox.Literal("1", datatype=ox.NamedNode(XSD + "integr")))
    assert problem is not None and "does not define" in problem


def test_other_datatypes_are_not_judged() -> None:
    odd = ox.Literal("whatever", datatype=ox.NamedNode("http://example.org/dt"))
    assert xsd_problem(odd) is None


@pytest.mark.parametrize(
    "iri",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd"],
)
def test_unwanted_schemes(iri: str) -> None:
    assert unwanted_scheme(iri) in UNWANTED_SCHEMES


@pytest.mark.parametrize(
    "iri", ["https://example.org/", "urn:isbn:0451450523", "mailto:a@example.org", "tag:x,2025:y"]
)
def test_ordinary_schemes(iri: str) -> None:
    assert unwanted_scheme(iri) is None


EX = "http://example.org/"
TTL_CASES = {
    "integer": (f'<{EX}a> <{EX}count> "abc"^^<{XSD}integer> .', '"abc"', "xsd:integer"),
    "date": (f'<{EX}a> <{EX}when> "2025-13-45"^^<{XSD}date> .', '"2025-13-45"', "xsd:date"),
    "javascript object": (f"<{EX}a> <{EX}link> <javascript:alert(1)> .", "javascript:", "link"),
    "data subject": (f'<data:text/html,x> <{EX}p> "x" .', "data:", "node"),
    "file property": (f'<{EX}a> <file:///etc/passwd> "x" .', "file:", "property"),
}


@pytest.mark.parametrize("case", sorted(TTL_CASES))
def test_ingest_refuses_bad_values_outside_our_namespace(case: str) -> None:
    turtle, value, mentions = TTL_CASES[case]
    store = open_store(":memory:")
    with pytest.raises(ValidationFailed) as caught:
        ingest_bytes(store, turtle.encode(), format="turtle", source="probe.ttl")
    [result] = caught.value.report.violations  # type: ignore[attr-defined]
    assert result.rule == "cgsh:WellFormedValuesRule"
    shown = result.to_dict()
    assert shown["node"] and shown["path"]
    assert value in result.message + str(shown["value"])
    assert mentions in result.message + str(shown["path"])
    assert len(store) == 0


def test_a_number_as_a_label_is_accepted_where_no_shape_says_otherwise() -> None:
    # decided and documented (docs/security.md): rdfs:label has the range rdfs:Literal; a
    # well-formed integer is a literal, and only a shape of the node's class may ask for text
    turtle = f"<{EX}a> <http://www.w3.org/2000/01/rdf-schema#label> 5 ."
    triples = list(ox.parse(turtle.encode(), ox.RdfFormat.TURTLE))
    report = validate_batch([ox.Triple(q.subject, q.predicate, q.object) for q in triples])
    assert report.conforms


def test_a_long_bad_value_is_cut_in_the_message() -> None:
    lit = ox.Literal("x" * 10_000, datatype=ox.NamedNode(XSD + "integer"))
    report = validate_batch([ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "n"), lit)])
    [result] = report.violations
    assert len(result.message) < 200
