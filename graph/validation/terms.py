"""Terms between pyoxigraph and rdflib, and what a literal means to SHACL.

The report graph is an rdflib graph, and pySHACL (the reference engine) judges literals as
rdflib reads them: rdflib *normalises* a typed literal it can read (``"01"^^xsd:integer`` is
``"1"``, ``"1"^^xsd:boolean`` is ``"true"``, a ``Z`` time zone is ``+00:00``) and marks one it
cannot read as ill-typed (``"1 June 2025"^^xsd:date``).  The SPARQL engine
(:mod:`~claimgraph.validation.engine`) keeps the same meaning by validating the canonical
form of every literal (:func:`canonical`) and asking this module the questions SPARQL cannot
answer the same way: does a literal match a datatype (:func:`matches_datatype`), is it within
a bound (:func:`within`), is one value less than another (:func:`less_than`).  Each answer
is computed once per distinct literal.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from ..errors import UsageError
from ..rdf import RDF, RDFS, XSD

# rdflib logs a traceback for every literal it cannot read as its datatype ("1 June 2025"^^
# xsd:date); the shapes report that value with a message that says how to write it.
logging.getLogger("rdflib.term").addFilter(
    lambda record: "Failed to convert Literal lexical form" not in record.getMessage()
)

XSD_STRING = XSD + "string"
RDF_LANGSTRING = RDF + "langString"
_CANONICAL_INTEGER = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")
"""Integers rdflib reads and writes back unchanged."""

# ---------------------------------------------------------------- terms


def to_rdflib(term: Any, memo: dict[Any, Identifier] | None = None) -> Identifier:
    """A pyoxigraph term as rdflib reads it (a typed literal normalised by rdflib).

    >>> to_rdflib(ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")))
    rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if memo is not None:
        found = memo.get(term)
        if found is not None:
            return found
    out: Identifier
    if isinstance(term, ox.NamedNode):
        out = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        out = BNode(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            out = Literal(term.value, lang=term.language)
        elif term.datatype.value == XSD_STRING:
            out = Literal(term.value)
        else:
            out = _typed(term.value, term.datatype.value)
    else:
        raise UsageError(
            f"cannot validate the triple term {term}: claimgraph data has no RDF 1.2 triple "
            "terms; state the claim as a cg:Claim with its reports instead"
        )
    if memo is not None:
        memo[term] = out
    return out


@lru_cache(maxsize=1 << 16)
def _typed(lexical: str, datatype: str) -> Literal:
    return Literal(lexical, datatype=URIRef(datatype))


def to_oxigraph(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term.

    >>> to_oxigraph(Literal("x", lang="en"))
    <Literal value=x language=en>
    """
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"cannot convert {node!r}")


# ---------------------------------------------------------------- literals


def canonical(literal: ox.Literal) -> ox.Literal:
    """The literal as rdflib reads it back: typed literals in their normal form, everything
    else unchanged.

    >>> canonical(ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean"))).value
    'true'
    >>> canonical(ox.Literal("1 June 2025", datatype=ox.NamedNode(XSD + "date"))).value
    '1 June 2025'
    """
    datatype = literal.datatype.value
    if literal.language or datatype in (XSD_STRING, RDF_LANGSTRING):
        return literal
    lexical = literal.value
    if datatype == XSD + "integer" and _CANONICAL_INTEGER.match(lexical):
        return literal
    normal = str(_typed(lexical, datatype))
    return literal if normal == lexical else ox.Literal(normal, datatype=literal.datatype)


def matches_datatype(literal: ox.Literal, datatype: str) -> bool:
    """Whether a literal matches ``sh:datatype datatype`` as SHACL defines it and pySHACL
    decides it: the same datatype, and a lexical form that datatype can read (strings and
    language-tagged strings always can).

    >>> date_ = XSD + "date"
    >>> matches_datatype(ox.Literal("2025-05-16", datatype=ox.NamedNode(date_)), date_)
    True
    >>> matches_datatype(ox.Literal("16 May", datatype=ox.NamedNode(date_)), date_)
    False
    """
    if datatype == RDFS + "Literal":
        return True
    if literal.language:
        return datatype == RDF_LANGSTRING
    own = literal.datatype.value
    if datatype == RDFS + "Datatype":
        return own != XSD_STRING
    if own != datatype:
        return False
    if own == XSD_STRING or (own == XSD + "integer" and _CANONICAL_INTEGER.match(literal.value)):
        return True
    return _readable(literal.value, own)


@lru_cache(maxsize=1 << 16)
def _readable(lexical: str, datatype: str) -> bool:
    """Whether rdflib reads ``lexical`` as a well-formed value of ``datatype``."""
    term = _typed(lexical, datatype)
    if getattr(term, "ill_typed", None) is True:
        return False
    value = term.value
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(value, expected)


_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    XSD + "integer": int,
    XSD + "float": float,
    XSD + "decimal": Decimal,
    XSD + "boolean": bool,
    XSD + "date": date,
    XSD + "time": time,
    XSD + "dateTime": datetime,
}
"""The Python value a well-formed literal of these datatypes reads as."""


def within(value: ox.Literal, bound: Literal, kind: str) -> bool:
    """Whether a literal passes ``sh:minInclusive`` (``kind``: ``minInclusive``,
    ``minExclusive``, ``maxInclusive`` or ``maxExclusive``) ``bound``: values compare when
    both are strings or both are not; anything else fails.

    >>> one = Literal(1)
    >>> within(ox.Literal("0.5", datatype=ox.NamedNode(XSD + "decimal")), one, "maxInclusive")
    True
    >>> within(ox.Literal("high"), one, "maxInclusive")
    False
    """
    from pyshacl.rdfutil.compare import compare_literal

    term = to_rdflib(value)
    assert isinstance(term, Literal)
    if isinstance(term.value, str) != isinstance(bound.value, str):
        return False
    try:
        order = compare_literal(term, bound)  # type: ignore[no-untyped-call]
    except (TypeError, NotImplementedError):
        return False
    if kind == "minInclusive":
        return bool(order >= 0)
    if kind == "minExclusive":
        return bool(order > 0)
    if kind == "maxInclusive":
        return bool(order <= 0)
    return bool(order < 0)


def less_than(value: Identifier, other: Identifier) -> bool:
    """Whether ``value`` is less than ``other`` for ``sh:lessThan``: IRIs and string
    literals compare as strings, other literals by value; a string never compares with a
    non-string.

    >>> less_than(Literal(3), Literal(5)), less_than(Literal("3"), Literal(5))
    (True, False)
    """
    left, left_is_text = _comparable(value)
    right, right_is_text = _comparable(other)
    if left_is_text != right_is_text:
        return False
    try:
        return bool(left < right)
    except TypeError:
        return False


def _comparable(node: Identifier) -> tuple[Any, bool]:
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False
