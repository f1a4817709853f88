"""The ``claimgraph`` group: its global options, the store every command shares, and the one
place where the library's errors become messages and exit codes.

Exit codes: 0 success; 1 the data does not conform to the shapes (or validate found
violations); 2 unreadable input or bad usage (parse errors, malformed queries, unknown
options); 3 the store failed; 4 something named does not exist or is ambiguous.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

import click

from .. import __version__
from ..errors import ClaimgraphError, ValidationFailed
from ..store import REMOTE_ENV, STORE_ENV, Store, default_store_path, open_store
from ..validation import ValidationReport
from .output import echo_bytes

ENTRY_POINT_GROUP = "claimgraph.commands"
"""Packages add commands to ``claimgraph`` by naming them in this entry-point group
(``claimgraph.server`` adds ``serve`` this way, so the library never imports the server)."""


class AppContext:
    """What every command shares: the store, opened on first use and closed at exit, and how
    a validation report is shown if the command fails on one.  ``remote`` holds the options
    of a store on a SPARQL server (``update_url``, ``gsp_url``, ``auth``, ``token``,
    ``timeout``), as :func:`~claimgraph.store.open_store` takes them."""

    def __init__(self, store_spec: str | None, **remote: Any) -> None:
        self.store_spec = store_spec
        self.remote: dict[str, Any] = {k: v for k, v in remote.items() if v is not None}
        self.report_format = "text"
        self._store: Store | None = None

    def store(self, *, create: bool = False) -> Store:
        """The store named by ``--store`` (or ``CLAIMGRAPH_STORE``, or the default path),
        for a command that writes: an embedded store must exist, unless ``create`` (``ingest``
        makes one where there is none)."""
        if self._store is None:
            self._store = self.open(self.store_spec, create=create)
        return self._store

    def reading_store(self) -> Store:
        """The same store for a command that only reads: opened read-only, so that a
        mistyped ``--store`` is an error (exit 3) rather than a new, empty store."""
        if self._store is None:
            self._store = self.open(self.store_spec, read_only=True)
        return self._store

    def open(self, spec: str | None, *, read_only: bool = False, create: bool = True) -> Store:
        """Open a store with the command line's server options (``read_only`` and ``create``
        as :func:`~claimgraph.store.open_store` takes them); ``migrate`` opens a second one."""
        return open_store(spec, read_only=read_only, create=create, **self.remote)

    def close(self) -> None:
        """Close the store if a command opened it."""
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
"""Decorator that passes the :class:`AppContext` to a command as its first argument."""


class ClaimgraphGroup(click.Group):
    """The ``claimgraph`` group: turns library errors into readable messages and documented
    exit codes, and adds the commands of the :data:`ENTRY_POINT_GROUP` entry points when a
    command line needs them (``serve``, ``--help``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._entry_points_loaded = False

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a library error prints its message (and a validation report)
        and exits with the error's code; a file the system will not open (an ``-o`` in a
        folder that does not exist) is named, exit 2."""
        try:
            return super().invoke(ctx)
        except ValidationFailed as e:
            if isinstance(e.report, ValidationReport):
                app = ctx.find_object(AppContext)
                if app is not None and app.report_format == "turtle":
                    echo_bytes(e.report.turtle().encode("utf-8"))
                else:
                    click.echo(e.report.text(), err=True)
            click.secho(f"error: {e}", fg="red", err=True)
            ctx.exit(e.exit_code)
        except ClaimgraphError as e:
            click.secho(f"error: {e}", fg="red", err=True)
            ctx.exit(e.exit_code)
        except OSError as e:
            if e.filename is None:  # the store's own failures carry no file name
                raise
            # a file a command was told to write (-o) or read that the system refuses
            click.secho(f"error: cannot open {e.filename}: {e.strerror}", fg="red", err=True)
            ctx.exit(2)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named ``cmd_name``; entry points are loaded only if it is not ours."""
        command = super().get_command(ctx, cmd_name)
        if command is None and not self._entry_points_loaded:
            self.load_entry_point_commands()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, those of entry points included."""
        self.load_entry_point_commands()
        return super().list_commands(ctx)

    def load_entry_point_commands(self) -> None:
        """Add the commands other packages register under :data:`ENTRY_POINT_GROUP` (once)."""
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            self.add_command(entry_point.load(), entry_point.name)


@click.group(cls=ClaimgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_spec",
    envvar=STORE_ENV,
    metavar="PATH|URL",
    help=f"The store directory (or :memory:), or the query endpoint of a SPARQL 1.1 server "
    f"(http(s)://…, see docs/scale-out.md). Default: ${STORE_ENV}, else {default_store_path()}. "
    "ingest makes the directory's store if there is none; every other command refuses a "
    "directory without one.",
)
@click.option(
    "--update-url",
    envvar=REMOTE_ENV["update_url"],
    metavar="URL",
    help="The server's SPARQL Update endpoint, if not found from --store.",
)
@click.option(
    "--gsp-url",
    envvar=REMOTE_ENV["gsp_url"],
    metavar="URL",
    help="The server's Graph Store endpoint, if not found from --store.",
)
@click.option(
    "--auth",
    envvar=REMOTE_ENV["auth"],
    metavar="USER:PASSWORD",
    help=f"Sign in to the server (HTTP Basic or Digest, as it asks). Prefer "
    f"${REMOTE_ENV['auth']}: command lines are visible to other users.",
)
@click.option(
    "--bearer-token",
    "token",
    envvar=REMOTE_ENV["token"],
    metavar="TOKEN",
    help=f"Sign in to the server with a bearer token. Prefer ${REMOTE_ENV['token']}.",
)
@click.option(
    "--store-timeout",
    "timeout",
    envvar=REMOTE_ENV["timeout"],
    type=click.FloatRange(min=0, min_open=True, max=86400),
    metavar="SECONDS",
    help="Most seconds one request to the server may take (default 60); a server that is "
    "down or slower gives an error then.",
)
@click.version_option(__version__, prog_name="claimgraph")
@click.pass_context
def main(ctx: click.Context, /, store_spec: str | None, **remote: Any) -> None:
    """claimgraph: actors, sources and claims in news about negotiations.

    Ingest claim records and RDF, validated against the shapes; query with SPARQL; trace a
    claim to its original speaker; export views for networkx, Gephi and Cytoscape; serve a
    SPARQL endpoint with a browser page.
    """
    app = AppContext(store_spec, **remote)
    ctx.obj = app
    ctx.call_on_close(app.close)
