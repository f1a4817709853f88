"""What a node is: its broad kind (actor, event, claim, …) and the one type shown for it.

Both are read from the node's classes through the ontology's class hierarchy
(:mod:`claimgraph.vocabulary`); the views, the measures and the node facts all use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from ..rdf import CAMEO, CG, FOAF, OA, ORG, PROV, RDFS, SCHEMA
from ..vocabulary import is_a, most_specific

__all__ = ["CODE_NAMESPACES", "KINDS", "main_type", "node_kind"]

KINDS: tuple[tuple[str, str], ...] = (
    ("actor", CG + "Actor"),
    ("actor", PROV + "Agent"),
    ("actor", FOAF + "Agent"),
    ("event", CG + "Event"),
    ("claim", CG + "Claim"),
    ("report", CG + "Report"),
    ("article", CG + "Article"),
    ("article", CG + "ArticleRevision"),
    ("place", CG + "Place"),
    ("topic", CG + "Topic"),
    ("participation", CG + "Participation"),
    ("evidence", CG + "EvidenceSpan"),
    ("evidence", OA + "TextQuoteSelector"),
    ("evidence", OA + "TextPositionSelector"),
    ("review", CG + "Review"),
    ("review", SCHEMA + "Rating"),
    ("relation", CG + "ClaimRelation"),
    ("relation", CG + "IdentityCandidate"),
    ("post", ORG + "Post"),
)
"""Broad kinds of node, for colours and filters: the first root class a node's type is under."""

CODE_NAMESPACES: tuple[str, ...] = (CG, CAMEO)
"""Objects in these namespaces are code-list values (roles, certainty, CAMEO codes): the
``full`` view keeps them as attribute values instead of making hub nodes of them, and node
facts label them with the ontology's labels."""


def node_kind(types: Iterable[str]) -> str:
    """The kind of a node with these classes: the first of :data:`KINDS` whose root class
    one of ``types`` is or is under, else ``other``.

    >>> node_kind(["https://w3id.org/claimgraph/ns#Delegation"])
    'actor'
    >>> node_kind([])
    'other'
    """
    return _kind_of_classes(frozenset(types))


@cache
def _kind_of_classes(types: frozenset[str]) -> str:
    # memoised: a view asks for the kind of every node, and nodes share a few sets of classes
    return next((kind for kind, root in KINDS if is_a(types, root)), "other")


def main_type(types: Iterable[str]) -> str:
    """The one class shown for a node: the most specific of ``types``, claimgraph's own
    classes first, then alphabetically; ``rdfs:Resource`` when there are none.

    >>> cg = "https://w3id.org/claimgraph/ns#"
    >>> main_type([cg + "Claim", cg + "Quote", "http://www.w3.org/ns/prov#Entity"]) == cg + "Quote"
    True
    """
    leaves = most_specific(types)
    if not leaves:
        return RDFS + "Resource"
    return min(leaves, key=lambda t: (not t.startswith(CG), t))
