"""A large batch is removed in steps (``claimgraph.store.removal``), leaving the store as the
one-transaction removal leaves it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from generated import synthetic_text

from claimgraph import bulk
from claimgraph.batches import list_batches
from claimgraph.ingest import ingest_file
from claimgraph.rdf import META_GRAPH
from claimgraph.store import OxigraphStore, removal
from claimgraph.store.removal import remove_large_batch

pytest_plugins = ["fixtures_server"]


@pytest.fixture
def bulk_batch(
    seed_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str]:
    """A store holding the seed and a file of ~2,000 triples taken by the bulk path (its
    statements in its batch graph, its name keys numbered in the metadata graph)."""
    path = tmp_path / "bulk.nt"
    path.write_text(synthetic_text(2000, 5, fresh="removal"))
    shutil.copytree(seed_store_dir, tmp_path / "store")
    store = OxigraphStore(tmp_path / "store")
    monkeypatch.setattr(bulk, "BULK_FROM_BYTES", 0)
    batch = ingest_file(store, path).batch
    store.close()
    return tmp_path / "store", batch


def _copy(store: Path, to: Path) -> OxigraphStore:
    shutil.copytree(store, to)
    return OxigraphStore(to)


def _everything(store: OxigraphStore) -> set[ox.Quad]:
    with store.reading():
        return set(store.raw.quads_for_pattern(None, None, None, None))


def test_a_batch_removed_in_steps_leaves_what_one_transaction_leaves(
    bulk_batch: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk batch counts as large when a step is 50 quads: its statements and name keys
    go quad by quad, then its description; the store ends exactly as a copy whose batch was
    dropped in the one update (both copies share their blank node ids)."""
    stored, batch = bulk_batch
    stepped, whole = _copy(stored, tmp_path / "a"), _copy(stored, tmp_path / "b")
    with stepped.reading():
        keys = [
            q
            for q in stepped.raw.quads_for_pattern(None, None, None, ox.NamedNode(META_GRAPH))
            if q.subject.value.startswith(batch + "#keys-")
        ]
    assert len(keys) > 50  # the name keys are removed by the steps too

    whole.drop_batch(batch)
    monkeypatch.setattr(removal, "STEP", 50)
    with stepped.writing():
        assert remove_large_batch(stepped.raw, batch)
        assert not any(q in stepped.raw for q in keys)
    stepped.drop_batch(batch)

    left = _everything(stepped)
    assert left == _everything(whole)
    assert not any(q.graph_name == ox.NamedNode(batch) for q in left)
    assert batch not in {b.batch for b in list_batches(stepped)}


def test_a_small_batch_is_left_to_the_one_transaction(
    bulk_batch: tuple[Path, str], tmp_path: Path
) -> None:
    stored, batch = bulk_batch
    store = _copy(stored, tmp_path / "s")
    before = _everything(store)
    with store.writing():
        assert not remove_large_batch(store.raw, batch)
    assert _everything(store) == before
    assert len(list_batches(store)) == 5
