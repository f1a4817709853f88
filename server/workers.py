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

**The short lane.**  Besides its ``size`` regular workers a pool keeps ``reserved`` workers
for short requests: a read that finds every regular worker busy runs in a reserved one, for at
most ``short_seconds``.  If it finishes by then (an ASK, a lookup, a page of results) its
client never noticed the crowd; if not, the reserved worker is killed and replaced, and the
request goes back to wait for a regular worker (:class:`ShortLaneOverrun`, handled by the
engine) with what is left of its time limit.  So runaways, however many, hold at most the
regular workers, and a cheap query from anyone is still answered at once.  Writes never use
the short lane, nor (the engine decides) a client that already holds a regular worker.

**Orphans.**  Each worker asks the kernel to kill it when its parent (the forkserver) dies
(``PR_SET_PDEATHSIG``), the forkserver asks the same of its own parent (the server process:
:mod:`claimgraph.server.orphans`, preloaded into it), and a watchdog thread in each worker
exits when the server process that owns it is gone.  A server killed with SIGKILL therefore
leaves no query process running for more than about a second.

For a ``:memory:`` store (tests, experiments) the :class:`InlinePool` runs tasks in the
request thread against one shared store: same messages, no time limit.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path

from claimgraph.store import OxigraphStore, RemoteConfig, Store

from .errors import HTTPProblem, QueryTimeout
from .messages import Data, End, Failure, Message, Meta, TaskCall, TaskContext, run_task, unpacked

log = logging.getLogger("claimgraph.server")

