"""``claimgraph serve``: the SPARQL endpoint under gunicorn (never Flask's dev server).

The command reaches ``claimgraph`` through the ``claimgraph.commands`` entry point
(pyproject.toml), so the library never imports the server.  Its options are generated from
the settings table (:data:`claimgraph.server.settings.SETTINGS`): one typed option per row
that has one, with the row's help and default; what an option leaves unset comes from the
``CLAIMGRAPH_*`` variables, then the defaults.  ``--store`` is the global option.
"""

from __future__ import annotations

import errno
import logging
import shutil
import socket
import tempfile
import time
import traceback
from collections.abc import Mapping
from typing import Any

import click
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from claimgraph.cli import AppContext
from claimgraph.errors import UsageError
from claimgraph.store import default_store_path, is_remote, remote_config

from . import create_app
from .http_worker import KeptConnectionWorker
from .sandbox import probe
from .settings import SETTINGS, Setting, Settings

REMOTE_OPTIONS = {
    "update_url": "update_url",
    "gsp_url": "gsp_url",
    "auth": "store_auth",
    "token": "store_token",
}
"""The global options of ``claimgraph`` for a remote store, and the settings they give."""

OPTION_TYPES: dict[str, click.ParamType[Any]] = {
    "token_file": click.Path(dir_okay=False, exists=True),
}
"""Options checked more closely than their setting's type: the token file must exist."""


class SettingOption(click.Option):
    """The ``serve`` option of one setting: named, typed and documented by its row.

    It is unset (None) unless given, so that the setting's variable, then its default,
    apply; the help shows both.
    """

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        extra = f"env var: {setting.env}"
        if setting.default is not None:
            extra += f"; default: {setting.default_text}"
        kwargs: dict[str, Any] = {
            "default": None,
            "help": f"{setting.help}  [{extra}]",
            "type": OPTION_TYPES.get(setting.name, setting.type),
        }
        decl = setting.option
        if setting.type is bool:
            kwargs["is_flag"] = True
            del kwargs["type"]
            if setting.default:
                decl += "/--no-" + setting.option.removeprefix("--")
        super().__init__([decl, setting.name], **kwargs)


class SettingsFlag(click.Option):
    """A ``serve`` flag that sets several settings at once."""

    def __init__(self, decl: str, *, sets: Mapping[str, Any], help: str) -> None:
        self.sets = dict(sets)
        super().__init__([decl], is_flag=True, default=False, help=help)


UNVALIDATED_WRITES = SettingsFlag(
    "--unvalidated-writes",
    sets={"validate_writes": False, "union_default_graph": False},
    help="Apply writes without shapes or batches, with plain SPARQL default-graph "
    "semantics.  For protocol conformance runs only.",
)

SERVE_OPTIONS: list[click.Option] = [
    *(SettingOption(s) for s in SETTINGS if s.serve_option),
    UNVALIDATED_WRITES,
]
"""The options of ``serve``, in the order of the settings table."""


def settings_given(options: Mapping[str, Any]) -> dict[str, Any]:
    """The settings the command line gives, by name, from ``serve``'s parsed options.

    >>> settings_given({"port": 9000, "host": None, "unvalidated_writes": True})
    {'port': 9000, 'validate_writes': False, 'union_default_graph': False}
    """
    values: dict[str, Any] = {}
    for option in SERVE_OPTIONS:
        value = options.get(option.name or "")
        if isinstance(option, SettingsFlag) and value:
            values.update(option.sets)
        elif isinstance(option, SettingOption) and value is not None:
            values[option.setting.name] = value
    return values


