"""``claimgraph ontology-docs``: the ontology's HTML documentation."""

from __future__ import annotations

from pathlib import Path

import click

from ..ontology_docs import write_ontology_docs


@click.command("ontology-docs")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("docs/ontology/index.html"),
    show_default=True,
)
def ontology_docs(output: Path) -> None:
    """Generate HTML documentation of the ontology (with pyLODE)."""
    write_ontology_docs(output)
    click.echo(f"wrote {output}")
