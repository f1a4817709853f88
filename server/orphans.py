"""Query processes never outlive the server (issue 11: orphaned query processes lived ~45 s
after the server was killed, still evaluating).

Three walls, because each alone has a gap:

* :func:`die_with_parent` asks Linux to SIGKILL the calling process when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``), then checks the parent is still the one it forked from (the
  parent may have died before the call).  A query process's parent is the forkserver; the
  forkserver's parent is the server process that started it.
* Importing this module does that for the process importing it *if* it is the forkserver
  (the pool lists this module first in its forkserver preload, see
  :data:`claimgraph.server.workers.PRELOAD`): the forkserver then dies with its server
  process, and its query processes with it.
* :func:`watch_owner` starts a thread that exits the process once the server process that
  owns it is gone (where ``prctl`` is missing, or a parent was re-parented in between).

Where ``prctl`` is unavailable (not Linux) the watchdog alone remains; that is logged once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger("claimgraph.server")

PR_SET_PDEATHSIG = 1

WATCH_SECONDS = 0.25
"""How often the watchdog looks for its owner."""


def die_with_parent() -> bool:
    """Have the kernel kill this process (SIGKILL) when its parent dies; exit now if the
    parent already has.  Whether the kernel took the request (False where there is no
    ``prctl``: not Linux)."""
    parent = os.getppid()
    taken = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            taken = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            taken = False
    if os.getppid() != parent or parent == 1:
        os._exit(0)  # the parent died before the request was made
    return taken


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_owner(owner: int) -> threading.Thread:
    """Exit this process (at once, without cleanup: it only ever read) when process ``owner``
    is gone, checking every :data:`WATCH_SECONDS`."""

    def watch() -> None:
        while _alive(owner):
            time.sleep(WATCH_SECONDS)
        os._exit(0)

    if not _alive(owner):
        os._exit(0)
    thread = threading.Thread(target=watch, name="claimgraph-owner-watch", daemon=True)
    thread.start()
    return thread


def _in_forkserver() -> bool:
    """Whether this module is being imported by a multiprocessing forkserver's ``main`` (its
    preload), rather than by any other process."""
    frame = sys._getframe()
    while frame is not None:
        code = frame.f_code
        if code.co_name == "main" and code.co_filename.endswith(
            os.path.join("multiprocessing", "forkserver.py")
        ):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


if _in_forkserver():
    die_with_parent()
