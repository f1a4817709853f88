"""Answers to SPARQL queries kept until the store changes.

A query's answer depends on the query, the dataset it reads, the format asked for, the row
limit, and the store's content.  Each worker process keeps answers it has sent, keyed by all
of these: the query's text as sent, the dataset parameters, the ``Accept`` header and
``format`` parameter, the row limit, and the store's generation
(:meth:`claimgraph.store.Store.generation`, the count of writing sessions begun on the store by
any process: ``/update``, ``/store``, ``claimgraph ingest`` in a shell; read before the query
runs, so an answer is never kept under a generation older than the data it read).  A cached
answer is sent from the worker process itself, without the hop to a query process; anything
else runs as before, under the time limit.

Only complete, successful answers that fit the response buffer are kept, in at most
``result_cache_mb`` MiB per worker process (least recently used first out; each answer counted
with its key and headers).  An app on an in-memory store keeps nothing: its worker processes
cannot see that store's generation.

A ``GET`` is looked up before the app sees it (:class:`KeptAnswers`, a WSGI middleware in
front of Flask): keyed by the request's own fields that the answer depends on (path, query
string, host, scheme, ``Accept``, ``Origin``) and the generation, the answer is sent as it was
sent the first time, every header included (CORS, ``Vary``, the row counts), after taking one
of the client's slots (:mod:`claimgraph.server.sharing`) — without Flask's routing, request
context and response hooks, which cost more than the rest of a hit.  A ``POST`` is looked up
by the view, on the query text and parameters it reads from the body.

A ``GET`` this middleware answered or kept is kept once more by the HTTP worker as the bytes
sent (:class:`SentAnswer`, keyed by the request's raw head; :mod:`claimgraph.server.http_worker`),
and the same request again is answered from them before gunicorn parses it; those count
against the same size.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Response

from claimgraph.store import OxigraphStore

from .errors import HTTPProblem
from .sharing import client_address

if TYPE_CHECKING:
    from flask import Flask

    from .engine import Engine

HIT = "Claimgraph-Cache"
"""Response header: ``hit`` for an answer sent from the cache, ``miss`` otherwise."""


@dataclass(frozen=True)
class Answer:
    """A complete response, as it was sent."""

    status: int
    content_type: str | None
    headers: tuple[tuple[str, str], ...]
    body: bytes
    status_line: str = ""
    """The WSGI status line, for an answer kept whole by :class:`KeptAnswers`."""

    def response(self) -> Response:
        resp = Response(self.body, status=self.status, content_type=self.content_type)
        for name, value in self.headers:
            if name.lower() not in ("content-type", "content-length"):
                resp.headers[name] = value
        resp.headers[HIT] = "hit"
        return resp


@dataclass(frozen=True)
class SentAnswer:
    """A kept answer as the HTTP worker sends it (:mod:`claimgraph.server.http_worker`): the
    response's bytes around its ``Date`` header's value, and what the request's access log
    line and client slot need."""

    head: bytes
    """The status line and headers up to the ``Date`` header's value."""
    body: bytes
    """The rest: from the end of the ``Date`` header's value to the end of the body."""
    headers: tuple[tuple[str, str], ...]
    """The request's fields the access log line reads (WSGI environ names)."""
    client: str
    """Who the request counts against (:func:`client_of`)."""
    status: str
    sent: int
    """The body's length."""


WIRE = "claimgraph.kept_answer"
"""WSGI environ key: set by :class:`KeptAnswers` on a request whose answer it will keep; the
view sets it to True once the answer is one to keep (a query answered by the engine)."""

_OVERHEAD = 256
"""Bytes counted per kept answer beyond its body, key and headers (the objects holding them)."""


class ResultCache:
    """The answers one worker process keeps for one store.

    >>> cache = ResultCache(None, 1)
    >>> cache.key("SELECT * {}", base_iri=None, dataset=None, accept=None, format=None,
    ...     max_rows=10, union=True) is None  # an in-memory store: nothing is kept
    True
    """

    def __init__(self, store_path: Path | None, max_mb: int) -> None:
        self.max_bytes = max_mb << 20
        self.watch = (
            OxigraphStore(store_path, read_only=True)
            if store_path is not None and self.max_bytes > 0
            else None
        )
        self.answers: OrderedDict[Hashable, Answer | SentAnswer] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def key(
        self,
        query: str,
        *,
        base_iri: str | None,
        dataset: tuple[list[str] | None, list[str] | None] | None,
        accept: str | None,
        format: str | None,
        max_rows: int,
        union: bool,
    ) -> Hashable | None:
        """The key of a query's answer as the store is now; None when it is not kept (no
        cache, or a store that cannot tell when it changed).  The query is taken as sent
        (lexing it again would cost more than the rest of a hit): only a query that was
        answered 200, after the safety check passed, is ever kept."""
        if self.watch is None:
            return None
        generation = self.watch.generation()
        if generation is None:
            return None
        graphs = None
        if dataset is not None:
            graphs = tuple(tuple(g) if g is not None else None for g in dataset)
        return (query, base_iri, graphs, accept, format, max_rows, union, generation)

    def get(self, key: Hashable) -> Response | None:
        """The kept answer, as a response, or None."""
        answer = self.peek(key)
        return answer.response() if answer is not None else None

    def offer(self, key: Hashable, resp: Response) -> Response:
        """Keep ``resp`` if it is complete (its whole body buffered), successful and fits;
        returns it, to be sent."""
        resp.headers[HIT] = "miss"
        if resp.status_code != 200 or "Content-Length" not in resp.headers:
            return resp
        body = resp.get_data()  # already buffered whole: Content-Length is set only then
        headers = tuple((k, v) for k, v in resp.headers.items() if k != HIT)
        self.keep(key, Answer(resp.status_code, resp.content_type, headers, body))
        return resp

    def keep(self, key: Hashable, answer: Answer | SentAnswer) -> bool:
        """Keep ``answer`` under ``key`` unless it is larger than an eighth of the cache;
        drop the least recently used answers past the size.  Whether it was kept."""
        size = _size(key, answer)
        if size > self.max_bytes // 8:
            return False
        with self.lock:
            old = self.answers.pop(key, None)
            if old is not None:
                self.size -= _size(key, old)
            self.answers[key] = answer
            self.size += size
            while self.size > self.max_bytes and self.answers:
                dropped_key, dropped = self.answers.popitem(last=False)
                self.size -= _size(dropped_key, dropped)
        return True

    def generation(self) -> int | None:
        """The store's generation now (None: nothing is kept)."""
        return self.watch.generation() if self.watch is not None else None

    def peek(self, key: Hashable) -> Answer | None:
        """The kept answer (marked as just used), or None."""
        answer = self._used(key)
        return answer if isinstance(answer, Answer) else None

    def peek_sent(self, key: Hashable) -> SentAnswer | None:
        """The answer kept as the bytes sent (marked as just used), or None."""
        answer = self._used(key)
        return answer if isinstance(answer, SentAnswer) else None

    def _used(self, key: Hashable) -> Answer | SentAnswer | None:
        with self.lock:
            answer = self.answers.get(key)
            if answer is not None:
                self.answers.move_to_end(key)
            return answer

    def close(self) -> None:
        if self.watch is not None:
            self.watch.close()


