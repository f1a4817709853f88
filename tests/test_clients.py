"""The SPARQL client libraries analysts use, unchanged, against a live ``claimgraph serve``:
SPARQLWrapper (every query form × every return format × GET, POST form, POST direct) and
rdflib's ``SPARQLStore`` (every query form, each return format and method).

Regressions of issue 16: SPARQLWrapper's default (XML) CONSTRUCT and DESCRIBE got a 406,
because the ``format=xml`` it adds to the request overrode its ``Accept:
application/rdf+xml``; RDF/XML and N3 failed the same way; ``SPARQLStore(returnFormat="json")``
got a 406 on a CONSTRUCT instead of an RDF format.
"""

from __future__ import annotations

import json
import warnings
from typing import TYPE_CHECKING, Any
from xml.dom.minidom import Document

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

PROLOGUE = (
    "PREFIX cg: <https://w3id.org/claimgraph/ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
SELECT = PROLOGUE + "SELECT ?s ?label WHERE { ?s a cg:Person ; rdfs:label ?label } ORDER BY ?s"
ASK = PROLOGUE + "ASK { ?s a cg:Delegation }"
CONSTRUCT = PROLOGUE + "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a cg:State ; rdfs:label ?l }"
DESCRIBE = "DESCRIBE <https://w3id.org/claimgraph/id/turkey>"
FORMS = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}
RETURN_FORMATS = [JSON, XML, TURTLE, N3, RDF, RDFXML, CSV, TSV, JSONLD]
METHODS = {"GET": (GET, URLENCODED), "POST": (POST, URLENCODED), "POSTDIRECT": (POST, POSTDIRECTLY)}

SPARQL_JSON, SPARQL_XML = "application/sparql-results+json", "application/sparql-results+xml"
_BY_KIND = {
    # return format: (what a SELECT or ASK gets, what a CONSTRUCT or DESCRIBE gets)
    JSON: (SPARQL_JSON, "application/ld+json"),
    XML: (SPARQL_XML, "application/rdf+xml"),
    CSV: ("text/csv", "text/turtle"),
    TSV: ("text/tab-separated-values", "text/turtle"),
    RDF: (SPARQL_XML, "application/rdf+xml"),
    RDFXML: (SPARQL_XML, "application/rdf+xml"),
    JSONLD: (SPARQL_JSON, "application/ld+json"),
    TURTLE: (SPARQL_JSON, "text/turtle"),
    N3: (SPARQL_JSON, "text/turtle"),
}
EXPECTED: dict[tuple[str, str], str] = {
    (form, fmt): types[0 if form in ("SELECT", "ASK") else 1]
    for form in FORMS
    for fmt, types in _BY_KIND.items()
}
"""What each (query form, return format) gets, by Content-Type: the format asked for when
the form has it; else the same family (``rdf`` for a SELECT: SPARQL XML; ``json`` for a
CONSTRUCT: JSON-LD); else what SPARQLWrapper's Accept header asks (``*/*``: the default)."""


@pytest.fixture(scope="module")
def reference(live_server: LiveServer) -> dict[str, Any]:
    """The answers, asked for plainly: SELECT rows, ASK's boolean, the graphs."""
    rows = json.loads(live_server.query(SELECT).body)["results"]["bindings"]
    answer = json.loads(live_server.query(ASK).body)["boolean"]
    graphs = {
        form: rdflib.Graph().parse(
            data=live_server.query(FORMS[form], "application/n-triples").body, format="nt"
        )
        for form in ("CONSTRUCT", "DESCRIBE")
    }
    assert len(rows) >= 2 and answer is True and all(len(g) >= 2 for g in graphs.values())
    return {"rows": rows, "ask": answer, **graphs}


def _wrapper(url: str, query: str, return_format: str | None, method: str) -> Any:
    sparql = SPARQLWrapper(url + "/sparql")
    sparql.setQuery(query)
    http_method, request_method = METHODS[method]
    sparql.setMethod(http_method)
    sparql.setRequestMethod(request_method)
    if return_format is not None:
        sparql.setReturnFormat(return_format)
    with warnings.catch_warnings():
        # SPARQLWrapper warns when it sends Accept */* or gets another format than it asked
        # for (a SELECT asked for Turtle); the answer is what counts here
        warnings.simplefilter("ignore", RuntimeWarning)
        response = sparql.query()
        content_type = response.info()["content-type"].split(";")[0]
        return content_type, response.convert()


