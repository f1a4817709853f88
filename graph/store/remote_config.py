"""How to open a :class:`~claimgraph.store.remote.RemoteStore` as a value another process can
be sent (``serve`` gives it to its query processes): the endpoints, the credentials, the time
limits, and origins reached through a Unix socket relay instead of the network."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from .client import Credentials, tls_context
from .remote import DEFAULT_TIMEOUT, RemoteStore


@dataclass(frozen=True)
class RemoteConfig:
    """How to open a :class:`RemoteStore`, as a value another process can be sent: the
    endpoints, the credentials (hidden in its ``repr``), the time limits, and ``relays``,
    origins (``http://host:port``) reached through a Unix socket instead.

    >>> RemoteConfig("http://127.0.0.1:7878/query").open()
    RemoteStore('http://127.0.0.1:7878/query')
    """

    url: str
    update_url: str | None = None
    gsp_url: str | None = None
    credentials: Credentials | None = None
    timeout: float = DEFAULT_TIMEOUT
    write_timeout: float | None = None
    relays: tuple[tuple[str, str], ...] = ()

    def open(self) -> RemoteStore:
        """A store object reaching the server as this says."""
        mounts: dict[str, httpx.BaseTransport] = {}
        for origin, path in self.relays:
            verify: ssl.SSLContext | bool = tls_context() if origin.startswith("https") else False
            mounts[origin] = httpx.HTTPTransport(uds=path, verify=verify)
        return RemoteStore(
            self.url,
            update_url=self.update_url,
            gsp_url=self.gsp_url,
            credentials=self.credentials,
            timeout=self.timeout,
            write_timeout=self.write_timeout,
            mounts=mounts or None,
        )

    def origins(self) -> list[tuple[str, str, int]]:
        """Every ``(origin, host, port)`` the store reaches.

        >>> RemoteConfig("https://h/sparql", update_url="http://h:8890/u").origins()
        [('http://h:8890', 'h', 8890), ('https://h:443', 'h', 443)]
        """
        out = set()
        for url in (self.url, self.update_url, self.gsp_url):
            if url:
                parts = urlsplit(url)
                port = parts.port or (443 if parts.scheme == "https" else 80)
                host = parts.hostname or ""
                out.add((f"{parts.scheme}://{host}:{port}", host, port))
        return sorted(out)
