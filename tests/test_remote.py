"""What only a store on a SPARQL server can meet, against real servers and real sockets:
crashes during writes, answers the server cuts, cancels or sends in part, a server that is
down or slow, credentials that must not leak, requests only standard SPARQL may make, and
validation that fetches only what a batch references.  (The behaviour every backend shares
is tested by the rest of the suite, on every backend.)"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import backends
import pyoxigraph as ox
import pytest
from backends import Backend
from click.testing import CliRunner

from claimgraph.errors import ForbiddenQuery, QueryError, StoreError
from claimgraph.export import build_graph
from claimgraph.ingest import ingest_bytes
from claimgraph.provenance import trace
from claimgraph.queries import saved_queries
from claimgraph.rdf import BATCH, META_GRAPH
from claimgraph.store import RemoteStore, Store, open_store

REMOTE = [b for b in backends.BACKENDS if b != "embedded"]
"""The remote backends of the session: tests of what only they meet run on these alone."""
on_remote = pytest.mark.parametrize("backend", REMOTE, indirect=True)
on_virtuoso = pytest.mark.parametrize(
    "backend", [b for b in REMOTE if b == "virtuoso"], indirect=True
)


@pytest.fixture
def remote(backend: Backend) -> backends.Server:
    """The session's server of a remote backend."""
    assert backend.server is not None
    return backend.server


# ------------------------------------------------------------------ the same answers


def _answers(store: Store) -> dict[str, list[tuple[str, ...]]]:
    out = {}
    for name, q in saved_queries().items():
        result = q.run(store)
        assert isinstance(result, ox.QuerySolutions)
        rows = [tuple(backends.comparable(row[v]) for v in result.variables) for row in result]
        out[name] = sorted(rows)
    return out


def test_the_seed_answers_the_same_on_every_backend(
    seed_store: Store, embedded_seed: Store
) -> None:
    """Quad count, saved-query answers, traces and exports on a server are the embedded
    store's, blank nodes included (they travel as IRIs and come back with their labels)."""
    assert len(seed_store) == len(embedded_seed)
    assert _untimed(seed_store) == _untimed(embedded_seed)
    assert _answers(seed_store) == _answers(embedded_seed)
    claims = [r["c"].value for r in embedded_seed.select("SELECT ?c { ?c a cg:Claim }")]
    for claim in claims:
        assert trace(seed_store, claim).as_dict() == trace(embedded_seed, claim).as_dict()
    for view in ("full", "actors", "claims", "provenance"):
        claim = "cgi:claim-talks-ended" if view == "provenance" else None
        mine = build_graph(seed_store, view, claim=claim)
        theirs = build_graph(embedded_seed, view, claim=claim)
        assert sorted(mine.nodes(data=True)) == sorted(theirs.nodes(data=True)), view
        assert _edges(mine) == _edges(theirs), view


def _untimed(store: Store) -> set[ox.Quad]:
    """The store's quads, the times of the batch metadata (when each copy of the seed was
    ingested) left out."""
    dated = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
    return {
        q
        for q in store.quads()
        if not (
            isinstance(q.object, ox.Literal)
            and q.object.datatype == dated
            and q.graph_name == ox.NamedNode(META_GRAPH)
        )
    }


def _edges(g: object) -> list[str]:
    """The edges of an export with their data, less the edge ids (numbered in the order the
    store lists the triples)."""
    return sorted(
        str((a, b, {k: v for k, v in d.items() if k != "id"}))
        for a, b, d in g.edges(data=True)  # type: ignore[attr-defined]
    )


# ------------------------------------------------------------------ atomic batches


@pytest.mark.parametrize("kind", REMOTE)
def test_a_server_killed_during_writes_keeps_whole_batches_only(kind: str, tmp_path: Path) -> None:
    """SIGKILL the server while batches of 1,500 subjects (9,000 triples, one operation)
    land, twice; after each restart every batch is there whole, with its metadata, or not at
    all (docs/scale-out.md: what "atomic" means on each server)."""
    start = backends.start_oxigraph if kind == "oxigraph" else backends.start_virtuoso
    server = start(tmp_path)
    try:
        written: list[str] = []
        for round_ in range(2):
            store = server.open(timeout=30)

            def write(store: RemoteStore = store, round_: int = round_) -> None:
                for k in range(200):
                    graph = f"{BATCH}crash-{round_}-{k}"
                    data = [
                        ox.Triple(
                            ox.NamedNode(f"urn:s{round_}-{k}-{i}"),
                            ox.NamedNode(f"urn:p{j}"),
                            ox.Literal(f"value {i} {j}"),
                        )
                        for i in range(1500)
                        for j in range(6)
                    ]
                    meta = [
                        ox.Triple(ox.NamedNode(graph), ox.NamedNode("urn:done"), ox.Literal("y"))
                    ]
                    try:
                        store.add_batch(graph, data, meta)
                    except StoreError:
                        return
                    written.append(graph)

            writer = threading.Thread(target=write)
            writer.start()
            time.sleep(random.uniform(1.0, 2.5))
            server.kill()
            writer.join(60)
            assert not writer.is_alive()
            server.restart()
            store = server.open(timeout=60)
            counts = {
                r["g"].value: int(r["n"].value)
                for r in store.select(
                    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
                )
            }
            done = {
                r["g"].value
                for r in store.select(
                    f"SELECT ?g {{ GRAPH <{META_GRAPH}> {{ ?g <urn:done> ?y }} }}"
                )
            }
            batches = {g: n for g, n in counts.items() if g.startswith(BATCH)}
            assert all(n == 9000 for n in batches.values()), batches
            assert set(batches) == done
            assert set(written) <= done  # what the server confirmed is there
    finally:
        server.stop()


