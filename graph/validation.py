"""Validate batches and the whole store against the claimgraph shapes (``shapes/*.ttl``).

A batch is validated *before* it is written, together with a small context fetched from the
store (:func:`context_for`): the types of the nodes it references, the text of the revisions
its evidence points at, the derivation chains it extends, and the full description of any node
it adds statements to.  Only the batch's **own** nodes (the subjects it describes and its blank
nodes) are focus nodes; context nodes are data the shapes can reach, never nodes they judge.
That matters: if the context's ``rdf:type`` triples simply joined the data graph,
``sh:targetClass`` would make every referenced actor, claim and revision a focus node, and each
would fail for lack of the properties the context does not carry.

How: the shapes are loaded once; for each batch the targets (``sh:targetClass``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``) are resolved against the batch's own nodes
only, in Python, and handed to pySHACL as ``sh:targetNode`` statements on a working copy of the
shapes (pySHACL's own ``focus_nodes=`` option drops blank nodes, and claim records make every
evidence span a blank node).  On that copy the property shapes of targeted node shapes are
hoisted to carry their parent's focus nodes themselves: same results, less pySHACL overhead.
The data graph is an rdflib graph (pySHACL walks it for the core constraints) mirrored into an
in-memory pyoxigraph store that answers the SHACL-SPARQL constraints (pySHACL would otherwise
re-parse each query for every focus node with rdflib's slow parser).

>>> from claimgraph.records import parse_records
>>> from importlib.resources import files
>>> seed = files("claimgraph.seed")
>>> triples = []
>>> for name in ("article.yaml", "istanbul-talks.yaml"):
...     triples += parse_records(seed.joinpath(name).read_bytes(), source=name)
>>> report = validate_batch(triples)
>>> report.conforms, len(report.violations), len(report.warnings)
(True, 0, 5)
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from .errors import UsageError
from .rdf import CG, META_GRAPH, PREFIXES, UNRESOLVED, VALUES_CHUNK, compact
from .store import Store
from .wording import compact_text, plural

__all__ = [
    "SHAPES",
    "ValidationReport",
    "ValidationResult",
    "context_for",
    "load_ontology",
    "load_shapes",
    "validate_batch",
    "validate_store",
]

# rdflib logs a traceback for every literal it cannot read as its datatype ("1 June 2025"^^
# xsd:date); the shapes report that value with a message that says how to write it.
logging.getLogger("rdflib.term").addFilter(
    lambda record: "Failed to convert Literal lexical form" not in record.getMessage()
)

SHAPES = "https://w3id.org/claimgraph/shapes#"
"""The namespace of the shapes (prefix ``cgsh:``)."""

_RDF_TYPE = RDF.type
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
_LEVELS = ("Violation", "Warning", "Info")
_XSD_STRING = str(XSD.string)

# Links to the parts of a node, described with it: an event's participations, a mention's
# evidence span and its selector, a review's rating.
_PARTS = ", ".join(("cg:hasParticipation", "cg:evidence", "oa:hasSelector", "schema:reviewRating"))


# ---------------------------------------------------------------- loading


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
    for name in ("claimgraph.ttl", "cameo.ttl"):
        graph.parse(data=package.joinpath(name).read_text("utf-8"), format="turtle")
    return graph


@dataclass(frozen=True)
class _Schema:
    """What validation needs from the ontology, precomputed once."""

    superclasses: dict[str, frozenset[str]]  # class IRI -> itself and all its superclasses
    subclass_triples: tuple[ox.Triple, ...]  # every rdfs:subClassOf of the ontology
    individual_types: dict[str, tuple[ox.Triple, ...]]  # IRI -> its types (and range)


@cache
def _schema() -> _Schema:
    ontology = load_ontology()
    direct: dict[str, set[str]] = defaultdict(set)
    subclass_triples = []
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct[str(sub)].add(str(sup))
            subclass_triples.append(
                ox.Triple(ox.NamedNode(sub), ox.NamedNode(str(RDFS.subClassOf)), ox.NamedNode(sup))
            )
    superclasses: dict[str, frozenset[str]] = {}
    for start in list(direct):
        seen, todo = {start}, [start]
        while todo:
            for above in direct.get(todo.pop(), ()):
                if above not in seen:
                    seen.add(above)
                    todo.append(above)
        superclasses[start] = frozenset(seen)
    types: dict[str, list[ox.Triple]] = defaultdict(list)
    owl = "http://www.w3.org/2002/07/owl#"
    for node, cls in ontology.subject_objects(_RDF_TYPE):
        if (
            isinstance(node, URIRef)
            and isinstance(cls, URIRef)
            and (not str(cls).startswith(owl) or str(cls) == owl + "DatatypeProperty")
        ):
            types[str(node)].append(
                ox.Triple(ox.NamedNode(node), ox.NamedNode(str(_RDF_TYPE)), ox.NamedNode(cls))
            )
    # a property named as a value (cg:statedProperty cg:duration) comes with its range
    for prop, rng in ontology.subject_objects(RDFS.range):
        if isinstance(prop, URIRef) and isinstance(rng, URIRef):
            types[str(prop)].append(
                ox.Triple(ox.NamedNode(prop), ox.NamedNode(str(RDFS.range)), ox.NamedNode(rng))
            )
    return _Schema(superclasses, tuple(subclass_triples), {k: tuple(v) for k, v in types.items()})


@dataclass(frozen=True)
class _Target:
    shape: URIRef
    kind: URIRef  # sh:targetClass, sh:targetSubjectsOf, sh:targetObjectsOf or sh:targetNode
    value: Node


@cache
def _targets() -> tuple[_Target, ...]:
    shapes = load_shapes()
    return tuple(
        _Target(shape, kind, value)  # type: ignore[arg-type]
        for kind in _TARGETS
        for shape, value in shapes.subject_objects(kind)
    )


_ANNOTATIONS = frozenset(
    {SH.message, SH.severity, SH.name, SH.description, SH.deactivated, SH.order, SH.group}
)


class _WorkingShapes:
    """The shapes as pySHACL runs them for a batch.

    Targets are taken out: each validation adds ``sh:targetNode`` triples for its own focus
    nodes, runs, and takes them out again (under a lock: one validation at a time).

    The property shapes of targeted node shapes are *hoisted*: they get the node shape's focus
    nodes as their own targets instead of hanging off it by ``sh:property``.  The results are
    the same (focus node, path, source shape), but pySHACL then validates each property shape
    once for all its focus nodes rather than once per focus node, which is 2-3x faster.
    """

    def __init__(self) -> None:
        shapes = load_shapes()
        targeted = {t.shape for t in _targets()}
        self.hoisted: dict[URIRef, list[URIRef]] = defaultdict(list)
        self.graph = rdflib.Graph()
        for s, p, o in shapes:
            if p in _TARGETS:
                continue
            if p == SH.property and s in targeted and isinstance(o, URIRef):
                self.hoisted[o].append(s)  # type: ignore[arg-type]
                continue
            self.graph.add((s, p, o))
        # Node shapes left with nothing to check once their property shapes are hoisted.
        self.empty = frozenset(
            shape
            for shape in targeted
            if not any(
                str(p).startswith(str(SH)) and p not in _ANNOTATIONS
                for p in self.graph.predicates(shape)
            )
        )
        for prefix, namespace in shapes.namespaces():
            self.graph.bind(prefix, namespace)
        self.lock = threading.Lock()

    def target_triples(
        self, targets: dict[URIRef, list[Any]], term: Any
    ) -> list[tuple[Node, Node, Node]]:
        """``sh:targetNode`` triples for focus nodes resolved per canonical shape."""
        per_shape: dict[URIRef, dict[Any, None]] = defaultdict(dict)
        for shape, nodes in targets.items():
            if shape not in self.empty:
                per_shape[shape].update(dict.fromkeys(nodes))
        for prop, parents in self.hoisted.items():
            for parent in parents:
                per_shape[prop].update(dict.fromkeys(targets.get(parent, ())))
        return [
            (shape, SH.targetNode, term(node))
            for shape, nodes in per_shape.items()
            for node in nodes
        ]


@cache
def _working_shapes() -> _WorkingShapes:
    return _WorkingShapes()


# ---------------------------------------------------------------- terms


def _to_rdflib(term: Any, memo: dict[Any, Identifier]) -> Identifier:
    try:
        return memo[term]
    except KeyError:
        pass
    out: Identifier
    if isinstance(term, ox.NamedNode):
        out = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        out = BNode(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            out = Literal(term.value, lang=term.language)
        elif term.datatype.value == _XSD_STRING:
            out = Literal(term.value)
        else:
            out = Literal(term.value, datatype=URIRef(term.datatype.value))
    else:
        raise UsageError(
            f"cannot validate the triple term {term}: claimgraph data has no RDF 1.2 triple "
            "terms; state the claim as a cg:Claim with its reports instead"
        )
    memo[term] = out
    return out


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


class _DataGraph(rdflib.Graph):
    """An rdflib graph whose SPARQL queries run on a pyoxigraph mirror of the same triples.

    pySHACL evaluates each SHACL-SPARQL constraint once per focus node with
    ``graph.query(text, initBindings={"this": node})``; rdflib would parse the text every time
    (~8 ms), oxigraph parses and answers it in well under a millisecond.
    """

    def __init__(self, mirror: ox.Store) -> None:
        super().__init__()
        self.mirror = mirror

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # noqa: N803 - rdflib's signature
        initBindings: Any = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if not isinstance(query_object, str):
            return super().query(
                query_object,
                processor,
                result,
                initNs,
                initBindings,
                use_store_provided,
                **kwargs,
            )
        prefixes = {str(k): str(v) for k, v in (initNs or {}).items()}
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(str(name)): _to_ox(value) for name, value in (initBindings or {}).items()
        }
        answer = self.mirror.query(query_object, prefixes=prefixes, substitutions=substitutions)
        memo: dict[Any, Identifier] = {}
        if isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
            return out
        if isinstance(answer, ox.QuerySolutions):
            out = Result("SELECT")
            variables = [rdflib.Variable(v.value) for v in answer.variables]
            out.vars = variables
            rows: list[Mapping[rdflib.Variable, Identifier]] = []
            for row in answer:
                rows.append(
                    {
                        v: _to_rdflib(x, memo)
                        for v, x in zip(variables, row, strict=True)
                        if x is not None
                    }
                )
            out.bindings = rows
            return out
        out = Result("CONSTRUCT")
        graph = rdflib.Graph()
        for t in answer:
            graph.add(tuple(_to_rdflib(x, memo) for x in t))  # type: ignore[arg-type]
        out.graph = graph
        return out


# ---------------------------------------------------------------- results


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
        return _show(self.source_shape) if self.source_shape is not None else ""

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
            "node": _show(self.focus_node),
            "where": self.focus_context or None,
            "path": self.path_text or (_show(self.result_path) if self.result_path else None),
            "value": _show(self.value) if self.value is not None else None,
            "rule": self.rule or None,
            "component": _show(self.constraint_component) if self.constraint_component else None,
            "message": self.message,
        }

    def _key(self) -> tuple[str, ...]:
        return (
            str(self.severity),
            str(self.focus_node),
            self.path_text,
            str(self.value),
            str(self.source_shape),
            str(self.constraint_component),
            self.message,
        )


@dataclass
class ValidationReport:
    """The outcome of validating a batch or the store.

    ``conforms`` is True when no result has severity ``sh:Violation`` (warnings and infos do
    not block).  ``graph`` is the SHACL validation report graph; ``focus_count`` is how many
    nodes were validated.
    """

    conforms: bool
    results: list[ValidationResult]
    graph: rdflib.Graph = field(repr=False)
    focus_count: int = 0

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
            lines = [f"{r.level}: {r.rule} ({_show(r.constraint_component)})"]
            node = _show(r.focus_node)
            if r.focus_context:
                node += f"  ({r.focus_context})"
            lines.append(f"  node:  {node}")
            path = r.path_text or (_show(r.result_path) if r.result_path is not None else "")
            if path:
                lines.append(f"  path:  {path}")
            if r.value is not None:
                lines.append(f"  value: {_show_value(r.value)}")
            lines.append(f"  {r.message}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"

    def turtle(self) -> str:
        """The SHACL validation report graph as Turtle."""
        return self.graph.serialize(format="turtle")


def _show(node: Node | None) -> str:
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
    if isinstance(node, Literal):
        text = str(node)
        if len(text) > 200:
            text = text[:200] + "…"
        shown = '"' + text.replace("\n", "\\n") + '"'
        if node.language:
            return f"{shown}@{node.language}"
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return f"{shown}^^{compact(str(node.datatype))}"
        return shown
    return _show(node)


def _compact_text(message: str) -> str:
    """Shorten the IRIs pySHACL spliced into a message (``{$this}``, ``{?value}``)."""
    return compact_text(message, extra={"cgsh": SHAPES})


def _path_text(graph: rdflib.Graph, path: Node | None) -> str:
    """A SHACL property path as SPARQL path syntax with compact IRIs."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _show(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_path_text(graph, p) for p in graph.items(path))
    for kind, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, kind)
        if inner is not None:
            return template.format(_path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(graph, p) for p in graph.items(alternatives))
    return _show(path)


