"""The ``actors`` view: actors and events, a role held in an event collapsed into one
labelled edge (Turkey —*mediator in*→ the trilateral meeting), and the direct relations
between them (*represents*, *affiliated with*, *head of*, *member of*, …)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ...rdf import CG, ORG
from ...statements import graph_standings
from ...store import Store
from ...vocabulary import term_label
from ..builder import GraphBuilder

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ACTOR_RELATIONS", "ROLE_EDGES", "actors_view", "add_affiliations"]

ROLE_EDGES: dict[str, str] = {
    CG + "party": "party to",
    CG + "mediator": "mediator in",
    CG + "host": "host of",
    CG + "headOfDelegation": "head of delegation in",
    CG + "participant": "participant in",
}
"""How a role held in an event reads as an edge from the actor to the event."""

ACTOR_RELATIONS: dict[str, tuple[str, bool]] = {
    CG + "represents": ("represents", False),
    CG + "affiliatedWith": ("affiliated with", False),
    CG + "head": ("head of", True),
    ORG + "hasMember": ("member of", True),
    ORG + "memberOf": ("member of", False),
    ORG + "headOf": ("head of", False),
    ORG + "subOrganizationOf": ("sub-organisation of", False),
    CG + "possiblySameAs": ("possibly same as", False),
    CG + "partOf": ("part of", False),
    CG + "reachedIn": ("reached in", False),
    CG + "precedes": ("precedes", False),
    CG + "proposedBy": ("proposed by", False),
}
"""Direct relations between actors and events in the ``actors`` view: label, and whether the
edge runs against the triple (``cg:head``: the person is *head of* the delegation)."""

_AFFILIATIONS_QUERY = (
    "SELECT ?s ?p ?o WHERE { VALUES ?p { cg:affiliatedWith cg:represents "
    "org:subOrganizationOf } ?s ?p ?o FILTER(isIRI(?o)) }"
)


def actors_view(store: Store, lang: str, *, builder: GraphBuilder | None = None) -> nx.MultiDiGraph:
    """The ``actors`` view of ``store``; ``builder``, if given, has loaded the types and
    labels of the whole store already (the measures count them too)."""
    b = builder
    if b is None:
        b = GraphBuilder(store, "actors", lang)
        b.load_types_and_labels()
    wanted = {"actor", "event"}
    for k, term in sorted(b.terms.items()):
        if b.kind_of(k) in wanted:
            b.add_node(term)
    agents, roles, behalves = (b.objects(CG + p) for p in ("agent", "role", "onBehalfOf"))
    standings = participation_standings(store, b)
    for event, part in b.pairs(CG + "hasParticipation"):
        pk = b.key(part)
        agent, role, behalf = agents.get(pk), roles.get(pk), behalves.get(pk)
        if agent is None:
            continue
        ek, ak = b.add_node(event), b.add_node(agent)
        if isinstance(role, ox.NamedNode):
            label = ROLE_EDGES.get(role.value) or f"{term_label(role.value, lang)} in"
            predicate = role.value
        else:
            label, predicate = "took part in", CG + "hasParticipation"
        b.add_edge(
            ak,
            ek,
            predicate,
            label,
            role=b.key(role) if role else None,
            on_behalf_of=b.key(behalf) if behalf is not None else None,
            path="^cg:agent/^cg:hasParticipation",
            standing=standings.get(pk),
        )
    values = " ".join(f"<{p}>" for p in ACTOR_RELATIONS)
    represented: set[tuple[str, str]] = set()  # pairs a stronger relation already links
    later: list[tuple[str, str]] = []
    for row in store.select(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER(!isLiteral(?o)) }}"
    ):
        sk, ok = b.key(row["s"]), b.key(row["o"])
        if sk not in b.graph or ok not in b.graph:
            continue
        p = row["p"].value
        label, inverse = ACTOR_RELATIONS[p]
        u, v = (ok, sk) if inverse else (sk, ok)
        if p == CG + "affiliatedWith":
            later.append((u, v))
            continue
        if p in (CG + "represents", ORG + "subOrganizationOf"):
            represented.add((u, v))
        b.add_edge(u, v, p, label, inverse=True if inverse else None)
    for u, v in later:  # represents / sub-organisation of imply affiliated with: draw those
        if (u, v) not in represented:
            b.add_edge(u, v, CG + "affiliatedWith", "affiliated with")
    return b.finish()


def participation_standings(store: Store, b: GraphBuilder) -> dict[str, str]:
    """Each participation (by node key) with the standing of the graph that states it: a
    role the article gives, or one cited or judged beside it."""
    per_graph = graph_standings(store)
    return {
        b.key(row["part"]): per_graph.get(row["g"].value, "cited")
        for row in store.select(
            "SELECT ?part ?g WHERE { GRAPH ?g { ?e cg:hasParticipation ?part } }",
            default_graphs=[],
        )
    }


def add_affiliations(b: GraphBuilder, actors: list[str], *, depth: int) -> None:
    """Add ``affiliated with`` / ``represents`` / ``sub-organisation of`` edges from
    ``actors``, following them ``depth`` hops.  A view of the whole store reads these links in
    one query; a small view (provenance) asks for each node's own."""
    links: dict[str, list[tuple[str, ox.NamedNode]]] | None = None
    if not b.partial:
        links = defaultdict(list)
        for row in b.store.select(_AFFILIATIONS_QUERY):
            if not isinstance(row["s"], ox.Triple):
                links[b.key(row["s"])].append((row["p"].value, row["o"]))
    frontier = set(actors)
    done: set[str] = set()
    for _ in range(depth):
        nxt: set[str] = set()
        for k in sorted(frontier - done):
            done.add(k)
            if links is not None:
                out = links.get(k, [])
            elif k.startswith("_:"):
                continue
            else:
                node = ox.NamedNode(b.graph.nodes[k]["iri"])
                out = [
                    (r["p"].value, r["o"])
                    for r in b.store.select(_AFFILIATIONS_QUERY, bindings={"s": node})
                ]
            stronger = {o.value for p, o in out if p != CG + "affiliatedWith"}
            for p, o in out:
                if p == CG + "affiliatedWith" and o.value in stronger:
                    continue
                ok = b.add_node(o)
                b.add_edge(k, ok, p, ACTOR_RELATIONS[p][0])
                nxt.add(ok)
        frontier = nxt
