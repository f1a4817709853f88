"""The shapes compiled to SPARQL: each constraint of each shape becomes one query that returns
exactly the nodes that break it, for all focus nodes at once.

The queries run on a validation store (:mod:`~claimgraph.validation.dataset`) that holds the
data and, in the private graph :data:`MARKS`, what the engine worked out beforehand:

- ``<own> <is> ?n`` for the nodes being validated (a batch's own nodes, or every node);
- ``<target/k> <focus> ?n`` for each node a target selects (``sh:targetClass cg:Claim`` …),
  computed once per validation and shared by every shape with that target;
- ``<datatype> <mismatch> ?literal`` for literals of a datatype that rdflib cannot read
  as it (``"16 May"^^xsd:date``), and ``<judgement/k> <fails> ?literal`` for literals outside
  a ``sh:minInclusive`` / ``sh:maxInclusive`` bound: questions SPARQL answers differently
  from SHACL's reference implementation, asked in Python once per distinct literal
  (:mod:`~claimgraph.validation.terms`).

The shapes are run as :class:`~claimgraph.validation.pyshacl_bridge.WorkingShapes` runs them:
a property shape that a targeted node shape lists with ``sh:property`` judges that node
shape's focus nodes itself (same results: focus node, path and source shape).

Only what the packaged shapes use is compiled; a shape that needs more raises
:class:`Unsupported`, naming it, and is run by pySHACL instead
(:mod:`~claimgraph.validation.engine`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, partial
from itertools import combinations

import pyoxigraph as ox
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..rdf import RDF_TYPE, RDFS, XSD
from ..vocabulary import subclasses
from .compiled import (
    FAILS,
    FOCUS,
    MARKS,
    MISMATCH,
    Check,
    Compiled,
    Judgement,
    RunShape,
    Unsupported,
    V,
    marked,
)
from .shapes import TARGET_PROPERTIES, load_shapes
from .sparql_constraints import constraint_query, cycle_property, objects, one
from .terms import to_oxigraph, within

_ANNOTATIONS = frozenset(
    {SH.message, SH.severity, SH.name, SH.description, SH.deactivated, SH.order, SH.group}
)
_SUPPORTED = frozenset(
    {
        SH.path,
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.minCount,
        SH.maxCount,
        SH.minInclusive,
        SH.maxInclusive,
        SH.minExclusive,
        SH.maxExclusive,
        SH["in"],
        SH.hasValue,
        SH.uniqueLang,
        SH.lessThan,
        SH.disjoint,
        SH["or"],
        SH.qualifiedValueShape,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
        SH.sparql,
        SH.property,
        SH.prefixes,
        SH.declare,
        *TARGET_PROPERTIES,
        *_ANNOTATIONS,
    }
)
_NODE_KINDS = {
    SH.IRI: "isIRI({0})",
    SH.BlankNode: "isBlank({0})",
    SH.Literal: "isLiteral({0})",
    SH.BlankNodeOrIRI: "(isIRI({0}) || isBlank({0}))",
    SH.BlankNodeOrLiteral: "(isBlank({0}) || isLiteral({0}))",
    SH.IRIOrLiteral: "(isIRI({0}) || isLiteral({0}))",
}
_RANGES = {
    SH.minInclusive: "minInclusive",
    SH.maxInclusive: "maxInclusive",
    SH.minExclusive: "minExclusive",
    SH.maxExclusive: "maxExclusive",
}
_INTEGER = f"<{XSD}integer>"


def term(node: Node) -> str:
    """An rdflib term written as SPARQL (literals in the canonical form rdflib gives them)."""
    return str(to_oxigraph(node))


class _Compiler:
    def __init__(self, shapes: rdflib.Graph) -> None:
        self.g = shapes
        self.out = Compiled()
        self.fresh = 0
        self.base = ""
        """The focus pattern of the shape being compiled."""
        self.keys: tuple[str, ...] = ()

    # ------------------------------------------------------------ reading the shapes

    def objects(self, node: Node, p: URIRef) -> list[Node]:
        return objects(self.g, node, p)

    def one(self, node: Node, p: URIRef) -> Node | None:
        return one(self.g, node, p)

    def items(self, node: Node) -> list[Node]:
        return list(self.g.items(node))

    def var(self, stem: str) -> str:
        self.fresh += 1
        return f"?{stem}{self.fresh}"

    def path(self, node: Node) -> str:
        """A SHACL property path as a SPARQL path."""
        if isinstance(node, URIRef):
            return term(node)
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        for kind, template in (
            (SH.inversePath, "^{}"),
            (SH.zeroOrMorePath, "{}*"),
            (SH.oneOrMorePath, "{}+"),
            (SH.zeroOrOnePath, "{}?"),
        ):
            inner = self.one(node, kind)
            if inner is not None:
                return "(" + template.format(self.path(inner)) + ")"
        alternatives = self.one(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alternatives)) + ")"
        raise Unsupported(f"the path {node} is not a SHACL path")

    def check_supported(self, shape: Node, hoisted: set[Node]) -> None:
        for p in set(self.g.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in _SUPPORTED:
                raise Unsupported(f"{shape} uses {p}")
        for child in self.objects(shape, SH.property):
            if child not in hoisted:
                raise Unsupported(f"{shape} has the nested property shape {child}")

    # ------------------------------------------------------------ targets

    def target(self, kind: Node, value: Node) -> str:
        """The key of a target, its pattern registered."""
        if kind == SH.targetClass:
            classes = " ".join(term(URIRef(c)) for c in sorted(subclasses(str(value))))
            pattern = f"?this {term(RDF.type)} ?type . VALUES ?type {{ {classes} }}"
        elif kind == SH.targetSubjectsOf:
            pattern = f"?this {term(value)} ?any ."
        elif kind == SH.targetObjectsOf:
            pattern = f"?any {term(value)} ?this ."
        elif kind == SH.targetNode:
            pattern = f"VALUES ?this {{ {term(value)} }}"
        else:
            raise Unsupported(f"the target {kind}")
        key = f"{V}target/{len(self.out.targets)}"
        for known, known_pattern in self.out.targets.items():
            if known_pattern == pattern:
                return known
        self.out.targets[key] = pattern
        return key

    # ------------------------------------------------------------ the whole graph

    def run(self) -> Compiled:
        g = self.g
        own_targets: dict[Node, list[str]] = defaultdict(list)
        for kind in TARGET_PROPERTIES:
            for shape, value in sorted(
                g.subject_objects(kind), key=lambda so: (str(so[0]), str(so[1]))
            ):
                own_targets[shape].append(self.target(kind, value))
        targeted = set(own_targets)
        hoisted: dict[Node, list[Node]] = defaultdict(list)
        for shape in sorted(targeted, key=str):
            for child in self.objects(shape, SH.property):
                if isinstance(child, URIRef):
                    hoisted[child].append(shape)
        running = sorted(targeted | set(hoisted), key=str)
        for shape in running:
            keys = list(own_targets.get(shape, []))
            for parent in hoisted.get(shape, []):
                keys += own_targets[parent]
            keys = list(dict.fromkeys(keys))
            if self.one(shape, SH.deactivated) == Literal(True):
                continue
            checks, judgements = len(self.out.checks), len(self.out.judgements)
            try:
                self.check_supported(shape, set(hoisted))
                self.shape(shape, tuple(keys))
            except Unsupported as e:
                del self.out.checks[checks:]
                del self.out.judgements[judgements:]
                self.out.fallback.add(shape)
                self.out.reasons[shape] = str(e)
        return self.out

    def shape(self, node: Node, keys: tuple[str, ...]) -> None:
        severity = self.one(node, SH.severity) or SH.Violation
        assert isinstance(severity, URIRef)
        path = self.one(node, SH.path)
        run = RunShape(node, keys, path, severity, tuple(self.objects(node, SH.message)))
        base = self.base = _focus(keys)
        self.keys = keys
        constraints = self.constraints(node, path)
        if not constraints:
            return
        if not run.messages:
            raise Unsupported(f"{node} has no sh:message (pySHACL would word its own)")
        self.out.shapes.append(run)
        for component, query, kind, source in constraints:
            text = query.replace("%FOCUS%", base)
            self.out.checks.append(
                Check(
                    run,
                    component,
                    _instances(text, paths=False),
                    kind,
                    source,
                    _instances(text, paths=True),
                    _needs(path, kind, component),
                    cycle_property(self.g, source) if kind == "sparql" else None,
                )
            )

    # ------------------------------------------------------------ constraints

    def constraints(
        self, node: Node, path: Node | None
    ) -> list[tuple[URIRef, str, str, Node | None]]:
        """(component, query with FOCUS where the focus pattern goes, kind, source) for each
        constraint of a shape that is run."""
        out: list[tuple[URIRef, str, str, Node | None]] = []
        p = self.path(path) if path is not None else None

        def values(condition: Callable[[str], str], component: URIRef) -> None:
            """A result per value node that fails ``condition`` (made for a variable)."""
            if p is None:
                body = f"%FOCUS% FILTER(!({condition('?this')}))"
                out.append((component, f"SELECT DISTINCT ?this WHERE {{ {body} }}", "self", None))
            else:
                body = f"%FOCUS% ?this {p} ?v FILTER(!({condition('?v')}))"
                out.append(
                    (component, f"SELECT DISTINCT ?this ?v WHERE {{ {body} }}", "value", None)
                )

        for cls in self.objects(node, SH["class"]):
            values(partial(self.is_instance, cls=cls), SH.ClassConstraintComponent)
        datatype = self.one(node, SH.datatype)
        if datatype is not None:
            values(partial(self.matches, datatype=datatype), SH.DatatypeConstraintComponent)
        kind = self.one(node, SH.nodeKind)
        if kind is not None:
            values(_NODE_KINDS[kind].format, SH.NodeKindConstraintComponent)  # type: ignore[index]
        listed = self.one(node, SH["in"])
        if listed is not None:
            values(partial(self.member, listed=self.items(listed)), SH.InConstraintComponent)
        for bound_p, name in _RANGES.items():
            for bound in self.objects(node, bound_p):
                assert isinstance(bound, Literal)
                if p is None:
                    raise Unsupported(f"{node}: a range on a node shape")
                key = self.judge(f"%FOCUS% ?this {p} ?v FILTER(isLiteral(?v))", bound, name)
                values(
                    partial(_judged, key=key),
                    URIRef(f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent"),
                )
        for alternatives in self.objects(node, SH["or"]):
            values(partial(self.any_of, shapes=self.items(alternatives)), SH.OrConstraintComponent)
        for value in self.objects(node, SH.hasValue):
            if p is None:
                cond = f"FILTER(!sameTerm(?this, {term(value)}))"
            else:
                cond = f"FILTER NOT EXISTS {{ ?this {p} {term(value)} }}"
            out.append(
                (
                    SH.HasValueConstraintComponent,
                    f"SELECT DISTINCT ?this WHERE {{ %FOCUS% {cond} }}",
                    "focus",
                    None,
                )
            )
        if p is not None:
            self.counts(node, p, out)
            self.pairs(node, p, out)
        for sparql in self.objects(node, SH.sparql):
            query = constraint_query(self.g, node, sparql)
            out.append((SH.SPARQLConstraintComponent, query, "sparql", sparql))
        return out

    def counts(self, node: Node, p: str, out: list[tuple[URIRef, str, str, Node | None]]) -> None:
        least = self.one(node, SH.minCount)
        if least is not None and _integer(least) == 1:
            absent = f"FILTER NOT EXISTS {{ ?this {p} ?v }}"
            query = f"SELECT DISTINCT ?this WHERE {{ %FOCUS% {absent} }}"
            out.append((SH.MinCountConstraintComponent, query, "focus", None))
        elif least is not None and _integer(least) > 1:
            query = _counted(p, "", "<", _integer(least))
            out.append((SH.MinCountConstraintComponent, query, "focus", None))
        most = self.one(node, SH.maxCount)
        if most is not None:
            query = _counted(p, "", ">", _integer(most))
            out.append((SH.MaxCountConstraintComponent, query, "focus", None))
        qualified = self.objects(node, SH.qualifiedValueShape)
        if qualified:
            if len(qualified) > 1 or self.objects(node, SH.qualifiedValueShapesDisjoint):
                raise Unsupported(f"{node}: several or disjoint qualified value shapes")
            cond = f"FILTER({self.conforms('?v', qualified[0])})"
            low = self.one(node, SH.qualifiedMinCount)
            high = self.one(node, SH.qualifiedMaxCount)
            if low is not None:
                query = _counted(p, cond, "<", _integer(low))
                out.append((SH.QualifiedMinCountConstraintComponent, query, "focus", None))
            if high is not None:
                query = _counted(p, cond, ">", _integer(high))
                out.append((SH.QualifiedMaxCountConstraintComponent, query, "focus", None))
        if self.one(node, SH.uniqueLang) == Literal(True):
            query = (
                f"SELECT DISTINCT ?this ?lang WHERE {{ %FOCUS% ?this {p} ?v , ?w "
                "FILTER(isLiteral(?v) && isLiteral(?w) && !sameTerm(?v, ?w) && LANG(?v) != '' "
                "&& LCASE(LANG(?v)) = LCASE(LANG(?w))) BIND(LCASE(LANG(?v)) AS ?lang) }"
            )
            out.append((SH.UniqueLangConstraintComponent, query, "focus", None))

    def pairs(self, node: Node, p: str, out: list[tuple[URIRef, str, str, Node | None]]) -> None:
        for other in self.objects(node, SH.disjoint):
            query = (
                f"SELECT DISTINCT ?this ?v WHERE {{ %FOCUS% ?this {p} ?v . "
                f"?this {term(other)} ?v }}"
            )
            out.append((SH.DisjointConstraintComponent, query, "value", None))
        for other in self.objects(node, SH.lessThan):
            query = (
                f"SELECT DISTINCT ?this ?v ?w WHERE {{ %FOCUS% ?this {p} ?v . "
                f"?this {term(other)} ?w "
                "FILTER(!COALESCE(isLiteral(?v) && isLiteral(?w) "
                f"&& DATATYPE(?v) = {_INTEGER} && DATATYPE(?w) = {_INTEGER} && ?v < ?w, false)) }}"
            )
            out.append((SH.LessThanConstraintComponent, query, "less-than", None))

    # ------------------------------------------------------------ conditions on one node

    def is_instance(self, x: str, cls: Node) -> str:
        """A condition true when ``x`` is an instance of ``cls`` or of a subclass: written
        as a marker that :func:`_instances` turns into SPARQL."""
        return f"(!isLiteral({x}) && EXISTS {{ \x00{x}\x00{cls}\x00 }})"

    def matches(self, x: str, datatype: Node) -> str:
        dt = str(datatype)
        if dt == RDFS + "Literal":
            return f"isLiteral({x})"
        self.out.datatypes.add(dt)
        return (
            f"(isLiteral({x}) && DATATYPE({x}) = {term(datatype)} && NOT EXISTS "
            f"{{ {marked(dt, MISMATCH, x)} }})"
        )

    def member(self, x: str, listed: Iterable[Node]) -> str:
        return "(" + (" || ".join(f"sameTerm({x}, {term(v)})" for v in listed) or "false") + ")"

    def judge(self, domain: str, bound: Literal, kind: str) -> str:
        key = f"{V}judgement/{len(self.out.judgements)}"

        def fails(value: ox.Literal) -> bool:
            return not within(value, bound, kind)

        domain = f"SELECT DISTINCT ?v WHERE {{ {domain.replace('%FOCUS%', self.base)} }}"
        self.out.judgements.append(Judgement(key, domain, fails, self.keys))
        return key

    def conforms(self, x: str, shape: Node) -> str:
        """A condition true when the node ``x`` conforms to ``shape`` (a nested shape: an
        ``sh:or`` member or a qualified value shape)."""
        for p in set(self.g.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in _SUPPORTED:
                raise Unsupported(f"the nested shape {shape} uses {p}")
            if p in (
                SH.sparql,
                SH.qualifiedValueShape,
                *_RANGES,
                SH.lessThan,
                SH.disjoint,
                SH.uniqueLang,
            ):
                raise Unsupported(f"the nested shape {shape} uses {p}")
        parts: list[str] = []
        path_node = self.one(shape, SH.path)
        if path_node is None:
            for cls in self.objects(shape, SH["class"]):
                parts.append(self.is_instance(x, cls))
            for value in self.objects(shape, SH.hasValue):
                parts.append(f"sameTerm({x}, {term(value)})")
            parts += self.value_conditions(shape, x)
            for child in self.objects(shape, SH.property):
                parts.append(self.conforms(x, child))
            return "(" + (" && ".join(parts) or "true") + ")"
        p_text = self.path(path_node)
        least = self.one(shape, SH.minCount)
        if least is not None and _integer(least) > 0:
            parts.append(f"EXISTS {{ {self.distinct_values(x, p_text, _integer(least))} }}")
        most = self.one(shape, SH.maxCount)
        if most is not None:
            parts.append(f"NOT EXISTS {{ {self.distinct_values(x, p_text, _integer(most) + 1)} }}")
        for value in self.objects(shape, SH.hasValue):
            parts.append(f"EXISTS {{ {x} {p_text} {term(value)} }}")
        v = self.var("v")
        conditions = [self.is_instance(v, c) for c in self.objects(shape, SH["class"])]
        conditions += self.value_conditions(shape, v)
        if self.objects(shape, SH.property):
            raise Unsupported(f"the nested shape {shape} has property shapes under a path")
        if conditions:
            parts.append(f"NOT EXISTS {{ {x} {p_text} {v} FILTER(!({' && '.join(conditions)})) }}")
        return "(" + (" && ".join(parts) or "true") + ")"

    def any_of(self, x: str, shapes: list[Node]) -> str:
        """A condition true when ``x`` conforms to one of ``shapes``."""
        return " || ".join(self.conforms(x, m) for m in shapes) or "false"

    def value_conditions(self, shape: Node, x: str) -> list[str]:
        out = []
        datatype = self.one(shape, SH.datatype)
        if datatype is not None:
            out.append(self.matches(x, datatype))
        kind = self.one(shape, SH.nodeKind)
        if kind is not None:
            out.append(_NODE_KINDS[kind].format(x))  # type: ignore[index]
        listed = self.one(shape, SH["in"])
        if listed is not None:
            out.append(self.member(x, self.items(listed)))
        for alternatives in self.objects(shape, SH["or"]):
            out.append(
                "(" + " || ".join(self.conforms(x, m) for m in self.items(alternatives)) + ")"
            )
        return out

    def distinct_values(self, x: str, p: str, n: int) -> str:
        names = [self.var("n") for _ in range(n)]
        pattern = " . ".join(f"{x} {p} {name}" for name in names)
        different = " && ".join(f"!sameTerm({a}, {b})" for a, b in combinations(names, 2))
        return pattern + (f" FILTER({different})" if different else "")


_NEED_A_VALUE = frozenset(
    {
        SH.MaxCountConstraintComponent,
        SH.QualifiedMaxCountConstraintComponent,
        SH.UniqueLangConstraintComponent,
    }
)
"""Components of ``focus`` checks whose queries join ``?this <path> ?v`` (no ``OPTIONAL``,
no ``NOT EXISTS``): a count above the bound, two values of one language."""


def _needs(path: Node | None, kind: str, component: URIRef) -> str | None:
    """The property a check's every row matches (:attr:`Check.needs`): the shape's path
    when it is one property and the check reads its values (``value`` and ``less-than``
    checks, and the ``focus`` checks of :data:`_NEED_A_VALUE`); None for the others (a
    missing value, ``sh:hasValue``, SHACL-SPARQL, a path that is not one property)."""
    if not isinstance(path, URIRef):
        return None
    if kind in ("value", "less-than") or (kind == "focus" and component in _NEED_A_VALUE):
        return str(path)
    return None


def _focus(keys: tuple[str, ...]) -> str:
    """The pattern binding ``?this`` to the focus nodes of the targets ``keys``."""
    graphs = [f"{{ GRAPH <{MARKS}> {{ <{k}> {FOCUS} ?this }} }}" for k in keys]
    return " UNION ".join(graphs) if graphs else "FILTER(false)"


_INSTANCE = re.compile("\x00([^\x00]*)\x00([^\x00]*)\x00")


def _instances(query: str, *, paths: bool) -> str:
    """``query`` with each instance test written out: by the ontology's subclasses of the
    class (``FILTER IN``: the same rows as a ``VALUES`` block inside the ``EXISTS``, 10–30%
    faster in pyoxigraph), or by the subclass path the data holds (``paths``)."""
    count = iter(range(1 << 30))

    def written(m: re.Match[str]) -> str:
        x, cls = m.group(1), m.group(2)
        if paths:
            return f"{x} <{RDF_TYPE}>/<{RDFS}subClassOf>* <{cls}>"
        classes = sorted(subclasses(cls))
        if len(classes) == 1:
            return f"{x} <{RDF_TYPE}> <{classes[0]}>"
        t = f"?class{next(count)}"
        return f"{x} <{RDF_TYPE}> {t} FILTER({t} IN ({', '.join(f'<{c}>' for c in classes)}))"

    return _INSTANCE.sub(written, query)


def _counted(path: str, condition: str, compare: str, n: int) -> str:
    """The focus nodes with fewer (``<``) or more (``>``) than ``n`` distinct values on
    ``path`` that meet ``condition`` (a ``FILTER``, or nothing)."""
    values = f"?this {path} ?v {condition}"
    if compare == "<":
        values = f"OPTIONAL {{ {values} }}"
    return (
        f"SELECT ?this WHERE {{ %FOCUS% {values} }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {compare} {n})"
    )


def _integer(node: Node) -> int:
    """A count of the shapes (``sh:minCount 1``) as an int."""
    if not isinstance(node, Literal) or not isinstance(node.value, int):
        raise Unsupported(f"{node} is not an integer")
    return node.value


def _judged(x: str, key: str) -> str:
    """A condition true when the literal ``x`` passed the judgement ``key``."""
    return f"isLiteral({x}) && NOT EXISTS {{ {marked(key, FAILS, x)} }}"


@cache
def compiled_shapes() -> Compiled:
    """The packaged shapes, compiled once.

    >>> compiled = compiled_shapes()
    >>> len(compiled.checks) > 100, sorted(str(s) for s in compiled.fallback)
    (True, [])
    """
    return _Compiler(load_shapes()).run()
