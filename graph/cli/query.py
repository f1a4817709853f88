"""``claimgraph query``: saved queries, ``.rq`` files and SPARQL text."""

from __future__ import annotations

import click

from ..queries import get_query, parse_saved_query, saved_queries
from ..results import serialize
from .group import AppContext, pass_app
from .output import echo_bytes


@click.command()
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
    if list_:
        for q in saved_queries().values():
            usage = " ".join(p.usage for p in q.parameters)
            click.echo(
                f"{q.name:<32} {q.summary}" + (f"\n{'':<32}   params: {usage}" if usage else "")
            )
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
    echo_bytes(serialize(result, fmt, hide=frozenset(p.variable for p in saved.parameters)))
