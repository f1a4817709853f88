"""The patterns of the claimgraph vocabulary that provenance is built on, each stated once:
how a report took a claim from another, which report classes a hop can be, and when two
claims give different values for the same thing."""

from __future__ import annotations

DERIVATION_PATH = "cg:derivedFrom|cg:quotedFrom"
"""The SPARQL property path from a report to the report it took the claim from."""

REPORT_KINDS: tuple[tuple[str, str], ...] = (
    ("ArticleMention", "article mention"),
    ("WireReport", "wire report"),
    ("Utterance", "utterance"),
)
"""The report classes (local names in ``cg:``) a :attr:`Hop.kind` names, most specific
first; any other report's kind is ``report``."""

DIFFERENT_VALUES = """
    ?a cg:aboutEvent ?e ; cg:statedProperty ?p ; cg:statedValue ?v .
    ?b cg:aboutEvent ?e ; cg:statedProperty ?p ; cg:statedValue ?w .
    FILTER(!sameTerm(?v, ?w) && COALESCE(?v != ?w, true))
    FILTER NOT EXISTS { ?a cg:statedValue ?w }
    FILTER NOT EXISTS { ?b cg:statedValue ?v }
"""
"""A detected contradiction, as a SPARQL pattern: claims ``?a`` and ``?b`` give different
values (``?v``, ``?w``) for the same property ``?p`` of the same event ``?e``, and neither
also gives the other's value."""