def _where(node: Node, data: rdflib.Graph, depth: int = 0) -> str:
    """For a blank node: the property and named node that lead to it."""
    if not isinstance(node, BNode) or depth > 3:
        return ""
    for subject, predicate in data.subject_predicates(node):
        if isinstance(subject, URIRef):
            return f"{_show(predicate)} of {_show(subject)}"
        outer = _where(subject, data, depth + 1)
        if outer:
            return f"{_show(predicate)} of [{outer}]"
    return ""


def _read_results(
    report: rdflib.Graph, data: rdflib.Graph | None
) -> list[tuple[Node, ValidationResult]]:
    """The results of a SHACL report graph, each with its node in that graph."""
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
            message=_compact_text(messages[0]) if messages else "",
            focus_context=_where(focus, data) if data is not None else "",
            path_text=_path_text(report, path),
        )
        out.append((node, result))
    return out


def _sorted(results: Iterable[ValidationResult]) -> list[ValidationResult]:
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


def _report_graph(conforms: bool) -> tuple[rdflib.Graph, BNode]:
    graph = rdflib.Graph()
    graph.bind("sh", str(SH))
    graph.bind("cgsh", SHAPES)
    for prefix in ("cg", "cgi", "oa", "prov", "schema", "rdfs", "xsd"):
        graph.bind(prefix, PREFIXES[prefix])
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(conforms)))
    return graph, node


