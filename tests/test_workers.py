"""The query processes themselves: cut off from the network, whatever they are asked."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from forgery import Listener

from claimgraph.server.sandbox import probe
from claimgraph.server.workers import WorkerPool
from claimgraph.store import OxigraphStore


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[WorkerPool]:
    OxigraphStore(tmp_path / "store").close()
    p = WorkerPool(tmp_path / "store", 1)
    yield p
    p.close()


def _call(pool: WorkerPool, func: str, **kwargs: object) -> object:
    deadline = time.monotonic() + 30
    job = pool.submit(func, kwargs, deadline=deadline, timeout_seconds=30)
    while True:
        kind, payload = job.recv(deadline, 30)
        if kind == "end":
            return payload
        if kind == "error":
            raise AssertionError(payload)


def test_this_platform_can_cut_query_processes_off() -> None:
    assert probe() is None


def test_a_service_call_that_reaches_the_engine_still_makes_no_connection(pool: WorkerPool) -> None:
    lst = Listener()
    try:
        answer = _call(pool, "sandbox_tasks:unchecked_service", url=lst.url)
        time.sleep(0.3)
        assert lst.connections == 0
        assert answer != "answered"
    finally:
        lst.close()


@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6])
def test_query_processes_cannot_open_internet_sockets(pool: WorkerPool, family: int) -> None:
    assert str(_call(pool, "sandbox_tasks:open_socket", family=family)).startswith("refused")
    assert _call(pool, "sandbox_tasks:open_socket", family=socket.AF_UNIX) == "created"
