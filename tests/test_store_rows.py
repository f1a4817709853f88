"""A graph's statements as text rows (``Store.statement_rows``): the embedded store's native
path (SPARQL TSV serialised by pyoxigraph) gives what the interface's default gives from the
quads, term for term and in the same order, and the full view exports the same bytes
whichever made the rows."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from claimgraph.export import build_graph, to_bytes
from claimgraph.ingest import ingest_seed
from claimgraph.store import OxigraphStore, Store
from claimgraph.store.rows import Row, literal_parts

GRAPH = "urn:claimgraph:test:awkward"

# escapes of TSV and of N-Triples, language tags, datatypes (numbers and booleans TSV writes
# bare, invalid lexical forms, a datatype of its own), blank nodes, a triple term, unicode
# outside the basic plane, in IRIs too
AWKWARD = r"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX cg: <https://w3id.org/claimgraph/ns#>
INSERT DATA { GRAPH <urn:claimgraph:test:awkward> {
  <urn:x:a> a cg:Person ;
    rdfs:label "tab\there\nline \"quoted\" back\\slash\r end"@en-GB, "emoji 😀 𝄞 ü"@de ;
    schema:name "name\twith tab"@fr, "ctl \u0001 \u007F"  ;
    <urn:p:n> 12, "012"^^xsd:integer, 1.50, -1e3, true, "abc"^^xsd:integer, "1"^^xsd:boolean,
      "x y"^^<urn:dt:custom>, "INF"^^xsd:double, "", "a'b", "\\u0041 not an escape" ;
    <urn:p:b> _:b1 ;
    <urn:p:r> <<( <urn:x:b> <urn:p:q> <urn:x:c> )>> ;
    <urn:p:to> <urn:x:ü😀>, <urn:x:b> .
  _:b1 a cg:Person ; rdfs:label "blank one" ; <urn:p:to> <urn:x:a> .
  <urn:x:ü😀> rdfs:label "𝄞"@en ; <urn:p:n> 3.0e0 .
} }
"""


class QuadRowStore(OxigraphStore):
    """The embedded store giving rows as a backend without a native path does: the
    interface's own :meth:`Store.statement_rows`, from the quads."""

    def statement_rows(self, graph: str, predicates: list[str] | None = None) -> Iterator[Row]:
        return Store.statement_rows(self, graph, predicates)


def _filled(store: OxigraphStore) -> OxigraphStore:
    ingest_seed(store)
    store.update(AWKWARD)
    return store


