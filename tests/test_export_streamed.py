"""The streamed writers (GraphML, GEXF, node-link JSON, Cytoscape.js JSON) write the bytes
networkx's writers write, and the files parse to the same graph."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from generated import synthetic_text

from claimgraph.export import VIEWS, build_graph, read, to_bytes
from claimgraph.export.builder import GraphBuilder
from claimgraph.export.formats import NETWORKX_WRITERS
from claimgraph.export.streamed import _CHUNK, gexf_streamable, streamable
from claimgraph.ingest import ingest_bytes, ingest_seed
from claimgraph.store import open_store

CLAIM = "cgi:claim-russian-demands-unrealistic"


@pytest.fixture(scope="module")
def seed_views() -> dict[str, nx.MultiDiGraph]:
    store = open_store(":memory:")
    ingest_seed(store)
    return {v: build_graph(store, v, claim=CLAIM if v == "provenance" else None) for v in VIEWS}


def _networkx_bytes(g: nx.MultiDiGraph, fmt: str) -> bytes:
    buf = io.BytesIO()
    NETWORKX_WRITERS[fmt](g, buf)
    return buf.getvalue()


def _same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(
        b.edges(keys=True, data=True), key=repr
    )
    assert a.graph == b.graph


@pytest.mark.parametrize("fmt", sorted(NETWORKX_WRITERS))
@pytest.mark.parametrize("view", VIEWS)
def test_streamed_writers_write_what_networkx_writes(
    seed_views: dict[str, nx.MultiDiGraph], view: str, fmt: str
) -> None:
    g = seed_views[view]
    assert streamable(g) and gexf_streamable(g) and g.number_of_edges() > 0
    streamed, reference = to_bytes(g, fmt), _networkx_bytes(g, fmt)
    assert streamed == reference
    _same_graph(read(io.BytesIO(streamed), fmt), read(io.BytesIO(reference), fmt))


@pytest.fixture(scope="module")
def synthetic_full() -> nx.MultiDiGraph:
    """The full view of the seed (evidenced, cited and judged graphs) and 12,000 generated
    triples in the seed's shape: more nodes and edges than one write's chunk."""
    store = open_store(":memory:")
    ingest_seed(store)
    ingest_bytes(store, synthetic_text(12000, 11).encode(), format="ntriples", source="s.nt")
    g = build_graph(store, "full")
    g.graph["store"] = store  # for the standings test; not written
    return g


@pytest.mark.parametrize("fmt", sorted(NETWORKX_WRITERS))
def test_streamed_writers_write_what_networkx_writes_at_scale(
    synthetic_full: nx.MultiDiGraph, fmt: str
) -> None:
    g = synthetic_full.copy()
    del g.graph["store"]
    assert g.number_of_nodes() > _CHUNK and g.number_of_edges() > 2 * _CHUNK
    assert streamable(g) and gexf_streamable(g)
    assert to_bytes(g, fmt) == _networkx_bytes(g, fmt)


def test_full_view_standings_are_the_ones_the_store_states(
    synthetic_full: nx.MultiDiGraph,
) -> None:
    """The full view reads each node's and edge's standing from its one pass over the
    statements; the builder's queries for every node and edge find the same ones."""
    g = synthetic_full.copy()
    store = g.graph.pop("store")
    queried = GraphBuilder(store, "full", "en")
    queried.graph = nx.MultiDiGraph(g)
    for _, data in queried.graph.nodes(data=True):
        data.pop("standing", None)
    for _, _, data in queried.graph.edges(data=True):
        data.pop("standing", None)
    queried._mark_standings()
    assert {d.get("standing") for _, d in g.nodes(data=True)} >= {"evidenced", "cited", "judged"}
    assert dict(queried.graph.nodes(data=True)) == dict(g.nodes(data=True))
    assert list(queried.graph.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))


def _awkward_graph() -> nx.MultiDiGraph:
    """Values that need escaping, every attribute type, nodes and edges without attributes,
    and more elements than one write's chunk."""
    g = nx.MultiDiGraph(view="full", lang="en", generator='a "quoted" <gen> & co')
    g.add_node('n<&>"1"', label="Tab\there\nand new line, ampersand & <tag> “curly” 😀")
    g.add_node("bare")
    g.add_node("numbers", count=3, weight=0.5, retracted=True)
    g.add_edge('n<&>"1"', "bare", key="cg:p", id="e1", predicate="urn:p", label="a & b")
    g.add_edge("bare", "numbers", key="cg:q")  # no attributes: the key is the GraphML id
    for i in range(5000):
        g.add_edge("numbers", f"m{i}", key="cg:r", id=f"x{i}", label=f"<{i}>")
    return g


@pytest.mark.parametrize("fmt", sorted(NETWORKX_WRITERS))
def test_streamed_writers_escape_and_type_like_networkx(fmt: str) -> None:
    g = _awkward_graph()
    if fmt == "gexf":  # GEXF edges need an id (networkx numbers those without one)
        g.edges["bare", "numbers", "cg:q"]["id"] = "q1"
        assert gexf_streamable(g)
    streamed, reference = to_bytes(g, fmt), _networkx_bytes(g, fmt)
    assert streamed == reference
    back = read(io.BytesIO(streamed), fmt)
    assert back.nodes['n<&>"1"']["label"] == g.nodes['n<&>"1"']["label"]
    assert back.number_of_edges() == g.number_of_edges()


def test_graphs_the_streamed_writers_do_not_take_go_to_networkx() -> None:
    g = nx.MultiDiGraph(id="g1")  # networkx writes a graph id as an attribute of <graph>
    g.add_edge("a", "b", key="k")
    assert not streamable(g) and not streamable(nx.DiGraph(view="x"))
    assert b'<graph edgedefault="directed" id="g1">' in to_bytes(g, "graphml")
    assert not streamable(nx.MultiDiGraph())  # an empty <graph /> element
    h = nx.MultiDiGraph(view="x")
    h.add_edge("a", "b", key="k")  # no edge id: networkx numbers them
    assert streamable(h) and not gexf_streamable(h)
    assert to_bytes(h, "gexf") == _networkx_bytes(h, "gexf")
    assert to_bytes(nx.MultiDiGraph(), "graphml") == _networkx_bytes(nx.MultiDiGraph(), "graphml")


def test_node_link_json_of_nested_values_is_what_networkx_writes() -> None:
    """Flat attributes take json's C encoder, nested ones its indenting one: same bytes."""
    g = nx.MultiDiGraph(view="x")
    g.add_node("flat", label="a\nb", n=1, x=1.5, ok=False, none=None)
    g.add_node("nested", tags=["a", "b"], pos={"x": 1})
    g.add_node("bare")
    g.add_edge("flat", "nested", key="k", id="e1", weights=[1, 2])
    assert to_bytes(g, "json") == _networkx_bytes(g, "json")
