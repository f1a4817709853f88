"""A write is parsed and validated outside the store's write lock; the store's generation says,
once the writer holds the lock, whether anyone wrote in between (issue: a write held the
exclusive lock through parsing and validation, and readers waited on it)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from claimgraph.ingest import ingest_bytes
from claimgraph.store import OxigraphStore

EX = "http://example.org/"


def _triple(n: int) -> list[ox.Triple]:
    return [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal(str(n)))]


def test_each_writing_session_of_any_store_object_counts(tmp_path: Path) -> None:
    a, b = OxigraphStore(tmp_path / "s"), OxigraphStore(tmp_path / "s")
    seen = a.generation()
    assert seen is not None
    with a.writing():
        assert a.unchanged_since(seen)
    seen = a.generation()
    b.add_batch(EX + "g", _triple(1), [])
    with a.writing():
        assert not a.unchanged_since(seen)
    with a.reading():
        assert a.generation() == b.generation()


def test_a_writer_killed_in_its_session_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "s"
    store = OxigraphStore(path)
    seen = store.generation()
    store.close()
    code = (
        "import os, sys\nfrom claimgraph.store import OxigraphStore\n"
        f"s = OxigraphStore({str(path)!r})\n"
        "with s.writing():\n    os._exit(9)\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 9
    with store.writing():
        assert not store.unchanged_since(seen)


class _Racing(OxigraphStore):
    """A store whose first writing session lets another store object write just before it:
    the other writer comes between this one's validation and its write."""

    def __init__(self, path: Path, other: OxigraphStore, data: bytes) -> None:
        super().__init__(path)
        self.other, self.data, self.raced = other, data, False

    @contextmanager
    def writing(self) -> Iterator[OxigraphStore]:
        if not self.raced:
            self.raced = True
            ingest_bytes(self.other, self.data, format="turtle", source="other.ttl")
        with super().writing() as store:
            yield store


def test_ingest_judges_again_when_another_writer_came_between(tmp_path: Path) -> None:
    data = f'<{EX}a> <{EX}p> "x" .'.encode()
    path = tmp_path / "s"
    other = OxigraphStore(path)
    racing = _Racing(path, other, data)
    result = ingest_bytes(racing, data, format="turtle", source="mine.ttl")
    # the other writer landed the same content first; judged again, ours is already there
    assert racing.raced and result.created is False
    assert len(racing.graphs()) == 2  # the batch graph and the metadata graph, once each
