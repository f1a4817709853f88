"""Resolving actors across articles: ``candidates``, ``link`` and ``unlink``, and the
duplicate report ``ingest`` prints after each file."""

from __future__ import annotations

import click

from ..resolution import (
    AUTO_LINK_THRESHOLD,
    CANDIDATE_THRESHOLD,
    Candidate,
    LinkResult,
    incoming_duplicates,
)
from ..resolution import (
    candidates as find_candidates,
)
from ..resolution import (
    link as link_things,
)
from ..resolution import (
    unlink as unlink_things,
)
from ..store import Store
from .group import AppContext, pass_app
from .output import echo_json

KIND_NAMES = ("person", "organisation", "state", "place", "event", "claim", "anonymous")


@click.command()
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KIND_NAMES),
    help="Only candidates of this kind (repeat for several; default: every kind).",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    help=f"List candidates from this score (default {CANDIDATE_THRESHOLD}; anonymous sources 0.5).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_app
def candidates(app: AppContext, kinds: tuple[str, ...], min_score: float | None, fmt: str) -> None:
    """List things that may be one — named actors, places, events and claims from different
    batches, and anonymous sources that may be the same person — highest score first, each
    with its reasons and the command that links them. Nothing is changed: a person decides,
    with `claimgraph link`."""
    found = find_candidates(app.reading_store(), kinds=kinds or None, min_score=min_score)
    if fmt == "json":
        echo_json([c.as_dict() for c in found])
        return
    if not found:
        click.echo("no candidates")
    for c in found:
        click.echo(_candidate_text(c))


@click.command()
@click.argument("left")
@click.argument("right")
@click.option(
    "--possibly",
    is_flag=True,
    help="Two anonymous sources that may be one person (cg:possiblySameAs): kept apart, "
    "counted as one to two.",
)
@click.option("--score", type=click.FloatRange(0, 1), help="How sure (0-1): the confidence.")
@click.option("--because", metavar="TEXT", help="Why: the rationale kept with the link.")
@click.option("--agent", metavar="NAME", help="Who decides (default: the login name).")
@pass_app
def link(
    app: AppContext,
    left: str,
    right: str,
    possibly: bool,
    score: float | None,
    because: str | None,
    agent: str | None,
) -> None:
    """Link LEFT and RIGHT as one thing (owl:sameAs), or with --possibly as possibly the same
    anonymous source, as a judged batch of its own (who, when, how sure, why). Queries,
    trace and corroboration count linked things as one; `claimgraph unlink` undoes it."""
    r = link_things(
        app.store(), left, right, possibly=possibly, score=score, because=because, agent=agent
    )
    click.echo(_link_text(r))


@click.command()
@click.argument("left")
@click.argument("right")
@pass_app
def unlink(app: AppContext, left: str, right: str) -> None:
    """Undo the links between LEFT and RIGHT: retract the link batches, restoring the store as
    it was before them."""
    for batch in unlink_things(app.store(), left, right):
        click.echo(f"retracted {batch}")


def report_duplicates(store: Store, batch: str, mode: str) -> None:
    """After ingesting ``batch``: warn (stderr) about its likely duplicates, and with ``mode``
    ``auto`` link those at or above the threshold."""
    if mode == "off":
        return
    found, linked = incoming_duplicates(store, batch, auto_link=mode == "auto")
    done = {(r.left, r.right) for r in linked}
    for c in found:
        if (c.left.iri, c.right.iri) in done:
            continue
        click.echo(f"possible duplicate: {_candidate_text(c)}", err=True)
    for r in linked:
        click.echo(_link_text(r), err=True)


def _candidate_text(c: Candidate) -> str:
    head = f"{c.score:.2f}  {c.kind}: {c.left.id} ({c.left.label}) ~ {c.right.id} ({c.right.label})"
    return "\n".join([head, *(f"    - {r}" for r in c.reasons), f"    link: {c.command}"])


def _link_text(r: LinkResult) -> str:
    from ..rdf import compact

    how = "possibly the same as" if r.kind == "possibly" else "the same as"
    if not r.created:
        return f"{compact(r.left)} is already {how} {compact(r.right)} ({r.batch})"
    return f"linked {compact(r.left)} as {how} {compact(r.right)} in {r.batch}"


AUTO_HELP = (
    "After each file, report things that look like ones already in the store (warn, the "
    f"default), link those scoring {AUTO_LINK_THRESHOLD} or more as judged batches (auto; "
    "anonymous sources never), or say nothing (off)."
)