# ---------------------------------------------------------------- validation


def validate_batch(
    batch_triples: Iterable[ox.Triple],
    *,
    context: Iterable[ox.Triple] | None = None,
) -> ValidationReport:
    """Validate one batch of pyoxigraph triples against the shapes.

    The focus nodes are the batch's own nodes: the subjects it describes and its blank nodes.
    ``context`` (from :func:`context_for`) is data those nodes can reach, such as the types
    of the actors a claim names; context nodes are never validated themselves.

    >>> import pyoxigraph as ox
    >>> cgi = "https://w3id.org/claimgraph/id/"
    >>> claim = ox.NamedNode(cgi + "claim-x")
    >>> batch = [ox.Triple(claim, ox.NamedNode(str(RDF.type)), ox.NamedNode(CG + "Statement"))]
    >>> report = validate_batch(batch)
    >>> report.conforms
    False
    >>> sorted({r.rule for r in report.violations})[:3]
    ['cgsh:ClaimClaimantShape', 'cgsh:ClaimDateShape', 'cgsh:ClaimProvenanceShape']
    """
    batch = list(batch_triples)
    own: set[ox.NamedNode | ox.BlankNode] = set()
    for t in batch:
        own.add(t.subject)  # type: ignore[arg-type]
        if isinstance(t.object, ox.BlankNode):
            own.add(t.object)
    extra = list(context) if context is not None else []
    return _validate(batch + extra, own)


