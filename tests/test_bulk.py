"""Bulk ingest (claimgraph.bulk): a large file takes the bulk path, which stores what the
ordinary path stores, refuses what it refuses, writes nothing unless the whole file conforms,
and recovers from a write that did not finish."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from generated import synthetic_text

from claimgraph import bulk
from claimgraph.errors import ParseError, ValidationFailed
from claimgraph.ingest import ingest_bytes, ingest_file
from claimgraph.limits import LimitExceeded
from claimgraph.rdf import META_GRAPH
from claimgraph.store import OxigraphStore, Store, open_store

HERE = Path(__file__).resolve().parent
SHAPES = HERE / "data" / "shapes"


@pytest.fixture
def always_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "BULK_FROM_BYTES", 0)


def data_triples(store: Store) -> set[tuple[str, str, str]]:
    """The stored triples outside the batch descriptions, blank nodes named by position."""
    with store.reading():
        return {
            (str(q.subject), str(q.predicate), str(q.object))
            for q in store.quads()
            if q.graph_name != ox.NamedNode(META_GRAPH)
            and not isinstance(q.subject, ox.BlankNode)
            and not isinstance(q.object, ox.BlankNode)
        }


def test_a_large_file_stores_what_the_ordinary_path_stores(
    tmp_path: Path, always_bulk: None
) -> None:
    text = synthetic_text(3000, 3)
    path = tmp_path / "big.nt"
    path.write_text(text)
    read: list[int] = []
    by_bulk = open_store(":memory:")
    result = ingest_file(by_bulk, path, progress=read.append)
    assert result.created and sum(read) == path.stat().st_size
    ordinary = open_store(":memory:")
    expected = ingest_bytes(ordinary, text.encode(), format="ntriples", source=str(path))
    assert result.batch == expected.batch and result.triples == expected.triples
    assert data_triples(by_bulk) == data_triples(ordinary)
    assert len(by_bulk) - result.triples == len(ordinary) - expected.triples  # descriptions
    assert [r.message for r in result.report.warnings] == [  # type: ignore[union-attr]
        r.message
        for r in expected.report.warnings  # type: ignore[union-attr]
    ]
    again = ingest_file(by_bulk, path)
    assert not again.created and again.triples == result.triples


def test_an_invalid_large_file_writes_nothing(tmp_path: Path, always_bulk: None) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        (SHAPES / "base.ttl").read_text()
        + (SHAPES / "invalid" / "claim-text-missing.ttl").read_text()
    )
    store = open_store(":memory:")
    with pytest.raises(ValidationFailed) as failed:
        ingest_file(store, path)
    assert any(r.rule == "cgsh:ClaimTextShape" for r in failed.value.report.violations)
    assert len(store) == 0 and store.graphs() == []


def test_a_parse_error_names_the_line(tmp_path: Path, always_bulk: None) -> None:
    path = tmp_path / "broken.nt"
    path.write_text('<urn:a> <urn:b> "c" .\n<urn:a> <urn:b> oops .\n')
    store = open_store(":memory:")
    with pytest.raises(ParseError) as error:
        ingest_file(store, path)
    assert error.value.line == 2 and "broken.nt" in str(error.value)
    assert len(store) == 0


def test_a_literal_over_the_limit_is_refused(
    tmp_path: Path, always_bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMGRAPH_MAX_LITERAL_BYTES", "64")
    path = tmp_path / "long.nt"
    path.write_text(f'<https://w3id.org/claimgraph/id/x> <http://example.org/p> "{"x" * 100}" .\n')
    store = open_store(":memory:")
    with pytest.raises(LimitExceeded, match="max_literal_bytes"):
        ingest_file(store, path)
    assert len(store) == 0


def test_a_symbolic_link_is_read_only_when_asked(tmp_path: Path, always_bulk: None) -> None:
    target = tmp_path / "real.nt"
    target.write_text('<https://w3id.org/claimgraph/id/x> <http://example.org/p> "x" .\n')
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    store = open_store(":memory:")
    with pytest.raises(ParseError, match="symbolic link"):
        ingest_file(store, link)
    assert ingest_file(store, link, follow_symlinks=True).created


def test_offsets_are_computed_as_the_ordinary_path_computes_them(
    tmp_path: Path, always_bulk: None
) -> None:
    base = (SHAPES / "base.ttl").read_text()
    without = base.replace('" ;\n    oa:start 35 ;\n    oa:end 69 .', '" .')
    assert without != base
    path = tmp_path / "quotes.ttl"
    path.write_text(without)
    by_bulk = open_store(":memory:")
    ingest_file(by_bulk, path)
    ordinary = open_store(":memory:")
    ingest_bytes(ordinary, without.encode(), format="turtle", source=str(path))
    offsets = "SELECT ?o WHERE { ?s oa:start ?o }"
    assert sorted(r["o"].value for r in by_bulk.select(offsets)) == sorted(
        r["o"].value for r in ordinary.select(offsets)
    )
    assert len(list(by_bulk.select(offsets))) > 0


def test_a_write_that_did_not_finish_is_loaded_anew(tmp_path: Path, always_bulk: None) -> None:
    path = tmp_path / "batch.nt"
    path.write_text(synthetic_text(400, 3))
    store = OxigraphStore(tmp_path / "store")
    first = ingest_file(store, path)
    # what a process killed between the bulk load and the description leaves behind
    store.update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{first.batch}> ?p ?o }} }}")
    store.update(f"DELETE WHERE {{ GRAPH <{first.batch}> {{ ?s rdfs:label ?o }} }}")
    keys = name_keys(store, first.batch)
    assert keys  # left behind with the graph (they are bulk loaded before the description)
    again = ingest_file(store, path)
    assert again.created and again.triples == first.triples
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{first.batch}> {{ ?s ?p ?o }} }}")
    assert int(next(iter(rows))["n"].value) == first.triples
    assert name_keys(store, first.batch) == keys  # written once, described
    assert store.ask(f"ASK {{ GRAPH <{META_GRAPH}> {{ <{first.batch}> cg:nameKeyCount ?n }} }}")


def name_keys(store: Store, batch: str) -> list[tuple[str, str]]:
    """The name keys the metadata graph holds under ``batch``'s IRI (each once or more)."""
    rows = store.select(
        f"SELECT ?x ?k WHERE {{ GRAPH <{META_GRAPH}> {{ ?n cg:keyOf ?x ; cg:nameKey ?k "
        f'FILTER(STRSTARTS(STR(?n), "{batch}#keys-")) }} }}'
    )
    return sorted((str(r["x"]), str(r["k"])) for r in rows)


def test_small_files_and_other_formats_take_the_ordinary_path(tmp_path: Path) -> None:
    small = tmp_path / "small.nt"
    small.write_text("")
    assert not bulk.takes_bulk_path(small, "ntriples")
    assert not bulk.takes_bulk_path(small, "records")
