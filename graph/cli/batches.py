"""Writing and checking batches: ``ingest``, ``validate``, ``retract`` and ``batches``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import click

from ..batches import list_batches
from ..batches import retract as retract_batch
from ..errors import ValidationFailed
from ..ingest import (
    FORMATS,
    IngestResult,
    detect_format,
    ingest_file,
    ingest_ontology,
    ingest_seed,
)
from ..rdf import BATCH
from ..validation import validate_store
from .group import AppContext, pass_app
from .output import echo_bytes
from .resolution import AUTO_HELP, report_duplicates

F = TypeVar("F", bound=Callable[..., Any])


def report_option(help: str) -> Callable[[F], F]:
    """``--report text|turtle``: how a validation report is printed."""
    return click.option(
        "--report",
        "report_format",
        type=click.Choice(["text", "turtle"]),
        default="text",
        show_default=True,
        help=help,
    )


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", is_flag=True, help="Ingest the packaged seed dataset (the Istanbul talks).")
@click.option(
    "--ontology",
    is_flag=True,
    help="Ingest the packaged ontology and CAMEO code list, so queries can read their "
    "labels and definitions (cg:mediator rdfs:label ?l).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Input format for every FILE (default: from each file's extension).",
)
@click.option("--agent", metavar="NAME", help="Who is ingesting (default: the login name).")
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Read a FILE that is a symbolic link (refused by default: a folder of downloaded files "
    "should not point ingest at ~/.ssh or /etc).",
)
@click.option(
    "--accept-drafts",
    is_flag=True,
    help="Ingest statement graphs marked `draft: true` (as `claimgraph extract` writes "
    "them): say so once a person has reviewed the draft. Refused without it.",
)
@click.option(
    "--link",
    "link_mode",
    type=click.Choice(["warn", "auto", "off"]),
    default="warn",
    show_default=True,
    help=AUTO_HELP,
)
@report_option(
    "How to print a validation report: readable text or the SHACL report graph in Turtle."
)
@pass_app
def ingest(
    app: AppContext,
    files: tuple[Path, ...],
    seed: bool,
    ontology: bool,
    fmt: str | None,
    agent: str | None,
    follow_symlinks: bool,
    accept_drafts: bool,
    link_mode: str,
    report_format: str,
) -> None:
    """Validate FILES against the shapes and write each as its own batch.

    Formats: Turtle (.ttl), N-Triples (.nt), N-Quads (.nq), TriG (.trig), JSON-LD
    (.jsonld, .json), RDF/XML (.rdf, .owl, .xml) and claim records (.yaml, .yml).
    A file that breaks a rule writes nothing and exits 1 with the report; a file that
    cannot be parsed exits 2 naming the file and line; the same content again is a no-op.
    Files are ingested in order and the first failure stops the run. Only regular files
    are read, under the input limits of docs/security.md (raise one with its
    CLAIMGRAPH_MAX_* variable).
    """
    if not files and not seed and not ontology:
        raise click.UsageError("give one or more FILES, or --seed or --ontology")
    app.report_format = report_format
    store = app.store(create=True)
    for wanted, packaged in ((seed, ingest_seed), (ontology, ingest_ontology)):
        if wanted:
            for result in packaged(store, agent=agent):
                _echo_ingested(result)
    for path in files:
        detect_format(path, fmt)
        size = path.stat().st_size if path.exists() else 0
        with click.progressbar(
            length=size,
            label=f"reading {path.name}",
            file=sys.stderr,
            hidden=size < (8 << 20),
        ) as bar:
            result = ingest_file(
                store,
                path,
                format=fmt,
                agent=agent,
                progress=bar.update,
                follow_symlinks=follow_symlinks,
                accept_drafts=accept_drafts,
            )
        _echo_ingested(result)
        if result.created:
            report_duplicates(store, result.batch, link_mode)


def _echo_ingested(result: IngestResult) -> None:
    if result.created:
        warn = f", {result.warnings} warning(s)" if result.warnings else ""
        click.echo(f"ingested {result.source}: {result.triples} triples into {result.batch}{warn}")
        if result.warnings and result.report is not None:
            click.echo(result.report.text(severity="Warning"), err=True)
    else:
        click.echo(
            f"unchanged {result.source}: already ingested as {result.batch} (nothing written)"
        )


@click.command()
@report_option("Readable text or the SHACL report graph.")
@pass_app
@click.pass_context
def validate(ctx: click.Context, app: AppContext, report_format: str) -> None:
    """Re-validate the whole store against the shapes (exit 1 on any violation)."""
    report = validate_store(app.reading_store())
    if report_format == "turtle":
        echo_bytes(report.turtle().encode("utf-8"))
    else:
        click.echo(report.text())
    if not report.conforms:
        ctx.exit(ValidationFailed.exit_code)


@click.command()
@click.argument("batch")
@click.option(
    "--force", is_flag=True, help="Retract even if other batches point at what BATCH describes."
)
@pass_app
def retract(app: AppContext, batch: str, force: bool) -> None:
    """Remove BATCH (its IRI, id, or an unambiguous id prefix) and its metadata.

    A batch that describes actors, events or articles other batches point at is kept
    (exit 1, naming them) unless --force is given.
    """
    graph = retract_batch(app.store(), batch, force=force)
    click.echo(f"retracted {graph}")


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_app
def batches(app: AppContext, fmt: str) -> None:
    """List the batches in the store: id, source, triples, warnings, time, agent."""
    rows = list_batches(app.reading_store())
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    for r in rows:
        click.echo(
            f"{r.batch.removeprefix(BATCH)}  {r.triples:>8} triples  {r.warnings:>3} warnings  "
            f"{r.time}  {r.agent}  {r.source}"
        )
    click.echo(f"({len(rows)} batch{'es' if len(rows) != 1 else ''})")