def _validate(triples: list[ox.Triple], own: set[Any]) -> ValidationReport:
    schema = _schema()
    data_triples = list(dict.fromkeys(triples))
    mentioned = {t.object.value for t in data_triples if isinstance(t.object, ox.NamedNode)}
    mentioned |= {t.subject.value for t in data_triples if isinstance(t.subject, ox.NamedNode)}
    data_triples += schema.subclass_triples
    for iri in mentioned:
        data_triples += schema.individual_types.get(iri, ())

    undefined = _undefined_terms(t for t in triples if t.subject in own)
    targets = _focus_nodes(data_triples, own, schema)
    if not targets:
        graph, _ = _report_graph(not undefined)
        _add_results(graph, undefined)
        return ValidationReport(not undefined, _sorted(undefined), graph, 0)

    mirror = ox.Store()
    mirror.bulk_extend([ox.Quad(t.subject, t.predicate, t.object) for t in data_triples])
    data = _DataGraph(mirror)
    memo: dict[Any, Identifier] = {}
    for t in data_triples:
        data.add(
            (_to_rdflib(t.subject, memo), _to_rdflib(t.predicate, memo), _to_rdflib(t.object, memo))
        )
    target_triples = _working_shapes().target_triples(targets, lambda n: _to_rdflib(n, memo))
    results_graph = _run_pyshacl(data, target_triples)
    _add_results(results_graph, undefined)
    results = _sorted(r for _, r in _read_results(results_graph, data))
    conforms = not any(r.severity == SH.Violation for r in results)
    for node in results_graph.subjects(RDF.type, SH.ValidationReport):
        results_graph.set((node, SH.conforms, Literal(conforms)))
    focus_count = len({n for nodes in targets.values() for n in nodes})
    return ValidationReport(conforms, results, results_graph, focus_count)


