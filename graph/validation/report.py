"""The outcome of validation: one :class:`ValidationResult` per finding, gathered in a
:class:`ValidationReport` that carries ``conforms``, the SHACL report graph and the text for
people together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..rdf import XSD, compact
from ..wording import plural
from .shapes import SHAPES

_SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
_LEVELS = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ValidationResult:
    """One result of validation: which node broke (or was flagged by) which rule.

    ``result_path`` is an IRI, or for a complex path a blank node of the report graph;
    ``focus_context`` says where a blank focus node sits ("cg:evidence of cgi:mention-x"),
    since a blank node has no name to show.
    """

    focus_node: Node
    result_path: Node | None
    value: Node | None
    source_shape: Node | None
    constraint_component: Node | None
    severity: URIRef
    message: str
    focus_context: str = ""
    path_text: str = ""

    @property
    def level(self) -> str:
        """``"Violation"``, ``"Warning"`` or ``"Info"``."""
        return str(self.severity).rsplit("#", 1)[-1]

    @property
    def rule(self) -> str:
        """The shape that produced the result, compact (``cgsh:EvidenceQuoteShape``)."""
        return show_term(self.source_shape) if self.source_shape is not None else ""

    def to_dict(self) -> dict[str, str | None]:
        """The result as plain strings (compact IRIs), e.g. for JSON.

        >>> r = ValidationResult(URIRef("https://w3id.org/claimgraph/id/x"), None, None,
        ...     URIRef(SHAPES + "ClaimTextShape"), SH.MinCountConstraintComponent,
        ...     SH.Violation, "m")
        >>> r.to_dict()["rule"], r.to_dict()["node"]
        ('cgsh:ClaimTextShape', 'cgi:x')
        """
        return {
            "severity": self.level,
            "node": show_term(self.focus_node),
            "where": self.focus_context or None,
            "path": self.path_text or (show_term(self.result_path) if self.result_path else None),
            "value": show_term(self.value) if self.value is not None else None,
            "rule": self.rule or None,
            "component": (
                show_term(self.constraint_component) if self.constraint_component else None
            ),
            "message": self.message,
        }


def result_identity(result: ValidationResult) -> tuple[str, ...]:
    """What makes two results the same finding, so that merged reports list it once."""
    return (
        str(result.severity),
        str(result.focus_node),
        result.path_text,
        str(result.value),
        str(result.source_shape),
        str(result.constraint_component),
        result.message,
    )


def sort_results(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """Results in report order: violations, then warnings, then infos; within each, by node,
    rule, path and value."""
    return sorted(
        results,
        key=lambda r: (
            _SEVERITY_ORDER.get(r.severity, 3),
            str(r.focus_node),
            str(r.source_shape),
            r.path_text,
            str(r.value),
        ),
    )


@dataclass
class ValidationReport:
    """The outcome of validating a batch or the store.

    ``conforms`` is True when no result has severity ``sh:Violation`` (warnings and infos do
    not block).  ``graph`` is the SHACL validation report graph (given as the graph, or as a
    function that builds it when it is first read: most callers never read it);
    ``focus_count`` is how many nodes were validated.
    """

    conforms: bool
    results: list[ValidationResult]
    built: rdflib.Graph | Callable[[], rdflib.Graph] = field(repr=False)
    focus_count: int = 0

    @property
    def graph(self) -> rdflib.Graph:
        """The SHACL validation report graph."""
        if not isinstance(self.built, rdflib.Graph):
            self.built = self.built()
        return self.built

    @property
    def violations(self) -> list[ValidationResult]:
        """Results that block an ingest."""
        return [r for r in self.results if r.severity == SH.Violation]

    @property
    def warnings(self) -> list[ValidationResult]:
        """Results that are reported and recorded with the batch, but do not block."""
        return [r for r in self.results if r.severity == SH.Warning]

    @property
    def infos(self) -> list[ValidationResult]:
        """Notes (severity ``sh:Info``), reported only."""
        return [r for r in self.results if r.severity == SH.Info]

    def summary(self) -> str:
        """One line: does it conform, and how many results of each severity.

        >>> ValidationReport(True, [], rdflib.Graph()).summary()
        'conforms: 0 violations, 0 warnings, 0 infos'
        """
        head = "conforms" if self.conforms else "does not conform"
        return (
            f"{head}: {len(self.violations)} {plural(self.violations, 'violation')}, "
            f"{len(self.warnings)} {plural(self.warnings, 'warning')}, "
            f"{len(self.infos)} {plural(self.infos, 'info')}"
        )

    def text(self, *, severity: str | None = None) -> str:
        """The report for people: a summary line, then one block per result (violations
        first): node, path, value, rule and the message, IRIs shortened.

        ``severity`` (``"Violation"``, ``"Warning"`` or ``"Info"``) leaves out the results
        below it: ``text(severity="Warning")`` shows violations and warnings, not infos.

        >>> print(ValidationReport(True, [], rdflib.Graph()).text(severity="Warning"))
        conforms: 0 violations, 0 warnings, 0 infos
        <BLANKLINE>
        """
        if severity is not None and severity not in _LEVELS:
            raise ValueError(f"severity must be one of {', '.join(_LEVELS)}, not {severity!r}")
        floor = _LEVELS.index(severity) if severity is not None else len(_LEVELS) - 1
        blocks = [self.summary()]
        for r in self.results:
            if r.level in _LEVELS and _LEVELS.index(r.level) > floor:
                continue
            blocks.append(_result_block(r))
        return "\n\n".join(blocks) + "\n"

    def turtle(self) -> str:
        """The SHACL validation report graph as Turtle."""
        return self.graph.serialize(format="turtle")


def _result_block(r: ValidationResult) -> str:
    """One result as :meth:`ValidationReport.text` shows it."""
    lines = [f"{r.level}: {r.rule} ({show_term(r.constraint_component)})"]
    node = show_term(r.focus_node)
    if r.focus_context:
        node += f"  ({r.focus_context})"
    lines.append(f"  node:  {node}")
    path = r.path_text or (show_term(r.result_path) if r.result_path is not None else "")
    if path:
        lines.append(f"  path:  {path}")
    if r.value is not None:
        lines.append(f"  value: {_show_value(r.value)}")
    lines.append(f"  {r.message}")
    return "\n".join(lines)


def show_term(node: Node | None) -> str:
    """A node as a person reads it in a report: an IRI compact (shapes as ``cgsh:``), a blank
    node as ``_:id``, a literal as its text; ``""`` for None.

    >>> show_term(URIRef(SHAPES + "ClaimTextShape")), show_term(BNode("b1"))
    ('cgsh:ClaimTextShape', '_:b1')
    """
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        if text.startswith(SHAPES):
            return "cgsh:" + text[len(SHAPES) :]
        return compact(text)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _show_value(node: Node) -> str:
    """A result's value: a literal quoted (cut at 200 characters) with its language or
    datatype, anything else as :func:`show_term` shows it."""
    if isinstance(node, Literal):
        text = str(node)
        if len(text) > 200:
            text = text[:200] + "…"
        shown = '"' + text.replace("\n", "\\n") + '"'
        if node.language:
            return f"{shown}@{node.language}"
        if node.datatype is not None and str(node.datatype) != XSD + "string":
            return f"{shown}^^{compact(str(node.datatype))}"
        return shown
    return show_term(node)
