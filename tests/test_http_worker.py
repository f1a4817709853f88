"""gunicorn's threaded worker as the server runs it (claimgraph.server.http_worker): a
kept-alive connection's requests are answered one after the other, and a connection that
keeps its thread between requests gives it up to another connection that waits for one."""

from __future__ import annotations

import http.client as httpclient
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import pytest
from gunicorn.workers.gthread import ThreadWorker

from claimgraph.server import http_worker
from claimgraph.server.cli import ClaimgraphApplication
from claimgraph.server.settings import Settings

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

ASK = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def one_thread(
    seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A server with one worker process of one request thread."""
    from fixtures_server import serve_copy, stop_server

    tmp = tmp_path_factory.mktemp("one-thread")
    live = serve_copy(
        seed_store_dir, tmp, "--workers", "1", "--threads", "1", "--query-workers", "1"
    )
    yield live
    stop_server(live.process)


def _connect(live: LiveServer) -> httpclient.HTTPConnection:
    parts = urlsplit(live.url)
    return httpclient.HTTPConnection(parts.hostname, parts.port, timeout=10)


def _ask(conn: httpclient.HTTPConnection, query: str = ASK) -> tuple[int, bool]:
    conn.request(
        "GET",
        "/sparql?" + urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    resp = conn.getresponse()
    body = resp.read()
    assert resp.getheader("Connection", "").lower() != "close"
    return resp.status, bool(json.loads(body)["boolean"])


def test_the_server_runs_the_kept_connection_worker() -> None:
    app = ClaimgraphApplication(Settings.from_mapping({"store": ":memory:"}, environ={}))
    assert app.cfg.worker_class is http_worker.KeptConnectionWorker
    assert issubclass(app.cfg.worker_class, ThreadWorker)


def test_a_kept_alive_connection_is_answered_request_after_request(
    one_thread: LiveServer,
) -> None:
    conn = _connect(one_thread)
    try:
        answers = [_ask(conn, f"ASK {{ ?s ?p ?o }} # {i % 3}") for i in range(30)]
        time.sleep(http_worker.LINGER * 3)  # past the linger: back in gunicorn's main loop
        answers.append(_ask(conn))
    finally:
        conn.close()
    assert answers == [(200, True)] * 31


def test_a_quiet_kept_connection_leaves_the_only_thread_to_another(
    one_thread: LiveServer,
) -> None:
    """With one request thread, a connection idle after its answer does not hold the thread:
    another connection is answered at once, while the first stays open and is answered after."""
    first, second = _connect(one_thread), _connect(one_thread)
    try:
        assert _ask(first) == (200, True)
        started = time.monotonic()
        assert _ask(second) == (200, True)
        assert _ask(second) == (200, True)
        assert time.monotonic() - started < 2
        assert _ask(first) == (200, True)
    finally:
        first.close()
        second.close()
