"""Re-validating everything in a store, one batch graph at a time, into one report."""

from __future__ import annotations

import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

from ..rdf import META_GRAPH
from ..store import Store
from .batch import validate_batch
from .context import context_for
from .report import ValidationReport, ValidationResult, result_identity, sort_results
from .report_graph import copy_result, new_report_graph, read_results


def validate_store(store: Store) -> ValidationReport:
    """Re-validate everything in the store, one batch graph at a time, each with its context
    (so memory follows the largest batch, not the store).  A result for a node described in
    several batches is reported once.

    >>> from claimgraph.store import open_store
    >>> validate_store(open_store(":memory:")).summary()
    'conforms: 0 violations, 0 warnings, 0 infos'
    """
    results: dict[tuple[str, ...], ValidationResult] = {}
    copied: set[tuple[str, ...]] = set()
    merged = rdflib.Graph()
    result_nodes: list[Node] = []
    focus = 0
    for name in store.graphs():
        if name == META_GRAPH:
            continue
        triples = list(store.triples(name))
        if not triples:
            continue
        report = validate_batch(triples, context=context_for(store, triples))
        focus += report.focus_count
        for r in report.results:
            results.setdefault(result_identity(r), r)
        for node, r in read_results(report.graph, None):
            if result_identity(r) not in copied:
                copied.add(result_identity(r))
                result_nodes.append(node)
                copy_result(report.graph, merged, node)
    ordered = sort_results(results.values())
    conforms = not any(r.severity == SH.Violation for r in ordered)
    graph, report_node = new_report_graph(conforms)
    graph += merged
    for node in result_nodes:
        graph.add((report_node, SH.result, node))
    return ValidationReport(conforms, ordered, graph, focus)
