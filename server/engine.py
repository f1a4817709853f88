"""The app's link to the store: runs tasks in query processes and turns their messages into
responses.

Blueprints reach it with :func:`current_engine` and pass it a task — a module-level function
whose first parameter is a :class:`~claimgraph.server.messages.TaskContext` — and the task's
keyword arguments, type-checked against its signature::

    from claimgraph.server import tasks
    from claimgraph.server.engine import current_engine

    counts = current_engine().call(tasks.stats)

``call`` runs the task in a query process under the time limit and returns its (picklable)
value; ``write`` does the same under the write time limit; ``stream`` runs a task that writes
a response body and returns a streaming Flask response.

Each of them, inside a request, first takes one of the client's slots
(:mod:`claimgraph.server.sharing`: at most ``max_queries_per_client`` at once, else 429) and
holds it until the task has ended — ``/health`` excepted, so that a monitor sharing an address
with a busy client still gets through.  Reads may run in the pool's short lane
(:mod:`claimgraph.server.workers`) — unless their client already holds a regular query
process — and one that overruns it is sent again to a regular query process, within its own
time limit.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar, cast

from flask import Flask, Response, current_app, has_request_context, request

from claimgraph.store import (
    MEMORY,
    STORE_ENV,
    OxigraphStore,
    RemoteConfig,
    default_store_path,
    is_remote,
    remote_config,
)

from .errors import HTTPProblem
from .messages import Data, End, Failure, Meta, TaskCall, TaskContext
from .relay import Relay
from .settings import Settings
from .sharing import ClientSlots, client_address
from .workers import InlinePool, Job, ShortLaneOverrun, WorkerPool

log = logging.getLogger("claimgraph.server")

UNLIMITED_PATHS = frozenset({"/health"})
"""Routes that take no client slot (:mod:`claimgraph.server.sharing`) and may always use the
short lane."""

P = ParamSpec("P")
R = TypeVar("R")


def _problem(failure: Failure) -> HTTPProblem:
    if failure.traceback:
        log.error("task failed: %s\n%s", failure.detail, failure.traceback)
        return HTTPProblem(
            500, "internal error while evaluating the request; the server log has the details"
        )
    return HTTPProblem(
        failure.status, failure.detail, title=failure.title, headers=dict(failure.headers)
    )


STORE_GRACE = 2.0
"""Seconds a SPARQL server's answer may take past the server's time limit before the store
gives up on it.  Were the two equal, a query process's "did not answer within N s" could reach
the engine before the engine notices its own deadline, and a runaway query would be reported as
a slow store instead of a query past the time limit."""


class Engine:
    """Settings, the write token and the pool of query processes of one app.

    The store is a directory (each query process opens it), ``:memory:`` (tasks run in the
    request thread), or a SPARQL server: each query process then opens a
    :class:`~claimgraph.store.RemoteStore` that reaches the server through this process's
    :class:`~claimgraph.server.relay.Relay` (query processes have no network of their own),
    with the server's time limits plus :data:`STORE_GRACE` as the store's: the server's own
    deadline stops a runaway query first and says "time limit"; the store's is the backstop.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.token = settings.resolved_token()
        spec = settings.store or os.environ.get(STORE_ENV) or str(default_store_path())
        self.memory = spec == MEMORY
        self.store_path: Path | None = None
        self.remote: RemoteConfig | None = None
        self._relay: Relay | None = None
        self._pool: WorkerPool | InlinePool | None = None
        self._own_run_dir = settings.run_dir is None
        run_dir = Path(settings.run_dir or tempfile.mkdtemp(prefix="claimgraph-run-"))
        self.run_dir = run_dir
        self.slots = ClientSlots(run_dir / "clients", settings.max_queries_per_client)
        self._turn = threading.Lock()
        self._regular: dict[str, int] = {}
        """Per client: the regular query processes its requests hold in this process."""
        if self.memory:
            self._pool = InlinePool(OxigraphStore(None))
        elif is_remote(spec):
            self.remote = remote_config(
                spec,
                update_url=settings.update_url,
                gsp_url=settings.gsp_url,
                auth=settings.store_auth,
                token=settings.store_token,
                timeout=settings.timeout + STORE_GRACE,
                write_timeout=settings.write_timeout + STORE_GRACE,
            )
        else:
            self.store_path = Path(spec).expanduser().resolve()
            OxigraphStore(self.store_path).close()  # an empty store if there was none

    @property
    def pool(self) -> WorkerPool | InlinePool:
        """The pool of query processes, started on first use."""
        if self._pool is None:
            store: Path | RemoteConfig
            if self.remote is not None:
                self._relay = Relay(self.remote.origins())
                store = replace(self.remote, relays=self._relay.paths)
            else:
                assert self.store_path is not None
                store = self.store_path
            self._pool = WorkerPool(
                store,
                self.settings.query_workers,
                self.settings.query_memory_mb,
                allow_network=self.settings.allow_network_in_queries,
                reserved=self.settings.reserved_query_workers,
                short_seconds=self.settings.short_query_seconds,
            )
        return self._pool

    @property
    def inline_store(self) -> OxigraphStore | None:
        """The in-memory store, when the app runs on one."""
        return self._pool.store if isinstance(self._pool, InlinePool) else None

    def close(self) -> None:
        """Stop the query processes and the relay to a remote store (and remove the runtime
        directory made for them)."""
        if self._pool is not None:
            self._pool.close()
        if self._relay is not None:
            self._relay.close()
        if self._own_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def _submit(self, call: TaskCall, deadline: float, *, short_lane: bool = True) -> Job:
        return self.pool.submit(
            call, deadline=deadline, timeout_seconds=self.settings.timeout, short_lane=short_lane
        )

    @contextmanager
    def client_slot(self) -> Iterator[None]:
        """Hold one of the requesting client's slots while the block runs (429 if none): for
        an answer sent without a task (a cached one), which still counts as one of the
        client's requests."""
        with ExitStack() as stack:
            self._client_slot(stack)
            yield

    def _client_slot(self, stack: ExitStack) -> str | None:
        """Take one of the requesting client's slots until ``stack`` closes (429 if none);
        the client, or None outside a request and on the unlimited routes (which may always
        use the short lane)."""
        if not has_request_context() or request.path in UNLIMITED_PATHS:
            return None
        client = client_address(
            request.remote_addr,
            request.headers.get("X-Forwarded-For"),
            trusted=self.settings.trust_forwarded_for,
        )
        stack.enter_context(self.slots.slot(client))
        return client

    def _start(
        self, stack: ExitStack, client: str | None, call: TaskCall, deadline: float, lane: bool
    ) -> Job:
        """Submit ``call``; the short lane only if allowed and the client holds no regular
        query process already (so a burst of runaways from one client never churns through
        the reserved processes).  A regular one is counted against the client until
        ``stack`` closes.  The client is counted from before the submission: requests of one
        client submitted at once (a burst of runaways) each saw no regular process held yet,
        and one of them took the reserved process for its short lane, leaving ``/health`` to
        restart it past its 5 s."""
        with self._turn:
            lane = lane and not self._regular.get(client or "", 0)
            if client is not None:
                self._regular[client] = self._regular.get(client, 0) + 1
        try:
            job = self._submit(call, deadline, short_lane=lane)
        except BaseException:
            self._release_regular(client)
            raise
        if job.short_deadline is None:
            stack.callback(self._release_regular, client)
        else:
            self._release_regular(client)  # in the short lane: no regular process held
        return job

    def _release_regular(self, client: str | None) -> None:
        if client is None:
            return
        with self._turn:
            left = self._regular.get(client, 0) - 1
            if left > 0:
                self._regular[client] = left
            else:
                self._regular.pop(client, None)

    def call(
        self, task: Callable[Concatenate[TaskContext, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run ``task(ctx, *args, **kwargs)`` in a query process under the time limit; its
        return value, or the :class:`HTTPProblem` it raised (503 when it overran)."""
        return cast(R, self._call(self.settings.timeout, True, TaskCall(task, args, kwargs)))

    def write(
        self, task: Callable[Concatenate[TaskContext, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """:meth:`call` for a task that writes: under the write time limit, never in the
        short lane."""
        return cast(R, self._call(self.settings.write_timeout, False, TaskCall(task, args, kwargs)))

    def call_own(self, seconds: float, task: Callable[[TaskContext], R]) -> R:
        """Run one of claimgraph's own cheap tasks (the ``/health`` ping) under a time limit
        of ``seconds``, in the short lane for all of it: such a task cannot run away, so a
        starved machine slowing it past the short lane's limit is no reason to kill its
        process and queue it behind the runaways."""
        return cast(R, self._call(seconds, True, TaskCall(task, (), {}), whole_lane=True))

    def _call(
        self, seconds: float, short_lane: bool, call: TaskCall, *, whole_lane: bool = False
    ) -> object:
        deadline = time.monotonic() + seconds
        with ExitStack() as stack:
            client = self._client_slot(stack)
            job = self._start(stack, client, call, deadline, short_lane)
            if whole_lane:
                job.short_deadline = None
            while True:
                try:
                    msg = job.recv(deadline, seconds)
                except ShortLaneOverrun:
                    job = self._start(stack, client, call, deadline, False)
                    continue
                if isinstance(msg, End):
                    return msg.value
                if isinstance(msg, Failure):
                    raise _problem(msg)

    def stream(
        self,
        task: Callable[Concatenate[TaskContext, P], None],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Response:
        """Run a task that sends :class:`~claimgraph.server.messages.Meta` then the body;
        the response streams the body.

        Up to ``buffer_bytes`` of the body are gathered before the status line goes out, so
        that a timeout or error in that window becomes a clean error response instead of a
        truncated 200.  Once streaming, the worker may take up to the time limit between
        two chunks; a client that goes away kills its worker.
        """
        limit = self.settings.timeout
        deadline = time.monotonic() + limit
        call = TaskCall(task, args, kwargs)
        stack = ExitStack()
        try:
            client = self._client_slot(stack)
            job = self._start(stack, client, call, deadline, True)
            meta = Meta()
            head: list[bytes] = []
            size = 0
            finished = False
            while not finished:
                try:
                    msg = job.recv(deadline, limit)
                except ShortLaneOverrun:  # nothing was sent yet: start over in a regular one
                    job = self._start(stack, client, call, deadline, False)
                    meta, head, size = Meta(), [], 0
                    continue
                if isinstance(msg, Failure):
                    raise _problem(msg)
                if isinstance(msg, Meta):
                    meta = msg
                elif isinstance(msg, Data):
                    head.append(msg.chunk)
                    size += len(msg.chunk)
                    if size >= self.settings.buffer_bytes:
                        break
                else:
                    finished = True
        except BaseException:
            stack.close()
            raise
        job.short_deadline = None  # streaming now: the status line is about to go out
        if finished:
            stack.close()  # all of it is here: the client's slot is free before it reads

        def body() -> Iterator[bytes]:
            complete = finished
            try:
                yield from head
                while not complete:
                    try:
                        msg = job.recv(time.monotonic() + limit, limit)
                    except HTTPProblem as e:
                        log.warning("response cut after the headers: %s", e.detail)
                        return
                    if isinstance(msg, Data):
                        yield msg.chunk
                    elif isinstance(msg, Failure):
                        log.warning("task failed after the headers: %s", msg.detail)
                        return
                    elif isinstance(msg, End):
                        complete = True
            finally:
                if not complete:
                    job.abort()
                stack.close()

        resp = Response(
            body(),
            status=meta.status or 200,
            content_type=meta.content_type,
            headers=dict(meta.headers),
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