def _focus_nodes(
    data_triples: Sequence[ox.Triple], own: set[Any], schema: _Schema
) -> dict[URIRef, list[Any]]:
    """Resolve the shapes' targets against the batch's own nodes only."""
    rdf_type = str(_RDF_TYPE)
    wanted_subject_of = {str(t.value) for t in _targets() if t.kind == SH.targetSubjectsOf}
    wanted_object_of = {str(t.value) for t in _targets() if t.kind == SH.targetObjectsOf}
    classes: dict[Any, set[str]] = defaultdict(set)
    subject_of: dict[str, set[Any]] = defaultdict(set)
    object_of: dict[str, set[Any]] = defaultdict(set)
    for t in data_triples:
        p = t.predicate.value
        if t.subject in own:
            if p == rdf_type and isinstance(t.object, ox.NamedNode):
                classes[t.subject] |= schema.superclasses.get(t.object.value, {t.object.value})
            if p in wanted_subject_of:
                subject_of[p].add(t.subject)
        if p in wanted_object_of and t.object in own:
            object_of[p].add(t.object)
    by_class: dict[str, list[Any]] = defaultdict(list)
    for node, node_classes in classes.items():
        for cls in node_classes:
            by_class[cls].append(node)
    out: dict[URIRef, list[Any]] = defaultdict(list)
    for target in _targets():
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


def _run_pyshacl(data: rdflib.Graph, target_triples: list[tuple[Node, Node, Node]]) -> rdflib.Graph:
    from pyshacl import validate

    working = _working_shapes()
    with working.lock:
        for t in target_triples:
            working.graph.add(t)
        try:
            _, report, _ = validate(
                data,
                shacl_graph=working.graph,
                inference="none",
                allow_infos=True,
                allow_warnings=True,
                abort_on_first=False,
                advanced=False,
            )
        finally:
            for t in target_triples:
                working.graph.remove(t)
    assert isinstance(report, rdflib.Graph)
    return report


# ---------------------------------------------------------------- defined terms


DEFINED_TERMS_RULE = URIRef(SHAPES + "DefinedTermsRule")
"""The rule (checked in Python, not by a shape) that every ``cg:`` term a batch uses as a
property, a class or a value is defined in the ontology, and that every node it names has a
full IRI: a misspelt key such as ``derivedfrom``, or ``carrier: reuters`` without ``cgi:``,
would otherwise be stored and silently ignored by every query."""


@cache
def _defined_terms() -> frozenset[str]:
    from .vocabulary import defined_terms

    return frozenset(t for t in defined_terms() if t.startswith(CG))


