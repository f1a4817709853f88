"""HTML documentation of the ontology, generated from ``claimgraph.ttl`` with pyLODE.

pyLODE documents classes and properties; the code lists (roles, modalities, statuses,
certainty, polarity, rating values, ...) are individuals, so a section listing them is
added after pyLODE's content.
"""

from __future__ import annotations

import html
import logging
import tempfile
from importlib.resources import files
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from .errors import UsageError
from .rdf import CG

_OWL_INDIVIDUAL = rdflib.URIRef("http://www.w3.org/2002/07/owl#NamedIndividual")


def write_ontology_docs(output: Path) -> Path:
    """Write the ontology's HTML documentation to ``output``."""
    try:
        from pylode import OntPub
    except ImportError as e:  # pragma: no cover - depends on the installed extras
        raise UsageError("pyLODE is not installed: pip install pylode") from e
    output.parent.mkdir(parents=True, exist_ok=True)
    ttl = files("claimgraph.ontology").joinpath("claimgraph.ttl").read_bytes()
    ontology = rdflib.Graph().parse(data=ttl, format="turtle")
    # pyLODE takes a skos:ConceptScheme for the ontology itself; hand it the ontology without
    # the code lists, which get a section of their own below.
    classes_and_properties = rdflib.Graph()
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    for triple in ontology:
        if triple[0] not in schemes:
            classes_and_properties.add(triple)
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "claimgraph.ttl"
        classes_and_properties.serialize(src, format="turtle")
        OntPub(ontology=str(src)).make_html(destination=str(output))
    page = output.read_text("utf-8")
    section = code_lists_html(ontology)
    marker = '<div id="legend"'
    at = page.find(marker)
    page = page[:at] + section + page[at:] if at >= 0 else page + section
    output.write_text(page, "utf-8")
    return output


def code_lists_html(g: rdflib.Graph) -> str:
    """An HTML section listing each code list (skos:ConceptScheme) and its individuals."""
    parts = ['<div id="codelists" class="section"><h2>Code lists</h2>']
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        members = sorted(
            (m for m in g.subjects(SKOS.inScheme, scheme) if (m, RDF.type, _OWL_INDIVIDUAL) in g),
            key=str,
        )
        parts.append(
            f'<h3 id="{_local(scheme)}">{html.escape(str(g.value(scheme, RDFS.label)))}</h3>'
            f"<p>{html.escape(str(g.value(scheme, RDFS.comment) or ''))}</p>"
        )
        if not members:
            parts.append("<p>Its values are data, not part of the ontology.</p>")
            continue
        parts.append("<table><tr><th>IRI</th><th>label</th><th>definition</th></tr>")
        for m in members:
            parts.append(
                f'<tr id="{_local(m)}"><td><code>cg:{_local(m)}</code></td>'
                f"<td>{html.escape(str(g.value(m, RDFS.label)))}</td>"
                f"<td>{html.escape(str(g.value(m, RDFS.comment) or ''))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</div>\n")
    return "\n".join(parts)


def _local(iri: rdflib.term.Node) -> str:
    return str(iri).removeprefix(CG)
