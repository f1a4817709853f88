"""Every hostile body and request, sent with the write token to a live ``claimgraph serve``, is
refused in seconds with 413 or 422 (400 for a malformed graph name, 403/409 for the batch
machinery's graphs) — never 500 or 503 — saying what and how, the store unchanged, nothing
fetched, and the health probe answering meanwhile (issue 11: entity bombs answered 503, the
YAML bomb 500 after 52 s while health waited 30 s, nested bodies and ``graph=not an IRI`` 500,
``DELETE`` of the metadata graph 204, ``graph=file:///etc/passwd`` 201, ill-typed literals
201/200)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fixtures_server import LiveServer, http, serve_copy, stop_server
from forgery import Listener
from hostile import PROBE_GRAPH, Request, requests

from claimgraph.rdf import CG, META_GRAPH

pytest_plugins = ["fixtures_server"]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with Listener() as lst:
        yield lst


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The seed served with bodies up to 12 MB (so the literal limit, not the body limit, is
    what refuses an 8 MB literal)."""
    srv = serve_copy(
        seed_store_dir,
        tmp_path_factory.mktemp("hostile-http"),
        *("--timeout", "10", "--workers", "1", "--threads", "8", "--query-workers", "3"),
        *("--query-memory-mb", "1024", "--max-request-bytes", str(12 * 1024 * 1024)),
    )
    yield srv
    stop_server(srv.process)


@pytest.fixture(scope="module")
def batch(server: LiveServer) -> str:
    r = server.query(f"SELECT ?b WHERE {{ GRAPH <{META_GRAPH}> {{ ?b a <{CG}Batch> }} }} LIMIT 1")
    [row] = json.loads(r.body)["results"]["bindings"]
    return str(row["b"]["value"])


@pytest.fixture(scope="module")
def corpus(listener: Listener, batch: str) -> dict[str, Request]:
    return {r.name: r for r in requests(listener=listener.url, batch=batch)}


NAMES = [r.name for r in requests(batch="https://w3id.org/claimgraph/batch/placeholder")]


def send(server: LiveServer, req: Request) -> tuple[int, str, float]:
    started = time.monotonic()
    headers = {"Content-Type": req.content_type, **server.auth}
    r = http(req.method, server.url + req.path, req.body or None, headers, timeout=120)
    return r.status, r.body.decode("utf-8", "replace"), time.monotonic() - started


@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_request_is_refused_in_seconds_and_changes_nothing(
    name: str, server: LiveServer, corpus: dict[str, Request], listener: Listener
) -> None:
    req = corpus[name]
    before = server.count()
    status, text, took = send(server, req)
    assert status == req.status, (name, status, text[:500])
    assert req.mentions in text, (name, text[:500])
    assert "Traceback" not in text and "root:" not in text
    assert took < 20, f"{name} took {took:.1f} s"
    assert listener.connections == 0
    assert server.count() == before
    probe = server.get("/store", {"graph": PROBE_GRAPH})
    assert probe.status == 404


def test_health_answers_while_the_heaviest_bodies_are_refused(
    server: LiveServer, corpus: dict[str, Request]
) -> None:
    heavy = [
        corpus[n]
        for n in (
            "POST alias-bomb.yaml",
            "PUT deep.yaml",
            "PUT billion-laughs.rdf",
            "PUT long-literal.nt",
            "update huge literal",
            "update too many terms",
        )
    ]
    waits: list[float] = []
    statuses: list[int] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            started = time.monotonic()
            statuses.append(server.get("/health").status)
            waits.append(time.monotonic() - started)
            time.sleep(0.05)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        with ThreadPoolExecutor(len(heavy)) as pool:
            answers = list(pool.map(lambda r: send(server, r)[0], heavy))
    finally:
        done.set()
        prober.join(30)
    assert answers == [r.status for r in heavy]
    assert statuses and set(statuses) == {200}
    assert max(waits) < 5, f"a health probe waited {max(waits):.1f} s"
