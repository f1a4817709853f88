"""The SHACL validation report graph: making one, writing results into it, reading results
out of it (messages and paths made readable), and copying a result between graphs."""

from __future__ import annotations

import rdflib
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..rdf import PREFIXES
from ..wording import compact_text
from .report import ValidationReport, ValidationResult, show_term, sort_results
from .shapes import SHAPES


def new_report_graph(conforms: bool) -> tuple[rdflib.Graph, BNode]:
    """An ``sh:ValidationReport`` with no results yet, and its node.

    >>> graph, node = new_report_graph(True)
    >>> graph.value(node, SH.conforms).toPython()
    True
    """
    graph = rdflib.Graph()
    graph.bind("sh", str(SH))
    graph.bind("cgsh", SHAPES)
    for prefix in ("cg", "cgi", "oa", "prov", "schema", "rdfs", "xsd"):
        graph.bind(prefix, PREFIXES[prefix])
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(conforms)))
    return graph, node


def add_results(graph: rdflib.Graph, results: list[ValidationResult]) -> None:
    """Put results found outside pySHACL into a SHACL report graph (which then does not
    conform if any of them is a violation)."""
    if not results:
        return
    report = next(iter(graph.subjects(RDF.type, SH.ValidationReport)))
    if any(r.severity == SH.Violation for r in results):
        graph.set((report, SH.conforms, Literal(False)))
    for r in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, r.focus_node))
        if r.result_path is not None:
            graph.add((node, SH.resultPath, r.result_path))
        if r.value is not None:
            graph.add((node, SH.value, r.value))
        if r.source_shape is not None:
            graph.add((node, SH.sourceShape, r.source_shape))
        if r.constraint_component is not None:
            graph.add((node, SH.sourceConstraintComponent, r.constraint_component))
        graph.add((node, SH.resultSeverity, r.severity))
        graph.add((node, SH.resultMessage, Literal(r.message)))


def read_results(
    report: rdflib.Graph, data: rdflib.Graph | None
) -> list[tuple[Node, ValidationResult]]:
    """The results of a SHACL report graph, each with its node in that graph.  With the
    ``data`` graph that was validated, a blank focus node gets its ``focus_context``."""
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        assert focus is not None
        severity = report.value(node, SH.resultSeverity)
        result = ValidationResult(
            focus_node=focus,
            result_path=path,
            value=report.value(node, SH.value),
            source_shape=report.value(node, SH.sourceShape),
            constraint_component=report.value(node, SH.sourceConstraintComponent),
            severity=severity if isinstance(severity, URIRef) else SH.Violation,
            message=_compact_message(messages[0]) if messages else "",
            focus_context=_where_blank_node_sits(focus, data) if data is not None else "",
            path_text=_path_as_sparql(report, path),
        )
        out.append((node, result))
    return out


def copy_result(source: rdflib.Graph, target: rdflib.Graph, node: Node) -> None:
    """Copy a result node's triples, and those of the blank nodes below it (a complex
    path), from one report graph to another."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            target.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def _compact_message(message: str) -> str:
    """Shorten the IRIs pySHACL spliced into a message (``{$this}``, ``{?value}``).

    >>> _compact_message("<https://w3id.org/claimgraph/shapes#X> failed")
    '<cgsh:X> failed'
    """
    return compact_text(message, extra={"cgsh": SHAPES})


def _path_as_sparql(graph: rdflib.Graph, path: Node | None) -> str:
    """A SHACL property path as SPARQL path syntax with compact IRIs."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return show_term(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_path_as_sparql(graph, p) for p in graph.items(path))
    for kind, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, kind)
        if inner is not None:
            return template.format(_path_as_sparql(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_as_sparql(graph, p) for p in graph.items(alternatives))
    return show_term(path)


def _where_blank_node_sits(node: Node, data: rdflib.Graph, depth: int = 0) -> str:
    """For a blank node: the property and named node that lead to it."""
    if not isinstance(node, BNode) or depth > 3:
        return ""
    for subject, predicate in data.subject_predicates(node):
        if isinstance(subject, URIRef):
            return f"{show_term(predicate)} of {show_term(subject)}"
        outer = _where_blank_node_sits(subject, data, depth + 1)
        if outer:
            return f"{show_term(predicate)} of [{outer}]"
    return ""


def with_results(report: ValidationReport, results: list[ValidationResult]) -> ValidationReport:
    """``report`` with results found by rules outside SHACL added, in its list and its
    report graph (a violation makes it not conform)."""
    if not results:
        return report
    add_results(report.graph, results)
    conforms = report.conforms and not any(r.severity == SH.Violation for r in results)
    return ValidationReport(
        conforms, sort_results([*report.results, *results]), report.graph, report.focus_count
    )
