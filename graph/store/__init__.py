"""Where claimgraph keeps its data: the :class:`Store` interface and its backends.

* :mod:`claimgraph.store.interface` — what claimgraph needs of a quad store (queries,
  updates, batches, graphs, sessions), small enough for a remote SPARQL 1.1 server;
* :mod:`claimgraph.store.oxigraph` — the embedded backend, pyoxigraph on disk or in memory;
* :mod:`claimgraph.store.locking` — how processes share one on-disk store;
* :mod:`claimgraph.store.remote` — the remote backend, a SPARQL 1.1 server over HTTP, with
  :mod:`~claimgraph.store.client` (HTTP), :mod:`~claimgraph.store.servers` (what each kind
  of server needs), :mod:`~claimgraph.store.rewrite` and :mod:`~claimgraph.store.reshape`
  (the text it receives, edited with :mod:`~claimgraph.store.textedit`),
  :mod:`~claimgraph.store.answers` (its answers read back), :mod:`~claimgraph.store.terms`
  (terms on the way there and back) and :mod:`~claimgraph.store.remote_config` (how to open
  one in another process);
* :mod:`claimgraph.store.kept` — values read from a store, kept until it changes;
* :mod:`claimgraph.store.migrate` — copying every batch from one store to another.

:func:`open_store` is the one way in.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError
from .client import Credentials
from .interface import GraphName, Store, Term
from .oxigraph import OxigraphStore, insert_data
from .remote import DEFAULT_TIMEOUT, RemoteStore, is_remote
from .remote_config import RemoteConfig
from .result_kinds import QueryResult

__all__ = [
    "MEMORY",
    "REMOTE_ENV",
    "STORE_ENV",
    "Credentials",
    "GraphName",
    "OxigraphStore",
    "QueryResult",
    "RemoteConfig",
    "RemoteStore",
    "Store",
    "Term",
    "default_store_path",
    "insert_data",
    "is_remote",
    "open_store",
    "remote_config",
]

STORE_ENV = "CLAIMGRAPH_STORE"
MEMORY = ":memory:"

REMOTE_ENV = {
    "update_url": "CLAIMGRAPH_UPDATE_URL",
    "gsp_url": "CLAIMGRAPH_GSP_URL",
    "auth": "CLAIMGRAPH_STORE_AUTH",
    "token": "CLAIMGRAPH_STORE_TOKEN",
    "timeout": "CLAIMGRAPH_STORE_TIMEOUT",
}
"""The variables that give a remote store's options when no argument does."""


def default_store_path() -> Path:
    """Where the store lives when neither ``--store`` nor ``CLAIMGRAPH_STORE`` says.

    ``$XDG_DATA_HOME/claimgraph/store``, falling back to ``~/.local/share/claimgraph/store``.

    >>> default_store_path().parts[-2:]
    ('claimgraph', 'store')
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "claimgraph" / "store"


def remote_config(
    url: str,
    *,
    update_url: str | None = None,
    gsp_url: str | None = None,
    auth: str | None = None,
    token: str | None = None,
    timeout: float | None = None,
    write_timeout: float | None = None,
) -> RemoteConfig:
    """How to open the store on the server whose query endpoint is ``url``: the options of
    :func:`open_store`, each falling back to its variable in :data:`REMOTE_ENV`.

    >>> remote_config("http://127.0.0.1:7878/query", timeout=5).timeout
    5.0
    """
    env = os.environ
    seconds = timeout if timeout is not None else env.get(REMOTE_ENV["timeout"])
    try:
        limit = float(seconds) if seconds not in (None, "") else DEFAULT_TIMEOUT
    except ValueError:
        raise UsageError(
            f"{REMOTE_ENV['timeout']} must be a number of seconds, not {seconds!r}"
        ) from None
    return RemoteConfig(
        url,
        update_url=update_url or env.get(REMOTE_ENV["update_url"]) or None,
        gsp_url=gsp_url or env.get(REMOTE_ENV["gsp_url"]) or None,
        credentials=Credentials.parse(
            auth or env.get(REMOTE_ENV["auth"]), token or env.get(REMOTE_ENV["token"])
        ),
        timeout=limit,
        write_timeout=write_timeout,
    )


def open_store(
    spec: str | Path | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
    update_url: str | None = None,
    gsp_url: str | None = None,
    auth: str | None = None,
    token: str | None = None,
    timeout: float | None = None,
) -> Store:
    """Open the store named by ``spec``: a directory path, ``:memory:``, the query endpoint of
    a SPARQL 1.1 server (``http(s)://…``), or None for ``$CLAIMGRAPH_STORE`` or else
    :func:`default_store_path`.

    For a server, ``update_url`` and ``gsp_url`` name its update and Graph Store endpoints
    (found from the query endpoint for the servers claimgraph knows), ``auth`` is
    ``USER:PASSWORD`` and ``token`` a bearer token, and ``timeout`` bounds each request in
    seconds; each falls back to its variable in :data:`REMOTE_ENV`.  A directory without a
    store gets a new one unless ``read_only`` or not ``create``.

    >>> store = open_store(":memory:")
    >>> len(store)
    0
    >>> open_store("http://127.0.0.1:9/query", timeout=5)
    RemoteStore('http://127.0.0.1:9/query')
    """
    if spec is None:
        spec = os.environ.get(STORE_ENV) or default_store_path()
    text = str(spec)
    if text == MEMORY:
        return OxigraphStore(None)
    if is_remote(text):
        return remote_config(
            text, update_url=update_url, gsp_url=gsp_url, auth=auth, token=token, timeout=timeout
        ).open()
    for name, value in (("--update-url", update_url), ("--gsp-url", gsp_url)):
        if value:
            raise UsageError(f"{name} is for a store on a SPARQL server; {text} is a directory")
    return OxigraphStore(Path(text).expanduser(), read_only=read_only, create=create)
