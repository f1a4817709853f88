"""``claimgraph migrate``: a store copied to every backend and back, batch by batch with its
metadata, resumed after an interruption, and checked by its counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from backends import Backend
from click.testing import CliRunner

from claimgraph.batches import list_batches
from claimgraph.errors import StoreError
from claimgraph.ingest import ingest_seed
from claimgraph.migrate import migrate
from claimgraph.rdf import META_GRAPH
from claimgraph.store import OxigraphStore, Store

_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def _quads(store: Store) -> set[object]:
    """The store's quads, each xsd:dateTime by the instant it names: Virtuoso gives back
    fractional seconds in its own lexical form (``.120000`` as ``.12``), the same value."""
    return {_instant(q) for q in store.quads()}


def _listed(store: Store) -> list[object]:
    """``claimgraph batches``' rows, each time by the instant it names."""
    return [
        replace(b, time=datetime.fromisoformat(b.time.replace("Z", "+00:00")))  # type: ignore[arg-type]
        for b in list_batches(store)
    ]


def _instant(q: ox.Quad) -> object:
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype == _DATE_TIME:
        when = datetime.fromisoformat(o.value.replace("Z", "+00:00"))
        return (q.subject, q.predicate, when, q.graph_name)
    return q


@pytest.fixture
def embedded_source(tmp_path: Path) -> Store:
    source = OxigraphStore(tmp_path / "source")
    ingest_seed(source)
    with source.writing():
        source.write_graph(
            "http://example.org/plain",
            [
                ox.Triple(
                    ox.NamedNode("http://example.org/a"),
                    ox.NamedNode("http://example.org/p"),
                    ox.BlankNode("shared"),
                )
            ],
            replace=True,
        )
    return source


def test_a_store_moves_to_every_backend_and_back_unchanged(
    embedded_source: Store, store: Store, tmp_path: Path
) -> None:
    """Every quad arrives, blank nodes with their labels; the batches keep their metadata
    (``claimgraph batches`` lists the same), and the way back gives the same store."""
    batches = len(list_batches(embedded_source))
    done = migrate(embedded_source, store)
    assert (done.batches, done.skipped, done.graphs) == (batches, 0, 1)
    assert _quads(store) == _quads(embedded_source)
    assert _listed(store) == _listed(embedded_source)
    back = OxigraphStore(tmp_path / "back")
    assert migrate(store, back).batches == batches
    assert _quads(back) == _quads(embedded_source)


def test_an_interrupted_migration_is_finished_by_running_it_again(
    embedded_source: Store, store: Store
) -> None:
    def stop_after_one(done: list[str]) -> Callable[[str], None]:
        def progress(item: str) -> None:
            done.append(item)
            raise KeyboardInterrupt

        return progress

    seen: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        migrate(embedded_source, store, progress=stop_after_one(seen))
    assert len(seen) == 1 and seen[0] in store.graphs()
    done = migrate(embedded_source, store)
    assert (done.batches, done.skipped) == (len(list_batches(embedded_source)) - 1, 1)
    assert _quads(store) == _quads(embedded_source)


def test_a_copy_that_differs_is_an_error_naming_the_graph(
    embedded_source: Store, store: Store
) -> None:
    migrate(embedded_source, store)
    batch = list_batches(store)[0].batch
    one = next(
        t
        for t in store.triples(batch)
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    )
    store.update(f"DELETE DATA {{ GRAPH <{batch}> {{ {_text(one)} }} }}")
    with pytest.raises(StoreError, match=f"<{batch}>"):
        migrate(embedded_source, store)
    assert META_GRAPH in store.graphs()


def _text(t: ox.Triple) -> str:
    return f"{t.subject} {t.predicate} {t.object} ."


def test_cli_migrates_with_a_progress_bar_and_says_what_it_did(
    backend: Backend, store_args: list[str], tmp_path: Path
) -> None:
    from claimgraph.cli import main

    source = OxigraphStore(tmp_path / "source")
    ingest_seed(source)
    source.close()
    target = store_args[1]
    extra = store_args[2:]  # the target's credentials, as global options
    runner = CliRunner()
    args = [*extra, "migrate", "--from", str(tmp_path / "source"), "--to", target]
    first = runner.invoke(main, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "4 batch(es) copied, 0 already there" in first.output
    assert "copying" in first.stderr
    again = runner.invoke(main, args, catch_exceptions=False)
    assert again.exit_code == 0 and "0 batch(es) copied, 4 already there" in again.output
    missing = runner.invoke(main, ["migrate", "--from", str(tmp_path / "none"), "--to", target])
    assert missing.exit_code == 3 and "no store at" in missing.output
