"""From article text to draft records: ``extract``, and ``extract-eval`` to score the extractor
against annotated articles."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..extract import (
    KnownActor,
    article_text,
    draft_article,
    evaluate,
    format_evaluation,
    known_to,
    load_folder,
)
from ..limits import current
from ..store import MEMORY, default_store_path, is_remote, open_store
from ..untrusted import read_file
from .group import AppContext, pass_app


@click.command()
@click.argument("article", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the draft here (default: standard output).",
)
@click.option(
    "--title",
    help="The article's headline (also the stem of the record ids; when the store already "
    "has an article or statement graph with that stem, -2, -3 … is added).",
)
@click.option("--url", help="Where the article was published (stored, never fetched).")
@click.option(
    "--outlet", help="Who published it: linked to a known actor by name, else proposed as new."
)
@click.option("--published", metavar="YYYY-MM-DD", help="The article's publication date.")
@click.option(
    "--link/--no-link",
    default=True,
    show_default=True,
    help="Link speakers to the actors of the store (--store), by label and alias.",
)
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Read an ARTICLE that is a symbolic link (refused by default, as by ingest).",
)
@pass_app
def extract(
    app: AppContext,
    article: str,
    output: Path | None,
    title: str | None,
    url: str | None,
    outlet: str | None,
    published: str | None,
    link: bool,
    follow_symlinks: bool,
) -> None:
    """Extract the attributions of ARTICLE (a UTF-8 plain-text file, or - for standard input)
    into draft claim records.

    The draft holds the article and its text, and one evidenced statement graph marked
    `draft: true`: every attribution (quotes, reported speech, "according to", "told
    Reuters", "citing", leaks, posts) as a claim with its chain from the speaker through
    each intermediary to the article, every passage that attributes nothing as the outlet's
    own statement, each with its evidence span and offsets. What the extractor guessed is
    in judged graphs, and the comments at the top list what needs review. Review it, then
    `claimgraph ingest --accept-drafts DRAFT`.
    """
    limits = current()
    if article == "-":
        data = sys.stdin.buffer.read(limits.max_literal_bytes + 1)
        source = "<stdin>"
    else:
        data = read_file(article, limits=limits, follow_symlinks=follow_symlinks)
        source = article
    text = article_text(data, source=source, limits=limits)
    actors, taken = _from_store(app) if link else ([], frozenset[str]())
    draft = draft_article(
        text,
        title=title,
        url=url,
        outlet=outlet,
        published=published,
        actors=actors,
        source_file=Path(article).name if article != "-" else None,
        taken=taken,
    )
    for note in draft.notes:
        click.echo(f"{source}: {note}", err=True)
    if output is None:
        click.echo(draft.yaml(), nl=False)
    else:
        output.write_text(draft.yaml(), encoding="utf-8")
    (evidenced,) = draft.graph("EvidencedStatements")
    claims = sum(1 for r in evidenced["@graph"] if "claimText" in r)
    click.echo(
        f"{source}: {claims} claims, {len(draft.needs_review)} item(s) that need review "
        f"before ingest (# needs review) and {len(draft.judgements)} guess(es) to check"
        + (f"; draft written to {output}" if output is not None else ""),
        err=True,
    )


def _from_store(app: AppContext) -> tuple[list[KnownActor], frozenset[str]]:
    """The store's actors and the ids a draft must not reuse, when there is a store to read
    (an absent embedded one is not created; a server is read with the command's server
    options)."""
    spec = app.store_spec or str(default_store_path())
    if is_remote(spec):  # a server: read it with the command's server options
        return known_to(app.store())
    if spec == MEMORY or not Path(spec).expanduser().is_dir():
        return [], frozenset()
    store = open_store(spec, read_only=True)
    try:
        return known_to(store)
    finally:
        store.close()


@click.command("extract-eval")
@click.argument(
    "folders", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--misses", is_flag=True, help="Also list every missed, extra or wrong attribution.")
def extract_eval(folders: tuple[Path, ...], misses: bool) -> None:
    """Score the extractor against FOLDERS of annotated articles (NAME.txt with
    NAME.gold.yaml; the format is in docs/extract.md).

    Prints, per article, per pattern and overall: span precision, recall and F1 (a span
    matches when it shares at least half of the shorter one) and the accuracy of speaker,
    anonymity, intermediary chain and cue among the matched attributions.
    """
    for folder in folders:
        click.echo(f"== {folder}")
        click.echo(format_evaluation(evaluate(load_folder(folder)), misses=misses))
