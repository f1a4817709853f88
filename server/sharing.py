"""Fair sharing between clients: at most ``max_queries_per_client`` requests of one client
evaluate at once, across every worker process of the server (like WDQS's limit of five);
one more is answered 429 with ``Retry-After``.

A client is the address of the connection, or — only with ``trust_forwarded_for``, when the
server sits behind one reverse proxy — the last address of ``X-Forwarded-For`` (the one the
proxy appended; earlier ones are whatever the client claimed).

The slots are ``flock`` locks on files in a directory the worker processes share
(``run_dir``; ``claimgraph serve`` makes one): client ``c`` owns slot ``i`` while it holds an
exclusive lock on ``<sha256(c)>.<i>``.  The kernel drops a lock when its process dies, so a
killed worker never leaks a slot, and no process keeps a count that could drift.

>>> import tempfile
>>> slots = ClientSlots(Path(tempfile.mkdtemp()), 1)
>>> with slots.slot("192.0.2.1"):
...     try:
...         with slots.slot("192.0.2.1"):
...             pass
...     except HTTPProblem as e:
...         print(e.status, e.headers["Retry-After"])
429 1
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import HTTPProblem

_STEMS = 4096
"""Clients whose slot file names are remembered (all forgotten when more come)."""


class ClientSlots:
    """``limit`` concurrent requests per client (0: no limit), kept in ``directory``."""

    def __init__(self, directory: Path, limit: int) -> None:
        self.directory = directory
        self.limit = limit
        self._stems: dict[str, str] = {}
        """Each client's slot files without the slot number (hashed once per client)."""
        if limit > 0:
            directory.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def slot(self, client: str) -> Iterator[int | None]:
        """Hold one of ``client``'s slots while the block runs (yields its number); raise
        429 if all are held."""
        if self.limit <= 0:
            yield None
            return
        stem = self._stems.get(client)
        if stem is None:
            if len(self._stems) >= _STEMS:
                self._stems.clear()
            key = hashlib.sha256(client.encode("utf-8", "replace")).hexdigest()[:32]
            stem = self._stems[client] = os.path.join(self.directory, key)
        for i in range(self.limit):
            fd = os.open(f"{stem}.{i}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield i
            finally:
                os.close(fd)  # drops the lock
            return
        raise HTTPProblem(
            429,
            f"this client already has {self.limit} requests being evaluated, the most one "
            "client may have at once (max_queries_per_client); wait for one to finish",
            title="Too many concurrent requests",
            headers={"Retry-After": "1"},
        )


def client_address(remote_addr: str | None, forwarded_for: str | None, *, trusted: bool) -> str:
    """Who a request comes from.

    >>> client_address("127.0.0.1", "198.51.100.7, 203.0.113.9", trusted=True)
    '203.0.113.9'
    >>> client_address("127.0.0.1", "198.51.100.7", trusted=False)
    '127.0.0.1'
    """
    if trusted and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return remote_addr or "unknown"
