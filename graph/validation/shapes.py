"""The packaged shapes and ontology, and what validation derives from them once: the ontology
facts a data graph is completed with, and the shapes' targets.

Everything here is read once and cached: treat the graphs as read-only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..rdf import CG, OWL
from ..vocabulary import ONTOLOGY_FILES, superclasses

SHAPES = "https://w3id.org/claimgraph/shapes#"
"""The namespace of the shapes (prefix ``cgsh:``)."""

TARGET_PROPERTIES = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
"""The SHACL properties that say which nodes a shape judges."""


@cache
def load_shapes() -> rdflib.Graph:
    """All shapes (every ``*.ttl`` of the ``claimgraph.shapes`` package) as one graph.

    Cached: treat the graph as read-only.

    >>> g = load_shapes()
    >>> (URIRef(SHAPES + "EvidenceQuoteShape"), RDF.type, SH.NodeShape) in g
    True
    """
    graph = rdflib.Graph()
    graph.bind("cgsh", SHAPES)
    graph.bind("cg", CG)
    for entry in sorted(files("claimgraph.shapes").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".ttl"):
            graph.parse(data=entry.read_text("utf-8"), format="turtle")
    return graph


@cache
def load_ontology() -> rdflib.Graph:
    """The claimgraph ontology and the CAMEO code list (``claimgraph.ontology``) as one graph.

    Cached: treat the graph as read-only.

    >>> owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    >>> (URIRef(CG + "AnonymousSource"), RDF.type, owl_class) in load_ontology()
    True
    """
    graph = rdflib.Graph()
    package = files("claimgraph.ontology")
    for name in ONTOLOGY_FILES:
        graph.parse(data=package.joinpath(name).read_text("utf-8"), format="turtle")
    return graph


# ---------------------------------------------------------------- the ontology's facts


@dataclass(frozen=True)
class OntologyFacts:
    """What validation needs from the ontology, precomputed once."""

    superclasses: dict[str, frozenset[str]]
    """Class IRI → the class itself and all its superclasses."""
    subclass_triples: tuple[ox.Triple, ...]
    """Every ``rdfs:subClassOf`` of the ontology, for the shapes' ``sh:class`` checks."""
    individual_types: dict[str, tuple[ox.Triple, ...]]
    """IRI of a term the ontology describes → its types (and a property's range)."""


@cache
def ontology_facts() -> OntologyFacts:
    """The ontology's facts a batch's data graph is completed with (cached).

    >>> facts = ontology_facts()
    >>> CG + "Actor" in facts.superclasses[CG + "NewsAgency"]
    True
    """
    ontology = load_ontology()
    subclass_of = ox.NamedNode(str(RDFS.subClassOf))
    subclass_triples = [
        ox.Triple(ox.NamedNode(sub), subclass_of, ox.NamedNode(sup))
        for sub, sup in ontology.subject_objects(RDFS.subClassOf)
        if isinstance(sub, URIRef) and isinstance(sup, URIRef)
    ]
    types: dict[str, list[ox.Triple]] = defaultdict(list)
    rdf_type = ox.NamedNode(str(RDF.type))
    for node, cls in ontology.subject_objects(RDF.type):
        if (
            isinstance(node, URIRef)
            and isinstance(cls, URIRef)
            and (not str(cls).startswith(OWL) or str(cls) == OWL + "DatatypeProperty")
        ):
            types[str(node)].append(ox.Triple(ox.NamedNode(node), rdf_type, ox.NamedNode(cls)))
    # a property named as a value (cg:statedProperty cg:duration) comes with its range
    range_ = ox.NamedNode(str(RDFS.range))
    for prop, rng in ontology.subject_objects(RDFS.range):
        if isinstance(prop, URIRef) and isinstance(rng, URIRef):
            types[str(prop)].append(ox.Triple(ox.NamedNode(prop), range_, ox.NamedNode(rng)))
    return OntologyFacts(
        superclasses={cls: above | {cls} for cls, above in superclasses().items()},
        subclass_triples=tuple(subclass_triples),
        individual_types={iri: tuple(found) for iri, found in types.items()},
    )


# ---------------------------------------------------------------- the shapes' targets


@dataclass(frozen=True)
class Target:
    """One target statement of a shape: ``shape kind value``."""

    shape: URIRef
    kind: URIRef
    """``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf`` or ``sh:targetNode``."""
    value: Node


@cache
def shape_targets() -> tuple[Target, ...]:
    """Every target statement of the shapes (cached).

    >>> any(t.kind == SH.targetClass and t.value == URIRef(CG + "Claim") for t in shape_targets())
    True
    """
    shapes = load_shapes()
    return tuple(
        Target(shape, kind, value)  # type: ignore[arg-type]
        for kind in TARGET_PROPERTIES
        for shape, value in shapes.subject_objects(kind)
    )
