"""No typos that silently return nothing: every IRI the saved queries, the shapes and the seed
data use is defined - in our ontology (``claimgraph.ttl``, ``cameo.ttl``), in the seed data
itself (``cgi:`` instances), in the shapes themselves (``cgsh:`` shapes), or in a vocabulary we
align to: the offline copies in ``../shared/vocab/`` (PROV-O, ORG, Web Annotation, SHACL,
schema.org) and rdflib's closed namespaces for RDF, RDFS, OWL, XSD, SKOS, DCTERMS and FOAF.
And every term of our own namespace is labelled and defined."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from claimgraph.ingest import SEED_FILES
from claimgraph.queries import saved_queries
from claimgraph.rdf import CAMEO, CG, CGI, META_GRAPH, PREFIXES, SCHEMA, compact
from claimgraph.records import parse_records

VOCAB = Path(__file__).resolve().parents[1].parent / "shared" / "vocab"
VOCAB_FILES = ["prov-o.ttl", "org.ttl", "oa.ttl", "shacl.ttl", "schemaorg-current-https-v30.0.ttl"]
CLOSED = [ns.RDF, ns.RDFS, ns.OWL, ns.XSD, ns.SKOS, ns.DCTERMS, ns.FOAF]
"""rdflib's DefinedNamespaces: ``URIRef(...) in NS`` is True only for terms they define."""

SHAPES_NS = "https://w3id.org/claimgraph/shapes#"


