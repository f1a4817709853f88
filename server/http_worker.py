"""gunicorn's threaded worker, serving a kept-alive connection's next request in the thread
that served the last one while no other connection waits for a thread.

gunicorn's ``gthread`` worker hands every kept-alive connection back to its main loop after
each response: the thread pool's future calls back through a pipe, the main thread registers
the socket with its poller, wakes when the client sends again, unregisters it and submits the
connection to the pool once more — two thread hand-offs, a pipe write and read and four poller
calls per request, more than the rest of a cached answer costs.  :class:`KeptConnectionWorker`
lets the thread wait a little (:data:`LINGER` seconds at most, looking every :data:`SLICE`
seconds whether another connection is queued for a thread) for the connection's next request
and serves it at once; a connection that stays quiet, or another one waiting, sends it back to
the main loop as before, where the keep-alive timeout applies.  Everything else — parsing,
the keep-alive and body-drain rules, slow-client deferral, graceful stops — is gthread's.
"""

from __future__ import annotations

import select
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

LINGER = 0.02
"""Seconds a thread waits for a kept-alive connection's next request before it gives the
connection back to the main loop."""

SLICE = 0.002
"""Seconds between two looks at whether another connection waits for a thread."""


class KeptConnectionWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, serving a connection's consecutive requests in one thread while no other
    connection waits for one (see the module doc)."""

    def handle(self, conn: Any) -> Any:
        """Serve the connection's request, then its next ones as long as they come within
        :data:`LINGER` seconds and no other connection is queued; gthread's result for the
        last (True: keep the connection alive in the main loop)."""
        result = super().handle(conn)
        while result is True and self.alive and self._next_request_soon(conn):
            result = super().handle(conn)
        return result

    def _queued(self) -> int:
        work = getattr(self.tpool, "_work_queue", None)
        return work.qsize() if work is not None else 1

    def _next_request_soon(self, conn: Any) -> bool:
        """Whether the connection's next request arrived within :data:`LINGER` seconds while
        no other connection waited for a thread."""
        # gthread's internals, read defensively: where a gunicorn release lacks one, the
        # connection simply goes back to the main loop, as gthread itself does
        parser = getattr(conn, "parser", None)
        buffer = getattr(getattr(parser, "unreader", None), "buf", None)
        if getattr(conn, "is_http2", False) or buffer is None:
            return False
        if buffer.getvalue():
            return True  # read ahead already
        poller = select.poll()
        poller.register(conn.sock.fileno(), select.POLLIN)
        deadline = time.monotonic() + LINGER
        while self.alive and not self._queued():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if poller.poll(min(left, SLICE) * 1000):
                return True
        return False
