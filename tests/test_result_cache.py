"""The answers a worker process keeps (claimgraph.server.result_cache): the same query again
is answered from the cache until the store is written, by the server or anyone else; other
formats, datasets and refused queries are not confused with it; size is bounded."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from flask import Response

from claimgraph.ingest import ingest_bytes
from claimgraph.server.result_cache import HIT, Answer, ResultCache
from claimgraph.store import OxigraphStore

if TYPE_CHECKING:
    from fixtures_server import LiveServer, Reply

pytest_plugins = ["fixtures_server"]

QUERY = "SELECT ?claim WHERE { ?claim a cg:Claim } ORDER BY ?claim LIMIT 3"


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from fixtures_server import serve_copy, stop_server

    tmp = tmp_path_factory.mktemp("cache")
    live = serve_copy(seed_store_dir, tmp, "--workers", "1", "--query-workers", "2")
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


# ------------------------------------------------------------------ GETs kept whole (KeptAnswers)

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _get(server: LiveServer, query: str, *extra: tuple[str, str], **headers: str) -> Reply:
    headers.setdefault("Accept", "application/sparql-results+json")
    return server.get("/sparql", [("query", query), *extra], **headers)


def test_a_get_is_answered_whole_from_the_cache(server: LiveServer) -> None:
    first = _get(server, QUERY, Origin="https://example.org")
    again = _get(server, QUERY, Origin="https://example.org")
    assert (first.status, again.status) == (200, 200)
    assert first.header(HIT) == "miss" and again.header(HIT) == "hit"
    assert again.body == first.body
    same = {k: v for k, v in first.headers.items() if k not in ("date", HIT.lower())}
    assert {k: v for k, v in again.headers.items() if k not in ("date", HIT.lower())} == same
    assert again.header("Access-Control-Allow-Origin") and again.header("Vary")


def test_gets_that_differ_never_get_each_others_answer(server: LiveServer) -> None:
    whole = _get(server, COUNT)
    assert _get(server, COUNT).header(HIT) == "hit"
    variants = [
        _get(server, COUNT, ("default-graph-uri", "urn:claimgraph:no-such-graph")),
        _get(server, COUNT, ("format", "xml")),
        _get(server, COUNT, Accept="text/csv"),
        _get(server, COUNT, ("named-graph-uri", "urn:claimgraph:no-such-graph")),
    ]
    for reply in variants:
        assert reply.status == 200 and reply.header(HIT) == "miss"
        assert reply.body != whole.body
    assert b'"0"' in variants[0].body or b">0<" in variants[0].body
    assert variants[1].body.startswith(b"<?xml") and variants[2].body.startswith(b"n\r\n")
    # each is kept under its own key
    again = _get(server, COUNT, ("format", "xml"))
    assert again.header(HIT) == "hit" and again.body == variants[1].body
    assert _get(server, COUNT).body == whole.body


def test_a_get_after_a_write_is_asked_anew(server: LiveServer) -> None:
    before = _get(server, COUNT)
    assert _get(server, COUNT).header(HIT) == "hit"
    assert server.update('INSERT DATA { <urn:cache:get> <urn:cache:b> "c" }').status == 200
    after = _get(server, COUNT)
    assert after.header(HIT) == "miss" and after.body != before.body


def test_refused_gets_are_not_kept(server: LiveServer) -> None:
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    for _ in range(2):
        r = _get(server, service)
        assert r.status == 403 and r.header(HIT) is None


def test_a_kept_answer_still_takes_one_of_the_clients_slots(
    seed_store_dir: Path, tmp_path: Path
) -> None:
    from claimgraph.server import create_app

    store = tmp_path / "store"
    shutil.copytree(seed_store_dir, store)
    app = create_app(
        {"store": str(store), "max_queries_per_client": 1, "query_workers": 1, "run_dir": tmp_path}
    )
    engine = app.extensions["claimgraph"]
    try:
        client = app.test_client()
        url = "/sparql?" + urlencode({"query": QUERY})
        assert client.get(url).headers[HIT] == "miss"
        assert client.get(url).headers[HIT] == "hit"
        with engine.slots.slot("127.0.0.1"):  # the client's one request still being evaluated
            refused = client.get(url)
        assert refused.status_code == 429 and refused.headers["Retry-After"]
        assert client.get(url).headers[HIT] == "hit"
    finally:
        engine.close()


def test_small_answers_are_counted_with_their_keys_and_headers(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "store").close()
    cache = ResultCache(tmp_path / "store", 1)
    headers = (("Content-Type", "application/sparql-results+json"), ("Vary", "Accept"))
    for i in range(5000):
        key = ("wire", 1, "/sparql", "query=" + "x" * 1000 + str(i))
        cache.keep(key, Answer(200, None, headers, b"{}", status_line="200 OK"))
    assert cache.size <= 1 << 20
    assert len(cache.answers) < (1 << 20) // 1000  # the keys count, not only the bodies
    cache.close()
