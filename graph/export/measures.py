"""What people ask of a graph first: how central each actor is, how many independent
sources carry each claim, and how many resources there are of each kind and type."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from ..provenance import corroborations
from ..rdf import CG, compact
from ..statements import DEFAULT_STANDINGS
from ..store import Store
from .builder import GraphBuilder
from .kinds import main_type, node_kind
from .views.actors import actors_view

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "ActorCentrality",
    "GraphMeasures",
    "SourceDiversity",
    "graph_measures",
]


@dataclass(frozen=True)
class ActorCentrality:
    """How central one actor is in the ``actors`` view (events included as nodes)."""

    id: str
    label: str
    type: str
    degree: int
    degree_centrality: float
    betweenness: float


@dataclass(frozen=True)
class SourceDiversity:
    """How many independent sources carry one claim.

    ``independent_sources``, ``sources`` (their labels) and ``anonymous_only`` are those of
    :func:`claimgraph.provenance.corroboration` (two outlets repeating one wire story are one
    source); ``carriers`` counts every distinct carrier at any hop; ``sides`` the distinct
    affiliations of the independent sources (a state speaking for itself is its own side).
    """

    id: str
    label: str
    independent_sources: int
    carriers: int
    sides: int
    anonymous_only: bool
    sources: list[str]


@dataclass(frozen=True)
class GraphMeasures:
    """Actor centrality, source diversity per claim, and counts by kind and by type."""

    actors: list[ActorCentrality]
    claims: list[SourceDiversity]
    by_kind: dict[str, int]
    by_type: dict[str, int]
    betweenness_sample: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "actors": [asdict(a) for a in self.actors],
            "claims": [asdict(c) for c in self.claims],
            "by_kind": self.by_kind,
            "by_type": self.by_type,
            "betweenness_sample": self.betweenness_sample,
        }


EXACT_BETWEENNESS_LIMIT = 2000
"""Above this many nodes in the actors view, betweenness is estimated from a sample of
pivots (networkx's ``k``) instead of computed exactly."""


def graph_measures(
    store: Store, *, lang: str = "en", standings: Iterable[str] = DEFAULT_STANDINGS
) -> GraphMeasures:
    """What people ask for first: actor degree and betweenness centrality (in the ``actors``
    view, as an undirected simple graph), source diversity per claim (counting the chains of
    ``standings``, by default what articles say), counts by kind and type.

    >>> from claimgraph.export import example_triples
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> m = graph_measures(store)
    >>> [(a.id, a.degree) for a in m.actors]
    [('cgi:turkey', 1)]
    >>> m.by_kind["actor"], m.by_kind["event"]
    (1, 1)
    """
    import networkx as nx

    b = GraphBuilder(store, "actors", lang)
    b.load_types_and_labels()
    view = actors_view(store, lang, builder=b)
    simple = nx.Graph(view.to_undirected(as_view=True))
    n = simple.number_of_nodes()
    sample = None
    if n > EXACT_BETWEENNESS_LIMIT:
        sample = min(500, n)
        between = nx.betweenness_centrality(simple, k=sample, seed=0)
    else:
        between = nx.betweenness_centrality(simple) if n else {}
    degree = nx.degree_centrality(simple) if n > 1 else {k: 0.0 for k in simple}
    actors = [
        ActorCentrality(
            k,
            str(d["label"]),
            str(d["type"]),
            simple.degree(k),
            round(degree[k], 6),
            round(between.get(k, 0.0), 6),
        )
        for k, d in view.nodes(data=True)
        if d.get("kind") == "actor"
    ]
    actors.sort(key=lambda a: (-a.betweenness, -a.degree, a.id))
    by_kind: dict[str, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    for types in b.types.values():
        by_kind[node_kind(types)] += 1
        by_type[compact(main_type(types))] += 1
    return GraphMeasures(
        actors=actors,
        claims=_source_diversity(b, standings),
        by_kind=dict(sorted(by_kind.items())),
        by_type=dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        betweenness_sample=sample,
    )


def _source_diversity(b: GraphBuilder, standings: Iterable[str]) -> list[SourceDiversity]:
    """Per claim: the independent sources exactly as :func:`claimgraph.provenance.corroboration`
    counts them (from the chains of ``standings``), plus how many carriers appear at any hop."""
    carriers: dict[str, set[str]] = defaultdict(set)
    for row in b.store.select(
        "SELECT ?c ?carrier WHERE { ?r cg:reports ?c ; cg:carrier ?carrier }"
    ):
        carriers[b.key(row["c"])].add(b.key(row["carrier"]))
    out = []
    for c in corroborations(b.store, lang=b.lang, standings=standings).values():
        sides = {a.id for g in c.sources for a in g.affiliations} | {
            agent.id for g in c.sources for agent in g.agents if CG + "State" in agent.types
        }
        out.append(
            SourceDiversity(
                c.claim.id,
                c.claim.label,
                c.independent_sources,
                len(carriers.get(c.claim.id, ())),
                len(sides),
                c.anonymous_only,
                [g.label for g in c.sources],
            )
        )
    out.sort(key=lambda s: (s.independent_sources, s.id))
    return out
