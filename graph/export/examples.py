"""A tiny dataset for the examples in this package's docstrings."""

from __future__ import annotations

import pyoxigraph as ox

from ..rdf import expand

__all__ = ["example_triples"]


def example_triples() -> list[ox.Triple]:
    """A tiny dataset for the examples: Turkey mediates a meeting; a claim by Turkey.

    >>> len(example_triples()) > 5
    True
    """

    def named(name: str) -> ox.NamedNode:
        return ox.NamedNode(expand(name))

    part = ox.BlankNode("p1")
    lab = named("rdfs:label")
    return [
        ox.Triple(named("cgi:turkey"), named("rdf:type"), named("cg:State")),
        ox.Triple(named("cgi:turkey"), lab, ox.Literal("Turkey", language="en")),
        ox.Triple(
            named("cgi:turkey"), named("rdfs:comment"), ox.Literal("A state.", language="en")
        ),
        ox.Triple(named("cgi:meeting"), named("rdf:type"), named("cg:Meeting")),
        ox.Triple(named("cgi:meeting"), lab, ox.Literal("A meeting", language="en")),
        ox.Triple(named("cgi:meeting"), named("cg:hasParticipation"), part),
        ox.Triple(part, named("rdf:type"), named("cg:Participation")),
        ox.Triple(part, named("cg:agent"), named("cgi:turkey")),
        ox.Triple(part, named("cg:role"), named("cg:mediator")),
        ox.Triple(named("cgi:claim-x"), named("rdf:type"), named("cg:Statement")),
        ox.Triple(named("cgi:claim-x"), named("cg:claimant"), named("cgi:turkey")),
        ox.Triple(
            named("cgi:claim-x"), named("cg:claimText"), ox.Literal("We mediate.", language="en")
        ),
    ]
