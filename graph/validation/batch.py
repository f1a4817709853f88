"""Validating one batch: its own nodes are the focus nodes, the context and the ontology's
facts are data they can reach, and each shape judges only the own nodes it targets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SH

from ..rdf import RDF_TYPE
from .defined_terms import undefined_terms
from .pyshacl_bridge import run_pyshacl
from .report import ValidationReport, sort_results
from .report_graph import add_results, new_report_graph, read_results
from .shapes import OntologyFacts, ontology_facts, shape_targets
from .values import ill_formed_values


def validate_batch(
    batch_triples: Iterable[ox.Triple],
    *,
    context: Iterable[ox.Triple] | None = None,
) -> ValidationReport:
    """Validate one batch of pyoxigraph triples against the shapes.

    The focus nodes are the batch's own nodes: the subjects it describes and its blank nodes.
    ``context`` (from :func:`~claimgraph.validation.context_for`) is data those nodes can
    reach, such as the types of the actors a claim names; context nodes are never validated
    themselves.

    >>> import pyoxigraph as ox
    >>> from claimgraph.rdf import CG
    >>> cgi = "https://w3id.org/claimgraph/id/"
    >>> claim = ox.NamedNode(cgi + "claim-x")
    >>> batch = [ox.Triple(claim, ox.NamedNode(str(RDF.type)), ox.NamedNode(CG + "Statement"))]
    >>> report = validate_batch(batch)
    >>> report.conforms
    False
    >>> sorted({r.rule for r in report.violations})[:3]
    ['cgsh:ClaimClaimantShape', 'cgsh:ClaimProvenanceShape', 'cgsh:ClaimTextShape']
    """
    batch = list(batch_triples)
    own: set[ox.NamedNode | ox.BlankNode] = set()
    for t in batch:
        own.add(t.subject)  # type: ignore[arg-type]
        if isinstance(t.object, ox.BlankNode):
            own.add(t.object)
    extra = list(context) if context is not None else []
    return _validate_own_nodes(batch + extra, own)


def _validate_own_nodes(triples: list[ox.Triple], own: set[Any]) -> ValidationReport:
    """Validate the ``own`` nodes of ``triples`` (the batch and its context)."""
    facts = ontology_facts()
    data_triples = list(dict.fromkeys(triples))
    mentioned = {t.object.value for t in data_triples if isinstance(t.object, ox.NamedNode)}
    mentioned |= {t.subject.value for t in data_triples if isinstance(t.subject, ox.NamedNode)}
    data_triples += facts.subclass_triples
    for iri in mentioned:
        data_triples += facts.individual_types.get(iri, ())

    own_triples = [t for t in triples if t.subject in own]
    undefined = undefined_terms(own_triples) + ill_formed_values(own_triples)
    targets = focus_nodes(data_triples, own, facts)
    if not targets:
        graph, _ = new_report_graph(not undefined)
        add_results(graph, undefined)
        return ValidationReport(not undefined, sort_results(undefined), graph, 0)

    results_graph, data = run_pyshacl(data_triples, targets)
    add_results(results_graph, undefined)
    results = sort_results(r for _, r in read_results(results_graph, data))
    conforms = not any(r.severity == SH.Violation for r in results)
    for node in results_graph.subjects(RDF.type, SH.ValidationReport):
        results_graph.set((node, SH.conforms, Literal(conforms)))
    focus_count = len({n for nodes in targets.values() for n in nodes})
    return ValidationReport(conforms, results, results_graph, focus_count)


def focus_nodes(
    data_triples: Sequence[ox.Triple], own: set[Any], facts: OntologyFacts
) -> dict[URIRef, list[Any]]:
    """Resolve the shapes' targets against the batch's ``own`` nodes only: shape → the own
    nodes it judges (shapes that judge none are left out)."""
    targets = shape_targets()
    wanted_subject_of = {str(t.value) for t in targets if t.kind == SH.targetSubjectsOf}
    wanted_object_of = {str(t.value) for t in targets if t.kind == SH.targetObjectsOf}
    classes: dict[Any, set[str]] = defaultdict(set)
    subject_of: dict[str, set[Any]] = defaultdict(set)
    object_of: dict[str, set[Any]] = defaultdict(set)
    for t in data_triples:
        p = t.predicate.value
        if t.subject in own:
            if p == RDF_TYPE and isinstance(t.object, ox.NamedNode):
                classes[t.subject] |= facts.superclasses.get(t.object.value, {t.object.value})
            if p in wanted_subject_of:
                subject_of[p].add(t.subject)
        if p in wanted_object_of and t.object in own:
            object_of[p].add(t.object)
    by_class: dict[str, list[Any]] = defaultdict(list)
    for node, node_classes in classes.items():
        for cls in node_classes:
            by_class[cls].append(node)
    out: dict[URIRef, list[Any]] = defaultdict(list)
    for target in targets:
        if target.kind == SH.targetClass:
            nodes: Iterable[Any] = by_class.get(str(target.value), ())
        elif target.kind == SH.targetSubjectsOf:
            nodes = subject_of.get(str(target.value), ())
        elif target.kind == SH.targetObjectsOf:
            nodes = object_of.get(str(target.value), ())
        else:
            node = ox.NamedNode(str(target.value)) if isinstance(target.value, URIRef) else None
            nodes = [node] if node in own else []
        out[target.shape].extend(nodes)
    return {shape: list(dict.fromkeys(nodes)) for shape, nodes in out.items() if nodes}