PRELOAD = [
    "claimgraph.server.orphans",
    "claimgraph.server.tasks",
    "claimgraph.server.updates",
    "claimgraph.validation",
]
"""Modules the forkserver imports once, so that workers start with them loaded (the first
makes the forkserver die with its parent: :mod:`claimgraph.server.orphans`)."""


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
    owner: int | None = None,
) -> None:
    """The loop of one query process: die with its parent and with the server process
    ``owner`` (:mod:`claimgraph.server.orphans`), leave the network
    (:mod:`claimgraph.server.sandbox`), then receive a task, run it, repeat until the pipe
    closes."""
    from .orphans import die_with_parent, watch_owner
    from .sandbox import SandboxUnavailable, install

    die_with_parent()
    if owner is not None:
        watch_owner(owner)

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
        *,
        reserved: bool = False,
    ) -> None:
        self.reserved = reserved
        self.conn, child = mp.Pipe(duplex=True)
        self.process = mp.Process(
            target=worker_main,
            args=(child, store_path, memory_mb, allow_network, os.getpid()),
            name="claimgraph-query-short" if reserved else "claimgraph-query",
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


class ShortLaneOverrun(Exception):
    """A request in the short lane ran past ``short_seconds``: its reserved worker was killed
    and replaced, and the request is to be sent again to a regular worker."""


class Job:
    """One task running in one worker; read its messages with :meth:`recv`."""

    def __init__(
        self,
        pool: WorkerPool | InlinePool,
        worker: _Worker | None,
        messages: list[Message] | None = None,
        *,
        short_deadline: float | None = None,
    ) -> None:
        self._pool = pool
        self._worker = worker
        self._messages = messages
        self._queued: deque[Meta | Data | End | Failure] = deque()
        """Messages that came in one :class:`~claimgraph.server.messages.Batch`, not yet read."""
        self.short_deadline = short_deadline
        """In the short lane: when the request must have ended, or go back to the queue."""
        self.done = False

    @property
    def pid(self) -> int | None:
        """The process running the task (None in the request thread)."""
        return self._worker.process.pid if self._worker is not None else None

    def recv(self, deadline: float, timeout_seconds: float) -> Meta | Data | End | Failure:
        """The next message; kill the worker and raise :class:`QueryTimeout` at ``deadline``.
        The worker goes back to the pool as soon as the task's last message has arrived."""
        if not self._queued:
            arrived = unpacked(self._receive(deadline, timeout_seconds))
            if self._messages is None and isinstance(arrived[-1], End | Failure):
                self.finish()
            self._queued.extend(arrived)
        return self._queued.popleft()

    def _receive(self, deadline: float, timeout_seconds: float) -> Message:
        if self._messages is not None:
            return self._messages.pop(0)
        assert self._worker is not None
        short = self.short_deadline is not None and self.short_deadline < deadline
        until = self.short_deadline if short and self.short_deadline else deadline
        remaining = until - time.monotonic()
        try:
            ready = remaining > 0 and self._worker.conn.poll(remaining)
            if not ready:
                self.abort()
                if short:
                    raise ShortLaneOverrun()
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
    """Up to ``size`` regular query processes for one server process, started on demand, and
    ``reserved`` more for short requests (the short lane, see the module doc)."""

    def __init__(
        self,
        store_path: Path | RemoteConfig,
        size: int,
        memory_mb: int = 0,
        *,
        allow_network: bool = False,
        reserved: int = 0,
        short_seconds: float = 1.0,
    ) -> None:
        self.store_path = store_path if isinstance(store_path, RemoteConfig) else str(store_path)
        self.size = size
        self.reserved = reserved
        self.short_seconds = short_seconds
        self.memory_mb = memory_mb
        self.allow_network = allow_network
        self._mp = multiprocessing.get_context("forkserver")
        self._mp.set_forkserver_preload(PRELOAD)
        self._turn = threading.Condition()
        self._idle: list[_Worker] = []
        self._idle_reserved: list[_Worker] = []
        self._count = 0
        self._count_reserved = 0
        self._all: set[_Worker] = set()
        self._closed = False

    def warm(self) -> None:
        """Start every worker now rather than on first use."""
        while True:
            with self._turn:
                if self._count < self.size:
                    self._count += 1
                    reserved = False
                elif self._count_reserved < self.reserved:
                    self._count_reserved += 1
                    reserved = True
                else:
                    return
            w = self._start(reserved)
            with self._turn:
                (self._idle_reserved if reserved else self._idle).append(w)
                self._turn.notify_all()

    def _start(self, reserved: bool) -> _Worker:
        try:
            w = _Worker(
                self._mp, self.store_path, self.memory_mb, self.allow_network, reserved=reserved
            )
        except BaseException:
            with self._turn:
                if reserved:
                    self._count_reserved -= 1
                else:
                    self._count -= 1
                self._turn.notify_all()
            raise
        with self._turn:
            self._all.add(w)
        return w

    def submit(
        self, call: TaskCall, *, deadline: float, timeout_seconds: float, short_lane: bool = True
    ) -> Job:
        """Send a task to an idle regular worker (starting one if fewer than ``size`` run);
        when all are busy and ``short_lane`` allows, to an idle reserved worker, for at most
        ``short_seconds``; else wait for one.  Raise 503 if none frees up before
        ``deadline``."""
        if self._closed:
            raise HTTPProblem(503, "the server is shutting down")
        worker: _Worker | None = None
        start: bool | None = None  # start a regular (False) or a reserved (True) worker
        with self._turn:
            while worker is None and start is None:
                if self._idle:
                    worker = self._idle.pop()
                elif self._count < self.size:
                    self._count += 1
                    start = False
                elif short_lane and self._idle_reserved:
                    worker = self._idle_reserved.pop()
                elif short_lane and self._count_reserved < self.reserved:
                    self._count_reserved += 1
                    start = True
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or not self._turn.wait(remaining):
                        if self._idle or (short_lane and self._idle_reserved):
                            continue
                        raise HTTPProblem(
                            503,
                            f"all {self.size} query processes stayed busy for the whole time "
                            f"limit ({timeout_seconds:g} s); try again shortly",
                            title="Server busy",
                            headers={"Retry-After": "2"},
                        )
        if worker is None:
            assert start is not None
            worker = self._start(start)
        try:
            worker.conn.send(call)
        except (OSError, ValueError):
            self.release(worker, healthy=False)
            return self.submit(
                call, deadline=deadline, timeout_seconds=timeout_seconds, short_lane=short_lane
            )
        short = time.monotonic() + self.short_seconds if worker.reserved else None
        return Job(self, worker, short_deadline=short)

    def release(self, worker: _Worker | None, *, healthy: bool) -> None:
        """Take a worker back after a task: idle again if ``healthy``, else killed."""
        assert worker is not None
        if healthy and not self._closed and worker.process.is_alive():
            with self._turn:
                (self._idle_reserved if worker.reserved else self._idle).append(worker)
                self._wake(worker)
            return
        worker.kill()
        with self._turn:
            if worker.reserved:
                self._count_reserved -= 1
            else:
                self._count -= 1
            self._all.discard(worker)
            self._wake(worker)
        if worker.reserved and not self._closed:
            # the short lane must be ready when the next short request comes: replace now
            threading.Thread(target=self._refill_reserved, daemon=True).start()

    def _wake(self, worker: _Worker) -> None:
        """Wake the requests waiting for ``worker``'s place (the lock held): any one of them
        can take a regular worker, so one is woken (waking them all, with a dozen waiting,
        cost more CPU than the query); only short-lane requests can take a reserved one, so
        all are woken to find one."""
        if worker.reserved:
            self._turn.notify_all()
        else:
            self._turn.notify()

    def _refill_reserved(self) -> None:
        with self._turn:
            if self._closed or self._count_reserved >= self.reserved:
                return
            self._count_reserved += 1
        try:
            w = self._start(True)
        except Exception:  # noqa: BLE001 - the next short request starts one itself
            log.warning("could not restart a reserved query process", exc_info=True)
            return
        with self._turn:
            self._idle_reserved.append(w)
            self._turn.notify_all()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._turn:
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._idle_reserved.clear()
            self._count = self._count_reserved = 0
            self._turn.notify_all()
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

    def submit(
        self, call: TaskCall, *, deadline: float, timeout_seconds: float, short_lane: bool = True
    ) -> Job:
        """Run the task now; its messages are read from the returned job."""
        messages: list[Message] = []
        with self._lock:
            run_task(TaskContext(self.store, messages.append), call)
        return Job(self, None, messages)

    def release(self, worker: _Worker | None, *, healthy: bool) -> None:
        """Nothing to give back."""

    def close(self) -> None:
        """Nothing to stop."""
