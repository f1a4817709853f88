"""The shapes' SHACL-SPARQL constraints (``sh:sparql``) as the compiler's queries, and the
two readings of a shapes graph that the compiler shares with them.

A constraint's ``sh:select`` becomes a query over the validation store with the compiler's
focus pattern put right after its ``WHERE {`` (the ``%FOCUS%`` mark) and its declared
prefixes (``sh:prefixes``/``sh:declare``) written out.  One form is recognised by its text:
a step of a cycle (``$this p ?value . ?value p* $this``), which the engine answers only when
the data holds a cycle of ``p`` (:attr:`~claimgraph.validation.compiled.Check.closes`).
"""

from __future__ import annotations

import re

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .compiled import Unsupported

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)

_CYCLE = re.compile(
    r"WHERE \{ \$this (<[^>\s]+>|[\w-]*:[\w-]+) \?value \. \?value \1\* \$this \.? \}"
)
"""The body of a SHACL-SPARQL constraint asking for a step of a cycle (spaces collapsed)."""


def objects(shapes: rdflib.Graph, node: Node, p: URIRef) -> list[Node]:
    """The values of ``p`` on ``node``, in a stable order."""
    return sorted(shapes.objects(node, p), key=str)


def one(shapes: rdflib.Graph, node: Node, p: URIRef) -> Node | None:
    """The one value of ``p`` on ``node`` (None without one; more than one is
    :class:`Unsupported`)."""
    found = objects(shapes, node, p)
    if len(found) > 1:
        raise Unsupported(f"{node} has {len(found)} values of {p}")
    return found[0] if found else None


def constraint_query(shapes: rdflib.Graph, shape: Node, constraint: Node) -> str:
    """The query of ``shape``'s SHACL-SPARQL ``constraint``, with ``%FOCUS%`` where the focus
    pattern goes; what the compiler does not support raises :class:`Unsupported`."""
    select = one(shapes, constraint, SH.select)
    if not isinstance(select, Literal):
        raise Unsupported(f"{shape}: a SPARQL constraint without sh:select")
    if objects(shapes, constraint, SH.message) or one(shapes, constraint, SH.deactivated):
        raise Unsupported(f"{shape}: sh:message or sh:deactivated on a SPARQL constraint")
    text = str(select)
    if "$PATH" in text or "$currentShape" in text or "$shapesGraph" in text:
        raise Unsupported(f"{shape}: a SPARQL constraint with $PATH, $currentShape or $shapesGraph")
    found = _WHERE.search(text)
    if found is None:
        raise Unsupported(f"{shape}: a SPARQL constraint without WHERE {{")
    prefixes = "".join(
        f"PREFIX {prefix}: <{namespace}>\n"
        for prefix, namespace in declared_prefixes(shapes, constraint)
    )
    return prefixes + text[: found.end()] + " %FOCUS% " + text[found.end() :]


def cycle_property(shapes: rdflib.Graph, constraint: Node | None) -> str | None:
    """The property of a SHACL-SPARQL constraint whose rows are the steps of a cycle
    (:attr:`~claimgraph.validation.compiled.Check.closes`), else None."""
    select = one(shapes, constraint, SH.select) if constraint is not None else None
    found = _CYCLE.search(" ".join(str(select).split())) if select is not None else None
    if constraint is None or found is None:
        return None
    name = found.group(1)
    if name.startswith("<"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    namespaces = dict(declared_prefixes(shapes, constraint))
    return namespaces[prefix] + local if prefix in namespaces else None


def declared_prefixes(shapes: rdflib.Graph, constraint: Node) -> list[tuple[str, str]]:
    """The ``(prefix, namespace)`` pairs a constraint declares through ``sh:prefixes``."""
    out = []
    for source in objects(shapes, constraint, SH.prefixes):
        for declaration in objects(shapes, source, SH.declare):
            prefix = one(shapes, declaration, SH.prefix)
            namespace = one(shapes, declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                out.append((str(prefix), str(namespace)))
    return out