@click.command(params=SERVE_OPTIONS)
@click.pass_obj
def serve(app: AppContext, /, **options: Any) -> None:
    """Serve the SPARQL endpoint and the browser page (gunicorn).

    Routes: /sparql, /update, /store, /void, /health, /api and the page at /.
    See docs/server.md.
    """
    values = settings_given(options)
    if app.store_spec is not None:
        values["store"] = str(app.store_spec)
    for option, setting in REMOTE_OPTIONS.items():
        if app.remote.get(option) is not None:
            values[setting] = app.remote[option]
    try:
        settings = Settings.from_mapping(values)
        settings.resolved_token()
    except ValueError as e:
        raise UsageError(str(e)) from e
    if settings.store is None:  # neither --store nor CLAIMGRAPH_STORE
        settings = settings.with_(store=str(default_store_path()))
    if settings.store != ":memory:" and not settings.allow_network_in_queries:
        reason = probe()
        if reason is not None:
            raise UsageError(
                f"query processes cannot be cut off from the network here ({reason}). "
                "Without that wall a query that slipped past the SERVICE/LOAD check could "
                "reach other hosts; to serve anyway, pass --allow-network-in-queries or set "
                "CLAIMGRAPH_ALLOW_NETWORK_IN_QUERIES=true."
            )
    if settings.store == ":memory:" and settings.workers != 1:
        # each worker process would hold its own empty store
        settings = settings.with_(workers=1)
    check_address(settings.host, settings.port)
    shown = settings.store
    if settings.store is not None and is_remote(settings.store):
        shown = _check_remote(settings)
    click.echo(
        f"claimgraph: serving {shown} on http://{settings.host}:{settings.port}/ "
        f"({settings.workers} worker(s) x {settings.query_workers} query processes, "
        f"time limit {settings.timeout:g} s, "
        f"{'writes with a token' if settings.resolved_token() else 'read-only'})",
        err=True,
    )
    made_run_dir = None
    if settings.run_dir is None:  # shared by the worker processes: per-client slots
        made_run_dir = tempfile.mkdtemp(prefix="claimgraph-run-")
        settings = settings.with_(run_dir=made_run_dir)
    try:
        ClaimgraphApplication(settings).run()
    finally:
        if made_run_dir is not None:
            shutil.rmtree(made_run_dir, ignore_errors=True)


def _check_remote(settings: Settings) -> str:
    """Reach the remote store once before serving (a clear error now rather than at the first
    request); the store as it is shown: its server, and its URL without credentials."""
    assert settings.store is not None
    config = remote_config(
        settings.store,
        update_url=settings.update_url,
        gsp_url=settings.gsp_url,
        auth=settings.store_auth,
        token=settings.store_token,
        timeout=settings.timeout,
    )
    with config.open() as store:
        return f"{store.server.name} at {store.url}"