def _subjects(data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> set[str]:
    return {q.subject.value for q in ox.parse(data, fmt) if isinstance(q.subject, ox.NamedNode)}


@cache
def vocabulary() -> frozenset[str]:
    """Every IRI some vocabulary file defines (is the subject of a triple)."""
    found: set[str] = set()
    for name in VOCAB_FILES:
        found |= _subjects((VOCAB / name).read_bytes())
    return frozenset(found)


@cache
def ontology() -> frozenset[str]:
    onto = files("claimgraph.ontology")
    return frozenset(
        _subjects(onto.joinpath("claimgraph.ttl").read_bytes())
        | _subjects(onto.joinpath("cameo.ttl").read_bytes())
    )


@cache
def seed_triples() -> tuple[ox.Triple, ...]:
    seed = files("claimgraph.seed")
    out: list[ox.Triple] = []
    for name in SEED_FILES:
        out += parse_records(seed.joinpath(name).read_bytes(), source=name)
    return tuple(out)


@cache
def seed_subjects() -> frozenset[str]:
    return frozenset(t.subject.value for t in seed_triples() if isinstance(t.subject, ox.NamedNode))


@cache
def shape_graph() -> Graph:
    g = Graph()
    for entry in files("claimgraph.shapes").iterdir():
        if entry.name.endswith(".ttl"):
            g.parse(data=entry.read_text("utf-8"), format="turtle")
    return g


def undefined(iris: Iterable[str], *, local: frozenset[str] = frozenset()) -> list[str]:
    """The IRIs of ``iris`` nothing defines, compacted, sorted; ``local`` are the subjects of
    the data being checked (for its own instances)."""
    missing = set()
    for iri in set(iris):
        if iri in local or iri in PREFIXES.values() or iri == META_GRAPH:
            ok = True  # the data's own subjects; a namespace itself (STRSTARTS(..., STR(cg:)));
            # the batch metadata graph claimgraph writes
        elif iri.startswith(CGI):
            ok = iri in seed_subjects()
        elif iri.startswith(SHAPES_NS):
            ok = False
        elif iri.startswith((CG, CAMEO)):
            ok = iri in ontology()
        elif any(iri.startswith(str(n)) for n in CLOSED):
            ok = any(URIRef(iri) in n for n in CLOSED if iri.startswith(str(n)))
        elif iri.startswith("http://schema.org/"):
            ok = SCHEMA + iri[len("http://schema.org/") :] in vocabulary()
        else:
            ok = iri in vocabulary()
        if not ok:
            missing.add(compact(iri))
    return sorted(missing)


# ----------------------------------------------------------------------------- what is used


def _iris_in_algebra(node: Any) -> Iterator[str]:
    if isinstance(node, URIRef):
        yield str(node)
    elif isinstance(node, Literal) and node.datatype is not None:
        yield str(node.datatype)
    elif isinstance(node, CompValue):
        for value in node.values():
            yield from _iris_in_algebra(value)
    elif isinstance(node, (AlternativePath, SequencePath, NegatedPath)):
        yield from _iris_in_algebra(node.args)
    elif isinstance(node, MulPath):
        yield from _iris_in_algebra(node.path)
    elif isinstance(node, InvPath):
        yield from _iris_in_algebra(node.arg)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _iris_in_algebra(value)
    elif isinstance(node, (list, tuple, set)):
        for value in node:
            yield from _iris_in_algebra(value)


def query_iris(text: str) -> set[str]:
    """Every IRI of a query, prefixed names expanded by rdflib's parser."""
    return set(_iris_in_algebra(prepareQuery(text).algebra))


_PNAME = re.compile(r"(?<![\w?$:/#])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")


def sparql_text_iris(text: str) -> set[str]:
    """IRIs written as known prefixed names or <...> in SPARQL text embedded in a shape."""
    out = {m for m in re.findall(r"<([^<>\s]+)>", text) if ":" in m}
    for prefix, local in _PNAME.findall(text):
        if prefix in PREFIXES:
            out.add(PREFIXES[prefix] + local)
    return out


def test_pname_reader() -> None:
    assert sparql_text_iris(
        'SELECT $this WHERE { $this cg:claimant ?x . ?x a <http://x.org/A> FILTER (?y = "a:b") }'
    ) == {CG + "claimant", "http://x.org/A"}


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_iri_of_a_saved_query_is_defined(name: str) -> None:
    used = query_iris(saved_queries()[name].text)
    assert used, "a query that names no term at all?"
    assert undefined(used) == []


def test_every_default_of_a_saved_query_names_something_in_the_seed() -> None:
    for q in saved_queries().values():
        for p in q.parameters:
            if p.kind == "iri" and p.default:
                assert undefined([p.default]) == [], (q.name, p.name)


def test_every_iri_of_the_shapes_is_defined() -> None:
    g = shape_graph()
    local = frozenset(str(s) for s in g.subjects() if isinstance(s, URIRef))
    used: set[str] = set()
    for triple in g:
        if triple[1] == ns.DCTERMS.license:
            triple = triple[:2]  # a licence document, not a term
        for term in triple:
            if isinstance(term, URIRef):
                used.add(str(term))
            elif isinstance(term, Literal) and term.datatype is not None:
                used.add(str(term.datatype))
    sh = "http://www.w3.org/ns/shacl#"
    texts = [str(t) for prop in ("select", "ask") for t in g.objects(None, URIRef(sh + prop))]
    for text in texts:
        found = sparql_text_iris(text)
        assert found, f"no IRI read from a SHACL-SPARQL constraint:\n{text}"
        used |= found
    assert used
    # the namespace IRIs a shape declares for its SPARQL (sh:namespace) are not terms
    namespaces = {str(o) for o in g.objects(None, URIRef(sh + "namespace"))}
    assert undefined(used - namespaces, local=local) == []


def test_every_iri_of_the_seed_data_is_defined() -> None:
    used: set[str] = set()
    cited = {SCHEMA + "url", CG + "citation"}  # web pages and records: cited, never terms
    for t in seed_triples():
        objects = () if t.predicate.value in cited else (t.object,)
        for term in (t.subject, t.predicate, *objects):
            if isinstance(term, ox.NamedNode):
                used.add(term.value)
            elif isinstance(term, ox.Literal):
                used.add(term.datatype.value)
    assert undefined(used) == []


def test_the_check_catches_typos() -> None:
    assert undefined(
        [
            CG + "claimaint",
            CGI + "zelenksy",
            "http://www.w3.org/ns/prov#wasAtributedTo",
            str(ns.RDFS) + "lable",
            "https://schema.org/Claimm",
            "http://example.org/x",
            SHAPES_NS + "NoSuchShape",
        ]
    ) == [
        "cg:claimaint",
        "cgi:zelenksy",
        "http://example.org/x",
        "https://w3id.org/claimgraph/shapes#NoSuchShape",
        "prov:wasAtributedTo",
        "rdfs:lable",
        "schema:Claimm",
    ]
    assert (
        undefined(
            [
                CG + "claimant",
                CGI + "zelensky",
                str(ns.XSD) + "date",
                "http://www.w3.org/ns/prov#wasAttributedTo",
                "http://schema.org/Claim",
                CAMEO + "046",
                str(ns.FOAF) + "Agent",
            ]
        )
        == []
    )


def test_a_typo_in_a_query_is_caught() -> None:
    text = saved_queries()["cq13-sides"].text.replace("cg:affiliatedWith", "cg:afiliatedWith")
    assert undefined(query_iris(text)) == ["cg:afiliatedWith"]


# ------------------------------------------------------------------------ our own vocabulary


def test_every_own_term_is_labelled_and_defined() -> None:
    g = Graph().parse(
        data=files("claimgraph.ontology").joinpath("claimgraph.ttl").read_text("utf-8"),
        format="turtle",
    )
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(CG)}
    assert len(terms) > 100
    unlabelled = sorted(compact(str(t)) for t in terms if (t, ns.RDFS.label, None) not in g)
    undefined_terms = sorted(compact(str(t)) for t in terms if (t, ns.RDFS.comment, None) not in g)
    assert unlabelled == []
    assert undefined_terms == []
    for t in terms:
        for label in g.objects(t, ns.RDFS.label):
            assert isinstance(label, Literal) and label.language == "en", t
