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
