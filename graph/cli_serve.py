"""``claimgraph serve``: the SPARQL endpoint under gunicorn (never Flask's dev server).

Options map one to one onto the server's settings table
(:data:`claimgraph.server.settings.SETTINGS`); what an option leaves unset comes from
``CLAIMGRAPH_*`` variables, then the defaults.
"""

from __future__ import annotations

from typing import Any

import click

from .store import STORE_ENV


def _gunicorn_app(settings: Any) -> Any:
    from gunicorn.app.base import BaseApplication

    class ClaimgraphApplication(BaseApplication):  # type: ignore[misc]
        """gunicorn, configured in code: gthread workers, each with its own query
        processes (started after the fork, so no RocksDB handle crosses a fork)."""

        def __init__(self) -> None:
            self.settings = settings
            super().__init__()

        def load_config(self) -> None:
            s = self.settings
            options = {
                "bind": f"{s.host}:{s.port}",
                "workers": s.workers,
                "threads": s.threads,
                "worker_class": "gthread",
                # gthread workers keep heartbeating while a request waits for its query
                # process; this only reaps a wedged worker.
                "timeout": int(s.timeout * 2 + 30),
                "graceful_timeout": 10,
                "keepalive": 5,
                "limit_request_line": 8190,
                "accesslog": "-",
                "errorlog": "-",
                "loglevel": "info",
                "proc_name": "claimgraph",
                "post_worker_init": _warm,
                "worker_exit": _stop,
            }
            # gunicorn >= 25.1 opens a control socket at a fixed path in the home directory,
            # shared by every instance on the machine; the server is managed by its signals
            if "control_socket_disable" in self.cfg.settings:
                options["control_socket_disable"] = True
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from claimgraph.server import create_app

            return create_app(self.settings)

    return ClaimgraphApplication()


def _warm(worker: Any) -> None:
    engine = worker.wsgi.extensions["claimgraph"]
    engine.pool.warm()


def _stop(server: Any, worker: Any) -> None:
    wsgi = getattr(worker, "wsgi", None)
    if wsgi is not None:
        wsgi.extensions["claimgraph"].close()


@click.command()
@click.option("--host", default=None, help="Address to listen on.  [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help="Port to listen on.  [default: 8000]")
@click.option(
    "--token",
    envvar="CLAIMGRAPH_TOKEN",
    default=None,
    show_envvar=True,
    help="Token that authorises /update and /store writes (prefer --token-file: "
    "command lines are visible to other users).  Unset: read-only.",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="File whose first line is the write token.",
)
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="Per-query time limit in seconds; overrunning queries are killed (503).  [default: 30]",
)
@click.option(
    "--write-timeout",
    type=float,
    default=None,
    help="Time limit in seconds for one write, validation included.  [default: 120]",
)
@click.option("--workers", type=int, default=None, help="gunicorn worker processes.  [default: 2]")
@click.option("--threads", type=int, default=None, help="Request threads per worker.  [default: 8]")
@click.option(
    "--query-workers", type=int, default=None, help="Query processes per worker.  [default: 3]"
)
@click.option(
    "--query-memory-mb",
    type=int,
    default=None,
    help="Memory cap of each query process in MiB (0: none).  [default: 2048]",
)
@click.option(
    "--max-rows",
    type=int,
    default=None,
    help="Most rows/triples a query returns (cut results say so in a header).  [default: 100000]",
)
@click.option(
    "--max-request-bytes",
    type=int,
    default=None,
    help="Largest request body; larger gets 413.  [default: 10 MiB]",
)
@click.option("--cors-origins", default=None, help="Origins allowed by CORS.  [default: *]")
@click.option(
    "--allow-network-in-queries",
    is_flag=True,
    default=None,
    help="Start even where query processes cannot be cut off from the network "
    "(no seccomp filter on this platform).",
)
@click.option(
    "--unvalidated-writes",
    is_flag=True,
    default=False,
    help="Apply writes without shapes or batches, with plain SPARQL default-graph "
    "semantics.  For protocol conformance runs only.",
)
@click.pass_context
def serve(ctx: click.Context, /, **options: Any) -> None:
    """Serve the SPARQL endpoint and the browser page (gunicorn).

    Routes: /sparql, /update, /store, /void, /health, /api and the page at /.
    See docs/server.md.
    """
    from .errors import UsageError
    from .server.settings import Settings

    unvalidated = options.pop("unvalidated_writes")
    values = {k: v for k, v in options.items() if v is not None}
    if unvalidated:
        values["validate_writes"] = False
        values["union_default_graph"] = False
    store_spec = getattr(ctx.obj, "store_spec", None)
    if store_spec is not None:
        values["store"] = str(store_spec)
    try:
        settings = Settings.from_mapping(values)
        settings.resolved_token()
    except ValueError as e:
        raise UsageError(str(e)) from e
    if settings.store is None:
        import os

        from .store import default_store_path

        settings = settings.with_(store=os.environ.get(STORE_ENV) or str(default_store_path()))
    if settings.store != ":memory:" and not settings.allow_network_in_queries:
        from .server.sandbox import probe

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
    click.echo(
        f"claimgraph: serving {settings.store} on http://{settings.host}:{settings.port}/ "
        f"({settings.workers} worker(s) x {settings.query_workers} query processes, "
        f"time limit {settings.timeout:g} s, "
        f"{'writes with a token' if settings.resolved_token() else 'read-only'})",
        err=True,
    )
    _gunicorn_app(settings).run()
