"""``claimgraph stats``: counts of the store and, with ``--centrality``, graph measures."""

from __future__ import annotations

import json

import click

from ..export import graph_measures
from ..statements import parse_standings
from ..stats import store_stats
from ..store import Store
from .group import AppContext, pass_app
from .provenance import include_option


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--centrality",
    is_flag=True,
    help="Also actor degree/betweenness centrality, "
    "source diversity per claim and counts by kind (see claimgraph.export).",
)
@include_option
@pass_app
def stats(app: AppContext, fmt: str, centrality: bool, include: str | None) -> None:
    """Counts: quads, batches, and instances of each class."""
    counts = store_stats(app.reading_store())
    standings = parse_standings(include)
    if fmt == "json":
        data = counts.as_dict()
        if centrality:
            data["centrality"] = graph_measures(app.reading_store(), standings=standings).as_dict()
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"quads    {counts.quads}\nbatches  {counts.batches}\ngraphs   {counts.graphs}\n")
    for cls, n in counts.by_class.items():
        click.echo(f"{n:>7}  {cls}")
    if centrality:
        _echo_centrality(app.reading_store(), standings)


def _echo_centrality(store: Store, standings: tuple[str, ...], *, top: int = 15) -> None:
    """Print the store's graph measures as tables: the ``top`` actors by betweenness, the
    ``top`` claims by independent sources, and resources by kind."""
    measures = graph_measures(store, standings=standings)
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