def _size(key: Hashable, answer: Answer | SentAnswer) -> int:
    """The bytes an answer is counted for: body, headers, the key's strings, and a fixed
    overhead."""
    size = len(answer.body) + _OVERHEAD
    size += sum(len(k) + len(v) for k, v in answer.headers)
    if isinstance(key, tuple):
        size += sum(len(part) for part in key if isinstance(part, (str, bytes)))
    return size


_WIRE_FIELDS = (
    "PATH_INFO",
    "SCRIPT_NAME",
    "QUERY_STRING",
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_ACCEPT",
    "HTTP_ORIGIN",
)
"""The request's fields a ``GET /sparql`` answer depends on: what the view reads (the query
string, ``Accept``, the base IRI from scheme, host and path) and what the CORS headers read
(``Origin``).  Settings (row limit, union default graph) are the app's, fixed."""

_PATHS = frozenset({"/sparql", "/sparql/"})

StartResponse = Callable[..., Any]


class KeptAnswers:
    """WSGI middleware: answers a ``GET /sparql`` it has kept without calling the app; keeps
    the app's answer to one when the view marks it (``environ[WIRE] = True``)."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.extensions["claimgraph"]
        return engine

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("PATH_INFO") not in _PATHS
            or environ.get("CONTENT_LENGTH") not in (None, "", "0")
            or environ.get("HTTP_TRANSFER_ENCODING")
        ):
            return self.wsgi_app(environ, start_response)
        cache = results_of(self.app)
        generation = cache.generation()  # before the query runs: never newer than its data
        if generation is None:
            return self.wsgi_app(environ, start_response)
        key = ("wire", generation, *(environ.get(name) for name in _WIRE_FIELDS))
        answer = cache.peek(key)
        if answer is not None and self._counted(environ):
            _note(key, environ, start_response)
            start_response(answer.status_line, [*answer.headers, (HIT, "hit")])
            return [answer.body]
        environ[WIRE] = False
        seen: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            seen[:] = [status, headers]
            return start_response(status, headers, *exc)

        body = self.wsgi_app(environ, capture)
        if environ.get(WIRE) is not True or not seen or not seen[0].startswith("200 "):
            return body
        status, headers = seen
        if not any(name.lower() == "content-length" for name, _ in headers):
            return body  # streamed: not whole
        try:
            data = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        kept = tuple((k, v) for k, v in headers if k != HIT)
        if cache.keep(key, Answer(200, None, kept, data, status_line=status)):
            _note(key, environ, start_response)
        return [data]

    def _counted(self, environ: dict[str, Any]) -> bool:
        return counted(self.engine, client_of(self.engine, environ))


def client_of(engine: Engine, environ: dict[str, Any]) -> str:
    """The client a request counts against (its slots)."""
    return client_address(
        environ.get("REMOTE_ADDR"),
        environ.get("HTTP_X_FORWARDED_FOR"),
        trusted=engine.settings.trust_forwarded_for,
    )


def counted(engine: Engine, client: str) -> bool:
    """Take and release one of the client's slots: a kept answer is still one of its
    requests.  False when it has none free (the app then answers, with its 429)."""
    try:
        with engine.slots.slot(client):
            return True
    except HTTPProblem:
        return False


NOTED = threading.local()
"""What :class:`KeptAnswers` answered or kept in this thread, for the HTTP worker
(:mod:`claimgraph.server.http_worker`) to keep as bytes: it sets ``NOTED.wanted`` before a
request and reads ``NOTED.seen`` (the key, the WSGI environ, the server's ``start_response``)
after it."""


def _note(key: tuple[Any, ...], environ: dict[str, Any], start_response: StartResponse) -> None:
    if getattr(NOTED, "wanted", False):
        NOTED.seen = (key, environ, start_response)


def results_of(app: Flask) -> ResultCache:
    """The cache of ``app`` in this worker process (made on first use, after gunicorn
    forks)."""
    cache = app.extensions.get("claimgraph_results")
    if cache is None:
        engine: Engine = app.extensions["claimgraph"]
        cache = ResultCache(engine.store_path, engine.settings.result_cache_mb)
        app.extensions["claimgraph_results"] = cache
    assert isinstance(cache, ResultCache)
    return cache
