"""A saved query's whole answer is kept with the store object until the store changes, and
its pages are windows on it (issue 17: the first page in milliseconds once it was computed):
the same rows as the query paged with LIMIT/OFFSET, evaluated once per store generation, and
never an answer from before a write."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from claimgraph.ingest import ingest_seed
from claimgraph.queries import saved_queries
from claimgraph.saved_queries import Page
from claimgraph.statements import STANDINGS
from claimgraph.store import OxigraphStore, Store


class CountingStore(OxigraphStore):
    """An in-memory store that counts the saved queries it evaluates (their text starts with
    their ``#+`` header)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.evaluated = 0

    def query(self, sparql: str, **kwargs: Any) -> Any:
        if sparql.startswith("#+"):
            self.evaluated += 1
        return super().query(sparql, **kwargs)


@pytest.fixture(scope="module")
def seeded() -> CountingStore:
    store = CountingStore()
    ingest_seed(store)
    return store


def rows(result: Any) -> list[tuple[str | None, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(None if row[n] is None else str(row[n]) for n in names) for row in result]


def columns(result: Any) -> list[str]:
    assert isinstance(result, ox.QuerySolutions)
    return [v.value for v in result.variables]


def test_the_pages_of_a_saved_query_are_read_from_one_evaluation(seeded: CountingStore) -> None:
    query = saved_queries()["claims"]
    before = seeded.evaluated
    first = rows(query.run(seeded, page=Page(3)))
    second = rows(query.run(seeded, page=Page(3, 3)))
    again = rows(query.run(seeded, page=Page(3)))
    assert seeded.evaluated - before == 1
    assert first == again and len(first) == 3 and first != second


@pytest.mark.parametrize("name", sorted(saved_queries()))
@pytest.mark.parametrize("standings", [("evidenced",), STANDINGS])
def test_a_kept_page_is_the_query_paged(
    seeded: CountingStore, name: str, standings: tuple[str, ...]
) -> None:
    query = saved_queries()[name]
    for page in (Page(), Page(2), Page(3, 1), Page(None, 2), Page(5, 1000)):
        kept = query.run(seeded, page=page, standings=standings)
        with seeded.writing():  # nothing is kept inside a writing session: the query is paged
            paged = query.run(seeded, page=page, standings=standings)
        assert columns(kept) == columns(paged)
        assert rows(kept) == rows(paged), (name, page)


def test_a_write_drops_the_kept_answer() -> None:
    store: Store = OxigraphStore(None)
    ingest_seed(store)
    query = saved_queries()["claims"]
    before = rows(query.run(store, standings=None))
    store.update(
        "INSERT DATA { <https://w3id.org/claimgraph/id/zz-new> "
        '<https://w3id.org/claimgraph/ns#claimText> "a claim written after the first page" }'
    )
    after = rows(query.run(store, standings=None))
    assert len(after) == len(before) + 1
    assert any("a claim written after the first page" in str(row) for row in after)


def test_kept_values_count_their_bytes_against_one_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept answers could take 64 x 16 MiB (1 GiB) of a query process capped at 2 GiB: the
    values kept with one store object now take at most ``KEPT_BYTES`` in all, the least
    recently used dropped first, and a value larger than the bound is given but not kept."""
    from claimgraph.store import kept as keeping

    monkeypatch.setattr(keeping, "KEPT_BYTES", 100)
    store = OxigraphStore(None)
    calls: list[str] = []

    def value(name: str, size: int) -> tuple[str, int]:
        return keeping.kept(store, name, lambda: calls.append(name) or (name, size), lambda v: v[1])

    value("a", 60), value("b", 30), value("a", 60)  # a read again: b is now the oldest
    value("c", 30)  # 60 + 30 + 30 > 100: b goes
    assert calls == ["a", "b", "c"]
    value("a", 60), value("c", 30), value("b", 30)
    assert calls == ["a", "b", "c", "b"]
    value("huge", 101), value("huge", 101)
    assert calls[-2:] == ["huge", "huge"]