# ------------------------------------------------------------------ cut, cancelled, partial


def test_a_query_the_server_cancels_is_an_error_not_a_short_answer(tmp_path: Path) -> None:
    """``oxigraph serve --timeout-s 1`` answers 200 with a body cut by "The SPARQL operation
    has been cancelled": SELECT, CONSTRUCT and a count all raise, saying so."""
    server = backends.start_oxigraph(tmp_path, "--timeout-s", "1")
    try:
        store = server.open(timeout=30)
        rows = [
            ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)))
            for i in range(3000)
        ]
        store.add_batch(f"{BATCH}many", rows, [])
        for query in (
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
            "CONSTRUCT { ?a <urn:q> ?f } WHERE { ?a ?b ?c . ?d ?e ?f }",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        ):
            with pytest.raises(StoreError, match="cancelled"):
                list(store.query(query))  # type: ignore[arg-type]
    finally:
        server.stop()


@on_virtuoso
def test_virtuoso_cut_or_partial_answers_are_errors(backend: Backend) -> None:
    """Virtuoso cuts a SELECT at ResultSetMaxRows (50,000 here) and says so only in a header;
    its "anytime" answers at the time limit (the store gives it three quarters of its own)
    say so only in X-SQL-State.  Both raise.  (The query is checked on an empty local store
    first: without its VALUES rows, so that check costs nothing.)"""
    assert backend.server is not None
    store = backend.server.open(timeout=60)
    values = " ".join(str(i) for i in range(300))
    with pytest.raises(StoreError, match="row limit"):
        store.select(f"SELECT * {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }}")
    store = backend.server.open(timeout=8)
    big = " ".join(str(i) for i in range(3000))
    started = time.monotonic()
    with pytest.raises(StoreError, match="incomplete"):
        store.select(
            f"SELECT (COUNT(*) AS ?n) {{ VALUES ?a {{ {big} }} VALUES ?b {{ {big} }} "
            f"VALUES ?c {{ {big} }} FILTER(?a + ?b > ?c) }}"
        )
    assert time.monotonic() - started < 8


class _Misbehaving:
    """A loopback HTTP server that answers every request with ``reply`` (raw bytes) and then
    does ``then``: ``close``, ``hang`` (keep the connection open, silent), ``trickle``, or
    ``reset`` (read the next request on the kept-alive connection, then reset it unanswered,
    as a server does that drops an idle connection just as the client reuses it)."""

    def __init__(self, reply: bytes, then: str = "close") -> None:
        self.reply, self.then = reply, then
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.open: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.open.append(conn)
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(self.reply)
            if self.then == "close":
                conn.close()
            elif self.then == "reset":
                conn.recv(65536)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
            elif self.then == "trickle":
                while True:
                    conn.sendall(b" ")
                    time.sleep(0.2)
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()
        for c in self.open:
            c.close()


@pytest.fixture
def misbehaving() -> Iterator[Callable[..., _Misbehaving]]:
    made: list[_Misbehaving] = []

    def make(reply: bytes, then: str = "close") -> _Misbehaving:
        made.append(_Misbehaving(reply, then))
        return made[-1]

    yield make
    for m in made:
        m.close()


