"""The server's settings, in one table.

Every setting has a name, a default, a type and a help text, written once, in
:data:`SETTINGS`.  Everything else is generated from it: ``claimgraph serve``'s options
(:mod:`claimgraph.server.cli`), the ``CLAIMGRAPH_<NAME>`` variables that fill in what no
option gives (:meth:`Settings.from_mapping`), and the settings table of ``docs/server.md``
(``scripts/gen_docs.py``; a test fails when the page and the table differ).

>>> s = Settings.from_mapping({"timeout": "5"})
>>> s.timeout, s.max_rows
(5.0, 100000)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: Any
    type: type
    help: str
    serve_option: bool = True
    """Whether ``claimgraph serve`` has an option of its own for it (:attr:`option`)."""

    @property
    def env(self) -> str:
        """The environment variable that sets it, e.g. ``CLAIMGRAPH_TIMEOUT``."""
        return "CLAIMGRAPH_" + self.name.upper()

    @property
    def option(self) -> str:
        """The command-line option named after it, e.g. ``--write-timeout``."""
        return "--" + self.name.replace("_", "-")

    @property
    def default_text(self) -> str:
        """The default as people write it: ``30`` for 30.0, ``true``, ``unset`` for None.

        >>> [s.default_text for s in SETTINGS if s.name in {"store", "timeout", "validate_writes"}]
        ['unset', '30', 'true']
        """
        if self.default is None:
            return "unset"
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        if isinstance(self.default, float):
            return f"{self.default:g}"
        return str(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store",
        None,
        str,
        "The store directory, or :memory: (queries then run in the server process, without "
        "the time limit; for tests), or the query endpoint of a SPARQL 1.1 server "
        "(http(s)://…; docs/scale-out.md). Unset: $XDG_DATA_HOME/claimgraph/store, else "
        "~/.local/share/claimgraph/store.",
        serve_option=False,
    ),
    Setting(
        "update_url",
        None,
        str,
        "A remote store's SPARQL Update endpoint, if not found from the store's URL "
        "(claimgraph --update-url).",
        serve_option=False,
    ),
    Setting(
        "gsp_url",
        None,
        str,
        "A remote store's Graph Store endpoint, if not found from the store's URL "
        "(claimgraph --gsp-url).",
        serve_option=False,
    ),
    Setting(
        "store_auth",
        None,
        str,
        "USER:PASSWORD signing in to a remote store's server (claimgraph --auth); never "
        "shown or logged.",
        serve_option=False,
    ),
    Setting(
        "store_token",
        None,
        str,
        "Bearer token signing in to a remote store's server (claimgraph --bearer-token); "
        "never shown or logged.",
        serve_option=False,
    ),
    Setting("host", "127.0.0.1", str, "Address to listen on (serve only)."),
    Setting("port", 8000, int, "Port to listen on (serve only)."),
    Setting(
        "token",
        None,
        str,
        "Bearer token that authorises /update and /store writes and /api/extract (prefer "
        "token_file: command lines are visible to other users). Unset: the server is "
        "read-only.",
    ),
    Setting("token_file", None, str, "File whose first line is the token; wins over token."),
    Setting(
        "timeout",
        30.0,
        float,
        "Per-query time limit in seconds; a query still running then is killed and its "
        "caller gets 503.",
    ),
    Setting(
        "write_timeout",
        120.0,
        float,
        "Time limit in seconds for one write (/update, /store PUT/POST/DELETE), validation "
        "included; an overrunning write is killed and nothing of it is stored.",
    ),
    Setting("workers", 2, int, "Gunicorn worker processes (serve only)."),
    Setting("threads", 8, int, "Request threads per worker process (serve only)."),
    Setting(
        "query_workers",
        3,
        int,
        "Query processes per worker process: how many queries one worker evaluates at once.",
    ),
    Setting(
        "reserved_query_workers",
        1,
        int,
        "Query processes per worker process kept for short requests: a read that finds every "
        "other query process busy runs there for at most short_query_seconds, then waits for "
        "a regular one. 0: none.",
    ),
    Setting(
        "short_query_seconds",
        1.0,
        float,
        "How long a request may run in a reserved query process before it is moved back to "
        "wait for a regular one.",
    ),
    Setting(
        "max_queries_per_client",
        5,
        int,
        "Most requests one client may have evaluating at once, across all worker processes "
        "(WDQS allows 5); one more gets 429 with Retry-After. 0: no limit.",
    ),
    Setting(
        "trust_forwarded_for",
        False,
        bool,
        "The server sits behind one reverse proxy that appends the client's address to "
        "X-Forwarded-For: clients are told apart by that address. Off: by the connection's "
        "address (the header can be forged).",
    ),
    Setting(
        "run_dir",
        None,
        str,
        "Directory for runtime files the worker processes share (per-client slots). Unset: "
        "serve makes a temporary one and removes it at exit.",
        serve_option=False,
    ),
    Setting(
        "query_memory_mb",
        2048,
        int,
        "Memory cap (MiB of data segment, RLIMIT_DATA) of each query process; a query "
        "needing more is stopped with 503. 0: no cap.",
    ),
    Setting(
        "max_rows",
        100_000,
        int,
        "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query returns; more are cut and "
        "the response says so in Claimgraph-Truncated.",
    ),
    Setting(
        "max_request_bytes",
        10 * 1024 * 1024,
        int,
        "Largest request body accepted; larger requests get 413. GET query strings are "
        "limited to 8190 bytes by gunicorn: POST longer queries.",
    ),
    Setting(
        "buffer_bytes",
        4 * 1024 * 1024,
        int,
        "Result bytes buffered before the status line is sent, so that an error or timeout "
        "in that window still gets a clean 503.",
        serve_option=False,
    ),
    Setting(
        "validate_writes",
        True,
        bool,
        "Validate /update and /store writes against the shapes and land them as batches. "
        "Off only for protocol conformance runs.",
        serve_option=False,
    ),
    Setting(
        "union_default_graph",
        True,
        bool,
        "The default graph of queries is the union of all graphs. Off: the store's own "
        "default graph (plain SPARQL semantics).",
        serve_option=False,
    ),
    Setting(
        "result_cache_mb",
        64,
        int,
        "Memory (MiB) each worker process keeps for answers to SPARQL queries, reused until "
        "the store is next written (by anyone). 0: no cache.",
    ),
    Setting("cors_origins", "*", str, "Origins allowed by CORS (comma-separated, or *)."),
    Setting(
        "allow_network_in_queries",
        False,
        bool,
        "Start even where query processes cannot be cut off from the network (no seccomp: "
        "not Linux, an unknown architecture, a container that forbids it); otherwise serve "
        "refuses to start there. The SERVICE/LOAD check still applies, but it is then the "
        "only wall.",
    ),
)
"""Every server setting; :class:`Settings` has one field per row."""

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any) -> Any:
    if value is None:
        return None
    if setting.type is bool and isinstance(value, str):
        low = value.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{setting.env}: expected true or false, got {value!r}")
    try:
        return setting.type(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"setting {setting.name}: expected {setting.type.__name__}, got {value!r}"
        ) from None


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one app: one field per row of :data:`SETTINGS`, which says
    what each means and holds its default (build them with :meth:`from_mapping`)."""

    store: str | None
    update_url: str | None
    gsp_url: str | None
    store_auth: str | None
    store_token: str | None
    host: str
    port: int
    token: str | None
    token_file: str | None
    timeout: float
    write_timeout: float
    workers: int
    threads: int
    query_workers: int
    reserved_query_workers: int
    short_query_seconds: float
    max_queries_per_client: int
    trust_forwarded_for: bool
    run_dir: str | None
    query_memory_mb: int
    max_rows: int
    max_request_bytes: int
    buffer_bytes: int
    validate_writes: bool
    union_default_graph: bool
    result_cache_mb: int
    cors_origins: str
    allow_network_in_queries: bool

    @classmethod
    def from_mapping(
        cls, values: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from ``values`` (unknown keys are an error), then ``CLAIMGRAPH_*``
        variables, then the defaults."""
        values = dict(values or {})
        unknown = set(values) - set(_BY_NAME)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        env = os.environ if environ is None else environ
        resolved: dict[str, Any] = {}
        for setting in SETTINGS:
            value = values.get(setting.name)
            if value is None and setting.env in env:
                value = env[setting.env]
            resolved[setting.name] = setting.default if value is None else _coerce(setting, value)
        settings = cls(**resolved)
        settings.check()
        return settings

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)

    def check(self) -> None:
        """Raise ValueError naming the setting if a value is out of range."""
        for name in ("timeout", "write_timeout", "short_query_seconds"):
            if not 0 < getattr(self, name) <= 3600:
                raise ValueError(f"{name} must be between 0 and 3600 seconds")
        for name in ("reserved_query_workers", "max_queries_per_client"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more")
        for name in (
            "workers",
            "threads",
            "query_workers",
            "max_rows",
            "max_request_bytes",
            "buffer_bytes",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")

    def resolved_token(self) -> str | None:
        """The write token: the first line of ``token_file`` if set, else ``token``."""
        if self.token_file:
            try:
                text = Path(self.token_file).read_text(encoding="utf-8")
            except OSError as e:
                raise ValueError(
                    f"cannot read the token file {self.token_file}: {e.strerror}"
                ) from e
            token = text.strip().splitlines()[0].strip() if text.strip() else ""
            if not token:
                raise ValueError(f"the token file {self.token_file} is empty")
            return token
        return self.token or None

    def as_dict(self) -> dict[str, Any]:
        """Every setting by name; the tokens and the store's credentials are masked."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for secret in ("token", "store_auth", "store_token"):
            if out.get(secret):
                out[secret] = "***"
        return out
