"""Saved queries rewritten to be cheaper to evaluate give the rows they gave before: each
query's text before its rewrite (tests/data/queries-before/) and its text now, run on
synthetic graphs (copies of the seed as other articles, and the benchmarks' generated data
ingested beside them), every standing, the whole answer and a page, row for row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from generated import seed_copies, synthetic_text

from claimgraph.ingest import ingest_bytes, ingest_seed
from claimgraph.queries import parse_saved_query, saved_queries
from claimgraph.saved_queries import Page
from claimgraph.store import OxigraphStore

BEFORE = Path(__file__).parent / "data" / "queries-before"
REWRITTEN = sorted(p.stem for p in BEFORE.glob("*.rq"))


@pytest.fixture(scope="module")
def synthetic_store() -> OxigraphStore:
    store = OxigraphStore(None)
    ingest_seed(store)
    with store.writing():
        store.raw.extend(seed_copies(4))  # type: ignore[arg-type]
    ingest_bytes(
        store, synthetic_text(3000, 7, fresh="g").encode(), format="ntriples", source="g.nt"
    )
    return store


def rows(result: Any) -> list[tuple[str | None, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(None if row[n] is None else str(row[n]) for n in names) for row in result]


def test_every_rewritten_query_is_still_saved() -> None:
    assert REWRITTEN and set(REWRITTEN) <= set(saved_queries())


@pytest.mark.parametrize("name", REWRITTEN)
@pytest.mark.parametrize("standings", [("evidenced",), None])
def test_a_rewritten_query_gives_the_rows_it_gave_before(
    synthetic_store: OxigraphStore, name: str, standings: tuple[str, ...] | None
) -> None:
    before = parse_saved_query(name, (BEFORE / f"{name}.rq").read_text("utf-8"))
    now = saved_queries()[name]
    assert before.text != now.text
    assert [p.name for p in before.parameters] == [p.name for p in now.parameters]
    whole = rows(now.run(synthetic_store, standings=standings))
    assert whole == rows(before.run(synthetic_store, standings=standings))
    assert whole
    page = Page(7, 3)
    assert rows(now.run(synthetic_store, page=page, standings=standings)) == whole[3:10]
    # every flag of the query turned on (retracted claims included, say)
    flags = {p.name: "true" for p in now.parameters if p.type.endswith("boolean")}
    if flags and standings is None:
        flagged = rows(now.run(synthetic_store, flags, standings=standings))
        assert flagged == rows(before.run(synthetic_store, flags, standings=standings))
