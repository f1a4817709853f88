"""Fact-checkers' commands: ``trace``, ``corroboration``, ``contradictions``, ``flags``,
``claims`` and ``review``.

Each is a thin layer over :mod:`claimgraph.provenance`: options in, one library call,
printed out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

import click

from ..provenance import (
    circular_reporting,
    claim_page,
    claim_summaries,
    record_review,
    resolve_claim,
)
from ..provenance import contradictions as find_contradictions
from ..provenance import corroboration as corroborate
from ..provenance import trace as trace_claim
from ..statements import STANDINGS, parse_standings
from .group import AppContext, pass_app
from .output import echo_bytes, echo_json

F = TypeVar("F", bound=Callable[..., Any])


def include_option(command: F) -> F:
    """``--include``: count chains that rest on cited or judged statements too."""
    return click.option(
        "--include",
        metavar="STANDINGS",
        help="Also count chains that rest on cited (background) and/or judged statements: "
        "cited, judged, cited,judged or all. By default only what articles say counts.",
    )(command)


def _standings(include: str | None, fmt: str) -> tuple[str, ...]:
    """The standings ``--include`` asks for; for people (not for JSON, which says it in
    ``counted_from``), a note on stderr of what was left out."""
    standings = parse_standings(include)
    if fmt in ("text", "table") and set(standings) != set(STANDINGS):
        left = ", ".join(s for s in STANDINGS if s not in standings)
        click.echo(
            f"counted from {', '.join(standings)} statements; --include {left} adds the rest",
            err=True,
        )
    return standings


def page_options(command: F) -> F:
    """``--limit`` and ``--offset``: one page of a listing."""
    command = click.option(
        "--offset",
        type=click.IntRange(min=0),
        default=0,
        show_default=True,
        help="Skip this many rows first.",
    )(command)
    return click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=None,
        help="At most this many rows (default: all).",
    )(command)


@click.command()
@click.argument("claim")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text: a readable tree; json: the structure documented "
    "in docs/provenance.md; turtle: PROV-O.",
)
@click.option("--lang", default="en", show_default=True, help="Language of labels.")
@include_option
@pass_app
def trace(app: AppContext, claim: str, fmt: str, lang: str, include: str | None) -> None:
    """Trace CLAIM through every reporting chain to its original speaker.

    Every hop (speaker, intermediary, agency, article and revision) with its role, cue verb,
    channel, date and, for anonymous sources, description and affiliation; the article span
    that evidences it, checked against the revision's text; the independent sources, flags and
    reviews. Every hop says whether the article says it; a hop added beside it (cited or
    judged) is marked, and counts only with --include.

    CLAIM is an IRI, a prefixed name (cgi:claim-…), an unambiguous part of its id, or
    words of its label or text (e.g. unrealistic).

    \b
    Examples:
      claimgraph trace unrealistic
      claimgraph trace cgi:claim-delegations-paused --format json
      claimgraph trace cgi:claim-russian-demands-unrealistic --format turtle > prov.ttl
    """
    result = trace_claim(app.reading_store(), claim, lang=lang, standings=_standings(include, fmt))
    if fmt == "json":
        echo_json(result.as_dict())
    elif fmt == "turtle":
        echo_bytes(result.turtle().encode("utf-8"))
    else:
        click.echo(result.text(), nl=False)


@click.command()
@click.argument("claim")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@include_option
@pass_app
def corroboration(app: AppContext, claim: str, fmt: str, include: str | None) -> None:
    """How many independent sources stand behind CLAIM, and why.

    Each chain is followed to its origin; chains that meet at a shared report (outlets
    repeating one wire story, one agency citing another) count once, as do chains from the
    same agent and anonymous sources linked by cg:possiblySameAs.

    CLAIM is an IRI, a prefixed name (cgi:claim-…), an unambiguous part of its id, or
    words of its label or text (e.g. unrealistic).
    """
    result = corroborate(app.reading_store(), claim, standings=_standings(include, fmt))
    if fmt == "json":
        echo_json(result.as_dict())
    else:
        click.echo(result.text(), nl=False)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--all",
    "include_hidden",
    is_flag=True,
    help="Also retracted claims and pairs where one claim supersedes the other.",
)
@include_option
@pass_app
def contradictions(app: AppContext, fmt: str, include_hidden: bool, include: str | None) -> None:
    """Claims that contradict each other, and who stands behind each side.

    Asserted (cg:contradicts, a cg:ClaimRelation, cg:denies) and detected (two claims give
    different values of the same property of the same event, e.g. talks ended vs paused).
    """
    found = find_contradictions(
        app.reading_store(), include_hidden=include_hidden, standings=_standings(include, fmt)
    )
    if fmt == "json":
        echo_json([c.as_dict() for c in found])
        return
    if not found:
        click.echo("no contradictions")
        return
    for i, c in enumerate(found, 1):
        about = ""
        if c.property is not None and c.event is not None:
            about = f" on {c.property.label} of {c.event.label}"
        click.echo(f"{i}. {c.kind}{about}")
        for b in c.basis:
            click.echo(f"   basis: {b}")
        for side in c.sides:
            value = f" = {side.stated_value}" if side.stated_value else ""
            click.echo(f"   ▸ {side.claim.id}{value}: {side.text or side.claim.label}")
            who = "; ".join(
                f"{a.label}{' (anonymous)' if a.anonymous else ''}" for a in side.claimants
            )
            click.echo(f"     claimants: {who or 'none named'}")
            click.echo(
                f"     independent sources: {side.independent_sources} "
                f"({'; '.join(s.label for s in side.sources) or 'none'})"
            )
            for ch in side.chains:
                click.echo(f"     chain: {ch}")
            if side.flags:
                click.echo(f"     flags: {', '.join(side.flags)}")
        if c.shared_sources:
            click.echo(f"   shared sources (on both sides): {', '.join(c.shared_sources)}")
        click.echo("")


@click.command()
@click.argument("claim", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also info-level flags (single named source, contradicted) and claims with no warning.",
)
@include_option
@page_options
@pass_app
def flags(
    app: AppContext,
    claim: str | None,
    fmt: str,
    show_all: bool,
    include: str | None,
    limit: int | None,
    offset: int,
) -> None:
    """Flag weakly sourced claims, and find circular reporting.

    Without CLAIM: every claim with a warning (anonymous-only, circular reporting, a chain
    that stops before a speaker, evidence that does not match the article, a shape warning
    recorded at ingest), then every loop of circular reporting in the store. With CLAIM:
    that claim's flags. --limit and --offset page the claims (in IRI order), as
    `claimgraph claims` does.
    """
    store = app.reading_store()
    standings = _standings(include, fmt)
    if claim:
        rows = claim_summaries(store, claims=[resolve_claim(store, claim)], standings=standings)
    else:
        rows = claim_page(
            store, limit=limit, offset=offset, warnings_only=not show_all, standings=standings
        )
    loops = circular_reporting(store) if claim is None else []
    if fmt == "json":
        echo_json(
            {"claims": [asdict(r) for r in rows], "circular_reporting": [asdict(c) for c in loops]}
        )
        return
    for r in rows:
        shown = [f for f in r.flags if show_all or claim or f.severity == "warning"]
        click.echo(
            f"{r.claim.id}  ({r.independent_sources} independent "
            f"source{'' if r.independent_sources == 1 else 's'})  {r.claim.label}"
        )
        for f in shown:
            click.echo(f"    {f.severity}: {f.code}: {f.message}")
        if not shown:
            click.echo("    no flags")
    if claim is None:
        paged = " on this page" if limit is not None or offset else ""
        click.echo(
            f"({len(rows)} claim{'' if len(rows) == 1 else 's'} flagged{paged})"
            if not show_all
            else f"({len(rows)} claims{paged})"
        )
        if loops:
            click.echo("\ncircular reporting:")
            for c in loops:
                click.echo(f"  {c.kind}: {' → '.join(c.reports)}")
                click.echo(f"    {c.message}")
        else:
            click.echo("no circular reporting")


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@include_option
@page_options
@pass_app
def claims(app: AppContext, fmt: str, include: str | None, limit: int | None, offset: int) -> None:
    """List the claims: id, independent sources, chains, flags and label (the claims articles
    make, unless --include adds those of cited or judged statements).

    Claims come in IRI order; --limit and --offset give one page of them (the first page of
    a large store in a fraction of the time of the whole list).

    \b
    Examples:
      claimgraph claims --limit 100
      claimgraph claims --limit 100 --offset 100 --format json
    """
    rows = claim_page(
        app.reading_store(), limit=limit, offset=offset, standings=_standings(include, fmt)
    )
    if fmt == "json":
        echo_json([asdict(r) for r in rows])
        return
    for r in rows:
        codes = ",".join(sorted({f.code for f in r.flags})) or "-"
        click.echo(
            f"{r.claim.id:<52} {r.independent_sources:>2} src  {r.chains:>2} chains  "
            f"{codes:<40} {r.claim.label}"
        )
    paged = " on this page" if limit is not None or offset else ""
    click.echo(f"({len(rows)} claim{'' if len(rows) == 1 else 's'}{paged})")


@click.command()
@click.argument("claim")
@click.option(
    "--rating",
    required=True,
    metavar="LABEL",
    help="The fact-checker's own rating label, kept verbatim (e.g. 'Pants on Fire').",
)
@click.option(
    "--author",
    required=True,
    metavar="NAME|IRI",
    help="Who gives the verdict: an agent's IRI or cgi: id, or a name.",
)
@click.option(
    "--normalized",
    type=click.Choice(["true", "mostly-true", "mixture", "mostly-false", "false", "unproven"]),
    help="The verdict on claimgraph's scale; may be left out for well-known labels "
    "(True, Half True, Misleading, False, Pants on Fire, Unproven…).",
)
@click.option("--note", metavar="TEXT", help="The reasoning, in words.")
@click.option(
    "--date",
    "review_date",
    metavar="YYYY-MM-DD",
    help="When the review was published (default: today, UTC).",
)
@click.option("--agent", metavar="NAME", help="Who is recording it (default: the login name).")
@pass_app
def review(
    app: AppContext,
    claim: str,
    rating: str,
    author: str,
    normalized: str | None,
    note: str | None,
    review_date: str | None,
    agent: str | None,
) -> None:
    """Record a fact-checker's verdict on CLAIM (a schema.org ClaimReview).

    The review is validated against the shapes and lands as its own batch (retract it with
    `claimgraph retract BATCH`); it shows in `claimgraph trace`.

    CLAIM is an IRI, a prefixed name (cgi:claim-…), an unambiguous part of its id, or
    words of its label or text (e.g. unrealistic).

    \b
    Example:
      claimgraph review unrealistic --rating "Unproven" --author "Example Fact Check" \\
          --note "No second source; Reuters quotes one unnamed diplomat."
    """
    result = record_review(
        app.store(),
        claim,
        rating=rating,
        author=author,
        note=note,
        review_date=review_date,
        normalized=normalized,
        agent=agent,
    )
    if result.created:
        click.echo(
            f"recorded {result.review} ({result.rating_label!r} → {result.normalized}) "
            f"as batch {result.batch}"
        )
    else:
        click.echo(
            f"unchanged: the same review is already recorded as {result.review} "
            f"in batch {result.batch} (nothing written)"
        )
