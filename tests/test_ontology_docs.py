"""The ontology's HTML documentation is generated from the Turtle file by one command."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS

from claimgraph.rdf import CG

REPO = Path(__file__).resolve().parents[1]


def own_terms() -> dict[str, str]:
    g = rdflib.Graph().parse(REPO / "ontology" / "claimgraph.ttl")
    return {
        str(s): str(o)
        for s, o in g.subject_objects(RDFS.label)
        if str(s).startswith(CG) and (s, RDF.type, None) in g
    }


def test_ontology_docs_command_documents_every_term(cli, tmp_path: Path) -> None:
    out = tmp_path / "docs" / "index.html"
    result = cli("ontology-docs", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    missing = [iri for iri in own_terms() if iri.removeprefix(CG) not in html]
    assert missing == []


def test_committed_ontology_docs_are_current() -> None:
    html = (REPO / "docs" / "ontology" / "index.html").read_text("utf-8")
    stale = [iri for iri in own_terms() if iri.removeprefix(CG) not in html]
    assert stale == [], "regenerate with: claimgraph ontology-docs"
