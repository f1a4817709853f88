"""Query processes: where every read and write of the store is evaluated, and killed at the
deadline.

Neither pyoxigraph nor rdflib can cancel a running query from Python, so the server never
evaluates one in a request thread.  Each server process owns a :class:`WorkerPool` of
long-lived child processes (started through a ``forkserver``, so a replacement starts in
milliseconds).  A request takes an idle worker, sends it a task (a module-level function in
:mod:`claimgraph.server.tasks` or any other importable module, plus keyword arguments) and
reads its messages until the deadline; a worker that is still busy then is killed with
SIGKILL and replaced, and the caller gets a 503 (:class:`~claimgraph.server.errors.QueryTimeout`).

Store access inside a worker goes through :class:`WorkerContext`:

* reads use ``Store.read_only`` handles.  A read-only RocksDB handle is a snapshot of the
  moment it was opened (measured: writes made later are invisible to it, and opening one takes
  ~20 ms), so the worker compares a cheap signature of the store's ``CURRENT``, ``MANIFEST-*``
  and ``*.log`` files before each task and reopens the handle when it changed;
* writes open the store read-write for the duration of one task.  pyoxigraph calls reading a
  store while another process writes it undefined, so reads hold a shared ``flock`` on
  ``<store>/claimgraph-server.lock`` and writes an exclusive one: a write waits for running
  queries (at most the time limit) and queries wait for a running write.

A worker killed in the middle of a write loses that write whole: pyoxigraph commits each
transaction atomically and RocksDB recovers from its write-ahead log.

For a ``:memory:`` store (tests, experiments) the :class:`InlinePool` runs tasks in the
request thread against one shared store: same messages, no time limit.
"""

from __future__ import annotations

import fcntl
import gc
import importlib
import logging
import multiprocessing
import os
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from claimgraph.errors import ClaimgraphError
from claimgraph.store import OxigraphStore

from .errors import HTTPProblem, QueryTimeout

log = logging.getLogger("claimgraph.server")

CHUNK = 64 * 1024
LOCK_NAME = "claimgraph-server.lock"

Message = tuple[str, Any]
"""``("meta", dict)``, ``("data", bytes)``, ``("end", value)`` or ``("error", dict)``."""


# ------------------------------------------------------------------------- worker side


