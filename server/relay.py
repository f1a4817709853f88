"""The one way out of the query processes when the store is on a SPARQL server: a relay from a
Unix socket to that server, and nowhere else.

Query processes cannot open Internet sockets (:mod:`claimgraph.server.sandbox`).  In front of
a remote store they must still reach the server, so the server process (which has the
network) listens on one Unix socket per origin of the store's endpoints, in a directory only
its user can enter, and copies bytes between each connection made there and a TCP connection
to that origin.  The query processes speak HTTP (and TLS, for https: the relay never sees
the plain text) over those sockets, so the sandbox keeps its promise: whatever a request
slipped past the checks, a query process can reach the store's server and nothing else.

>>> relay = Relay([("http://127.0.0.1:9", "127.0.0.1", 9)])
>>> [origin for origin, _ in relay.paths]
['http://127.0.0.1:9']
>>> relay.close()
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterable

log = logging.getLogger("claimgraph.server")

_CHUNK = 64 * 1024


class Relay:
    """Unix sockets relaying to the given ``(origin, host, port)``; :attr:`paths` gives each
    origin's socket, as :class:`claimgraph.store.RemoteConfig` takes them."""

    def __init__(
        self, origins: Iterable[tuple[str, str, int]], *, connect_timeout: float = 10
    ) -> None:
        self.directory = tempfile.mkdtemp(prefix="claimgraph-relay-")
        os.chmod(self.directory, 0o700)
        self.connect_timeout = connect_timeout
        self.paths: tuple[tuple[str, str], ...] = ()
        self._listeners: list[socket.socket] = []
        self._closed = threading.Event()
        paths = []
        for i, (origin, host, port) in enumerate(origins):
            path = os.path.join(self.directory, f"{i}.sock")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(path)
            listener.listen(64)
            self._listeners.append(listener)
            paths.append((origin, path))
            threading.Thread(
                target=self._accept,
                args=(listener, host, port),
                name=f"claimgraph-relay-{origin}",
                daemon=True,
            ).start()
        self.paths = tuple(paths)

    def _accept(self, listener: socket.socket, host: str, port: int) -> None:
        while not self._closed.is_set():
            try:
                inner, _ = listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._connect, args=(inner, host, port), daemon=True).start()

    def _connect(self, inner: socket.socket, host: str, port: int) -> None:
        try:
            outer = socket.create_connection((host, port), timeout=self.connect_timeout)
        except OSError as e:
            log.warning("relay to %s:%s failed: %s", host, port, e)
            inner.close()
            return
        outer.settimeout(None)
        threading.Thread(target=_pump, args=(outer, inner), daemon=True).start()
        _pump(inner, outer)

    def close(self) -> None:
        """Stop listening and remove the sockets (connections in use end with their
        requests)."""
        self._closed.set()
        for listener in self._listeners:
            try:
                listener.close()
            except OSError:
                pass
        shutil.rmtree(self.directory, ignore_errors=True)


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copy ``source`` to ``target`` until ``source`` ends; then end ``target``'s writing."""
    try:
        while True:
            data = source.recv(_CHUNK)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            source.shutdown(socket.SHUT_RD)
        except OSError:
            pass
        _close_when_done(source, target)


_done: dict[int, int] = {}
_lock = threading.Lock()


def _close_when_done(a: socket.socket, b: socket.socket) -> None:
    """Close both sockets once both directions have ended."""
    key = id(a) ^ id(b)
    with _lock:
        _done[key] = _done.get(key, 0) + 1
        last = _done[key] == 2
        if last:
            del _done[key]
    if last:
        a.close()
        b.close()
