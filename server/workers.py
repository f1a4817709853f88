"""Query processes: where every read and write of the store is evaluated, and killed at the
deadline.

Neither pyoxigraph nor rdflib can cancel a running query from Python (and ``oxigraph serve
--timeout-s`` was measured not to stop one either: see ``bench/README.md``), so the server
never evaluates one in a request thread.  Each server process owns a :class:`WorkerPool` of
long-lived child processes, started through a ``forkserver`` (so a replacement starts in
milliseconds and no RocksDB handle crosses a fork).  A request takes an idle worker, sends it
a :class:`~claimgraph.server.messages.TaskCall` and reads its messages until the deadline; a
worker still busy then is killed with SIGKILL and replaced, and the caller gets a 503
(:class:`~claimgraph.server.errors.QueryTimeout`).  A worker that dies on its own — most
likely it needed more memory than ``query_memory_mb`` lets it have — gives its caller a 503
saying so.

Each worker opens the store once, as a :class:`~claimgraph.store.OxigraphStore`, and every
task works through it: reading and writing sessions take the store's file locks
(:mod:`claimgraph.store.locking`), the same every other claimgraph process takes.  So a write
waits for running queries (at most the time limit) and queries wait for a running write,
whichever process runs them.

For a ``:memory:`` store (tests, experiments) the :class:`InlinePool` runs tasks in the
request thread against one shared store: same messages, no time limit.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path

from claimgraph.store import OxigraphStore, RemoteConfig, Store

from .errors import HTTPProblem, QueryTimeout
from .messages import End, Failure, Message, TaskCall, TaskContext, run_task

log = logging.getLogger("claimgraph.server")

PRELOAD = ["claimgraph.server.tasks", "claimgraph.server.updates", "claimgraph.validation"]
"""Modules the forkserver imports once, so that workers start with them loaded."""


# ------------------------------------------------------------------------- worker side


def limit_memory(megabytes: int) -> None:
    """Cap this process's data segment (heap and anonymous mappings): a query that needs more
    fails to allocate and the process dies, instead of the machine swapping."""
    if megabytes <= 0:
        return
    import resource  # Unix only, and only query processes need it

    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def open_worker_store(store: str | RemoteConfig) -> Store:
    """The store a query process works on: the directory ``store``, or the remote store
    ``store`` describes (reached through the server process's relay)."""
    if isinstance(store, RemoteConfig):
        return store.open()
    return OxigraphStore(Path(store))


def worker_main(
    conn: Connection,
    store_path: str | RemoteConfig,
    memory_mb: int = 0,
    allow_network: bool = False,
) -> None:
    """The loop of one query process: leave the network (:mod:`claimgraph.server.sandbox`),
    then receive a task, run it, repeat until the pipe closes."""
    from .sandbox import SandboxUnavailable, install

    try:
        install()
    except SandboxUnavailable as e:
        if not allow_network:
            log.error(
                "query process not started: it cannot be cut off from the network "
                "(%s); set allow_network_in_queries to run without that wall",
                e,
            )
            return
    limit_memory(memory_mb)
    ctx = TaskContext(open_worker_store(store_path), conn.send)
    while True:
        try:
            call: TaskCall = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        run_task(ctx, call)


# ------------------------------------------------------------------------- server side


class _Worker:
    def __init__(
        self,
        mp: ForkServerContext,
        store_path: str | RemoteConfig,
        memory_mb: int,
        allow_network: bool,
    ) -> None:
        self.conn, child = mp.Pipe(duplex=True)
        self.process = mp.Process(
            target=worker_main,
            args=(child, store_path, memory_mb, allow_network),
            name="claimgraph-query",
            daemon=True,
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(2)
        except (OSError, ValueError, AssertionError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass


class Job:
    """One task running in one worker; read its messages with :meth:`recv`."""

    def __init__(
        self,
        pool: WorkerPool | InlinePool,
        worker: _Worker | None,
        messages: list[Message] | None = None,
    ) -> None:
        self._pool = pool
        self._worker = worker
        self._messages = messages
        self.done = False

    @property
    def pid(self) -> int | None:
        """The process running the task (None in the request thread)."""
        return self._worker.process.pid if self._worker is not None else None

    def recv(self, deadline: float, timeout_seconds: float) -> Message:
        """The next message; kill the worker and raise :class:`QueryTimeout` at ``deadline``."""
        if self._messages is not None:
            return self._messages.pop(0)
        assert self._worker is not None
        remaining = deadline - time.monotonic()
        try:
            ready = remaining > 0 and self._worker.conn.poll(remaining)
            if not ready:
                self.abort()
                raise QueryTimeout(timeout_seconds)
            msg: Message = self._worker.conn.recv()
        except (EOFError, OSError):
            self.abort()
            raise HTTPProblem(
                503,
                "the query process stopped while evaluating the request: most likely the "
                "query needed more memory than a query process may use (query_memory_mb). "
                "Narrow it (LIMIT, more specific patterns, no ORDER BY over huge results).",
                title="Query stopped",
            ) from None
        if isinstance(msg, End | Failure):
            self.finish()
        return msg

    def finish(self) -> None:
        """Give the worker back to the pool (the task has ended)."""
        if not self.done:
            self.done = True
            self._pool.release(self._worker, healthy=True)

    def abort(self) -> None:
        """Kill the worker (the task overran or its client went away)."""
        if not self.done:
            self.done = True
            self._pool.release(self._worker, healthy=False)


class WorkerPool:
    """Up to ``size`` query processes for one server process, started on demand."""

    def __init__(
        self,
        store_path: Path | RemoteConfig,
        size: int,
        memory_mb: int = 0,
        *,
        allow_network: bool = False,
    ) -> None:
        self.store_path = store_path if isinstance(store_path, RemoteConfig) else str(store_path)
        self.size = size
        self.memory_mb = memory_mb
        self.allow_network = allow_network
        self._mp = multiprocessing.get_context("forkserver")
        self._mp.set_forkserver_preload(PRELOAD)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._count = 0
        self._all: set[_Worker] = set()
        self._closed = False

    def warm(self) -> None:
        """Start every worker now rather than on first use."""
        while True:
            with self._lock:
                if self._count >= self.size:
                    return
                self._count += 1
            w = self._start()
            self._idle.put(w)

    def _start(self) -> _Worker:
        try:
            w = _Worker(self._mp, self.store_path, self.memory_mb, self.allow_network)
        except BaseException:
            with self._lock:
                self._count -= 1
            raise
        with self._lock:
            self._all.add(w)
        return w

    def submit(self, call: TaskCall, *, deadline: float, timeout_seconds: float) -> Job:
        """Send a task to an idle worker (starting one if fewer than ``size`` run); raise
        503 if none frees up before ``deadline``."""
        if self._closed:
            raise HTTPProblem(503, "the server is shutting down")
        worker: _Worker | None = None
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            with self._lock:
                start = self._count < self.size
                if start:
                    self._count += 1
            if start:
                worker = self._start()
            else:
                try:
                    worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    raise HTTPProblem(
                        503,
                        f"all {self.size} query processes stayed busy for the whole time "
                        f"limit ({timeout_seconds:g} s); try again shortly",
                        title="Server busy",
                        headers={"Retry-After": "2"},
                    ) from None
        try:
            worker.conn.send(call)
        except (OSError, ValueError):
            self.release(worker, healthy=False)
            return self.submit(call, deadline=deadline, timeout_seconds=timeout_seconds)
        return Job(self, worker)

    def release(self, worker: _Worker | None, *, healthy: bool) -> None:
        """Take a worker back after a task: idle again if ``healthy``, else killed."""
        assert worker is not None
        if healthy and not self._closed and worker.process.is_alive():
            self._idle.put(worker)
            return
        worker.kill()
        with self._lock:
            self._count -= 1
            self._all.discard(worker)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
            self._count = 0
        for w in workers:
            w.kill()


class InlinePool:
    """Runs tasks in the calling thread against one in-memory store (no time limit)."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store = store
        self.size = 1
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Nothing to start."""

    def submit(self, call: TaskCall, *, deadline: float, timeout_seconds: float) -> Job:
        """Run the task now; its messages are read from the returned job."""
        messages: list[Message] = []
        with self._lock:
            run_task(TaskContext(self.store, messages.append), call)
        return Job(self, None, messages)

    def release(self, worker: _Worker | None, *, healthy: bool) -> None:
        """Nothing to give back."""

    def close(self) -> None:
        """Nothing to stop."""