def _head(status: str, body: bytes, headers: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nServer: Oxigraph/0.5\r\nContent-Type: application/sparql-"
        f"results+json\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


@pytest.mark.parametrize(
    "reply,match",
    [
        (_head("200 OK", b'{"head":{"vars":["x"]},"results":{"bindings":[')[:-10], "cut off"),
        (_head("206 Partial Content", b'{"head":{"vars":[]},"boolean":true}'), "partial"),
        (
            _head("200 OK", b'{"head":{"vars":[]},"boolean":true}', "X-SQL-State: S1TAT\r\n"),
            "incomplete",
        ),
        (_head("200 OK", b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":'), "not valid"),
    ],
    ids=["connection-closed-early", "http-206", "anytime", "cut-json"],
)
def test_cut_or_partial_answers_are_errors(
    misbehaving: Callable[..., _Misbehaving], reply: bytes, match: str
) -> None:
    server = misbehaving(reply)
    store = open_store(server.url, timeout=5)
    with pytest.raises(StoreError, match=match):
        store.ask("ASK {}")


def test_kept_alive_connection_reset_on_reuse_is_retried_not_an_error(
    misbehaving: Callable[..., _Misbehaving],
) -> None:
    """The flaky ``cut-json`` failure: the server closed a kept-alive connection just as the
    store reused it, and the read came back "Connection reset by peer" as an error. A read
    may be sent again: it is, once, on a new connection."""
    server = misbehaving(_head("200 OK", b'{"head":{"vars":[]},"boolean":true}'), "reset")
    store = open_store(server.url, timeout=5)
    assert store.ask("ASK {}") is True  # the probe, then the query on the same connection
    assert cast(RemoteStore, store).client.requests == 2


def test_a_server_that_is_down_is_a_clear_error_at_once() -> None:
    port = backends.free_port()
    store = open_store(f"http://127.0.0.1:{port}/query", timeout=30)
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"cannot reach the SPARQL server at .* is it running"):
        store.graphs()
    assert time.monotonic() - started < 5
    result = CliRunner().invoke(
        __import__("claimgraph.cli", fromlist=["main"]).main,
        ["--store", f"http://127.0.0.1:{port}/query", "stats"],
    )
    assert result.exit_code == 3 and "cannot reach the SPARQL server" in result.output


@pytest.mark.parametrize("then", ["hang", "trickle"])
def test_a_slow_server_is_a_clear_error_within_the_time_limit(
    misbehaving: Callable[..., _Misbehaving], then: str
) -> None:
    """Silent after the headers, or sending a byte now and then for ever: the store gives up
    at its time limit (2 s) with an error saying so, never later."""
    head = b"HTTP/1.1 200 OK\r\nServer: Oxigraph/0.5\r\nContent-Length: 100000\r\n\r\n"
    server = misbehaving(head, then)
    store = RemoteStore(server.url, timeout=2)
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"2 s"):
        store.ask("ASK {}")
    assert time.monotonic() - started < 2 + 2


# ------------------------------------------------------------------ credentials


@on_virtuoso
def test_credentials_are_sent_never_shown(remote: backends.Server, tmp_path: Path) -> None:
    """The right credentials work; wrong ones give an error naming the fix, and neither the
    error, the store's repr nor the command's output holds the password (on Virtuoso, the
    server here that asks for them: Digest)."""
    assert remote.auth is not None
    user, _ = remote.auth.split(":", 1)
    assert open_store(remote.url, auth=remote.auth).ask("ASK {}") is True
    secret = "Wrong-" + "9f3a17c2"
    bad = open_store(remote.url, auth=f"{user}:{secret}")
    with pytest.raises(StoreError) as refused:
        bad.graphs()
    assert "--auth" in str(refused.value) and secret not in str(refused.value)
    assert secret not in repr(bad) and secret not in repr(bad.client.__dict__.get("_auth"))
    in_url = remote.url.replace("http://", f"http://{user}:{secret}@")
    with pytest.raises(StoreError) as refused:
        open_store(in_url).graphs()
    assert secret not in str(refused.value)
    from claimgraph.cli import main

    out = CliRunner().invoke(main, ["--store", remote.url, "--auth", f"{user}:{secret}", "stats"])
    assert out.exit_code == 3 and secret not in out.output


# ------------------------------------------------------------------ requests


def test_only_standard_sparql_reaches_the_server(store: Store, backend: Backend) -> None:
    """Virtuoso runs ``bif:``/``sql:`` functions and ``DEFINE`` pragmas (some fetch URLs or
    read files): a remote store refuses them before sending anything; every store refuses
    the same for the same reasons."""
    with pytest.raises(ForbiddenQuery, match="bif:"):
        store.query('PREFIX b: <bif:> SELECT (b:http_get("http://127.0.0.1:9/") AS ?x) {}')
    with pytest.raises(ForbiddenQuery, match="sql:"):
        store.update("INSERT { <urn:a> <urn:b> ?x } WHERE { BIND(<sql:RDF_SPONGE>() AS ?x) }")
    with pytest.raises(QueryError):
        store.query('DEFINE input:grab-all "yes" SELECT * { ?s ?p ?o }')
    with pytest.raises(QueryError):
        store.query('SELECT * FROM <urn:g> OPTION (get:soft "soft") { ?s ?p ?o }')
    assert len(store) == 0


# ------------------------------------------------------------------ incremental validation


@on_remote
def test_validation_fetches_only_what_the_batch_references(
    remote: backends.Server, fresh_seed_store: Store
) -> None:
    """Ingesting a small batch into a store of 20,000 more triples reads a few kilobytes of
    context from the server, not the store."""
    assert isinstance(fresh_seed_store, RemoteStore)
    filler = [
        ox.Triple(
            ox.NamedNode(f"https://w3id.org/claimgraph/id/filler-{i}"),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal(f"filler node number {i}", language="en"),
        )
        for i in range(20_000)
    ]
    fresh_seed_store.add_batch(f"{BATCH}filler", filler, [])
    whole = sum(len(str(t)) for t in fresh_seed_store.triples())
    record = b"""
"@context": https://w3id.org/claimgraph/context.jsonld
"@graph":
  - id: cgi:mention-probe
    type: ArticleMention
    reports: cgi:claim-talks-ended
    carrier: cgi:seed-outlet
    hopRole: outlet
    observed: true
    inArticle: cgi:article-istanbul-r2
    evidence:
      type: EvidenceSpan
      source: cgi:article-istanbul-r2
      selector:
        type: [TextQuoteSelector, TextPositionSelector]
        exact: "leaks from the Turkish Foreign Ministry"
"""
    before = fresh_seed_store.client.bytes_received
    result = ingest_bytes(fresh_seed_store, record, format="records", source="probe.yaml")
    fetched = fresh_seed_store.client.bytes_received - before
    assert result.created
    assert fetched < whole / 50, (fetched, whole)


def _big_batch(graph: str, subjects: int) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """A batch of ``subjects`` subjects (six triples each, a blank node among them) and its
    description."""
    data = []
    for i in range(subjects):
        s = ox.NamedNode(f"{graph}/s{i}")
        data += [
            ox.Triple(s, ox.NamedNode(f"urn:p{j}"), ox.Literal(f"v {i} {j}")) for j in range(5)
        ]
        data.append(ox.Triple(s, ox.NamedNode("urn:span"), ox.BlankNode(f"b{i}")))
    return data, [ox.Triple(ox.NamedNode(graph), ox.NamedNode("urn:done"), ox.Literal("y"))]


@on_virtuoso
def test_virtuoso_a_batch_whose_second_operation_fails_leaves_the_server_unchanged(
    store: Store,
) -> None:
    """A batch of more than 4,000 subjects is several operations on Virtuoso, applied one by
    one: when one after the first fails, what the first wrote is removed again."""
    assert isinstance(store, RemoteStore)
    store.add_batch(f"{BATCH}before", *_big_batch(f"{BATCH}before", 10))
    before = set(store.quads())
    graph = f"{BATCH}big"
    real = store._inserts

    def failing_second(graphs: object) -> list[str]:
        ops = real(graphs)  # type: ignore[arg-type]
        assert len(ops) == 2  # 4,000 subjects; 1,000 and the description
        return [ops[0], "DROP GRAPH <urn:claimgraph:never-created>", ops[1]]

    store._inserts = failing_second  # type: ignore[method-assign]
    with pytest.raises(StoreError, match="what had been written was removed"):
        store.add_batch(graph, *_big_batch(graph, 5000))
    del store._inserts
    assert set(store.quads()) == before


@on_virtuoso
def test_virtuoso_a_batch_cut_by_a_crash_is_completed_by_writing_it_again(store: Store) -> None:
    """A crash between the operations of a big batch leaves its first part without its
    description: not a batch (the description is last), and writing the same batch again
    (``ingest`` of the same file, ``migrate``) gives exactly the whole batch — its blank
    nodes are written under labels of the batch's canonical form, the same each time."""
    assert isinstance(store, RemoteStore)
    graph = f"{BATCH}cut"
    data, meta = _big_batch(graph, 5000)
    ops = store._inserts({graph: data, META_GRAPH: meta})
    assert len(ops) == 2  # 4,000 subjects; 1,000 and the description
    store._send_update(ops[0], what="the first part", default=False)  # then the crash
    described = f"ASK {{ GRAPH <{META_GRAPH}> {{ <{graph}> <urn:done> ?y }} }}"
    assert store.has_graph(graph) and not store.ask(described)
    store.add_batch(graph, [ox.Triple(t.subject, t.predicate, t.object) for t in data], meta)
    assert store.ask(described)
    assert len(list(store.triples(graph))) == len(data) == 30_000
