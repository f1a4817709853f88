"""The ``claimgraph`` command line: a thin click layer over the library.

Exit codes: 0 success; 1 the data does not conform to the shapes (or validate found
violations); 2 unreadable input or bad usage (parse errors, malformed queries, unknown
options); 3 the store failed; 4 something named does not exist or is ambiguous.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import ClaimgraphError, ValidationFailed
from .store import STORE_ENV, Store, default_store_path, open_store

F = TypeVar("F", bound=Callable[..., Any])


class AppContext:
    """What every command shares: the store, opened on first use and closed at exit."""

    def __init__(self, store_spec: str | None) -> None:
        self.store_spec = store_spec
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.store_spec)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)


class ClaimgraphGroup(click.Group):
    """Turns library errors into readable messages and documented exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as e:
            report = getattr(e, "report", None)
            if report is not None and hasattr(report, "text"):
                click.echo(report.text(), err=True)
            click.secho(f"error: {e}", fg="red", err=True)
            ctx.exit(e.exit_code)
        except ClaimgraphError as e:
            click.secho(f"error: {e}", fg="red", err=True)
            ctx.exit(e.exit_code)


@click.group(cls=ClaimgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_spec",
    envvar=STORE_ENV,
    metavar="PATH",
    help=f"The store directory (or :memory:). Default: ${STORE_ENV}, else {default_store_path()}.",
)
@click.version_option(__version__, prog_name="claimgraph")
@click.pass_context
def main(ctx: click.Context, store_spec: str | None) -> None:
    """claimgraph: actors, sources and claims in news about negotiations.

    Ingest claim records and RDF, validated against the shapes; query with SPARQL; trace a
    claim to its original speaker; export views for networkx, Gephi and Cytoscape; serve a
    SPARQL endpoint with a browser page.
    """
    app = AppContext(store_spec)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _echo_bytes(data: bytes) -> None:
    sys.stdout.flush()
    out = sys.stdout.buffer
    out.write(data)
    if data and not data.endswith(b"\n"):
        out.write(b"\n")
    out.flush()


# ---------------------------------------------------------------------------------- ingest


@main.command()
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
    type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "records"]),
    help="Input format for every FILE (default: from each file's extension).",
)
@click.option("--agent", metavar="NAME", help="Who is ingesting (default: the login name).")
@click.option(
    "--report",
    "report_format",
    type=click.Choice(["text", "turtle"]),
    default="text",
    show_default=True,
    help="How to print a validation report: readable text or the SHACL report graph in Turtle.",
)
@pass_app
def ingest(
    app: AppContext,
    files: tuple[Path, ...],
    seed: bool,
    ontology: bool,
    fmt: str | None,
    agent: str | None,
    report_format: str,
) -> None:
    """Validate FILES against the shapes and write each as its own batch.

    Formats: Turtle (.ttl), N-Triples (.nt), N-Quads (.nq), TriG (.trig), JSON-LD
    (.jsonld, .json), RDF/XML (.rdf, .owl, .xml) and claim records (.yaml, .yml).
    A file that breaks a rule writes nothing and exits 1 with the report; a file that
    cannot be parsed exits 2 naming the file and line; the same content again is a no-op.
    Files are ingested in order and the first failure stops the run.
    """
    from .ingest import IngestResult, detect_format, ingest_file, ingest_ontology, ingest_seed

    if not files and not seed and not ontology:
        raise click.UsageError("give one or more FILES, or --seed or --ontology")
    store = app.store()
    results: list[IngestResult] = []
    try:
        for wanted, packaged in ((seed, ingest_seed), (ontology, ingest_ontology)):
            if wanted:
                for r in packaged(store, agent=agent):
                    results.append(r)
                    _report_ingest(r)
        for path in files:
            detect_format(path, fmt)
            size = path.stat().st_size if path.exists() else 0
            with click.progressbar(
                length=size,
                label=f"reading {path.name}",
                file=sys.stderr,
                hidden=size < (8 << 20),
            ) as bar:
                r = ingest_file(store, path, format=fmt, agent=agent, progress=bar.update)
            results.append(r)
            _report_ingest(r)
    except ValidationFailed as e:
        if report_format == "turtle":
            _echo_bytes(e.report.turtle().encode("utf-8"))  # type: ignore[attr-defined]
            click.secho(f"error: {e}", fg="red", err=True)
            raise SystemExit(e.exit_code) from e
        raise


def _report_ingest(r: Any) -> None:
    if r.created:
        warn = f", {r.warnings} warning(s)" if r.warnings else ""
        click.echo(f"ingested {r.source}: {r.triples} triples into {r.batch}{warn}")
        if r.warnings:
            click.echo(r.report.text(severity="Warning"), err=True)
    else:
        click.echo(f"unchanged {r.source}: already ingested as {r.batch} (nothing written)")


