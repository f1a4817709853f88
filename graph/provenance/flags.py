"""Flags: the warnings a fact-checker should see about a claim — a single or anonymous
source, a circular or untraced chain, evidence that is missing or does not match, a
contradiction, a claim superseded or retracted, a warning the shapes recorded."""

from __future__ import annotations

from ..validation.shapes import SHAPES as CGSH
from ..wording import compact_text
from .index import Index
from .model import Agent, Chain, ClaimInfo, Corroboration, Flag


def claim_flags(ix: Index, info: ClaimInfo, chains: list[Chain], corr: Corroboration) -> list[Flag]:
    """The warnings for fact-checkers about one claim (codes in :data:`FLAG_CODES`), each
    code and message once."""
    out: list[Flag] = []
    if info.retracted:
        out.append(Flag("retracted", "warning", "the claim was retracted by whoever made it"))
    if info.superseded_by:
        out.append(
            Flag(
                "superseded",
                "warning",
                "superseded by " + ", ".join(r.id for r in info.superseded_by),
            )
        )
    if corr.independent_sources == 0:
        out.append(Flag("no-source", "warning", "no source can be traced for this claim"))
    if corr.anonymous_only:
        which = "a single anonymous source" if corr.single_source else "anonymous sources only"
        out.append(
            Flag(
                "anonymous-only",
                "warning",
                f"rests on {which}: "
                + "; ".join(_source_text(a) for s in corr.sources for a in s.agents),
            )
        )
    if corr.single_source:
        out.append(
            Flag(
                "single-source",
                "warning" if corr.anonymous_only else "info",
                f"one independent source: {corr.sources[0].label}",
            )
        )
    elif corr.independent_sources == 1:
        out.append(
            Flag(
                "possibly-single-source",
                "warning",
                f"independent sources: {corr.range_text}; "
                + "; ".join(a.label for s in corr.sources for a in s.agents)
                + " may be one source",
            )
        )
    out += _other_side_channels(ix, chains)
    loops = [c for c in chains if c.circular is not None]
    for c in loops:
        assert c.circular is not None
        out.append(Flag("circular-reporting", "warning", f"chain {c.number}: {c.circular.message}"))
    for c in chains:
        if c.origin is not None and not c.traced:
            out.append(
                Flag(
                    "untraced-chain",
                    "warning",
                    f"chain {c.number} ({c.summary()}) stops before an original speaker",
                )
            )
    if chains and not any(e for c in chains for h in c.hops for e in h.evidence):
        out.append(
            Flag(
                "no-evidence",
                "warning",
                "no hop of any chain points at an article span (cg:evidence)",
            )
        )
    for c in chains:
        for h in c.hops:
            for e in h.evidence:
                if not e.verified:
                    hint = f" (the quote occurs at {e.found_at})" if e.found_at is not None else ""
                    out.append(
                        Flag("evidence-mismatch", "warning", f"{h.report.id}: {e.problem}{hint}")
                    )
    for r in info.contradicts:
        out.append(Flag("contradicted", "info", f"contradicted by {r.id} ({r.label})"))
    prop = info.stated_property.label if info.stated_property else "the same property"
    for r in info.conflicts_with:
        if r.iri not in {x.iri for x in info.contradicts}:
            out.append(
                Flag(
                    "contradicted",
                    "info",
                    f"{r.id} ({r.label}) gives another value for {prop} of the same event",
                )
            )
    for shape, m in ix.warnings.get(info.iri, []):
        if shape not in SOURCING_SHAPES:
            out.append(Flag("shape-warning", "warning", compact_text(m)))
    seen: set[tuple[str, str]] = set()
    unique = []
    for fl in out:
        if (fl.code, fl.message) not in seen:
            seen.add((fl.code, fl.message))
            unique.append(fl)
    return unique


SOURCING_SHAPES = frozenset(
    CGSH + name
    for name in ("SingleAnonymousSourceShape", "AnonymousOnlyShape", "SingleSourceShape")
)
"""Shapes whose warnings say how well a claim is sourced: recorded when a batch came in, but
computed afresh here on every call (a second source, a link or a retraction changes them), so
their recorded warnings are never shown as current."""


def _other_side_channels(ix: Index, chains: list[Chain]) -> list[Flag]:
    """Chains where a speaker's words went through an agency or outlet affiliated with
    another party to the talks (a minister's words via the other side's state agency): a
    warning when that is the only way the speaker's words reached the article, else info."""
    through: dict[str, list[tuple[int, Agent]]] = {}
    clean: set[str] = set()
    for c in chains:
        if c.origin is None or not c.traced:
            continue
        sides = {r.iri for r in c.origin.affiliations}
        hostile = [
            h.carrier
            for h in c.hops[:-1]
            if h.carrier is not None
            and {r.iri for r in h.carrier.affiliations} & ix.parties
            and sides
            and not {r.iri for r in h.carrier.affiliations} & sides
        ]
        if hostile:
            through.setdefault(c.origin.iri, []).append((c.number, hostile[0]))
        else:
            clean.add(c.origin.iri)
    out = []
    for origin, found in sorted(through.items()):
        speaker = next(c.origin for c in chains if c.origin and c.origin.iri == origin)
        assert speaker is not None
        only = origin not in clean
        for number, channel in found:
            theirs = ", ".join(r.label for r in channel.affiliations)
            mine = ", ".join(r.label for r in speaker.affiliations)
            out.append(
                Flag(
                    "other-side-channel",
                    "warning" if only else "info",
                    f"chain {number}: {speaker.label} ({mine}) reached the article through "
                    f"{channel.label}, affiliated with {theirs}"
                    + (": the only channel for these words" if only else ""),
                )
            )
    return out


def _source_text(a: Agent) -> str:
    """An anonymous source by the article's own words, its id and its stated side."""
    aff = ", ".join(r.label for r in a.affiliations)
    side = f"affiliated with {aff}" if aff else "no stated affiliation"
    said = f'"{a.described_as}"' if a.described_as else a.label
    return f"{said} ({a.id}, {side})" if a.anonymous else a.label
