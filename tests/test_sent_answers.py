"""Kept answers sent from the request's bytes (claimgraph.server.http_worker): the worker
answers a kept GET before gunicorn parses it, with the same bytes, the same client slots, and
the same handling of what is not a plain kept GET (pipelined, split, malformed, HEAD, a
write from another process)."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import pytest

from claimgraph.ingest import ingest_bytes
from claimgraph.server.result_cache import HIT, ResultCache, SentAnswer
from claimgraph.server.sharing import ClientSlots
from claimgraph.store import OxigraphStore

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from fixtures_server import serve_copy, stop_server

    tmp = tmp_path_factory.mktemp("sent")
    live = serve_copy(
        seed_store_dir,
        tmp,
        "--workers",
        "1",
        "--query-workers",
        "1",
        "--max-queries-per-client",
        "1",
        env={"CLAIMGRAPH_RUN_DIR": str(tmp / "run")},
    )
    yield live
    stop_server(live.process)


def _head(live: LiveServer, query: str, method: str = "GET", *extra: str) -> bytes:
    host = urlsplit(live.url).netloc
    lines = [
        f"{method} /sparql?{urlencode({'query': query})} HTTP/1.1",
        f"Host: {host}",
        "Accept: application/sparql-results+json",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _connect(live: LiveServer) -> socket.socket:
    parts = urlsplit(live.url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return sock


class Replies:
    """Responses read one by one from a connection (Content-Length framed, or to the end)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.data = b""

    def _fill(self) -> bool:
        more = self.sock.recv(65536)
        self.data += more
        return bool(more)

    def next(self, *, head_only: bool = False) -> bytes:
        while b"\r\n\r\n" not in self.data:
            if not self._fill():
                raise EOFError(self.data)
        end = self.data.index(b"\r\n\r\n") + 4
        found = re.search(rb"(?im)^content-length: *(\d+)", self.data[:end])
        length = 0 if head_only or found is None else int(found.group(1))
        while len(self.data) < end + length:
            if not self._fill():
                break
        reply, self.data = self.data[: end + length], self.data[end + length :]
        return reply


def _undated(reply: bytes) -> bytes:
    return re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: -", reply)


def _header(reply: bytes, name: str) -> str | None:
    found = re.search(rf"(?im)^{name}: *([^\r]*)".encode(), reply.split(b"\r\n\r\n")[0])
    return found.group(1).decode() if found else None


def _ask(sock: socket.socket, replies: Replies, head: bytes) -> bytes:
    sock.sendall(head)
    return replies.next()


def test_a_kept_get_is_answered_byte_for_byte_as_gunicorn_answers_it(
    server: LiveServer,
) -> None:
    """The first ask is a miss; the second a hit answered through gunicorn and Flask's
    middleware (which keeps the bytes); the rest are sent from the bytes: all hits identical
    to the second, Date aside."""
    head = _head(server, COUNT + " # identical")
    with _connect(server) as sock:
        replies = Replies(sock)
        first = _ask(sock, replies, head)
        hits = [_ask(sock, replies, head) for _ in range(6)]
    assert _header(first, HIT) == "miss" and first.startswith(b"HTTP/1.1 200 OK\r\n")
    assert {_undated(hit) for hit in hits} == {_undated(hits[0])}
    assert _header(hits[0], HIT) == "hit" and _header(hits[0], "Connection") == "keep-alive"
    assert hits[0].split(b"\r\n\r\n", 1)[1] == first.split(b"\r\n\r\n", 1)[1]
    # and as a new connection's first request (always answered by gunicorn) gets it
    with _connect(server) as sock:
        fresh = _ask(sock, Replies(sock), head)
    assert _undated(fresh) == _undated(hits[0])
    assert re.search(rb"\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n", hits[-1])