@pytest.fixture(scope="module")
def stores() -> Iterator[tuple[OxigraphStore, OxigraphStore]]:
    """The seed and the awkward graph in an on-disk store, opened twice: natively, and
    giving its rows from the quads."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        _filled(OxigraphStore(path)).close()
        native, by_quads = OxigraphStore(path), QuadRowStore(path)
        yield native, by_quads
        native.close()
        by_quads.close()


def _decoded(row: Row) -> tuple[object, str, object]:
    s, p, o = row
    return literal_parts(s) or s, p, literal_parts(o) or o


def test_native_rows_are_the_quads_term_for_term_in_order(
    stores: tuple[OxigraphStore, OxigraphStore],
) -> None:
    native, _ = stores
    assert GRAPH in native.graphs()
    with native.reading():
        for graph in native.graphs():
            mine = [_decoded(r) for r in native.statement_rows(graph)]
            theirs = [_decoded(r) for r in Store.statement_rows(native, graph)]
            assert mine == theirs and mine
        rows = list(native.statement_rows(GRAPH))
    assert any(o.startswith("<<(") for _, _, o in rows)  # the triple term came through
    assert any(o[0].isdigit() for _, _, o in rows)  # and numbers bare, as TSV writes them


def test_native_rows_by_predicate_are_the_quads_with_those_predicates(
    stores: tuple[OxigraphStore, OxigraphStore],
) -> None:
    native, by_quads = stores
    wanted = ["urn:p:n", "http://www.w3.org/2000/01/rdf-schema#label"]
    mine = sorted(map(str, map(_decoded, native.statement_rows(GRAPH, wanted))))
    theirs = sorted(map(str, map(_decoded, by_quads.statement_rows(GRAPH, wanted))))
    count = sum(1 for q in native.quads(GRAPH) if q.predicate.value in wanted)
    assert mine == theirs and len(mine) == count > 10


def test_literal_parts_reads_every_literal_as_pyoxigraph_has_it(
    stores: tuple[OxigraphStore, OxigraphStore],
) -> None:
    native, _ = stores
    literals = [q.object for q in native.quads(GRAPH) if isinstance(q.object, ox.Literal)]
    assert len(literals) > 15
    for lit in literals:  # N-Triples text (the default rows), escapes and all
        assert literal_parts(str(lit)) == (lit.value, lit.language or "", lit.datatype.value)
    solutions = native.raw.query(f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    tsv = solutions.serialize(format=ox.QueryResultsFormat.TSV).decode()  # type: ignore[union-attr]
    texts = [line for line in tsv.split("\n")[1:] if line and not line.startswith(("<", "_"))]
    assert sorted(literal_parts(t) for t in texts) == sorted(  # type: ignore[type-var]
        (lit.value, lit.language or "", lit.datatype.value) for lit in literals
    )


@pytest.fixture(scope="module")
def full_views(stores: tuple[OxigraphStore, OxigraphStore]) -> list[nx.MultiDiGraph]:
    native, by_quads = stores
    return [build_graph(native, "full"), build_graph(by_quads, "full")]


@pytest.mark.parametrize("fmt", ["csv", "cyjs", "gexf", "graphml", "json"])
def test_full_view_exports_the_same_bytes_from_native_rows(
    full_views: list[nx.MultiDiGraph], fmt: str
) -> None:
    mine, theirs = full_views
    assert mine.nodes["urn:x:ü😀"]["label"] == "𝄞"
    assert mine.nodes["urn:x:a"]["label"] == 'tab\there\nline "quoted" back\\slash\r end'
    assert to_bytes(mine, fmt) == to_bytes(theirs, fmt)


def test_rows_are_read_while_pyoxigraph_still_writes_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Rows split by the reader as the serialising thread writes them: with reads of 7 bytes
    every row and every multi-byte character crosses a read, and the rows are still the
    quads' own, in order."""
    from claimgraph.store import rows

    monkeypatch.setattr(rows, "_CHUNK", 7)
    store = OxigraphStore(tmp_path / "store")
    store.update(AWKWARD)
    with store.reading():
        mine = [_decoded(r) for r in store.statement_rows(GRAPH)]
        theirs = [_decoded(r) for r in Store.statement_rows(store, GRAPH)]
    assert mine == theirs and len(mine) > 20
    store.close()


def test_a_reader_that_stops_early_ends_the_writer_and_leaves_no_file(
    stores: tuple[OxigraphStore, OxigraphStore],
) -> None:
    import threading

    native, _ = stores
    before = {t.name for t in threading.enumerate()}
    with native.reading():
        rows = native.statement_rows(GRAPH)
        first = next(rows)
        rows.close()
    assert first[0].startswith(("<", "_"))
    assert "claimgraph-rows" not in {t.name for t in threading.enumerate()} - before
    assert not list(Path(tempfile.gettempdir()).glob("claimgraph-rows-*/rows.tsv"))


def test_reading_a_graph_by_predicates_took_one_query_per_predicate(
    stores: tuple[OxigraphStore, OxigraphStore],
) -> None:
    """The full view reads, in every graph, the statements of the 41 predicates that imply
    an aligned superproperty: one query each made 16,400 queries for a store of 400 batches
    (13.7 s of a 27.7 s export at 905k quads). It is one query per graph now."""
    native, _ = stores
    asked: list[str] = []
    with native.reading():
        handle = native.raw
        original = handle.query

        class Counting:
            def __getattr__(self, name: str) -> object:
                return getattr(handle, name)

            def query(self, text: str, **kwargs: object) -> object:
                asked.append(text)
                return original(text, **kwargs)

        from claimgraph.store.rows import native_statement_rows

        wanted = ["urn:p:n", "urn:p:to", "http://www.w3.org/2000/01/rdf-schema#label"]
        found = list(native_statement_rows(Counting(), GRAPH, wanted))  # type: ignore[arg-type]
    assert len(asked) == 1
    assert {p for _, p, _ in found} == set(wanted)
