"""``claimgraph export``: views of the graph for networkx, Gephi, Cytoscape, D3 and reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..export import FORMATS, VIEWS, build_graph, write
from .group import AppContext, pass_app

FORMAT_BY_EXTENSION = {f.extension: f.name for f in FORMATS.values()} | {"gv": "dot"}
"""The format ``-o FILE`` implies when ``--format`` is not given."""


def _format_of(output: Path | None) -> str:
    """The format ``-o FILE`` implies: by its extension; GraphML for standard output or a file
    without one.  An extension that names no format is refused rather than written as GraphML
    under a misleading name."""
    extension = output.suffix.lstrip(".").lower() if output is not None else ""
    if not extension:
        return "graphml"
    if extension not in FORMAT_BY_EXTENSION:
        known = ", ".join(f".{e}" for e in sorted(FORMAT_BY_EXTENSION))
        raise click.BadParameter(
            f"{output}: .{extension} names no export format; use one of {known}, or give --format",
            param_hint="-o/--output",
        )
    return FORMAT_BY_EXTENSION[extension]


@click.command()
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="actors",
    show_default=True,
    help="full: every resource; actors: actors and events, roles as labelled edges; "
    "claims: claims and their sources; provenance: one claim's trace (--claim).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default=None,
    help="graphml, gexf (Gephi), json (node-link, D3), cyjs (Cytoscape.js), dot, csv "
    "(edge list), svg or png (drawn by Graphviz). Default: from -o's extension (an unknown "
    "one is refused), else graphml.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of standard output.",
)
@click.option(
    "--claim",
    metavar="IRI",
    help="The claim of the provenance view: an IRI, cgi:claim-… or a bare id.",
)
@click.option(
    "--lang",
    default="en",
    show_default=True,
    help="Language of labels and texts (falls back to untagged, English, any).",
)
@click.option(
    "--layout",
    type=click.Choice(["dot", "neato", "sfdp", "fdp", "circo", "twopi"]),
    help="Graphviz layout program for svg/png (default: dot for provenance, neato for "
    "actors and claims, sfdp for full).",
)
@pass_app
def export(
    app: AppContext,
    view: str,
    fmt: str | None,
    output: Path | None,
    claim: str | None,
    lang: str,
    layout: str | None,
) -> None:
    """Export a VIEW of the graph as a file networkx, Gephi, Cytoscape or D3 can load, or
    draw it as SVG/PNG.

    \b
    Examples:
      claimgraph export --view actors --format gexf -o actors.gexf
      claimgraph export --view provenance --claim cgi:claim-russian-demands-unrealistic -o p.svg
      claimgraph export --view claims --format csv > claims.csv

    Nodes carry iri, label, type (compact, e.g. cg:Delegation) and kind; edges carry
    predicate (an IRI), label and id. Load any data format back with
    claimgraph.export.read(path, format).
    """
    if fmt is None:
        fmt = _format_of(output)
    if view == "provenance" and not claim:
        raise click.UsageError(
            "--view provenance needs --claim IRI (e.g. "
            "--claim cgi:claim-russian-demands-unrealistic)"
        )
    if claim and view != "provenance":
        raise click.UsageError("--claim only applies to --view provenance")
    if output is None and fmt == "png" and sys.stdout.isatty():
        raise click.UsageError("a PNG is binary: give -o FILE.png or redirect standard output")
    graph = build_graph(app.reading_store(), view, claim=claim, lang=lang)
    if output is None:
        sys.stdout.flush()
        out = sys.stdout.buffer
        write(graph, fmt, out, layout=layout)
        out.flush()
        return
    write(graph, fmt, output, layout=layout)
    click.echo(
        f"wrote {output}: {view} view, {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges ({fmt})",
        err=True,
    )
