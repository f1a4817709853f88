"""``claimgraph export``: views of the graph for networkx, Gephi, Cytoscape, D3 and reports.

Registered on the main group by :mod:`claimgraph.cli` (it reads :data:`commands`).  The
library (:mod:`claimgraph.export`) and networkx are imported only when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .cli import AppContext, pass_app

VIEW_NAMES = ("full", "actors", "claims", "provenance")
FORMAT_NAMES = ("graphml", "gexf", "json", "cyjs", "dot", "csv", "svg", "png")
EXTENSIONS = {
    "graphml": "graphml",
    "gexf": "gexf",
    "json": "json",
    "cyjs": "cyjs",
    "dot": "dot",
    "gv": "dot",
    "csv": "csv",
    "svg": "svg",
    "png": "png",
}


@click.command()
@click.option(
    "--view",
    type=click.Choice(VIEW_NAMES),
    default="actors",
    show_default=True,
    help="full: every resource; actors: actors and events, roles as labelled edges; "
    "claims: claims and their sources; provenance: one claim's trace (--claim).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="graphml, gexf (Gephi), json (node-link, D3), cyjs (Cytoscape.js), dot, csv "
    "(edge list), svg or png (drawn by Graphviz). Default: from -o's extension, "
    "else graphml.",
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
    from .export import build_graph, write

    if fmt is None:
        fmt = EXTENSIONS.get(output.suffix.lstrip(".").lower(), "graphml") if output else "graphml"
    if view == "provenance" and not claim:
        raise click.UsageError(
            "--view provenance needs --claim IRI (e.g. "
            "--claim cgi:claim-russian-demands-unrealistic)"
        )
    if claim and view != "provenance":
        raise click.UsageError("--claim only applies to --view provenance")
    if output is None and fmt == "png" and sys.stdout.isatty():
        raise click.UsageError("a PNG is binary: give -o FILE.png or redirect standard output")
    graph = build_graph(app.store(), view, claim=claim, lang=lang)
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


def echo_measures(measures: Any, *, top: int = 15) -> None:
    """Print :class:`claimgraph.export.GraphMeasures` as readable tables."""
    click.echo("\nactor centrality (actors view, events as nodes; by betweenness)")
    if measures.betweenness_sample:
        click.echo(f"  betweenness estimated from {measures.betweenness_sample} pivots")
    click.echo(f"  {'betweenness':>11}  {'degree':>6}  {'deg.cent':>8}  actor")
    for a in measures.actors[:top]:
        click.echo(
            f"  {a.betweenness:>11.4f}  {a.degree:>6}  {a.degree_centrality:>8.4f}  "
            f"{a.label} ({a.type}, {a.id})"
        )
    if len(measures.actors) > top:
        click.echo(f"  … {len(measures.actors) - top} more (--format json for all)")
    click.echo(
        "\nsource diversity per claim (independent sources as `claimgraph corroboration` counts "
        "them)"
    )
    click.echo(f"  {'indep.':>6}  {'carriers':>8}  {'sides':>5}  {'anon-only':>9}  claim")
    for c in measures.claims[:top]:
        click.echo(
            f"  {c.independent_sources:>6}  {c.carriers:>8}  {c.sides:>5}  "
            f"{'yes' if c.anonymous_only else '':>9}  {c.label} ({c.id})"
        )
    if len(measures.claims) > top:
        click.echo(f"  … {len(measures.claims) - top} more (--format json for all)")
    click.echo("\nresources by kind")
    for kind, n in measures.by_kind.items():
        click.echo(f"  {n:>7}  {kind}")


def stats_centrality(app: AppContext, fmt: str) -> dict[str, Any] | None:
    """What ``stats --centrality`` adds: printed for ``table``, returned for ``json``."""
    from .export import graph_measures

    measures = graph_measures(app.store())
    if fmt == "json":
        return measures.as_dict()
    echo_measures(measures)
    return None


commands = [export]
"""The commands :mod:`claimgraph.cli` adds to the ``claimgraph`` group."""

__all__ = ["commands", "echo_measures", "export", "stats_centrality"]
