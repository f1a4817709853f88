"""What the shape compiler (:mod:`~claimgraph.validation.compiler`) produces and what its
queries read: the compiled shapes (:class:`Compiled`: targets, shapes, checks, judgements)
and the marks the engine writes before it runs them, in the private graph :data:`MARKS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

V = "urn:x-claimgraph:validation:"
"""The private namespace of the marks (never stored, never in the data)."""
MARKS = V + "marks"
"""The graph of the marks."""
OWN = f"<{V}own>"
IS = f"<{V}is>"
FOCUS = f"<{V}focus>"
MISMATCH = f"<{V}mismatch>"
FAILS = f"<{V}fails>"


class Unsupported(Exception):
    """A shape uses SHACL this compiler does not translate."""


@dataclass(frozen=True)
class RunShape:
    """A shape as the engine runs it: which targets give its focus nodes, and what its
    results carry."""

    node: Node
    targets: tuple[str, ...]
    """Keys of :attr:`Compiled.targets`."""
    path: Node | None
    severity: URIRef
    messages: tuple[Node, ...]


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as a query for the nodes that break it.

    ``kind`` says how a row becomes a result: ``focus`` (one result per row, no value),
    ``value`` (``?v`` is the value), ``self`` (the focus node is the value), ``less-than``
    (``?v`` against ``?w``, judged in Python), ``sparql`` (a SHACL-SPARQL constraint: its
    variables fill the message).
    """

    shape: RunShape
    component: URIRef
    query: str
    kind: str
    source_constraint: Node | None = None
    with_paths: str = ""
    """The same query reading the subclass hierarchy from the data (``rdf:type/
    rdfs:subClassOf*``), for data that declares classes of its own; :attr:`query` lists the
    ontology's subclasses instead, which is faster."""
    needs: str | None = None
    """A property (IRI) the query matches as ``?this <needs> ?v`` for every row it returns:
    where the data holds no triple with it, the check finds nothing and is not run."""
    closes: str | None = None
    """For a SHACL-SPARQL constraint that asks for a cycle (``$this <p> ?value . ?value
    <p>* $this``): the property ``p``.  Its every row needs a node that reaches itself
    through ``p``; where the data holds no such cycle (one linear pass finds out), the check
    finds nothing and is not run: its path query costs the length of a chain per node."""


@dataclass(frozen=True)
class Judgement:
    """Literals judged in Python: ``domain`` selects the distinct literals (``?v``) to judge
    and ``fails`` tells which break the constraint; they are marked ``<key> <fails> ?v``."""

    key: str
    domain: str
    fails: Callable[[ox.Literal], bool]
    targets: tuple[str, ...] = ()
    """The targets of the judged shape: nothing to judge when none selects a node."""


@dataclass
class Compiled:
    """The compiled shapes."""

    targets: dict[str, str] = field(default_factory=dict)
    """Target key (an IRI) → the group pattern that binds ``?this`` to what it selects."""
    shapes: list[RunShape] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    datatypes: set[str] = field(default_factory=set)
    """Datatypes some constraint checks: their unreadable literals are marked."""
    fallback: set[Node] = field(default_factory=set)
    """Shapes left to pySHACL (each with the reason in :attr:`reasons`)."""
    reasons: dict[Node, str] = field(default_factory=dict)


def marked(subject: str, mark: str, node: str) -> str:
    """The pattern of a mark: ``<subject> mark node`` in the marks graph."""
    return f"GRAPH <{MARKS}> {{ <{subject}> {mark} {node} }}"


def own_mark(node: str) -> str:
    """The mark of a node being validated, as a triple pattern of the marks graph."""
    return f"{OWN} {IS} {node}"