def _undefined_terms(triples: Iterable[ox.Triple]) -> list[ValidationResult]:
    """One violation per node and undefined ``cg:`` term it uses."""
    import difflib

    defined = _defined_terms()
    lowered = {t.lower(): t for t in defined}
    by_name = {t.removeprefix(CG): t for t in defined}
    found: dict[tuple[str, str, str], ValidationResult] = {}
    for t in triples:
        for node in (t.subject, t.object):
            if isinstance(node, ox.NamedNode) and node.value.startswith(UNRESOLVED):
                name = node.value.rsplit("/", 1)[-1]
                key = (str(t.subject), "relative", node.value)
                if key not in found:
                    found[key] = _undefined(
                        t,
                        "relative",
                        node,
                        f"{unquote(name)!r} has no prefix, so it names nothing: write "
                        f"cgi:{name} (the claimgraph id namespace) or a full IRI",
                    )
        uses = []
        if t.predicate.value.startswith(CG) and t.predicate.value not in defined:
            uses.append(("property", t.predicate.value))
        if (
            isinstance(t.object, ox.NamedNode)
            and t.object.value.startswith(CG)
            and t.object.value not in defined
        ):
            kind = "class" if t.predicate.value == str(RDF.type) else "value"
            uses.append((kind, t.object.value))
        for kind, term in uses:
            key = (str(t.subject), kind, term)
            if key in found:
                continue
            guess = lowered.get(term.lower()) or next(
                (
                    by_name[n]
                    for n in difflib.get_close_matches(
                        term.removeprefix(CG), by_name, n=1, cutoff=0.75
                    )
                ),
                None,
            )
            hint = (
                f"; did you mean {compact(guess)}?"
                if guess
                else "; see docs/ontology for the terms there are"
            )
            found[key] = _undefined(
                t,
                kind,
                ox.NamedNode(term),
                f"{compact(term)}, used as a {kind}, is not defined in the claimgraph "
                f"ontology{hint}",
            )
    return list(found.values())


def _undefined(t: ox.Triple, kind: str, term: ox.NamedNode, message: str) -> ValidationResult:
    return ValidationResult(
        focus_node=(
            URIRef(t.subject.value)
            if isinstance(t.subject, ox.NamedNode)
            else BNode(str(t.subject))
        ),
        result_path=URIRef(t.predicate.value),
        value=URIRef(term.value) if kind != "property" else None,
        source_shape=DEFINED_TERMS_RULE,
        constraint_component=DEFINED_TERMS_RULE,
        severity=SH.Violation,
        message=message,
    )


def _add_results(graph: rdflib.Graph, results: list[ValidationResult]) -> None:
    """Put results found outside pySHACL into a SHACL report graph."""
    if not results:
        return
    report = next(iter(graph.subjects(RDF.type, SH.ValidationReport)))
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
        graph.add((node, SH.sourceShape, DEFINED_TERMS_RULE))
        graph.add((node, SH.sourceConstraintComponent, DEFINED_TERMS_RULE))
        graph.add((node, SH.resultSeverity, SH.Violation))
        graph.add((node, SH.resultMessage, Literal(r.message)))


# ---------------------------------------------------------------- context


