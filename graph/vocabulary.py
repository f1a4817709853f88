"""The packaged ontology as Python data: class hierarchy and labels, read once.

Used wherever code needs the ontology without a store: completing types at ingest, choosing
the most specific type to show, labelling terms in traces and exports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from .rdf import OWL, RDF_TYPE, RDFS, SKOS, choose_text, closure, humanise

_OWL_SYMMETRIC = OWL + "SymmetricProperty"
ONTOLOGY_FILES = ("claimgraph.ttl", "cameo.ttl")


@cache
def _ontology_triples() -> tuple[ox.Triple, ...]:
    package = files("claimgraph.ontology")
    return tuple(
        ox.Triple(q.subject, q.predicate, q.object)
        for name in ONTOLOGY_FILES
        for q in ox.parse(package.joinpath(name).read_bytes(), ox.RdfFormat.TURTLE)
    )


@cache
def class_parents() -> dict[str, frozenset[str]]:
    """Each class with its direct ``rdfs:subClassOf`` parents (any namespace)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for t in _ontology_triples():
        if (
            t.predicate.value == RDFS + "subClassOf"
            and isinstance(t.subject, ox.NamedNode)
            and isinstance(t.object, ox.NamedNode)
        ):
            parents[t.subject.value].add(t.object.value)
    return {c: frozenset(ps) for c, ps in parents.items()}


@cache
def superclasses() -> dict[str, frozenset[str]]:
    """Each class with all its superclasses, transitively, not itself.

    >>> sorted(c.split("#")[1] for c in superclasses()[
    ...     "https://w3id.org/claimgraph/ns#NewsAgency"] if "claimgraph" in c)
    ['Actor', 'NewsOrganisation', 'Organisation']
    """
    return closure(class_parents())


@cache
def superproperties() -> dict[str, frozenset[str]]:
    """Each property with all its ``rdfs:subPropertyOf`` ancestors, transitively, not itself.

    >>> sorted(superproperties()["https://w3id.org/claimgraph/ns#quotedFrom"])[:2]
    ['http://www.w3.org/ns/prov#wasDerivedFrom', 'http://www.w3.org/ns/prov#wasQuotedFrom']
    """
    parents: dict[str, set[str]] = defaultdict(set)
    for t in _ontology_triples():
        if (
            t.predicate.value == RDFS + "subPropertyOf"
            and isinstance(t.subject, ox.NamedNode)
            and isinstance(t.object, ox.NamedNode)
        ):
            parents[t.subject.value].add(t.object.value)
    return closure({p: frozenset(ps) for p, ps in parents.items()})


@cache
def symmetric_properties() -> frozenset[str]:
    """The properties the ontology declares ``owl:SymmetricProperty``."""
    return frozenset(
        t.subject.value
        for t in _ontology_triples()
        if isinstance(t.subject, ox.NamedNode)
        and t.predicate.value == RDF_TYPE
        and isinstance(t.object, ox.NamedNode)
        and t.object.value == _OWL_SYMMETRIC
    )


@cache
def defined_terms() -> frozenset[str]:
    """Every IRI the packaged ontology files describe (classes, properties, individuals)."""
    return frozenset(
        t.subject.value for t in _ontology_triples() if isinstance(t.subject, ox.NamedNode)
    )


@cache
def term_labels() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each term's ``rdfs:label``s (and ``skos:prefLabel``s) as (language, text) pairs."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t in _ontology_triples():
        if (
            t.predicate.value in (RDFS + "label", SKOS + "prefLabel")
            and isinstance(t.subject, ox.NamedNode)
            and isinstance(t.object, ox.Literal)
        ):
            found[t.subject.value].append((t.object.language or "", t.object.value))
    return {k: tuple(v) for k, v in found.items()}


def most_specific(types: Iterable[str]) -> list[str]:
    """``types`` without those that are superclasses of another one, in the given order.

    >>> cg = "https://w3id.org/claimgraph/ns#"
    >>> most_specific([cg + "Claim", cg + "Quote", cg + "Assessment"]) == [
    ...     cg + "Quote", cg + "Assessment"]
    True
    """
    types = list(dict.fromkeys(types))
    supers = superclasses()
    implied = {s for t in types for s in supers.get(t, ())}
    return [t for t in types if t not in implied]


def ancestors(cls: str) -> frozenset[str]:
    """``cls`` and every class above it.

    >>> "https://w3id.org/claimgraph/ns#Claim" in ancestors(
    ...     "https://w3id.org/claimgraph/ns#Quote")
    True
    """
    return superclasses().get(cls, frozenset()) | {cls}


def is_a(types: Iterable[str], cls: str) -> bool:
    """Whether any of ``types`` is ``cls`` or one of its subclasses."""
    supers = superclasses()
    return any(t == cls or cls in supers.get(t, ()) for t in types)


@cache
def subclasses(cls: str) -> frozenset[str]:
    """``cls`` and every class below it."""
    return frozenset(c for c, sups in superclasses().items() if cls in sups) | {cls}


def term_label(iri: str, lang: str = "en") -> str:
    """The ontology's label of a term for a reader of ``lang``, or one made from its IRI.

    >>> term_label("https://w3id.org/claimgraph/ns#NewsAgency")
    'News agency'
    """
    text = choose_text(term_labels().get(iri, ()), lang)
    return text if text is not None else humanise(iri)


@dataclass(frozen=True)
class DescribedTerm:
    """A term of the packaged ontology as an editor offers it: its IRI, what it is (``class``,
    ``property`` or ``individual``), its label and its definition."""

    iri: str
    kind: str
    label: str
    comment: str


@cache
def described_terms() -> tuple[DescribedTerm, ...]:
    """Every class, property and individual the packaged ontology files describe, sorted by
    IRI (what the browser page's editor completes).

    >>> [t.kind for t in described_terms() if t.iri.endswith("#NewsAgency")]
    ['class']
    """
    types: dict[str, set[str]] = defaultdict(set)
    comments: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t in _ontology_triples():
        if not isinstance(t.subject, ox.NamedNode):
            continue
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            types[t.subject.value].add(t.object.value)
        elif t.predicate.value in (RDFS + "comment", SKOS + "definition") and isinstance(
            t.object, ox.Literal
        ):
            comments[t.subject.value].append((t.object.language or "", t.object.value))
    out = []
    for iri, kinds in sorted(types.items()):
        if OWL + "Ontology" in kinds:
            continue
        if OWL + "Class" in kinds or RDFS + "Class" in kinds:
            kind = "class"
        elif any(k.endswith("Property") for k in kinds):
            kind = "property"
        else:
            kind = "individual"
        comment = choose_text(comments.get(iri, ()), "en") or ""
        out.append(DescribedTerm(iri, kind, term_label(iri), comment))
    return tuple(out)