def test_pipelined_split_head_and_malformed_requests_are_answered_as_before(
    server: LiveServer,
) -> None:
    kept = _head(server, COUNT + " # pipelined")
    other = _head(server, "ASK { ?s ?p ?o } # pipelined")
    with _connect(server) as sock:
        replies = Replies(sock)
        for _ in range(3):
            _ask(sock, replies, kept)  # kept, and kept as bytes
        # four requests in one write, a HEAD of the kept GET among them
        sock.sendall(kept + other + _head(server, COUNT + " # pipelined", "HEAD") + kept)
        answers = [replies.next(), replies.next(), replies.next(head_only=True), replies.next()]
        # a HEAD is never kept: the app answers it, without a body
        assert [_header(a, HIT) for a in answers] == ["hit", "miss", "miss", "hit"]
        assert b'"boolean"' in answers[1]
        assert answers[2].endswith(b"\r\n\r\n") and _header(answers[2], "Content-Length")
        # a head split across two writes
        sock.sendall(kept[:20])
        time.sleep(0.1)
        sock.sendall(kept[20:])
        assert _undated(replies.next()) == _undated(answers[0])
        # the kept request's bytes with "Connection: close": answered, then closed
        sock.sendall(kept[:-2] + b"Connection: close\r\n\r\n")
        closing = replies.next()
        assert _header(closing, "Connection") == "close" and _header(closing, HIT) == "hit"
        assert sock.recv(1) == b""
    with _connect(server) as sock:
        replies = Replies(sock)
        for _ in range(3):
            _ask(sock, replies, kept)
        sock.sendall(kept.replace(b" HTTP/1.1\r\n", b" HTTP/1.1 junk\r\n"))
        assert replies.next().startswith(b"HTTP/1.1 400 ")


def test_a_write_from_another_process_is_seen_by_the_next_request(server: LiveServer) -> None:
    head = _head(server, COUNT + " # written")
    with _connect(server) as sock:
        replies = Replies(sock)
        before = [_ask(sock, replies, head) for _ in range(4)][-1]
        assert _header(before, HIT) == "hit"
        store = OxigraphStore(server.store)
        ingest_bytes(
            store,
            b'<https://w3id.org/claimgraph/id/sent-test> <http://example.org/p> "x" .',
            format="ntriples",
            source="sent-test.nt",
        )
        store.close()
        after = _ask(sock, replies, head)
        assert _header(after, HIT) == "miss"
        assert after.split(b"\r\n\r\n")[1] != before.split(b"\r\n\r\n")[1]
        assert _header(_ask(sock, replies, head), HIT) == "hit"


def test_a_kept_answer_sent_from_bytes_still_takes_one_of_the_clients_slots(
    server: LiveServer,
) -> None:
    head = _head(server, COUNT + " # slots")
    run_dir = Path(server.log).parent / "run" / "clients"
    with _connect(server) as sock:
        replies = Replies(sock)
        for _ in range(4):
            assert _header(_ask(sock, replies, head), HIT) in ("miss", "hit")
        with ClientSlots(run_dir, 1).slot("127.0.0.1"):  # the client's one request, running
            refused = _ask(sock, replies, head)
        assert refused.startswith(b"HTTP/1.1 429 ") and _header(refused, "Retry-After")
        assert _header(_ask(sock, replies, head), HIT) == "hit"


def test_every_request_answered_from_bytes_is_in_the_access_log(server: LiveServer) -> None:
    head = _head(server, COUNT + " # logged", "GET", "User-Agent: sent-answers-test/1")
    with _connect(server) as sock:
        replies = Replies(sock)
        for _ in range(5):
            _ask(sock, replies, head)
    deadline = time.monotonic() + 5
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = [
            line for line in server.log.read_text().splitlines() if "sent-answers-test/1" in line
        ]
        if len(lines) == 5:
            break
        time.sleep(0.1)
    assert len(lines) == 5
    assert all(
        re.match(r'127\.0\.0\.1 - - \[.*\] "GET /sparql HTTP/1\.1" 200 \d+ "-" "sent-', line)
        for line in lines
    )
    assert len({line.split('" 200 ')[1].split()[0] for line in lines}) == 1  # same size


def test_answers_kept_as_bytes_count_their_heads_against_the_cache_size(tmp_path: Path) -> None:
    """Many requests differing only in a header each keep the answer's bytes once more: the
    request heads (bytes) and the answers count against ``result_cache_mb``."""
    OxigraphStore(tmp_path / "store").close()
    cache = ResultCache(tmp_path / "store", 1)
    for i in range(5000):
        head = b"GET /sparql?query=x HTTP/1.1\r\nX-Pad: " + b"x" * 1000 + str(i).encode()
        sent = SentAnswer(b"HTTP/1.1 200 OK\r\nDate: ", b"\r\n\r\n{}", (), "c", "200 OK", 2)
        cache.keep(("head", 1, "127.0.0.1", ("127.0.0.1", 80), head), sent)
    assert cache.size <= 1 << 20
    assert len(cache.answers) < (1 << 20) // 1000  # the heads count, not only the bodies
    assert cache.peek_sent(("head", 1, "127.0.0.1", ("127.0.0.1", 80), head)) is not None
    cache.close()
