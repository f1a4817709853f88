"""Tasks for the query-process tests (``test_workers.py``): importable by the worker
processes, which run them as they run the server's own tasks."""

from __future__ import annotations

import os
import socket
import time

import pyoxigraph as ox

from claimgraph.server.messages import TaskContext

EX = "http://example.org/"


def unchecked_service(ctx: TaskContext, *, url: str) -> str:
    """Hand pyoxigraph a SERVICE call directly, skipping every check above the engine."""
    with ctx.store.reading() as store:
        raw = store.raw  # type: ignore[attr-defined]
        try:
            list(raw.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        except Exception as e:  # noqa: BLE001 - the error is the answer
            return f"{type(e).__name__}: {e}"
    return "answered"


def open_socket(ctx: TaskContext, *, family: int) -> str:
    """Try to create a socket of ``family``."""
    try:
        socket.socket(family, socket.SOCK_STREAM).close()
    except OSError as e:
        return f"refused: {e}"
    return "created"


def process_id(ctx: TaskContext) -> int:
    """Which query process ran the task."""
    return os.getpid()


def sleep(ctx: TaskContext, *, seconds: float) -> str:
    """Take ``seconds``."""
    time.sleep(seconds)
    return "woke up"


def exhaust_memory(ctx: TaskContext) -> str:
    """Sort a three-way cross product: pyoxigraph keeps every row, and fails to allocate
    under the memory cap long before it could finish (it would take hours)."""
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(str(i))) for i in range(300))
    for _ in store.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"):
        break
    return "sorted"


def hold_reading(ctx: TaskContext, *, seconds: float) -> tuple[float, float, int]:
    """Read the store for ``seconds`` in one reading session, announcing with a ``Meta``
    message that it has begun; returns when it began and ended, and the quads it saw."""
    with ctx.store.reading() as store:
        began = time.time()
        ctx.meta(headers={"began": str(began)})
        time.sleep(seconds)
        return began, time.time(), len(store)


def hold_writing(ctx: TaskContext, *, name: str, seconds: float) -> tuple[float, float]:
    """Write a batch, then keep the writing session for ``seconds`` (announced with a
    ``Meta`` message once the batch is written); returns when it began and ended."""
    with ctx.store.writing() as store:
        began = time.time()
        triple = ox.Triple(ox.NamedNode(EX + name), ox.NamedNode(EX + "p"), ox.Literal(name))
        store.add_batch(EX + name, [triple], [])
        ctx.meta(headers={"began": str(began)})
        time.sleep(seconds)
        return began, time.time()