def check_address(host: str, port: int) -> None:
    """Refuse (:class:`~claimgraph.errors.UsageError`, exit 2) an address ``serve`` could not
    listen on — most often a port another server holds — before gunicorn starts: gunicorn
    would retry for five seconds and exit 1 without a word of what to do.  The socket is
    bound as gunicorn binds it (``SO_REUSEADDR``), then closed.

    >>> with socket.socket() as taken:
    ...     taken.bind(("127.0.0.1", 0)); taken.listen()
    ...     check_address("127.0.0.1", taken.getsockname()[1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimgraph.errors.UsageError: port ... on 127.0.0.1 is in use ...
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {port} on {host} is in use (another claimgraph serve, or another "
                    "server); pick a free one with --port (or CLAIMGRAPH_PORT), or stop what "
                    "holds it"
                ) from e
            raise UsageError(
                f"cannot listen on {host}:{port}: {e.strerror or e}; check --host and --port "
                "(or CLAIMGRAPH_HOST and CLAIMGRAPH_PORT)"
            ) from e


ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'
"""The access log's line: the path without its query string, so that a token or a query sent
in the URL by mistake is never written to the log."""


class AccessLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, writing the same access log line with only the fields
    :data:`ACCESS_LOG_FORMAT` names (gunicorn's own gathers every request header, response
    header and environ variable of every request), formatted here and written straight to the
    access log's streams rather than through a :class:`logging.LogRecord` (its caller lookup,
    thread and process names and formatter cost more than the line)."""

    _second = -1
    _stamp = ""

    def atoms(self, resp: Any, req: Any, environ: Mapping[str, Any], request_time: Any) -> Any:
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "l": "-",
            "u": self._get_user(environ) or "-",
            "t": self.now(),
            "s": status,
            "m": environ.get("REQUEST_METHOD"),
            "U": environ.get("PATH_INFO"),
            "H": environ.get("SERVER_PROTOCOL"),
            "b": sent is not None and str(sent) or "-",
            "f": environ.get("HTTP_REFERER", "-"),
            "a": environ.get("HTTP_USER_AGENT", "-"),
            "L": f"{request_time.seconds}.{request_time.microseconds:06d}",
        }

    def now(self) -> str:
        """gunicorn's time stamp, formatted once a second."""
        second = int(time.time())
        if second != self._second:
            self._stamp = super().now()
            self._second = second
        return self._stamp

    def logs_fields_only(self) -> bool:
        """Whether :meth:`access` reads only the response's ``status`` and ``sent`` and the
        environ fields :meth:`atoms` names (no access log, or the line written here)."""
        return not self.access_log_enabled or (
            self.cfg.access_log_format == ACCESS_LOG_FORMAT
            and self.access_log.isEnabledFor(logging.INFO)
            and all(_plain(h) for h in self.access_log.handlers)
        )

    def access(self, resp: Any, req: Any, environ: Mapping[str, Any], request_time: Any) -> None:
        """Write the line to each plain stream handler of the access log (the line and what
        ends it as :class:`logging.StreamHandler` writes them, under its lock); any other
        handler, or a format not ours, gets it through :mod:`logging` as gunicorn sends it."""
        if not self.access_log_enabled:
            return
        if not self.logs_fields_only():
            super().access(resp, req, environ, request_time)
            return
        handlers = self.access_log.handlers
        atoms = self.atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and '"' in value:
                atoms[key] = value.replace('"', '\\"')  # as gunicorn's SafeAtoms
        line = ACCESS_LOG_FORMAT % atoms
        for handler in handlers:
            handler.acquire()
            try:
                handler.stream.write(line + handler.terminator)
                handler.stream.flush()
            except Exception:  # noqa: BLE001 - as logging's handleError: never the request's
                self.error(traceback.format_exc())
            finally:
                handler.release()


def _plain(handler: logging.Handler) -> bool:
    """A handler that writes each record's message as it is: a stream or file handler with
    the access log's ``%(message)s`` format and no filters."""
    formatter = handler.formatter
    return (
        type(handler) in (logging.StreamHandler, logging.FileHandler)
        and not handler.filters
        and formatter is not None
        and formatter._fmt == Logger.access_fmt
        and getattr(handler, "stream", None) is not None
    )


class ClaimgraphApplication(BaseApplication):  # type: ignore[misc]
    """gunicorn, configured in code: gthread workers that serve a kept-alive connection's
    next request in the same thread (:mod:`claimgraph.server.http_worker`), each with its own
    query processes (started after the fork, so no RocksDB handle crosses a fork)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        """Set gunicorn's configuration from the settings."""
        s = self.settings
        options: dict[str, Any] = {
            "bind": f"{s.host}:{s.port}",
            "workers": s.workers,
            "threads": s.threads,
            "worker_class": KeptConnectionWorker,
            # gthread workers keep heartbeating while a request waits for its query
            # process; this only reaps a wedged worker.
            "timeout": int(s.timeout * 2 + 30),
            "graceful_timeout": 10,
            "keepalive": 5,
            "limit_request_line": 8190,
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": AccessLogger,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "claimgraph",
            "post_worker_init": _start_query_processes,
            "worker_exit": _close_engine,
        }
        # gunicorn >= 25.1 opens a control socket at a fixed path in the home directory,
        # shared by every instance on the machine; the server is managed by its signals
        if "control_socket_disable" in self.cfg.settings:
            options["control_socket_disable"] = True
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """The WSGI app each worker serves."""
        return create_app(self.settings)


def _start_query_processes(worker: Any) -> None:
    engine = worker.wsgi.extensions["claimgraph"]
    engine.pool.warm()


def _close_engine(server: Any, worker: Any) -> None:
    wsgi = getattr(worker, "wsgi", None)
    if wsgi is not None:
        wsgi.extensions["claimgraph"].close()
