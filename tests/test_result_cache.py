"""The answers a worker process keeps (claimgraph.server.result_cache): the same query again
is answered from the cache until the store is written, by the server or anyone else; other
formats, datasets and refused queries are not confused with it; size is bounded."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Response

from claimgraph.ingest import ingest_bytes
from claimgraph.server.result_cache import HIT, ResultCache
from claimgraph.store import OxigraphStore

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

QUERY = "SELECT ?claim WHERE { ?claim a cg:Claim } ORDER BY ?claim LIMIT 3"


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from fixtures_server import start_server, stop_server

    tmp = tmp_path_factory.mktemp("cache")
    store = tmp / "store"
    shutil.copytree(seed_store_dir, store)
    live = start_server(store, tmp, "--workers", "1", "--query-workers", "2")
    yield live
    stop_server(live.process)


def test_the_same_query_again_is_answered_from_the_cache(server: LiveServer) -> None:
    first = server.query(QUERY)
    again = server.query(QUERY)
    assert first.status == again.status == 200
    assert first.header(HIT) == "miss" and again.header(HIT) == "hit"
    assert again.body == first.body
    assert again.header("Content-Type") == first.header("Content-Type")
    assert again.header("Claimgraph-Rows") == first.header("Claimgraph-Rows") == "3"
    # the same question written otherwise is asked anew, and answered the same
    spaced = server.query("# the first claims\n" + QUERY.replace(" ", "  "))
    assert spaced.header(HIT) == "miss" and spaced.body == first.body


def test_other_formats_are_other_answers(server: LiveServer) -> None:
    server.query(QUERY)
    xml = server.query(QUERY, accept="application/sparql-results+xml")
    assert xml.header(HIT) == "miss" and xml.body.startswith(b"<?xml")
    assert server.query(QUERY, accept="application/sparql-results+xml").header(HIT) == "hit"


def test_a_write_is_seen_at_once(server: LiveServer) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = server.query(count)
    assert server.query(count).header(HIT) == "hit"
    # a write from another process (a shell's claimgraph ingest)
    store = OxigraphStore(server.store)
    ingest_bytes(
        store,
        b'<https://w3id.org/claimgraph/id/cache-test> <http://example.org/p> "x" .',
        format="ntriples",
        source="cache-test.nt",
    )
    store.close()
    after = server.query(count)
    assert after.header(HIT) == "miss" and after.body != before.body
    # a write through the server
    assert server.update('INSERT DATA { <urn:cache:a> <urn:cache:b> "c" }').status == 200
    later = server.query(count)
    assert later.header(HIT) == "miss" and later.body != after.body


def test_refused_and_failing_queries_are_not_kept(server: LiveServer) -> None:
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    for _ in range(2):
        r = server.query(service)
        assert r.status == 403 and r.header(HIT) is None
    broken = "SELECT * WHERE { ?s ?p }"
    assert server.query(broken).status == 400
    assert server.query(broken).status == 400


def test_the_cache_keeps_at_most_its_size(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.close()
    cache = ResultCache(tmp_path / "store", 1)  # 1 MiB; one answer at most an eighth of it
    keys = []
    for i in range(12):
        key = cache.key(
            f"SELECT ({i} AS ?n) {{}}",
            base_iri=None,
            dataset=None,
            accept=None,
            format=None,
            max_rows=10,
            union=True,
        )
        assert key is not None
        keys.append(key)
        resp = Response(b"x" * (100 << 10), content_type="text/plain")
        resp.headers["Content-Length"] = str(100 << 10)
        cache.offer(key, resp)
    assert cache.size <= 1 << 20
    assert cache.get(keys[0]) is None and cache.get(keys[-1]) is not None
    big = Response(b"x" * (300 << 10))
    big.headers["Content-Length"] = str(300 << 10)
    cache.offer(keys[0], big)
    assert cache.get(keys[0]) is None  # larger than an eighth of the cache: not kept
    cache.close()
