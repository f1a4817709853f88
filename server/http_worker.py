"""gunicorn's threaded worker, serving a kept-alive connection's next request in the thread
that served the last one while no other connection waits for a thread.

gunicorn's ``gthread`` worker hands every kept-alive connection back to its main loop after
each response: the thread pool's future calls back through a pipe, the main thread registers
the socket with its poller, wakes when the client sends again, unregisters it and submits the
connection to the pool once more — two thread hand-offs, a pipe write and read and four poller
calls per request, more than the rest of a cached answer costs.  :class:`KeptConnectionWorker`
lets the thread wait a little (:data:`LINGER` seconds at most, looking every :data:`SLICE`
seconds whether another connection is queued for a thread) for the connection's next request
and serves it at once; a connection that stays quiet, or another one waiting, sends it back to
the main loop as before, where the keep-alive timeout applies.  Everything else — parsing,
the keep-alive and body-drain rules, slow-client deferral, graceful stops — is gthread's.

A kept answer is sent from the request's bytes, before gunicorn parses them: gunicorn's
parsing, WSGI environ, response object and the result cache's middleware cost more than what
the answer itself needs (sending bytes, reading the store's generation, a client slot, the
access log line) — a hit's server CPU went from 700–900 to 220–400 µs (bench/README.md,
"Fifth round").  So once :class:`~claimgraph.server.result_cache.KeptAnswers` has answered or kept
a ``GET``, the worker keeps that answer again as the bytes gunicorn sends for it (built by
gunicorn's own response object, ``Date`` aside), keyed by the request's whole head (request
line and every header, byte for byte), the connection's address and listening socket, and
the store's generation.  A later request on a kept-alive connection whose head is whole in one
read, byte for byte the same, is answered from them: the generation read first (a write by
any process moves it, and the answer is asked anew), one of the client's slots taken and given
back (none free: gthread answers, with the app's 429), the ``Date`` of the second, the access
log line as gthread writes it.  The head is taken off the connection's buffer; what follows
it (a pipelined request) stays there.  Anything else — a head split across reads, another
method, a body, ``Expect`` or ``Upgrade``, a request to be answered ``Connection: close``,
a stopping worker, TLS, the PROXY protocol, an access log not written by
:class:`~claimgraph.server.cli.AccessLogger` — is gthread's, unchanged.
"""

from __future__ import annotations

import io
import select
import socket
import time
from datetime import datetime
from typing import Any

from gunicorn import util
from gunicorn.http.unreader import SocketUnreader
from gunicorn.http.wsgi import Response
from gunicorn.workers.gthread import ThreadWorker

from .result_cache import HIT, NOTED, SentAnswer, client_of, counted, results_of

LINGER = 0.02
"""Seconds a thread waits for a kept-alive connection's next request before it gives the
connection back to the main loop."""

SLICE = 0.002
"""Seconds between two looks at whether another connection waits for a thread."""


class KeptConnectionWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, serving a connection's consecutive requests in one thread while no other
    connection waits for one (see the module doc)."""

    def handle(self, conn: Any) -> Any:
        """Serve the connection's request, then its next ones as long as they come within
        :data:`LINGER` seconds and no other connection is queued; gthread's result for the
        last (True: keep the connection alive in the main loop)."""
        result = self._serve(conn)
        while result is True and self.alive and self._next_request_soon(conn):
            result = self._serve(conn)
        return result

    def _serve(self, conn: Any) -> Any:
        """Answer the connection's next request: from its bytes when they are a kept
        answer's request, else by gthread (keeping the answer as bytes when
        :class:`~claimgraph.server.result_cache.KeptAnswers` answered or kept it)."""
        head = self._head(conn)
        if head is not None:
            sent = self._send_kept(conn, head)
            if sent is not None:
                return sent
            NOTED.wanted = True
        try:
            result = super().handle(conn)
        finally:
            NOTED.wanted = False
            seen = getattr(NOTED, "seen", None)
            NOTED.seen = None
        if head is not None and seen is not None and result is True:
            try:
                self._keep_sent(conn, head, *seen)
            except Exception:  # the request was answered; only keeping its bytes failed
                self.log.exception("Error keeping a kept answer's bytes")
        return result

    def _head(self, conn: Any) -> bytes | None:
        """The head of the connection's next request (up to its empty line), when it is
        whole in what has been read or in one more read of what the client has sent; None
        otherwise (gthread then reads and parses it as always).  What is read stays in the
        parser's buffer."""
        unreader = getattr(getattr(conn, "parser", None), "unreader", None)
        if (
            not conn.initialized
            or getattr(conn, "is_http2", False)
            or self.cfg.is_ssl
            or self.cfg.proxy_protocol not in (False, "off")  # "off" since gunicorn 24
            or not isinstance(unreader, SocketUnreader)
        ):
            return None
        data: bytes = unreader.buf.getvalue()
        if b"\r\n\r\n" not in data:
            try:
                more = conn.sock.recv(_READ, socket.MSG_DONTWAIT)
            except OSError:
                return None  # nothing yet, or a broken connection: gthread sees to it
            if not more:
                return None
            data += more
            unreader.buf = _buffer(data)
        end = data.find(b"\r\n\r\n")
        if end < 0 or end > _HEAD_MAX:
            return None
        return data[: end + 4]

    def _send_kept(self, conn: Any, head: bytes) -> bool | None:
        """Send the answer kept for ``head`` (True; False if the connection broke), or None
        when there is none, or gthread would not keep the connection alive after it."""
        if (
            not self.alive
            or not self.cfg.keepalive
            or len(self.keepalived_conns) >= self.max_keepalived
            or self.nr + 1 >= self.max_requests
            or not getattr(self.log, "logs_fields_only", lambda: False)()
        ):
            return None
        started = datetime.now()
        answer = self._kept_for(conn, head)
        if answer is None:
            return None
        unreader = conn.parser.unreader
        unreader.buf = _buffer(unreader.buf.getvalue()[len(head) :])
        conn.parser.req_count += 1
        self.nr += 1
        try:
            conn.sock.setblocking(True)
            conn.sock.sendall(answer.head + _date() + answer.body)
        except OSError as e:
            self.log.debug("Ignoring socket error sending a kept answer: %s", e)
            return False
        finally:
            self.log.access(answer, None, dict(answer.headers), datetime.now() - started)
        return True

    def _kept_for(self, conn: Any, head: bytes) -> SentAnswer | None:
        """The answer kept for ``head`` as the store is now, once one of its client's slots
        was taken and given back; None when there is none, the client has no slot free, or
        anything fails (gthread then answers the request, with its errors)."""
        app = self.wsgi
        try:
            cache = results_of(app)
            generation = cache.generation()  # read now: a write by anyone moves it
            if generation is None:
                return None
            key = ("head", generation, _address(conn.client), conn.server, head)
            answer = cache.peek_sent(key)
            if answer is None or not counted(app.extensions["claimgraph"], answer.client):
                return None
        except Exception:  # noqa: BLE001 - gthread answers it, and reports what failed
            return None
        return answer

    def _keep_sent(self, conn: Any, head: bytes, key: Any, environ: Any, start: Any) -> None:
        """Keep, as bytes, the answer just sent for ``head`` from the result cache (or just
        kept in it), built by gunicorn's own response as a kept answer is sent."""
        resp = getattr(start, "__self__", None)
        if (
            not isinstance(resp, Response)
            or not head.startswith(b"GET ")
            or head.count(b"\n") != head.count(b"\r\n")
            or any(field in head.lower() for field in _NOT_PLAIN)
        ):
            return
        cache = results_of(self.wsgi)
        kept = cache.peek(key)
        if kept is None:
            return
        again = Response(resp.req, None, self.cfg)
        again.start_response(kept.status_line, [*kept.headers, (HIT, "hit")])
        if again.should_close() or again.chunked or again.response_length != len(kept.body):
            return
        lines = again.default_headers()
        if not lines[2].startswith("Date: "):
            return
        after = [lines[2][-2:], *lines[3:], *(f"{k}: {v}\r\n" for k, v in again.headers), "\r\n"]
        engine = self.wsgi.extensions["claimgraph"]
        answer = SentAnswer(
            head=util.to_bytestring("".join(lines[:2]) + "Date: ", "latin-1"),
            body=util.to_bytestring("".join(after), "latin-1") + kept.body,
            headers=tuple((name, environ[name]) for name in _LOGGED if name in environ),
            client=client_of(engine, environ),
            status=kept.status_line,
            sent=len(kept.body),
        )
        cache.keep(("head", key[1], _address(conn.client), conn.server, head), answer)

    def _queued(self) -> int:
        work = getattr(self.tpool, "_work_queue", None)
        return work.qsize() if work is not None else 1

    def _next_request_soon(self, conn: Any) -> bool:
        """Whether the connection's next request arrived within :data:`LINGER` seconds while
        no other connection waited for a thread."""
        # gthread's internals, read defensively: where a gunicorn release lacks one, the
        # connection simply goes back to the main loop, as gthread itself does
        parser = getattr(conn, "parser", None)
        buffer = getattr(getattr(parser, "unreader", None), "buf", None)
        if getattr(conn, "is_http2", False) or buffer is None:
            return False
        if buffer.getvalue():
            return True  # read ahead already
        poller = select.poll()
        poller.register(conn.sock.fileno(), select.POLLIN)
        deadline = time.monotonic() + LINGER
        while self.alive and not self._queued():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if poller.poll(min(left, SLICE) * 1000):
                return True
        return False


_READ = 8192
"""Bytes read at once from a connection (gunicorn's own read size)."""

_HEAD_MAX = 16384
"""The longest request head answered from its bytes."""

_NOT_PLAIN = (b"\nexpect:", b"\nupgrade:", b"\ntransfer-encoding:", b"\ncontent-length:")
"""Header fields that make gunicorn do more than parse and answer (a ``100 Continue``, a
protocol switch, a body): such a request is always answered by gthread."""

_LOGGED = (
    "REMOTE_ADDR",
    "REQUEST_METHOD",
    "PATH_INFO",
    "SERVER_PROTOCOL",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
    "HTTP_AUTHORIZATION",
)
"""The environ fields the access log line reads (:class:`~claimgraph.server.cli.AccessLogger`)."""


def _buffer(data: bytes) -> io.BytesIO:
    buf = io.BytesIO()
    buf.write(data)
    return buf


def _address(client: Any) -> Any:
    return client[0] if isinstance(client, tuple) else client


_stamp: tuple[int, bytes] = (-1, b"")


def _date() -> bytes:
    """gunicorn's ``Date`` value, formatted once a second."""
    global _stamp
    second = int(time.time())
    if _stamp[0] != second:
        _stamp = (second, util.http_date(second).encode("latin-1"))
    return _stamp[1]
