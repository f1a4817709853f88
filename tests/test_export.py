"""Exports: every view in every format loads back into networkx with labels, types and edge
meaning; the actor view reads as the article does (Turkey and the United States mediated the
trilateral meeting); pictures; the CLI; ``stats --centrality``; HTTP."""

from __future__ import annotations

import gc
import io
import json
import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import Result
from imports import reaches

from claimgraph.errors import NotFound, UsageError
from claimgraph.export import (
    FORMATS,
    VIEWS,
    build_graph,
    example_triples,
    graph_measures,
    node_facts,
    read,
    to_bytes,
    write,
)
from claimgraph.rdf import CG, choose_text
from claimgraph.store import Store, open_store

CLAIM = "cgi:claim-russian-demands-unrealistic"
DATA_FORMATS = [f for f in FORMATS if not FORMATS[f].picture]
HAS_GRAPHVIZ = shutil.which("dot") is not None and shutil.which("neato") is not None
# Without Graphviz the picture tests are skipped on a developer's machine; under CI (where
# scripts/run test installs it) they run and fail if it is missing.
needs_graphviz = pytest.mark.skipif(
    not HAS_GRAPHVIZ and not os.environ.get("CI"),
    reason="Graphviz is not installed: apt-get install graphviz (scripts/run test does)",
)


_VIEWS: dict[str, dict[str, nx.MultiDiGraph]] = {}


@pytest.fixture
def views(seed_store: Store, backend: Any) -> dict[str, nx.MultiDiGraph]:
    """Each view of the seed, built once per backend."""
    if backend.name not in _VIEWS:
        _VIEWS[backend.name] = {
            v: build_graph(seed_store, v, claim=CLAIM if v == "provenance" else None) for v in VIEWS
        }
    return _VIEWS[backend.name]


# ------------------------------------------------------------------------------ the views


def test_every_node_has_iri_label_type_and_kind(views: dict[str, nx.MultiDiGraph]) -> None:
    for view, g in views.items():
        assert g.number_of_nodes() > 5, view
        for k, d in g.nodes(data=True):
            assert d["iri"] and d["label"] and d["type"] and d["kind"], (view, k, d)
        for u, v, key, d in g.edges(keys=True, data=True):
            assert d["predicate"].startswith(("http://", "https://")), (view, u, v, key)
            assert d["label"] and d["id"], (view, u, v, key)
        ids = [d["id"] for _, _, d in g.edges(data=True)]
        assert len(ids) == len(set(ids)), view


