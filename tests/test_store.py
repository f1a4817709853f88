"""The store interface on the embedded backend: batches are atomic, graphs are listed, the
default graph is the union, and the store survives a reopen."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.errors import QueryError, StoreError
from claimgraph.rdf import META_GRAPH
from claimgraph.store import OxigraphStore, default_store_path, open_store

EX = "http://example.org/"


def t(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o))


def test_add_batch_writes_graph_and_metadata_together(store) -> None:
    store.add_batch(EX + "g1", [t("a", "1"), t("b", "2")], [t("g1", "meta")])
    assert store.graphs() == sorted([EX + "g1", META_GRAPH])
    assert len(list(store.triples(EX + "g1"))) == 2
    assert len(list(store.triples(META_GRAPH))) == 1


def test_default_graph_is_the_union(store) -> None:
    store.add_batch(EX + "g1", [t("a", "1")], [])
    store.add_batch(EX + "g2", [t("b", "2")], [])
    rows = store.query("SELECT ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o")
    assert [r["o"].value for r in rows] == ["1", "2"]


def test_explicit_default_graph_restricts_the_query(store) -> None:
    store.add_batch(EX + "g1", [t("a", "1")], [])
    store.add_batch(EX + "g2", [t("b", "2")], [])
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }", default_graphs=[EX + "g2"])
    assert [r["o"].value for r in rows] == ["2"]


def test_bindings_are_terms_not_text(store) -> None:
    store.add_batch(EX + "g", [t("a", "1")], [])
    evil = ox.Literal('x" } UNION { ?s ?p ?o')
    rows = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": evil})
    assert list(rows) == []


def test_drop_batch_removes_graph_and_its_metadata(store) -> None:
    store.add_batch(
        EX + "g1",
        [t("a", "1")],
        [ox.Triple(ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "p"), ox.Literal("m"))],
    )
    store.add_batch(
        EX + "g2",
        [t("b", "2")],
        [ox.Triple(ox.NamedNode(EX + "g2"), ox.NamedNode(EX + "p"), ox.Literal("m"))],
    )
    store.drop_batch(EX + "g1")
    assert not store.has_graph(EX + "g1")
    metas = [tr.subject.value for tr in store.triples(META_GRAPH)]
    assert metas == [EX + "g2"]


def test_malformed_query_is_a_query_error_with_the_parser_message(store) -> None:
    with pytest.raises(QueryError, match="malformed query"):
        store.query("SELECT ?x WHERE { ?x ")


def test_on_disk_store_survives_reopen(tmp_path: Path) -> None:
    s = OxigraphStore(tmp_path / "s")
    s.add_batch(EX + "g", [t("a", "1")], [])
    s.close()
    del s
    s2 = open_store(tmp_path / "s")
    assert len(s2) == 1


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    first = OxigraphStore(tmp_path / "s")
    with pytest.raises(StoreError, match="CLAIMGRAPH_STORE"):
        OxigraphStore(tmp_path / "s")
    first.close()


def test_dump_round_trips_as_nquads(store) -> None:
    store.add_batch(EX + "g", [t("a", "1")], [])
    out = io.BytesIO()
    store.dump(out)
    again = open_store(":memory:")
    quads = list(ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS))
    assert [q.graph_name.value for q in quads] == [EX + "g"]
    assert len(again) == 0


def test_store_path_comes_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAIMGRAPH_STORE", str(tmp_path / "env-store"))
    s = open_store()
    assert isinstance(s, OxigraphStore) and s.path == tmp_path / "env-store"


def test_default_path_follows_xdg(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "claimgraph" / "store"
