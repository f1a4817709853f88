"""``claimgraph migrate``: copy a store to another (embedded ↔ a SPARQL server, or between
servers), every batch with its metadata, resumably, the counts checked."""

from __future__ import annotations

import sys

import click

from ..migrate import migrate as migrate_store
from ..rdf import META_GRAPH
from ..store import open_store
from .group import AppContext, pass_app


@click.command()
@click.option(
    "--from",
    "source_spec",
    required=True,
    metavar="PATH|URL",
    help="The store to copy: a directory, or a SPARQL server's query endpoint.",
)
@click.option(
    "--to",
    "target_spec",
    required=True,
    metavar="PATH|URL",
    help="The store to copy into (created if it is a directory that does not exist). The "
    "global --auth, --bearer-token, --update-url and --gsp-url apply to it.",
)
@click.option(
    "--from-auth",
    envvar="CLAIMGRAPH_FROM_AUTH",
    metavar="USER:PASSWORD",
    help="Sign in to the --from server (prefer $CLAIMGRAPH_FROM_AUTH).",
)
@pass_app
def migrate(app: AppContext, source_spec: str, target_spec: str, from_auth: str | None) -> None:
    """Copy every batch (with its metadata) and every other graph of --from into --to.

    Batches are written oldest first, each in one write; what --to already holds is left
    alone, so an interrupted migration is finished by running it again.  The number of
    triples in every graph is checked at the end (exit 3 if any differs).
    """
    timeout = app.remote.get("timeout")
    source = open_store(source_spec, read_only=True, auth=from_auth, timeout=timeout)
    target = app.open(target_spec)
    try:
        total = sum(1 for g in source.graphs() if g != META_GRAPH)
        with click.progressbar(
            length=total, label="copying", file=sys.stderr, show_pos=True
        ) as bar:
            done = migrate_store(source, target, progress=lambda _: bar.update(1))
    finally:
        source.close()
        target.close()
    click.echo(
        f"migrated {done.quads} quads: {done.batches} batch(es) copied, {done.skipped} already "
        f"there, {done.graphs} other graph(s); every graph's count checked"
    )
