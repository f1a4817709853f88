"""The defined-terms rule, checked in Python rather than by a shape: every ``cg:`` term a batch
uses is defined in the ontology, and every node it names has a full IRI."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import SH

from ..rdf import CG, RDF_TYPE, UNRESOLVED, compact
from ..vocabulary import defined_terms
from .report import ValidationResult
from .shapes import SHAPES

DEFINED_TERMS_RULE = URIRef(SHAPES + "DefinedTermsRule")
"""The rule (checked in Python, not by a shape) that every ``cg:`` term a batch uses as a
property, a class or a value is defined in the ontology, and that every node it names has a
full IRI: a misspelt key such as ``derivedfrom``, or ``carrier: reuters`` without ``cgi:``,
would otherwise be stored and silently ignored by every query."""


@cache
def _defined_cg_terms() -> frozenset[str]:
    """The ``cg:`` terms the ontology defines."""
    return frozenset(t for t in defined_terms() if t.startswith(CG))


@cache
def _spellings() -> tuple[dict[str, str], dict[str, str]]:
    """The defined ``cg:`` terms by their lower-case IRI and by their local name (for the
    hint of what a misspelt term was meant to be)."""
    defined = _defined_cg_terms()
    return {t.lower(): t for t in defined}, {t.removeprefix(CG): t for t in defined}


def undefined_terms(triples: Iterable[ox.Triple]) -> list[ValidationResult]:
    """One violation per node and undefined ``cg:`` term it uses (with the defined term it
    was probably meant to be), and per node named without a prefix.

    >>> x = ox.NamedNode("https://w3id.org/claimgraph/id/x")
    >>> [result] = undefined_terms([ox.Triple(x, ox.NamedNode(CG + "derivedfrom"), x)])
    >>> print(*result.message.split("; "), sep="\\n")
    cg:derivedfrom, used as a property, is not defined in the claimgraph ontology
    did you mean cg:derivedFrom?
    """
    defined = _defined_cg_terms()
    lowered, by_name = _spellings()
    found: dict[tuple[str, str, str], ValidationResult] = {}
    for t in triples:
        for node in (t.subject, t.object):
            if isinstance(node, ox.NamedNode) and node.value.startswith(UNRESOLVED):
                name = node.value.rsplit("/", 1)[-1]
                key = (str(t.subject), "relative", node.value)
                if key not in found:
                    found[key] = _undefined_term_result(
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
            kind = "class" if t.predicate.value == RDF_TYPE else "value"
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
            found[key] = _undefined_term_result(
                t,
                kind,
                ox.NamedNode(term),
                f"{compact(term)}, used as a {kind}, is not defined in the claimgraph "
                f"ontology{hint}",
            )
    return list(found.values())


def _undefined_term_result(
    t: ox.Triple, kind: str, term: ox.NamedNode, message: str
) -> ValidationResult:
    """The violation of the rule by ``term``, used as a ``kind`` in the triple ``t``."""
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
