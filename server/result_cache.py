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
``result_cache_mb`` MiB per worker process (least recently used first out).  An app on an
in-memory store keeps nothing: its worker processes cannot see that store's generation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

from flask import Response

from claimgraph.store import OxigraphStore

HIT = "Claimgraph-Cache"
"""Response header: ``hit`` for an answer sent from the cache, ``miss`` otherwise."""


@dataclass(frozen=True)
class Answer:
    """A complete response, as it was sent."""

    status: int
    content_type: str | None
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def response(self) -> Response:
        resp = Response(self.body, status=self.status, content_type=self.content_type)
        for name, value in self.headers:
            if name.lower() not in ("content-type", "content-length"):
                resp.headers[name] = value
        resp.headers[HIT] = "hit"
        return resp


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
        self.answers: OrderedDict[Hashable, Answer] = OrderedDict()
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
        with self.lock:
            answer = self.answers.get(key)
            if answer is None:
                return None
            self.answers.move_to_end(key)
        return answer.response()

    def offer(self, key: Hashable, resp: Response) -> Response:
        """Keep ``resp`` if it is complete (its whole body buffered), successful and fits;
        returns it, to be sent."""
        resp.headers[HIT] = "miss"
        if resp.status_code != 200 or "Content-Length" not in resp.headers:
            return resp
        body = resp.get_data()  # already buffered whole: Content-Length is set only then
        if len(body) > self.max_bytes // 8:
            return resp
        headers = tuple((k, v) for k, v in resp.headers.items() if k != HIT)
        answer = Answer(resp.status_code, resp.content_type, headers, body)
        with self.lock:
            old = self.answers.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.answers[key] = answer
            self.size += len(body)
            while self.size > self.max_bytes and self.answers:
                _, dropped = self.answers.popitem(last=False)
                self.size -= len(dropped.body)
        return resp

    def close(self) -> None:
        if self.watch is not None:
            self.watch.close()
