"""The query processes themselves: killed at the deadline and replaced, killed by the memory
cap, queued by the store's locks, and cut off from the network whatever they are asked."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import worker_tasks
from forgery import Listener

from claimgraph.server.errors import HTTPProblem, QueryTimeout
from claimgraph.server.messages import End, Failure, Meta, TaskCall
from claimgraph.server.sandbox import probe
from claimgraph.server.workers import Job, WorkerPool
from claimgraph.store import OxigraphStore

LIMIT = 30.0


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    OxigraphStore(tmp_path / "store").close()
    return tmp_path / "store"


@pytest.fixture
def pool(store_dir: Path) -> Iterator[WorkerPool]:
    p = WorkerPool(store_dir, 1)
    yield p
    p.close()


@pytest.fixture
def started(store_dir: Path) -> Iterator[Callable[[int], WorkerPool]]:
    """``started(n)``: a pool of ``n`` query processes, all running."""
    pools: list[WorkerPool] = []

    def start(size: int) -> WorkerPool:
        pools.append(WorkerPool(store_dir, size))
        pools[-1].warm()
        return pools[-1]

    yield start
    for p in pools:
        p.close()


def submit(
    pool: WorkerPool, task: Callable[..., object], limit: float = LIMIT, **kwargs: object
) -> tuple[Job, float]:
    deadline = time.monotonic() + limit
    return pool.submit(
        TaskCall(task, (), kwargs), deadline=deadline, timeout_seconds=limit
    ), deadline


def result(job: Job, deadline: float, limit: float = LIMIT) -> object:
    while True:
        msg = job.recv(deadline, limit)
        if isinstance(msg, End):
            return msg.value
        if isinstance(msg, Failure):
            raise AssertionError(msg)


def call(pool: WorkerPool, task: Callable[..., object], **kwargs: object) -> object:
    return result(*submit(pool, task, **kwargs))


def began(job: Job, deadline: float) -> None:
    """Wait for the task's announcement that it holds the store."""
    assert isinstance(job.recv(deadline, LIMIT), Meta)


# ---------------------------------------------------------------------- deadline and memory


def test_a_task_past_its_deadline_is_killed_and_its_caller_gets_the_timeout(
    pool: WorkerPool,
) -> None:
    job, deadline = submit(pool, worker_tasks.sleep, limit=1, seconds=60)
    pid = job.pid
    assert pid is not None
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        result(job, deadline, 1)
    assert time.monotonic() - started < 5
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, not merely abandoned


def test_the_killed_worker_is_replaced_and_the_next_task_runs(pool: WorkerPool) -> None:
    before = call(pool, worker_tasks.process_id)
    job, deadline = submit(pool, worker_tasks.sleep, limit=1, seconds=60)
    with pytest.raises(QueryTimeout):
        result(job, deadline, 1)
    after = call(pool, worker_tasks.process_id)
    assert isinstance(after, int) and after != before
    assert call(pool, worker_tasks.sleep, seconds=0) == "woke up"


def test_a_task_over_the_memory_cap_dies_and_its_caller_gets_the_memory_message(
    store_dir: Path,
) -> None:
    """Not a timeout in disguise: the deadline is far away, the process dies long before it,
    and the caller is told it was memory."""
    capped = WorkerPool(store_dir, 1, memory_mb=400)
    try:
        job, deadline = submit(capped, worker_tasks.exhaust_memory, limit=120)
        started = time.monotonic()
        with pytest.raises(HTTPProblem) as caught:
            result(job, deadline, 120)
        assert not isinstance(caught.value, QueryTimeout)
        assert caught.value.status == 503 and caught.value.title == "Query stopped"
        assert "more memory than a query process may use" in caught.value.detail
        assert time.monotonic() - started < 60
        assert call(capped, worker_tasks.sleep, seconds=0) == "woke up"  # replaced
    finally:
        capped.close()


# ---------------------------------------------------------------------- the store's locks


def test_a_write_waits_for_running_readers(started: Callable[[int], WorkerPool]) -> None:
    two = started(2)
    reader, reader_deadline = submit(two, worker_tasks.hold_reading, seconds=1.0)
    began(reader, reader_deadline)
    writer, writer_deadline = submit(two, worker_tasks.hold_writing, name="w", seconds=0)
    read_began, read_ended, seen = result(reader, reader_deadline)  # type: ignore[misc]
    write_began, _ = result(writer, writer_deadline)  # type: ignore[misc]
    assert seen == 0  # the reader saw the store before the write
    assert write_began >= read_ended


def test_readers_wait_for_a_running_write(started: Callable[[int], WorkerPool]) -> None:
    two = started(2)
    writer, writer_deadline = submit(two, worker_tasks.hold_writing, name="w", seconds=1.0)
    began(writer, writer_deadline)
    reader, reader_deadline = submit(two, worker_tasks.hold_reading, seconds=0)
    _, write_ended = result(writer, writer_deadline)  # type: ignore[misc]
    read_began, _, seen = result(reader, reader_deadline)  # type: ignore[misc]
    assert read_began >= write_ended
    assert seen == 1  # and saw it


def test_a_waiting_write_goes_before_readers_that_come_after_it(
    started: Callable[[int], WorkerPool],
) -> None:
    """Queries arriving while a write waits for a running query wait behind the write, so a
    steady stream of queries cannot starve it."""
    three = started(3)
    first, first_deadline = submit(three, worker_tasks.hold_reading, seconds=1.0)
    began(first, first_deadline)
    writer, writer_deadline = submit(three, worker_tasks.hold_writing, name="w", seconds=0)
    time.sleep(0.3)  # the writer is waiting now
    later, later_deadline = submit(three, worker_tasks.hold_reading, seconds=0)
    _, first_ended, first_saw = result(first, first_deadline)  # type: ignore[misc]
    write_began, write_ended = result(writer, writer_deadline)  # type: ignore[misc]
    later_began, _, later_saw = result(later, later_deadline)  # type: ignore[misc]
    assert (first_saw, later_saw) == (0, 1)
    assert first_ended <= write_began and write_ended <= later_began


# ---------------------------------------------------------------------- no network


def test_this_platform_can_cut_query_processes_off() -> None:
    assert probe() is None


def test_a_service_call_that_reaches_the_engine_still_makes_no_connection(pool: WorkerPool) -> None:
    lst = Listener()
    try:
        answer = call(pool, worker_tasks.unchecked_service, url=lst.url)
        time.sleep(0.3)
        assert lst.connections == 0
        assert answer != "answered"
    finally:
        lst.close()


@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6])
def test_query_processes_cannot_open_internet_sockets(pool: WorkerPool, family: int) -> None:
    assert str(call(pool, worker_tasks.open_socket, family=family)).startswith("refused")
    assert call(pool, worker_tasks.open_socket, family=socket.AF_UNIX) == "created"