def _check(form: str, content_type: str, converted: Any, reference: dict[str, Any]) -> None:
    """The converted answer holds the reference answer, whatever the format."""
    if content_type == "application/sparql-results+json":
        assert isinstance(converted, dict)
        if form == "ASK":
            assert converted["boolean"] is reference["ask"]
        else:
            assert converted["results"]["bindings"] == reference["rows"]
    elif content_type == "application/sparql-results+xml":
        assert isinstance(converted, Document)
        if form == "ASK":
            boolean = converted.getElementsByTagName("boolean")[0].firstChild
            assert boolean is not None and boolean.nodeValue == "true"
        else:
            assert len(converted.getElementsByTagName("result")) == len(reference["rows"])
    elif content_type in ("text/csv", "text/tab-separated-values"):
        lines = converted.decode("utf-8").strip().splitlines()
        if form == "ASK":
            assert lines[-1].lower() == "true"
        else:
            assert len(lines) == len(reference["rows"]) + 1
    elif content_type == "text/turtle":
        graph = rdflib.Graph().parse(data=converted, format="turtle")
        assert isomorphic(graph, reference[form])
    else:  # RDF/XML and JSON-LD: SPARQLWrapper parses them into an rdflib graph
        assert isinstance(converted, rdflib.Graph)
        assert isomorphic(rdflib.Graph() + converted, reference[form])


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("return_format", RETURN_FORMATS)
@pytest.mark.parametrize("form", list(FORMS))
def test_sparqlwrapper_gets_what_it_asks_for(
    live_server: LiveServer, reference: dict[str, Any], form: str, return_format: str, method: str
) -> None:
    content_type, converted = _wrapper(live_server.url, FORMS[form], return_format, method)
    assert content_type == EXPECTED[(form, return_format)]
    _check(form, content_type, converted, reference)


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("form", list(FORMS))
def test_sparqlwrapper_defaults_work_for_every_query_form(
    live_server: LiveServer, reference: dict[str, Any], form: str, method: str
) -> None:
    """No setReturnFormat: SPARQLWrapper asks for XML - SPARQL XML for a SELECT or ASK,
    RDF/XML for a CONSTRUCT or DESCRIBE."""
    content_type, converted = _wrapper(live_server.url, FORMS[form], None, method)
    xml = form in ("SELECT", "ASK")
    assert content_type == ("application/sparql-results+xml" if xml else "application/rdf+xml")
    _check(form, content_type, converted, reference)


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_rdflib_sparqlstore_reads_every_query_form(
    live_server: LiveServer, reference: dict[str, Any], return_format: str, method: str
) -> None:
    store = SPARQLStore(live_server.url + "/sparql", returnFormat=return_format, method=method)
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(SELECT))
    assert [str(r.label) for r in rows] == [r["label"]["value"] for r in reference["rows"]]
    assert graph.query(ASK).askAnswer is True
    for form in ("CONSTRUCT", "DESCRIBE"):
        got = graph.query(FORMS[form]).graph
        assert got is not None
        assert isomorphic(rdflib.Graph() + got, reference[form]), form
    turkey = rdflib.URIRef("https://w3id.org/claimgraph/id/turkey")

    # the description also holds the blank nodes Turkey points to (its evidence spans)
    # (blank node labels are per response: compare them as any blank node)
    def _shape(triples: Any) -> list[tuple[str, str]]:
        return sorted(
            (str(p), "_" if isinstance(o, rdflib.BNode) else o.n3()) for _, p, o in triples
        )

    described = _shape(reference["DESCRIBE"].triples((turkey, None, None)))
    assert described and _shape(graph.triples((turkey, None, None))) == described


@pytest.mark.parametrize("return_format", ["csv", "tsv"])
def test_rdflib_sparqlstore_reads_tables(
    live_server: LiveServer, reference: dict[str, Any], return_format: str
) -> None:
    graph = rdflib.Graph(store=SPARQLStore(live_server.url + "/sparql", returnFormat=return_format))
    assert len(list(graph.query(SELECT))) == len(reference["rows"])


def test_a_construct_asked_for_a_table_format_only_is_still_406(live_server: LiveServer) -> None:
    """The fallback is for SPARQL results JSON and XML, whose RDF siblings clients read; no
    client reads RDF from a CSV request."""
    assert live_server.query(CONSTRUCT, "text/csv").status == 406
    reply = live_server.query(CONSTRUCT, "application/sparql-results+json")
    assert reply.status == 200 and reply.header("content-type").startswith("application/ld+json")
