"""Tasks for the query-process tests (``test_workers.py``): importable by the worker
processes, which run them as they run the server's own tasks."""

from __future__ import annotations

import socket
from typing import Any


def unchecked_service(ctx: Any, *, url: str) -> str:
    """Hand pyoxigraph a SERVICE call directly, skipping every check above the engine."""
    with ctx.reading() as store:
        try:
            list(store.raw.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        except Exception as e:  # noqa: BLE001 - the error is the answer
            return f"{type(e).__name__}: {e}"
    return "answered"


def open_socket(ctx: Any, *, family: int) -> str:
    """Try to create a socket of ``family``."""
    try:
        socket.socket(family, socket.SOCK_STREAM).close()
    except OSError as e:
        return f"refused: {e}"
    return "created"
