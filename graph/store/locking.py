"""One on-disk store shared by many processes: the file locks every claimgraph process takes.

pyoxigraph's on-disk store is RocksDB, which lets one process at a time open a directory
read-write (it holds the directory's ``LOCK`` file while open) and any number open it
read-only; pyoxigraph calls reading a store while another process writes it undefined.  So
every claimgraph process — each query process of a server, each CLI command, each library
user — follows one protocol on two ``flock`` files in the store directory:

* a **reader** takes ``claimgraph.lock`` shared for its whole session;
* a **writer** takes ``claimgraph.lock`` exclusively, and opens the store read-write only
  while it holds it: so the RocksDB ``LOCK`` is never contended between claimgraph processes,
  and writers queue instead of failing;
* writers go first: a writer takes ``claimgraph-writers.lock`` exclusively before it waits
  for the readers, and a reader passes through that lock (shared, released at once) before
  it takes its own.  A waiting writer therefore stops new readers, and a steady stream of
  queries cannot starve it.

``flock`` locks belong to an open file, so two :class:`DirectoryLock` objects conflict even
within one process, and the kernel drops a lock when its process dies (a query process
killed at its deadline leaves nothing behind).  A thread that already holds a session on a
directory through one store object and opens another through a second object would wait for
itself: :func:`enter` refuses that with :class:`~claimgraph.errors.StoreError` instead.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from typing import BinaryIO

from ..errors import StoreError

LOCK_FILE = "claimgraph.lock"
"""Held shared by readers and exclusively by the writer."""

QUEUE_FILE = "claimgraph-writers.lock"
"""Held exclusively by a writer from before it waits until after it is done."""

GENERATION_FILE = "claimgraph-generation"
"""How many writing sessions have begun on the store: each writer adds one as soon as it holds
the exclusive lock, before it writes (so one killed in the middle of a write is counted)."""


def generation(directory: Path) -> int:
    """The store's generation (0 before any writer counted itself).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> generation(d), next_generation(d), generation(d)
    (0, 1, 1)
    """
    try:  # three system calls and no file object: the server reads it on every request
        fd = os.open(os.path.join(directory, GENERATION_FILE), os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return 0
    try:
        data = os.read(fd, 32)
    finally:
        os.close(fd)
    try:
        return int(data or 0)
    except ValueError:
        return 0


def next_generation(directory: Path) -> int:
    """Count one more writing session (call with the exclusive lock held); the new number.
    Written to a new file and renamed over the old, so a reader never sees half of it."""
    number = generation(directory) + 1
    temporary = directory / f"{GENERATION_FILE}.{os.getpid()}"
    temporary.write_text(str(number), encoding="ascii")
    os.replace(temporary, directory / GENERATION_FILE)
    return number


class DirectoryLock:
    """The two locks of one store directory, as held by one store object.

    >>> import tempfile
    >>> lock = DirectoryLock(Path(tempfile.mkdtemp()))
    >>> lock.acquire(exclusive=False); lock.held
    'shared'
    >>> lock.release(); lock.held is None
    True
    """

    def __init__(self, directory: Path, *, optional: bool = False) -> None:
        self.directory = directory
        self.optional = optional
        self.held: str | None = None
        self._files: dict[str, BinaryIO | None] = {}
        self._pid = os.getpid()

    def _leave_parent(self) -> None:
        """In a forked child: the lock files are the parent's, and with them its locks
        (``flock`` belongs to the open file, which the fork shares).  Open our own; closing
        our copies leaves the parent's locks alone."""
        if self._pid != os.getpid():
            for f in self._files.values():
                if f is not None:
                    f.close()
            self._files, self.held, self._pid = {}, None, os.getpid()

    def _file(self, name: str) -> BinaryIO | None:
        if name not in self._files:
            try:
                self._files[name] = open(self.directory / name, "a+b")  # noqa: SIM115 - kept open
            except OSError as e:
                if not self.optional:
                    raise StoreError(
                        f"cannot create the lock file {self.directory / name}: {e.strerror}. "
                        "claimgraph needs to write in the store directory."
                    ) from e
                self._files[name] = None  # a read-only directory: nobody can write it
        return self._files[name]

    def acquire(self, *, exclusive: bool) -> None:
        """Wait for the store: shared for reading, exclusive for writing."""
        self._leave_parent()
        assert self.held is None, "acquire() twice"
        queue, lock = self._file(QUEUE_FILE), self._file(LOCK_FILE)
        if queue is not None:
            fcntl.flock(queue, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        except BaseException:
            if queue is not None:
                fcntl.flock(queue, fcntl.LOCK_UN)
            raise
        if queue is not None and not exclusive:
            fcntl.flock(queue, fcntl.LOCK_UN)  # readers only pass through
        self.held = "exclusive" if exclusive else "shared"

    def release(self) -> None:
        """Let others have the store."""
        self._leave_parent()
        if self.held is None:
            return
        for name in (LOCK_FILE, QUEUE_FILE):
            f = self._files.get(name)
            if f is not None:
                fcntl.flock(f, fcntl.LOCK_UN)
        self.held = None

    def close(self) -> None:
        """Release the locks and close the lock files."""
        self.release()  # in a forked child: only its own
        for f in self._files.values():
            if f is not None:
                f.close()
        self._files.clear()


# ------------------------------------------------------------------ sessions of this process

_open_sessions: dict[tuple[str, int, int], int] = {}
_registry = threading.Lock()


def enter(directory: Path) -> tuple[str, int, int]:
    """Record that the calling thread opens a session on ``directory``; raise
    :class:`~claimgraph.errors.StoreError` if it already has one open there through another
    store object (the two would wait for each other).  Returns the key to :func:`leave`
    with."""
    key = (os.path.realpath(directory), os.getpid(), threading.get_ident())
    with _registry:
        if _open_sessions.get(key, 0):
            raise StoreError(
                f"this thread already has the store at {directory} open in a session through "
                "another store object; finish that session first (or use one store object): "
                "the two would wait for each other"
            )
        _open_sessions[key] = 1
    return key


def leave(key: tuple[str, int, int]) -> None:
    """The session recorded by :func:`enter` has ended."""
    with _registry:
        _open_sessions.pop(key, None)
