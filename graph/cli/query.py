"""``claimgraph query``: saved queries, ``.rq`` files and SPARQL text."""

from __future__ import annotations

import click

from ..errors import UsageError
from ..queries import get_query, parse_saved_query, saved_queries
from ..results import serialize
from ..saved_queries import Page
from ..statements import STANDINGS, parse_standings
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
    help="A saved query's parameter (repeatable). IRIs as cgi:zelensky, a full IRI or a bare "
    "id (zelensky, read as cgi:zelensky); text as it is (quote it for the shell).",
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
@click.option("--limit", type=click.IntRange(min=0), help="At most this many rows.")
@click.option("--offset", type=click.IntRange(min=0), help="Skip this many rows first.")
@click.option(
    "--page",
    type=click.IntRange(min=1),
    help="Page K (from 1) of the saved query's page size (its '#+ pagination:', 100 for the "
    "shipped queries) or of --limit: the rows grlc and /api/queries/NAME?page=K return.",
)
@click.option("--list", "list_", is_flag=True, help="List the saved queries and their parameters.")
@click.option(
    "--include",
    metavar="STANDINGS",
    help="Also answer from cited (background) and/or judged statements: cited, judged, "
    "cited,judged or all. Saved queries answer from what the articles say (evidenced "
    "statements) unless told; --sparql text reads every graph unless told.",
)
@pass_app
def query(
    app: AppContext,
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str,
    limit: int | None,
    offset: int | None,
    page: int | None,
    list_: bool,
    include: str | None,
) -> None:
    """Run a saved query NAME, a FILE.rq, or --sparql TEXT.

    A saved query, and a FILE.rq (run as a saved query, with its #+ header and
    parameters), answers from what the articles say (evidenced statements) unless --include
    adds background (cited) or judgements (judged); its standing columns tell where a fact
    comes from. --sparql TEXT reads the union of every graph unless --include narrows it,
    so the same text may count more with --sparql than from a FILE.rq. The ontology's
    prefixes (cg:, cgi:, prov:, schema:, ...) are predeclared.

    \b
    Examples:
      claimgraph query --list
      claimgraph query cq10-reporting-chain --param claim=cgi:claim-talks-ended
      claimgraph query claims-by-actor --param actor=turkey --param includeAffiliated=true
      claimgraph query cq05-unrealistic-demands --param word=threats --format csv
      claimgraph query cq14-kyiv-priorities --param "word=prisoner exchange"
      claimgraph query claims --limit 20 --offset 40
      claimgraph query cq03-mediators --include cited
      claimgraph query --sparql 'SELECT ?s WHERE { ?s a cg:Delegation }'
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
            raise click.BadParameter(
                f"{item!r} is not K=V (e.g. --param actor=cgi:zelensky, --param word=threats)",
                param_hint="--param",
            )
        values[key] = value
    saved = get_query(name) if name is not None else parse_saved_query("sparql", sparql or "")
    try:
        window = Page.of(limit=limit, offset=offset, page=page, size=saved.pagination)
    except UsageError as e:
        raise click.UsageError(str(e)) from e
    for key, value in values.items():
        bare = saved.parameter(key).bare_id(value)
        if bare is not None:
            click.echo(f"note: {key}={value.strip()} is read as {bare}", err=True)
    store = app.reading_store()
    standings = parse_standings(include) if include is not None or name is not None else None
    result = saved.run(store, values, standings=standings, page=window)
    if fmt == "table" and standings is not None and set(standings) != set(STANDINGS):
        # for people reading the table; data formats stay pure
        left = ", ".join(s for s in STANDINGS if s not in standings)
        click.echo(
            f"answered from {', '.join(standings)} statements; --include {left} adds the rest",
            err=True,
        )
    echo_bytes(serialize(result, fmt, hide=frozenset(p.variable for p in saved.parameters)))
    for key, suggestions in saved.unknown_iris(store, values).items():
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        click.echo(f"note: {key}={values[key].strip()} names nothing in the store{hint}", err=True)