def context_for(store: Store, batch_triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The facts the shapes need about nodes a batch references but may not describe,
    fetched from ``store`` with a few SPARQL queries whose cost follows the batch's size.

    - the full description of every node the batch adds statements to and that the store
      already describes, with its parts (blank nodes, participations, evidence spans and
      their selectors, ratings), and the reports and events that point at it (a claim's
      reports, a participation's event);
    - for every node mentioned: its ``rdf:type``, a revision's ``cg:text``, what a report
      ``cg:reports``;
    - the ``cg:derivedFrom`` / ``cg:quotedFrom`` / ``cg:precedes`` links reachable from the
      batch, so a cycle closed through the store is seen.

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> context_for(store, [])
    []
    """
    batch = list(batch_triples)
    subjects = {t.subject for t in batch if isinstance(t.subject, ox.NamedNode)}
    if not batch:
        return []
    found: dict[ox.Triple, None] = {}

    def add(triples: Iterable[ox.Triple]) -> None:
        for t in triples:
            found.setdefault(t)

    # 1. descriptions of the nodes the batch extends (with blank-node closure), and links in
    add(_construct(store, "DESCRIBED", subjects))
    incoming = list(_construct(store, "INCOMING", subjects))
    add(incoming)
    pointing = {t.subject for t in incoming if isinstance(t.subject, ox.NamedNode)}
    add(_construct(store, "DESCRIBED", pointing))
    # 2. facts about everything mentioned so far
    mentioned = set(subjects)
    for t in [*batch, *found]:
        if isinstance(t.subject, ox.NamedNode):
            mentioned.add(t.subject)
        if isinstance(t.object, ox.NamedNode):
            mentioned.add(t.object)
    add(_construct(store, "FACTS", mentioned))
    add(_construct(store, "CHAINS", mentioned))
    return list(found)


_CONTEXT_QUERIES = {
    # A node's own triples, and those of blank nodes up to three links away (a mention's
    # evidence span and its selector; an event's participations).
    "DESCRIBED": """
        CONSTRUCT { ?n ?p ?o . ?o ?p1 ?o1 . ?o1 ?p2 ?o2 . ?o2 ?p3 ?o3 } WHERE {
          VALUES ?n { %s }
          ?n ?p ?o .
          OPTIONAL { ?o ?p1 ?o1 . FILTER (isBlank(?o) || ?p IN ("""
    + _PARTS
    + """))
            OPTIONAL { ?o1 ?p2 ?o2 . FILTER (isBlank(?o1) || ?p1 IN ("""
    + _PARTS
    + """))
              OPTIONAL { ?o2 ?p3 ?o3 . FILTER (isBlank(?o2) || ?p2 IN ("""
    + _PARTS
    + """)) } } }
        }""",
    # Each property is written out in its own UNION branch: with ``VALUES ?p`` instead,
    # oxigraph scans every triple of each property, and the cost follows the store.
    "INCOMING": """
        CONSTRUCT { ?report cg:reports ?n . ?event cg:hasParticipation ?n } WHERE {
          VALUES ?n { %s }
          { ?report cg:reports ?n } UNION { ?event cg:hasParticipation ?n }
        }""",
    "FACTS": """
        CONSTRUCT { ?n rdf:type ?type . ?n cg:text ?text . ?n cg:reports ?claim } WHERE {
          VALUES ?n { %s }
          { ?n rdf:type ?type } UNION { ?n cg:text ?text } UNION { ?n cg:reports ?claim }
        }""",
    "CHAINS": """
        CONSTRUCT { ?a cg:derivedFrom ?derived . ?a cg:quotedFrom ?quoted . ?a cg:precedes ?next }
        WHERE {
          VALUES ?n { %s }
          ?n (cg:derivedFrom|cg:quotedFrom|cg:precedes)* ?a .
          { ?a cg:derivedFrom ?derived } UNION { ?a cg:quotedFrom ?quoted }
          UNION { ?a cg:precedes ?next }
        }""",
}


def _construct(store: Store, kind: str, nodes: Iterable[ox.NamedNode]) -> Iterator[ox.Triple]:
    """Run one context query over ``nodes``, a chunk of IRIs at a time.  The IRIs go into
    ``VALUES`` in their N-Triples form, which pyoxigraph has already validated."""
    ordered = sorted(nodes, key=lambda n: n.value)
    template = _CONTEXT_QUERIES[kind]
    for i in range(0, len(ordered), VALUES_CHUNK):
        chunk = " ".join(str(n) for n in ordered[i : i + VALUES_CHUNK])
        answer = store.query(template % chunk)
        assert isinstance(answer, ox.QueryTriples)
        yield from answer


# ---------------------------------------------------------------- the whole store


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
            results.setdefault(r._key(), r)
        for node, r in _read_results(report.graph, None):
            if r._key() not in copied:
                copied.add(r._key())
                result_nodes.append(node)
                _copy_tree(report.graph, merged, node)
    ordered = _sorted(results.values())
    conforms = not any(r.severity == SH.Violation for r in ordered)
    graph, report_node = _report_graph(conforms)
    graph += merged
    for node in result_nodes:
        graph.add((report_node, SH.result, node))
    return ValidationReport(conforms, ordered, graph, focus)


def _copy_tree(source: rdflib.Graph, target: rdflib.Graph, node: Node) -> None:
    """Copy ``node``'s triples and those of the blank nodes below it."""
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
