"""The packaged ontology as Python data: class hierarchy and labels, read once.

Used wherever code needs the ontology without a store: completing types at ingest, choosing
the most specific type to show, labelling terms in traces and exports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
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
        if (t.predicate.value == _RDFS + "subClassOf" and isinstance(t.subject, ox.NamedNode)
                and isinstance(t.object, ox.NamedNode)):
            parents[t.subject.value].add(t.object.value)
    return {c: frozenset(ps) for c, ps in parents.items()}


@cache
def superclasses() -> dict[str, frozenset[str]]:
    """Each class with all its superclasses, transitively, not itself.

    >>> sorted(c.split("#")[1] for c in superclasses()[
    ...     "https://w3id.org/claimgraph/ns#NewsAgency"] if "claimgraph" in c)
    ['Actor', 'NewsOrganisation', 'Organisation']
    """
    parents = class_parents()
    out: dict[str, frozenset[str]] = {}
    for cls in parents:
        seen: set[str] = set()
        todo = list(parents[cls])
        while todo:
            sup = todo.pop()
            if sup not in seen and sup != cls:
                seen.add(sup)
                todo.extend(parents.get(sup, ()))
        out[cls] = frozenset(seen)
    return out


@cache
def term_labels() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each term's ``rdfs:label``s (and ``skos:prefLabel``s) as (language, text) pairs."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t in _ontology_triples():
        if (t.predicate.value in (_RDFS + "label", _SKOS + "prefLabel")
                and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.Literal)):
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
