"""Where claimgraph keeps its data: the :class:`Store` interface and its backends.

* :mod:`claimgraph.store.interface` — what claimgraph needs of a quad store (queries,
  updates, batches, graphs, sessions), small enough for a remote SPARQL 1.1 server;
* :mod:`claimgraph.store.oxigraph` — the embedded backend, pyoxigraph on disk or in memory;
* :mod:`claimgraph.store.locking` — how processes share one on-disk store.

:func:`open_store` is the one way in.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError
from .interface import GraphName, QueryResult, Store, Term
from .oxigraph import OxigraphStore, insert_data

__all__ = [
    "MEMORY",
    "STORE_ENV",
    "GraphName",
    "OxigraphStore",
    "QueryResult",
    "Store",
    "Term",
    "default_store_path",
    "insert_data",
    "open_store",
]

STORE_ENV = "CLAIMGRAPH_STORE"
MEMORY = ":memory:"


def default_store_path() -> Path:
    """Where the store lives when neither ``--store`` nor ``CLAIMGRAPH_STORE`` says.

    ``$XDG_DATA_HOME/claimgraph/store``, falling back to ``~/.local/share/claimgraph/store``.

    >>> default_store_path().parts[-2:]
    ('claimgraph', 'store')
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "claimgraph" / "store"


def open_store(spec: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the store named by ``spec``: a directory path, ``:memory:``, or None for
    ``$CLAIMGRAPH_STORE`` or else :func:`default_store_path`.

    >>> store = open_store(":memory:")
    >>> len(store)
    0
    """
    if spec is None:
        spec = os.environ.get(STORE_ENV) or default_store_path()
    text = str(spec)
    if text == MEMORY:
        return OxigraphStore(None)
    if text.startswith(("http://", "https://")):
        raise UsageError(
            f"remote SPARQL stores are not supported yet: {text}. Use a directory path."
        )
    return OxigraphStore(Path(text).expanduser(), read_only=read_only)