def store_signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when anyone writes the store: sizes and times of RocksDB's ``CURRENT``,
    ``MANIFEST-*`` and write-ahead ``*.log`` files."""
    out = []
    try:
        with os.scandir(path) as entries:
            for e in entries:
                if e.name == "CURRENT" or e.name.startswith("MANIFEST-") or e.name.endswith(".log"):
                    st = e.stat()
                    out.append((e.name, st.st_size, st.st_mtime_ns))
    except FileNotFoundError:
        return ()
    return tuple(sorted(out))


class _Writer:
    """A binary file-like object that sends what is written to it as ``data`` messages."""

    def __init__(self, send: Callable[[Message], None]) -> None:
        self._send = send
        self._buf: list[bytes] = []
        self._size = 0
        self.total = 0

    def write(self, b: bytes) -> int:
        if b:
            self._buf.append(bytes(b))
            self._size += len(b)
            self.total += len(b)
            if self._size >= CHUNK:
                self.flush()
        return len(b)

    def flush(self) -> None:
        if self._buf:
            self._send(("data", b"".join(self._buf)))
            self._buf, self._size = [], 0


@dataclass
class WorkerContext:
    """What a task gets: the store (opened read-only or read-write on demand), a way to
    send response metadata, and a writer for the response body."""

    store_path: Path | None
    send: Callable[[Message], None]
    memory_store: OxigraphStore | None = None
    _reader: OxigraphStore | None = field(default=None, repr=False)
    _signature: tuple[tuple[str, int, int], ...] = field(default=(), repr=False)
    writer: _Writer = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.writer = _Writer(self.send)

    def meta(self, **values: Any) -> None:
        """Send response metadata (status, content type, headers); must precede data."""
        self.send(("meta", values))

    def _lock(self, exclusive: bool) -> Any:
        assert self.store_path is not None
        lock = open(self.store_path / LOCK_NAME, "a+b")  # noqa: SIM115 - held across yield
        fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        return lock

    @contextmanager
    def reading(self) -> Iterator[OxigraphStore]:
        """The store as of now, read-only, under a shared lock."""
        if self.memory_store is not None:
            yield self.memory_store
            return
        assert self.store_path is not None
        lock = self._lock(exclusive=False)
        try:
            sig = store_signature(self.store_path)
            if self._reader is None or sig != self._signature:
                self._reader = None
                gc.collect()
                self._reader = OxigraphStore(self.store_path, read_only=True)
                self._signature = sig
            try:
                yield self._reader
            except OSError:
                self._reader = None  # a stale handle: the next task reopens it
                raise
        finally:
            lock.close()

    @contextmanager
    def writing(self) -> Iterator[OxigraphStore]:
        """The store opened read-write for one task, under the exclusive lock."""
        if self.memory_store is not None:
            yield self.memory_store
            return
        assert self.store_path is not None
        lock = self._lock(exclusive=True)
        store: OxigraphStore | None = None
        try:
            store = OxigraphStore(self.store_path)
            yield store
            store.close()
        finally:
            store = None
            gc.collect()  # drops the RocksDB handle and its LOCK before the flock goes
            self._reader = None
            lock.close()


def resolve(path: str) -> Callable[..., Any]:
    """``"module:function"`` → the function."""
    module, _, name = path.partition(":")
    func = getattr(importlib.import_module(module), name)
    if not callable(func):
        raise TypeError(f"{path} is not callable")
    return func  # type: ignore[no-any-return]


def error_message(error: BaseException) -> Message:
    """The ``error`` message for an exception raised by a task."""
    if isinstance(error, HTTPProblem):
        return (
            "error",
            {
                "status": error.status,
                "title": error.title,
                "detail": error.detail,
                "headers": error.headers,
            },
        )
    if isinstance(error, ClaimgraphError):
        from .errors import problem_from

        p = problem_from(error)
        return ("error", {"status": p.status, "title": p.title, "detail": p.detail})
    return (
        "error",
        {
            "status": 500,
            "title": "Internal Server Error",
            "detail": f"{type(error).__name__}: {error}",
            "traceback": traceback.format_exc(),
        },
    )


def run_task(ctx: WorkerContext, func_path: str, kwargs: dict[str, Any]) -> None:
    """Run one task, sending its messages through ``ctx.send``; always ends with ``end``
    or ``error``."""
    try:
        value = resolve(func_path)(ctx, **kwargs)
        ctx.writer.flush()
        ctx.send(("end", value))
    except BaseException as e:  # noqa: BLE001 - every failure becomes a message
        ctx.writer._buf, ctx.writer._size = [], 0
        ctx.send(error_message(e))


def limit_memory(megabytes: int) -> None:
    """Cap this process's data segment (heap and anonymous mappings): a query that needs more
    fails to allocate and the process dies, instead of the machine swapping."""
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def worker_main(
    conn: Connection, store_path: str, memory_mb: int = 0, allow_network: bool = False
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
    ctx = WorkerContext(Path(store_path), conn.send)
    while True:
        try:
            func_path, kwargs = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        run_task(ctx, func_path, kwargs)


# ------------------------------------------------------------------------- server side


class _Worker:
    def __init__(self, mp: Any, store_path: str, memory_mb: int, allow_network: bool) -> None:
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
        if msg[0] in ("end", "error"):
            self.finish()
        return msg

    def finish(self) -> None:
        """Give the worker back to the pool (the task has ended)."""
        if not self.done:
            self.done = True
            self._pool._release(self._worker, healthy=True)

    def abort(self) -> None:
        """Kill the worker (the task overran or its client went away)."""
        if not self.done:
            self.done = True
            self._pool._release(self._worker, healthy=False)


class WorkerPool:
    """Up to ``size`` query processes for one server process, started on demand."""

    def __init__(
        self, store_path: Path, size: int, memory_mb: int = 0, *, allow_network: bool = False
    ) -> None:
        self.store_path = str(store_path)
        self.size = size
        self.memory_mb = memory_mb
        self.allow_network = allow_network
        self._mp = multiprocessing.get_context("forkserver")
        # workers fork from a server that has already imported what tasks need
        self._mp.set_forkserver_preload(
            ["claimgraph.server.tasks", "claimgraph.server.updates", "claimgraph.validation"]
        )
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

    def submit(
        self, func_path: str, kwargs: dict[str, Any], *, deadline: float, timeout_seconds: float
    ) -> Job:
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
            worker.conn.send((func_path, kwargs))
        except (OSError, ValueError):
            self._release(worker, healthy=False)
            return self.submit(
                func_path, kwargs, deadline=deadline, timeout_seconds=timeout_seconds
            )
        return Job(self, worker)

    def _release(self, worker: _Worker | None, *, healthy: bool) -> None:
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

    def submit(
        self, func_path: str, kwargs: dict[str, Any], *, deadline: float, timeout_seconds: float
    ) -> Job:
        messages: list[Message] = []
        ctx = WorkerContext(None, messages.append, memory_store=self.store)
        with self._lock:
            run_task(ctx, func_path, kwargs)
        return Job(self, None, messages)

    def _release(self, worker: _Worker | None, *, healthy: bool) -> None:
        pass

    def close(self) -> None:
        """Nothing to stop."""