def test_actor_view_connects_turkey_and_the_us_through_the_meeting_they_took_part_in(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    """ "a separate meeting involving representatives from Turkey, the United States, and
    Ukraine": the three are participants (the article gives no other role), evidenced."""
    g = views["actors"]
    meeting = "cgi:trilateral-meeting"
    for actor in ("cgi:turkey", "cgi:united-states", "cgi:ukraine"):
        edge = g.get_edge_data(actor, meeting)["cg:participant"]
        assert edge["label"] == "participant in"
        assert edge["predicate"] == CG + "participant"
        assert edge["standing"] == "evidenced"
    assert nx.shortest_path(g.to_undirected(as_view=True), "cgi:turkey", "cgi:united-states") == [
        "cgi:turkey",
        meeting,
        "cgi:united-states",
    ]
    assert g.nodes["cgi:turkey"]["label"] == "Turkey"
    assert g.nodes["cgi:turkey"]["type"] == "cg:State"
    assert g.nodes[meeting]["type"] == "cg:TrilateralMeeting"
    # the batch metadata (ingest agents) is no actor of the news
    assert not [k for k in g if k.startswith("https://w3id.org/claimgraph/agent/")]
    # roles are edges, not nodes: no participation survives in the actor view
    assert not [k for k, d in g.nodes(data=True) if d["kind"] == "participation"]


def test_roles_the_article_does_not_give_are_marked_cited(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    """Turkey hosting the talks and mediating the bilateral meeting is cited background:
    the edges say so, and the article's own edges say evidenced."""
    g = views["actors"]
    assert g.get_edge_data("cgi:turkey", "cgi:istanbul-talks")["cg:host"]["standing"] == "cited"
    mediated = g.get_edge_data("cgi:turkey", "cgi:bilateral-meeting")["cg:mediator"]
    assert mediated["standing"] == "cited"
    party = g.get_edge_data("cgi:russian-delegation", "cgi:bilateral-meeting")["cg:party"]
    assert party["standing"] == "evidenced"
    assert {d.get("standing") for _, d in g.nodes(data=True)} >= {"evidenced", "cited"}


def test_actor_view_reads_as_the_article(views: dict[str, nx.MultiDiGraph]) -> None:
    g = views["actors"]

    def says(u: str, label: str, v: str) -> bool:
        return any(d["label"] == label for d in (g.get_edge_data(u, v) or {}).values())

    assert says("cgi:turkey", "host of", "cgi:istanbul-talks")
    assert says("cgi:ukraine", "participant in", "cgi:trilateral-meeting")
    assert says("cgi:russian-delegation", "represents", "cgi:russia")
    assert says("cgi:turkish-foreign-ministry", "sub-organisation of", "cgi:turkey")
    assert says("cgi:anon-ua-diplomatic-source-1", "affiliated with", "cgi:ukraine")
    assert says("cgi:trilateral-meeting", "precedes", "cgi:bilateral-meeting")
    assert says("cgi:bilateral-meeting", "part of", "cgi:istanbul-talks")
    assert says("cgi:zelensky", "participant in", "cgi:european-summit-albania")
    # represents implies affiliated with: only the stronger edge is drawn
    assert not says("cgi:russian-delegation", "affiliated with", "cgi:russia")
    party = g.get_edge_data("cgi:russian-delegation", "cgi:bilateral-meeting")["cg:party"]
    assert party["on_behalf_of"] == "cgi:russia"


def test_claims_view_shows_sources_chains_and_contradictions(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    g = views["claims"]
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert {"claim", "actor", "article"} <= kinds
    assert "report" not in kinds  # hops are collapsed into edges
    paused, ended = "cgi:claim-delegations-paused", "cgi:claim-talks-ended"
    assert g.get_edge_data(paused, ended)["cg:contradicts"]["label"] == "contradicts"
    claim = "cgi:claim-russian-demands-unrealistic"
    assert g.get_edge_data("cgi:reuters", claim)["cg:reports/cg:agency"]["label"] == "reported"
    said = g.get_edge_data("cgi:anon-ua-diplomatic-source-1", claim)["cg:reports/cg:speaker"]
    assert said["label"] == "said" and said["claimant"] is True
    assert any(
        d["label"] == "passed on to"
        for d in g.get_edge_data("cgi:anon-ua-diplomatic-source-1", "cgi:reuters").values()
    )
    assert (
        g.get_edge_data("cgi:article-istanbul-r2", claim)["cg:reports/cg:outlet"]["label"]
        == "reports"
    )
    assert g.nodes[claim]["text"].startswith("Russia's demands")


def test_provenance_view_is_the_dag_of_one_claims_trace(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    g = views["provenance"]
    assert nx.is_directed_acyclic_graph(g)
    hops = {d["type"]: k for k, d in g.nodes(data=True) if d["kind"] == "report"}
    assert set(hops) == {"cg:Utterance", "cg:WireReport", "cg:ArticleMention"}
    mention, wire, utterance = (
        hops["cg:ArticleMention"],
        hops["cg:WireReport"],
        hops["cg:Utterance"],
    )
    assert nx.has_path(g, mention, wire) and nx.has_path(g, wire, utterance)
    assert g.nodes[mention]["evidence"].startswith("a Ukrainian diplomatic source telling Reuters")
    assert g.nodes[mention]["evidence_end"] > g.nodes[mention]["evidence_start"]
    assert g.nodes[utterance]["channel"] == "telling Reuters"
    assert g.nodes[utterance]["label"] == "Utterance by Ukrainian diplomatic source (told Reuters)"
    assert g.has_edge(utterance, "cgi:anon-ua-diplomatic-source-1")
    assert g.has_edge("cgi:anon-ua-diplomatic-source-1", "cgi:ukraine")  # affiliation
    assert g.has_edge("cgi:article-istanbul", "cgi:seed-outlet")  # publisher
    assert g.graph["claim"].endswith("claim-russian-demands-unrealistic")


def test_full_view_keeps_literals_and_code_values_as_attributes(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    g = views["full"]
    assert g.nodes["cgi:turkey"]["cg:wikidata"] == "Q43"
    assert g.nodes["cgi:article-istanbul-r2"]["cg:revisionNumber"] == 2
    assert "cg:mediator" not in g  # a code-list value, not a hub node
    parts = [d for _, d in g.nodes(data=True) if d["type"] == "cg:Participation"]
    assert {"Turkey as mediator", "United States as participant"} <= {d["label"] for d in parts}
    assert all(not k.startswith('"') for k in g)  # no literal became a node


def test_full_view_draws_each_stated_relation_once(views: dict[str, nx.MultiDiGraph]) -> None:
    """Ingest adds prov:wasAttributedTo next to cg:claimant and both directions of
    cg:contradicts; the picture shows what was stated, once."""
    g = views["full"]
    claim, source = "cgi:claim-russian-demands-unrealistic", "cgi:anon-ua-diplomatic-source-1"
    assert set(g.get_edge_data(claim, source)) == {"cg:claimant"}
    paused, ended = "cgi:claim-delegations-paused", "cgi:claim-talks-ended"
    assert "cg:contradicts" in g.get_edge_data(paused, ended)
    assert g.get_edge_data(ended, paused) is None
    assert "schema:text" not in g.nodes["cgi:article-istanbul-r2"]
    assert g.nodes["cgi:article-istanbul-r2"]["type"] == "cg:ArticleRevision"


def test_unknown_view_missing_and_unknown_claim(seed_store: Store) -> None:
    with pytest.raises(UsageError, match="unknown view"):
        build_graph(seed_store, "people")
    with pytest.raises(UsageError, match="needs a claim"):
        build_graph(seed_store, "provenance")
    with pytest.raises(NotFound, match="no claim"):
        build_graph(seed_store, "provenance", claim="cgi:claim-that-nobody-made")
    with pytest.raises(UsageError, match="not a claim"):
        build_graph(seed_store, "provenance", claim="cgi:turkey")


def test_labels_follow_the_language_asked_for(fresh_seed_store: Store) -> None:
    import pyoxigraph as ox

    turkey = ox.NamedNode("https://w3id.org/claimgraph/id/turkey")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    fresh_seed_store.add_batch(
        "urn:test:de", [ox.Triple(turkey, label, ox.Literal("Türkei", language="de"))], []
    )
    assert (
        build_graph(fresh_seed_store, "actors", lang="de").nodes["cgi:turkey"]["label"] == "Türkei"
    )
    assert (
        build_graph(fresh_seed_store, "actors", lang="fr").nodes["cgi:turkey"]["label"] == "Turkey"
    )
    assert choose_text([("en-GB", "colour"), ("en-US", "color")], "en-US") == "color"


# ------------------------------------------------------------------------------ formats


@pytest.fixture(scope="module")
def built(embedded_seed: Store) -> dict[str, nx.MultiDiGraph]:
    """Each view of the seed on the embedded store, for the file formats and drawings: they
    read a networkx graph, never the store (the views themselves are the same on every
    backend: tests/test_remote.py)."""
    return {
        v: build_graph(embedded_seed, v, claim=CLAIM if v == "provenance" else None) for v in VIEWS
    }


@pytest.mark.parametrize("fmt", DATA_FORMATS)
@pytest.mark.parametrize("view", VIEWS)
def test_each_view_round_trips_through_networkx(
    built: dict[str, nx.MultiDiGraph],
    view: str,
    fmt: str,
) -> None:
    g = built[view]
    back = read(io.BytesIO(to_bytes(g, fmt)), fmt)
    assert back.is_directed()
    expected_nodes = set(g) if fmt != "csv" else {n for e in g.edges() for n in e}
    assert set(back) == expected_nodes
    for k in back:
        assert back.nodes[k]["label"] == g.nodes[k]["label"], (k, fmt)
        assert back.nodes[k]["type"] == g.nodes[k]["type"], (k, fmt)
    assert back.number_of_edges() == g.number_of_edges()
    original = sorted((u, v, d["predicate"], d["label"]) for u, v, d in g.edges(data=True))
    loaded = sorted((u, v, d["predicate"], d["label"]) for u, v, d in back.edges(data=True))
    assert loaded == original


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "cyjs"])
def test_networkx_own_readers_load_the_files(
    built: dict[str, nx.MultiDiGraph], fmt: str, tmp_path: Path
) -> None:
    path = tmp_path / f"actors.{fmt}"
    write(built["actors"], fmt, path)
    if fmt == "graphml":
        g = nx.read_graphml(path)
    elif fmt == "gexf":
        g = nx.read_gexf(path)
    elif fmt == "json":
        g = nx.node_link_graph(json.loads(path.read_text()), edges="links")
    else:
        g = nx.cytoscape_graph(json.loads(path.read_text()))
    assert all(d.get("label") for _, d in g.nodes(data=True))
    assert g.nodes["cgi:turkey"]["label"] == "Turkey"
    assert nx.has_path(g.to_undirected(), "cgi:turkey", "cgi:united-states")


def test_gexf_declares_typed_attributes(built: dict[str, nx.MultiDiGraph]) -> None:
    root = ET.fromstring(to_bytes(built["full"], "gexf"))
    ns = {"g": "http://www.gexf.net/1.2draft"}
    declared = {
        (a.get("title"), a.get("type"))
        for attrs in root.iterfind(".//g:attributes[@class='node']", ns)
        for a in attrs.iterfind("g:attribute", ns)
    }
    assert ("type", "string") in declared
    assert ("kind", "string") in declared
    assert ("cg:revisionNumber", "long") in declared or ("cg:revisionNumber", "integer") in declared
    assert ("cg:observed", "boolean") in declared
    edge_attrs = {
        a.get("title")
        for attrs in root.iterfind(".//g:attributes[@class='edge']", ns)
        for a in attrs.iterfind("g:attribute", ns)
    }
    assert "predicate" in edge_attrs
    turkey = root.find(".//g:node[@id='cgi:turkey']", ns)
    assert turkey is not None and turkey.get("label") == "Turkey"
    assert turkey.find("{http://www.gexf.net/1.2draft/viz}color") is not None
    ids = [e.get("id") for e in root.iterfind(".//g:edge", ns)]
    assert len(ids) == len(set(ids))
    # writing added no Gephi-only values to the graph itself
    assert "viz" not in built["full"].nodes["cgi:turkey"]


def test_graphml_edge_ids_are_unique(built: dict[str, nx.MultiDiGraph]) -> None:
    root = ET.fromstring(to_bytes(built["claims"], "graphml"))
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert ids and len(ids) == len(set(ids))


@pytest.mark.parametrize("view", ["actors", "claims", "full"])
def test_graphml_declares_each_key_id_once(built: dict[str, nx.MultiDiGraph], view: str) -> None:
    """Regression (issue 16): networkx's named key ids declared ``label`` twice (for nodes
    and for edges); GraphML ids are unique, and each data element names a key of its own
    element kind."""
    root = ET.fromstring(to_bytes(built[view], "graphml"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = {k.get("id"): (k.get("for"), k.get("attr.name")) for k in root.iter(ns + "key")}
    assert len(keys) == len(list(root.iter(ns + "key")))
    assert ("node", "label") in keys.values() and ("edge", "label") in keys.values()
    for kind in ("node", "edge"):
        for element in root.iter(ns + kind):
            for data in element.iter(ns + "data"):
                assert keys[data.get("key")][0] == kind
    back = read(io.BytesIO(to_bytes(built[view], "graphml")), "graphml")
    assert all(d.get("label") for _, _, d in back.edges(data=True))


def test_cytoscape_json_is_elements_json(built: dict[str, nx.MultiDiGraph]) -> None:
    data = json.loads(to_bytes(built["actors"], "cyjs"))
    assert data["data"]["view"] == "actors"
    nodes = {n["data"]["id"]: n for n in data["elements"]["nodes"]}
    assert nodes["cgi:turkey"]["data"]["name"] == "Turkey"
    assert nodes["cgi:turkey"]["classes"] == "actor"
    assert all("source" in e["data"] and "id" in e["data"] for e in data["elements"]["edges"])


def test_node_link_json_is_what_d3_expects(built: dict[str, nx.MultiDiGraph]) -> None:
    data = json.loads(to_bytes(built["actors"], "json"))
    ids = {n["id"] for n in data["nodes"]}
    assert data["links"] and all(x["source"] in ids and x["target"] in ids for x in data["links"])


def test_csv_edge_list_has_labels_of_both_ends(built: dict[str, nx.MultiDiGraph]) -> None:
    text = to_bytes(built["actors"], "csv").decode()
    header, *rows = text.splitlines()
    assert header == (
        "source,target,predicate,label,source_label,source_type,target_label,target_type,id,"
        "standing"
    )
    assert any(
        r.startswith(
            "cgi:turkey,cgi:bilateral-meeting,cg:mediator,mediator in,Turkey,"
            "cg:State,Russia–Ukraine bilateral meeting,cg:BilateralMeeting,"
        )
        and r.endswith(",cited")
        for r in rows
    )


def test_dot_is_valid_graphviz(built: dict[str, nx.MultiDiGraph]) -> None:
    text = to_bytes(built["provenance"], "dot").decode()
    assert text.startswith("digraph")
    assert '"cgi:claim-russian-demands-unrealistic"' in text


@needs_graphviz
@pytest.mark.parametrize("view", VIEWS)
def test_pictures_are_drawn(built: dict[str, nx.MultiDiGraph], view: str) -> None:
    svg = to_bytes(built[view], "svg").decode()
    assert "<svg" in svg
    assert "Reuters" in svg  # in every view of the seed, and drawn as text
    if view != "full":
        png = to_bytes(built[view], "png")
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_format(built: dict[str, nx.MultiDiGraph]) -> None:
    with pytest.raises(UsageError, match="unknown format"):
        to_bytes(built["actors"], "xlsx")


# ------------------------------------------------------------------------------ layout


READS_A_STORE = {
    "claimgraph.store",
    "claimgraph.export.builder",
    "claimgraph.export.views",
    "claimgraph.export.measures",
    "claimgraph.export.facts",
    "claimgraph.provenance",
}


@pytest.mark.parametrize("module", ["claimgraph.export.formats", "claimgraph.export.drawing"])
def test_formats_and_drawing_need_only_a_networkx_graph(module: str) -> None:
    """Writing, reading and drawing files must not depend on the store or the graph builder:
    they take a networkx graph, wherever it came from."""
    reached = reaches(module)
    assert "claimgraph.rdf" in reached  # the walk does follow imports
    readers = {m for m in reached for r in READS_A_STORE if m == r or m.startswith(r + ".")}
    assert not readers, f"{module} imports {sorted(readers)}"


def test_the_import_walk_finds_the_store_where_it_is_used() -> None:
    assert "claimgraph.store" in reaches("claimgraph.export.measures")
    assert "claimgraph.export.builder" in reaches("claimgraph.export.views")


# ------------------------------------------------------------------------------ measures


def test_measures_centrality_diversity_and_counts(seed_store: Store) -> None:
    m = graph_measures(seed_store)
    actors = {a.id: a for a in m.actors}
    assert actors["cgi:ukraine"].betweenness > actors["cgi:united-states"].betweenness
    assert actors["cgi:turkey"].degree >= 3  # mediator, host, sub-organisation
    claims = {c.id: c for c in m.claims}
    paused = claims["cgi:claim-delegations-paused"]
    assert paused.independent_sources == 2  # Ukrainian sources and TASS
    unrealistic = claims["cgi:claim-russian-demands-unrealistic"]
    assert unrealistic.independent_sources == 1 and unrealistic.anonymous_only
    assert unrealistic.carriers == 3  # the source, Reuters, the outlet
    assert not claims["cgi:claim-zelensky-same-people"].anonymous_only
    assert m.by_kind["claim"] == len(claims)
    assert m.by_type["cg:State"] == 4
    json.dumps(m.as_dict())


def test_node_facts_for_the_browser(seed_store: Store) -> None:
    f = node_facts(seed_store, "cgi:turkey")
    assert f["label"] == "Turkey" and f["type"] == "cg:State" and f["kind"] == "actor"
    assert {"predicate": "rdfs:label", "value": "Turkey", "standing": "evidenced"}.items() <= next(
        x for x in f["facts"] if x["predicate"] == "rdfs:label"
    ).items()
    assert next(x for x in f["facts"] if x["predicate"] == "cg:wikidata")["standing"] == "cited"
    assert "cgi:claim-trilateral-preceded-bilateral" in {c["id"] for c in f["claims"]}
    assert {
        "role": "cg:mediator",
        "role_label": "mediator in",
        "id": "cgi:bilateral-meeting",
        "iri": "https://w3id.org/claimgraph/id/bilateral-meeting",
        "label": "Russia–Ukraine bilateral meeting",
        "standing": "cited",
    } in f["roles"]
    assert {
        "role": "cg:participant",
        "role_label": "participant in",
        "id": "cgi:trilateral-meeting",
        "iri": "https://w3id.org/claimgraph/id/trilateral-meeting",
        "label": "Separate meeting of Turkey, the United States and Ukraine",
        "standing": "evidenced",
    } in f["roles"]
    assert {
        "predicate": "org:subOrganizationOf",
        "predicate_label": "sub organization of",
        "id": "cgi:turkish-foreign-ministry",
        "iri": "https://w3id.org/claimgraph/id/turkish-foreign-ministry",
        "label": "Turkish Foreign Ministry",
        "standing": "evidenced",
    } in f["incoming"]
    zelensky = node_facts(seed_store, "cgi:zelensky")
    said = {c["id"]: c for c in zelensky["claims"]}["cgi:claim-zelensky-same-people"]
    assert "claimant" in said["how"] and said["text"]
    with pytest.raises(NotFound):
        node_facts(seed_store, "cgi:nobody-at-all")


# ------------------------------------------------------------------------------ CLI


@pytest.fixture
def seeded_cli(
    cli: Callable[..., Result], open_test_store: Callable[[], Store]
) -> Callable[..., Result]:
    """``claimgraph --store <a store holding the seed>``."""
    from claimgraph.ingest import ingest_seed

    with open_test_store() as s:
        ingest_seed(s)
    return cli


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_cli_export_loads_in_networkx(
    seeded_cli: Callable[..., Result], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"actors.{fmt}"
    r = seeded_cli("export", "--view", "actors", "--format", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    g = read(out, fmt)
    assert all(d.get("label") for _, d in g.nodes(data=True))
    path = nx.shortest_path(g.to_undirected(), "cgi:turkey", "cgi:united-states")
    assert path == ["cgi:turkey", "cgi:trilateral-meeting", "cgi:united-states"]


def test_cli_export_to_stdout_and_format_from_extension(
    seeded_cli: Callable[..., Result], tmp_path: Path
) -> None:
    r = seeded_cli("export", "--view", "claims", "--format", "csv")
    assert r.exit_code == 0
    assert r.output.startswith("source,target,predicate,label")
    out = tmp_path / "p.json"
    r = seeded_cli("export", "--view", "provenance", "--claim", "claim-talks-ended", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["graph"]["view"] == "provenance"


def test_cli_export_refuses_an_extension_that_names_no_format(
    seeded_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Regression (issue 16): ``-o x.xyz`` quietly wrote GraphML."""
    out = tmp_path / "x.xyz"
    r = seeded_cli("export", "-o", str(out))
    assert r.exit_code == 2
    assert ".xyz names no export format" in r.output and ".gexf" in r.output
    assert not out.exists()
    assert seeded_cli("export", "--format", "gexf", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"<?xml") and b"gexf" in out.read_bytes()[:300]


def test_cli_export_errors(seeded_cli: Callable[..., Result]) -> None:
    r = seeded_cli("export", "--view", "provenance")
    assert r.exit_code == 2 and "--claim" in r.output
    r = seeded_cli("export", "--view", "provenance", "--claim", "cgi:claim-nobody-made")
    assert r.exit_code == 4 and "no claim" in r.output
    r = seeded_cli("export", "--view", "actors", "--claim", "cgi:claim-talks-ended")
    assert r.exit_code == 2


@needs_graphviz
def test_cli_draws_png_and_svg(seeded_cli: Callable[..., Result], tmp_path: Path) -> None:
    png, svg = tmp_path / "actors.png", tmp_path / "prov.svg"
    assert seeded_cli("export", "--view", "actors", "-o", str(png)).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    r = seeded_cli(
        "export", "--view", "provenance", "--claim", CLAIM, "--format", "svg", "-o", str(svg)
    )
    assert r.exit_code == 0, r.output
    assert "Reuters" in svg.read_text()


def test_cli_stats_centrality(seeded_cli: Callable[..., Result]) -> None:
    r = seeded_cli("stats", "--centrality")
    assert r.exit_code == 0, r.output
    assert "actor centrality" in r.output and "Turkey" in r.output
    assert "source diversity per claim" in r.output
    r = seeded_cli("stats", "--centrality", "--format", "json")
    data = json.loads(r.output)
    assert {a["id"] for a in data["centrality"]["actors"]} >= {"cgi:turkey", "cgi:ukraine"}
    assert "quads" in data


# ------------------------------------------------------------------------------ HTTP


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_http_export_round_trips(client, fmt: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/api/export/actors.{fmt}")
    assert r.status_code == 200, r.data
    assert r.content_type.split(";")[0] == FORMATS[fmt].media_type.split(";")[0]
    g = read(io.BytesIO(r.data), fmt)
    assert g.nodes["cgi:turkey"]["label"] == "Turkey"
    assert int(r.headers["X-Claimgraph-Edges"]) == g.number_of_edges()


def test_http_provenance_download_and_errors(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/api/export/provenance.graphml?claim={CLAIM}&download=1")
    assert r.status_code == 200
    assert 'filename="claimgraph-provenance.graphml"' in r.headers["Content-Disposition"]
    assert client.get("/api/export/provenance.json").status_code == 400
    assert client.get("/api/export/provenance.json?claim=cgi:none").status_code == 404
    r = client.get("/api/export/everything.json")
    assert r.status_code == 404 and "actors" in r.json["error"]["detail"]
    assert client.get("/api/export/actors.xlsx").status_code == 404
    assert client.get("/api/export/actors.json?lang=<script>").status_code == 400


@needs_graphviz
def test_http_pictures(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/export/actors.svg")
    assert r.status_code == 200 and r.content_type == "image/svg+xml"
    assert b"mediator in" in r.data


def test_http_node_facts_centrality_and_page(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/export/node?iri=cgi:turkey")
    assert r.status_code == 200 and r.json["label"] == "Turkey"
    assert client.get("/api/export/node").status_code == 400
    r = client.get("/api/stats/centrality")
    assert r.status_code == 200 and r.json["actors"]
    page = client.get("/graph")
    assert page.status_code == 200 and b"graphview.js" in page.data
    assert b"http" not in page.data.split(b"<body")[1].replace(b"http://www.w3.org", b"")
    assert b"/graph" in client.get("/").data  # the analysts' page links to it


@pytest.mark.parametrize("enabled", [True, False])
def test_building_a_view_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    """A build pauses Python's cyclic collector (its passes over the build's objects cost a
    third of the CPU) and gives it back as it was, also when the build fails."""
    store = open_store(":memory:")
    store.add_batch("urn:x:g", example_triples(), [])
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert build_graph(store, "full").number_of_nodes()
        assert gc.isenabled() is enabled
        with pytest.raises(UsageError):
            build_graph(store, "provenance")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