@main.command()
@click.option(
    "--report",
    "report_format",
    type=click.Choice(["text", "turtle"]),
    default="text",
    show_default=True,
    help="Readable text or the SHACL report graph.",
)
@pass_app
def validate(app: AppContext, report_format: str) -> None:
    """Re-validate the whole store against the shapes (exit 1 on any violation)."""
    from .validation import validate_store

    report = validate_store(app.store())
    if report_format == "turtle":
        _echo_bytes(report.turtle().encode("utf-8"))
    else:
        click.echo(report.text())
    if not report.conforms:
        raise SystemExit(ValidationFailed.exit_code)


@main.command()
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
    from .batches import retract as retract_batch

    graph = retract_batch(app.store(), batch, force=force)
    click.echo(f"retracted {graph}")


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_app
def batches(app: AppContext, fmt: str) -> None:
    """List the batches in the store: id, source, triples, warnings, time, agent."""
    from dataclasses import asdict

    from .batches import list_batches

    rows = list_batches(app.store())
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    from .rdf import BATCH

    for r in rows:
        click.echo(
            f"{r.batch.removeprefix(BATCH)}  {r.triples:>8} triples  {r.warnings:>3} warnings  "
            f"{r.time}  {r.agent}  {r.source}"
        )
    click.echo(f"({len(rows)} batch{'es' if len(rows) != 1 else ''})")


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--centrality",
    is_flag=True,
    help="Also actor degree/betweenness centrality, "
    "source diversity per claim and counts by kind (see claimgraph.export).",
)
@pass_app
def stats(app: AppContext, fmt: str, centrality: bool) -> None:
    """Counts: quads, batches, and instances of each class."""
    from .stats import store_stats

    s = store_stats(app.store())
    if fmt == "json":
        data = s.as_dict()
        if centrality:
            from .cli_export import stats_centrality

            data["centrality"] = stats_centrality(app, fmt)
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"quads    {s.quads}\nbatches  {s.batches}\ngraphs   {s.graphs}\n")
    for cls, n in s.by_class.items():
        click.echo(f"{n:>7}  {cls}")
    if centrality:
        from .cli_export import stats_centrality

        stats_centrality(app, fmt)


# ----------------------------------------------------------------------------------- query


@main.command()
@click.argument("name", required=False)
@click.option("--sparql", metavar="TEXT", help="Run this SPARQL text instead of a saved query.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="K=V",
    help="A saved query's parameter (repeatable); IRIs may use known prefixes.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(
        ["table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"]
    ),
    default="table",
    show_default=True,
    help="json/xml/csv/tsv are the SPARQL 1.1 result formats; turtle etc. for CONSTRUCT.",
)
@click.option("--list", "list_", is_flag=True, help="List the saved queries and their parameters.")
@pass_app
def query(
    app: AppContext,
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str,
    list_: bool,
) -> None:
    """Run a saved query NAME, a FILE.rq, or --sparql TEXT.

    The default graph is the union of all batches; the ontology's prefixes (cg:, cgi:,
    prov:, schema:, ...) are predeclared.
    """
    from .queries import get_query, parse_saved_query, saved_queries
    from .results import serialize

    if list_:
        for q in saved_queries().values():
            ps = " ".join(p.usage for p in q.parameters)
            click.echo(f"{q.name:<32} {q.summary}" + (f"\n{'':<32}   params: {ps}" if ps else ""))
        return
    if (name is None) == (sparql is None):
        raise click.UsageError("give a saved query NAME or FILE.rq, or --sparql TEXT (not both)")
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not K=V", param_hint="--param")
        values[key] = value
    saved = get_query(name) if name is not None else parse_saved_query("sparql", sparql or "")
    result = saved.run(app.store(), values)
    _echo_bytes(serialize(result, fmt, hide=frozenset(p.variable for p in saved.parameters)))


@main.command("ontology-docs")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("docs/ontology/index.html"),
    show_default=True,
)
def ontology_docs(output: Path) -> None:
    """Generate HTML documentation of the ontology (with pyLODE)."""
    from .ontology_docs import write_ontology_docs

    write_ontology_docs(output)
    click.echo(f"wrote {output}")


def _register_optional_commands() -> None:
    """Attach commands that live in their own modules."""
    import importlib

    for module, attr in [
        ("claimgraph.cli_serve", "serve"),
        ("claimgraph.cli_provenance", "commands"),
        ("claimgraph.cli_export", "commands"),
    ]:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            continue
        found = getattr(mod, attr)
        for cmd in found if isinstance(found, list) else [found]:
            main.add_command(cmd)


_register_optional_commands()
