"""The app's link to the store: runs tasks in query processes and turns their messages into
responses.

Blueprints reach it with :func:`current_engine`::

    from claimgraph.server.engine import current_engine

    value = current_engine().call("claimgraph.server.tasks:stats")

``call`` runs any importable function ``f(ctx, **kwargs)`` in a query process under the time
limit and returns its (picklable) value; ``ctx.reading()`` gives the store.  ``stream`` runs a
task that writes a response body and returns a streaming Flask response.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app

from claimgraph.store import MEMORY, OxigraphStore

from .errors import HTTPProblem, QueryTimeout
from .settings import Settings
from .workers import InlinePool, Job, Message, WorkerPool

log = logging.getLogger("claimgraph.server")


def _problem(payload: dict[str, Any]) -> HTTPProblem:
    if payload.get("traceback"):
        log.error("task failed: %s\n%s", payload.get("detail"), payload["traceback"])
        return HTTPProblem(
            500, "internal error while evaluating the request; the server log has the details"
        )
    return HTTPProblem(
        int(payload["status"]),
        str(payload["detail"]),
        title=payload.get("title"),
        headers=payload.get("headers") or {},
    )


class Engine:
    """Settings, the write token and the pool of query processes of one app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.token = settings.resolved_token()
        spec = settings.store
        if spec is None:
            import os

            from claimgraph.store import STORE_ENV, default_store_path

            spec = os.environ.get(STORE_ENV) or str(default_store_path())
        self.memory = spec == MEMORY
        self.store_path: Path | None = None
        self._pool: WorkerPool | InlinePool | None = None
        if self.memory:
            self._pool = InlinePool(OxigraphStore(None))
        else:
            self.store_path = Path(spec).expanduser().resolve()
            if not (self.store_path / "CURRENT").exists():
                # create an empty store so that read-only opens succeed
                OxigraphStore(self.store_path).close()
                import gc

                gc.collect()

    @property
    def pool(self) -> WorkerPool | InlinePool:
        """The pool of query processes, started on first use."""
        if self._pool is None:
            assert self.store_path is not None
            self._pool = WorkerPool(
                self.store_path,
                self.settings.query_workers,
                self.settings.query_memory_mb,
                allow_network=self.settings.allow_network_in_queries,
            )
        return self._pool

    @property
    def inline_store(self) -> OxigraphStore | None:
        """The in-memory store, when the app runs on one."""
        return self._pool.store if isinstance(self._pool, InlinePool) else None

    def close(self) -> None:
        """Stop the query processes."""
        if self._pool is not None:
            self._pool.close()

    def _submit(self, func: str, kwargs: dict[str, Any], deadline: float) -> Job:
        return self.pool.submit(
            func, kwargs, deadline=deadline, timeout_seconds=self.settings.timeout
        )

    def call(self, func: str, /, *, timeout: float | None = None, **kwargs: Any) -> Any:
        """Run ``func(ctx, **kwargs)`` in a query process; its return value, or the
        :class:`HTTPProblem` it raised (503 when it overran the time limit)."""
        limit = timeout or self.settings.timeout
        deadline = time.monotonic() + limit
        job = self._submit(func, kwargs, deadline)
        while True:
            try:
                kind, payload = job.recv(deadline, limit)
            except QueryTimeout:
                raise QueryTimeout(limit) from None
            if kind == "end":
                return payload
            if kind == "error":
                raise _problem(payload)

    def stream(self, func: str, /, *, status: int = 200, **kwargs: Any) -> Response:
        """Run a task that sends ``meta`` then body ``data``; the response streams the body.

        Up to ``buffer_bytes`` of the body are gathered before the status line goes out, so
        that a timeout or error in that window becomes a clean error response instead of a
        truncated 200.  Once streaming, the worker may take up to the time limit between
        two chunks; a client that goes away kills its worker.
        """
        limit = self.settings.timeout
        deadline = time.monotonic() + limit
        job = self._submit(func, kwargs, deadline)
        meta: dict[str, Any] = {}
        head: list[bytes] = []
        size = 0
        finished = False
        while True:
            kind, payload = job.recv(deadline, limit)
            if kind == "error":
                raise _problem(payload)
            if kind == "meta":
                meta.update(payload)
            elif kind == "data":
                head.append(payload)
                size += len(payload)
                if size >= self.settings.buffer_bytes:
                    break
            elif kind == "end":
                finished = True
                break

        def body() -> Iterator[bytes]:
            complete = finished
            try:
                yield from head
                while not complete:
                    try:
                        msg: Message = job.recv(time.monotonic() + limit, limit)
                    except HTTPProblem as e:
                        log.warning("response cut after the headers: %s", e.detail)
                        return
                    if msg[0] == "data":
                        yield msg[1]
                    elif msg[0] == "error":
                        log.warning("task failed after the headers: %s", msg[1].get("detail"))
                        return
                    elif msg[0] == "end":
                        complete = True
            finally:
                if not complete:
                    job.abort()

        headers = dict(meta.get("headers") or {})
        resp = Response(
            body(),
            status=int(meta.get("status", status)),
            content_type=meta.get("content_type"),
            headers=headers,
        )
        if finished:
            resp.headers["Content-Length"] = str(size)
        return resp


def init_app(app: Flask, settings: Settings) -> Engine:
    """Attach an :class:`Engine` to ``app`` (``app.extensions["claimgraph"]``)."""
    engine = Engine(settings)
    app.extensions["claimgraph"] = engine
    return engine


def current_engine() -> Engine:
    """The engine of the app handling the current request."""
    engine: Engine = current_app.extensions["claimgraph"]
    return engine
