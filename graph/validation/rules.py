"""Rules checked in Python beside the shapes: the hook where such a rule plugs in.

A rule is a function from the triples about a batch's own nodes to its
:class:`~claimgraph.validation.report.ValidationResult` s (the defined-terms rule,
:func:`~claimgraph.validation.defined_terms.undefined_terms`, and the well-formed-values rule,
:func:`~claimgraph.validation.values.ill_formed_values`).  Both engines call every
rule of :data:`PYTHON_RULES` on the same triples, so a new rule is one entry here.

A rule may also say which triples can break it (``narrow``: a SPARQL ``FILTER`` on ``?s ?p
?o``, or a function that picks them from the validation store): a bulk load of millions of
triples then hands the rule only those, instead of streaming every triple through Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..rdf import CG, UNRESOLVED, XSD
from .defined_terms import _defined_cg_terms, undefined_terms
from .report import ValidationResult
from .values import ill_formed_values, unwanted_scheme, xsd_problem

if TYPE_CHECKING:
    from .dataset import ValidationData


@dataclass(frozen=True)
class PythonRule:
    """A rule checked in Python."""

    name: str
    check: Callable[[Iterable[ox.Triple]], list[ValidationResult]]
    """The results for the triples about own nodes."""
    narrow: Callable[[ValidationData], Iterable[ox.Triple]] | None = None
    """Picks, from a validation store, the triples that can break the rule (all of them
    when None)."""


def _defined_terms_candidates(data: ValidationData) -> Iterator[ox.Triple]:
    """The triples that can break the defined-terms rule: those that use a ``cg:`` term the
    ontology does not define, or name a node without a prefix.  The terms used are listed
    first (a few distinct values), then only triples with an undefined one are fetched."""
    defined = _defined_cg_terms()
    used = data.query(
        f"SELECT DISTINCT ?t WHERE {{ {{ SELECT DISTINCT ?p WHERE {{ ?s ?p ?o }} }} "
        f"BIND(?p AS ?t) FILTER(STRSTARTS(STR(?t), '{CG}')) }}"
    )
    bad_properties = [r["t"] for r in used if r["t"].value not in defined]
    used = data.query(
        f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && (STRSTARTS(STR(?o), '{CG}') "
        f"|| STRSTARTS(STR(?o), '{UNRESOLVED}'))) }}"
    )
    bad_objects = [
        r["o"] for r in used if r["o"].value.startswith(UNRESOLVED) or r["o"].value not in defined
    ]
    for p in bad_properties:
        yield from data.own_triples(f"FILTER(?p = {p})")
    for o in bad_objects:
        yield from data.own_triples(f"FILTER(sameTerm(?o, {o}))")
    yield from data.own_triples(f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), '{UNRESOLVED}'))")


def _ill_formed_candidates(data: ValidationData) -> Iterator[ox.Triple]:
    """The triples that can break the well-formed-values rule: those with an XSD-typed
    literal that is not a value of its datatype, or an IRI of an unwanted scheme.  The
    distinct literals and IRIs are judged first (far fewer than the triples); only triples
    with a bad one are fetched.  IRIs under ``http(s)://`` and ``urn:`` cannot be bad and are
    not listed."""
    rows = data.query(
        f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) "
        f"&& STRSTARTS(STR(DATATYPE(?o)), '{XSD}') && DATATYPE(?o) != <{XSD}string>) }}"
    )
    for row in rows:
        if xsd_problem(row["o"]) is not None:
            yield from data.own_triples(f"FILTER(sameTerm(?o, {row['o']}))")
    plain = "".join(
        f" && !STRSTARTS(STR(?x), '{scheme}')" for scheme in ("http://", "https://", "urn:")
    )
    rows = data.query(
        "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?x ?o } UNION { ?s ?p ?x } "
        f"FILTER(isIRI(?x){plain}) }}"
    )
    for row in rows:
        if unwanted_scheme(row["x"].value) is not None:
            x = row["x"]
            yield from data.own_triples(
                f"FILTER(sameTerm(?s, {x}) || sameTerm(?p, {x}) || sameTerm(?o, {x}))"
            )


PYTHON_RULES: tuple[PythonRule, ...] = (
    PythonRule("defined terms", undefined_terms, _defined_terms_candidates),
    PythonRule("well-formed values", ill_formed_values, _ill_formed_candidates),
)
"""Every rule checked in Python, in the order their results are listed."""
