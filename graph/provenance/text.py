"""Provenance for people: a trace as a readable tree, a corroboration as its count, sources
and reasoning.  This is what ``claimgraph trace`` and ``claimgraph corroboration`` print and
what ``GET /api/trace?format=text`` returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..wording import plural

if TYPE_CHECKING:  # the model's methods call these functions: a runtime import would be a cycle
    from .model import Agent, Corroboration, Trace


def corroboration_text(corr: Corroboration) -> str:
    """The count, the sources and the reasoning of a corroboration, for people."""
    n = corr.independent_sources
    lines = [
        f"{corr.claim.id}  {corr.claim.label}",
        f"independent sources: {n} (from {corr.chains} {plural(corr.chains, 'chain')})",
    ]
    for i, s in enumerate(corr.sources, 1):
        kind = "anonymous" if s.anonymous else "named"
        aff = (
            f", affiliated with {', '.join(a.label for a in s.affiliations)}"
            if s.affiliations
            else ""
        )
        chains = ", ".join(str(c) for c in s.chains) or "none"
        lines.append(f"  {i}. {s.label} ({kind}{aff}); chains {chains}")
    lines.append("reasoning:")
    lines += [f"  - {r}" for r in corr.reasoning]
    return "\n".join(lines) + "\n"


def trace_text(t: Trace) -> str:
    """A trace as a readable tree: the claim, each chain hop by hop with its evidence, the
    corroboration reasoning, the flags and the reviews."""
    c = t.claim
    out = [f"{c.id}  {c.label}" + (f"  [{', '.join(c.types)}]" if c.types else "")]
    if c.text:
        out.append(f'  "{c.text}"')
    for a in c.claimants:
        out.append(f"  claimant: {_agent_text(a)}")
    if c.date:
        out.append(f"  date: {c.date}")
    if c.about_events:
        out.append("  about: " + ", ".join(r.label for r in c.about_events))
    if c.stated_property is not None:
        out.append(f"  states: {c.stated_property.label} = {c.stated_value}")
    for r in c.contradicts:
        out.append(f"  contradicts: {r.id} ({r.label})")
    for r in c.conflicts_with:
        if r not in c.contradicts:
            out.append(
                f"  conflicts with: {r.id} ({r.label}), another value for the same "
                "property of the same event"
            )
    for r in c.because:
        out.append(f"  because (its speaker says): {r.id} ({r.label})")
    for r in c.superseded_by:
        out.append(f"  superseded by: {r.id} ({r.label})")
    for r in c.same_claim_as:
        out.append(f"  same claim as: {r.id} ({r.label})")
    if c.retracted:
        out.append("  RETRACTED")
    if c.standing != "evidenced":
        out.append(f"  [{c.standing}] the claim itself is not what an article says")
    for st in c.added:
        by = f" by {st.by.label}" if st.by else ""
        sure = f", confidence {st.confidence}" if st.confidence else ""
        verb = "judged" if st.standing == "judged" else "cited"
        out.append(f"  [{st.standing}] {st.property} {st.value}  ({verb}{by}{sure}; {st.graph})")
    out.append("")
    if not t.chains:
        out.append("no reporting chain is recorded for this claim")
    for ch in t.chains:
        last = ch.hops[-1] if ch.hops else None
        origin = (
            " and ".join(_agent_text(a) for a in last.carriers) + " (jointly)"
            if last is not None and ch.origin is not None and len(last.carriers) > 1
            else _agent_text(ch.origin)
            if ch.origin
            else "none (the chain loops)"
        )
        out.append(f"chain {ch.number} of {len(t.chains)}: {ch.summary()}")
        note = (
            ""
            if ch.traced
            else ("  (untraced: the claimant, inferred)" if ch.origin_inferred else "  (untraced)")
        )
        out.append(f"  origin: {origin}{note}")
        for h in ch.hops:
            pad = "  " + "   " * (h.position - 1)
            who = (
                " and ".join(_agent_text(a) for a in h.carriers) + " (jointly)"
                if len(h.carriers) > 1
                else _agent_text(h.carrier)
                if h.carrier
                else "(no carrier)"
            )
            mark = (
                f" [{h.standing}: not what the article says]" if h.standing != "evidenced" else ""
            )
            out.append(f"{pad}└─ {h.role or '?'}: {who}{mark}")
            pad += "   "
            bits = [h.kind, h.report.id]
            if h.date:
                bits.append(h.date)
            if h.observed:
                bits.append("observed in the article")
            out.append(f"{pad}{' · '.join(bits)}")
            words = []
            if h.cue_verb:
                words.append(f'cue "{h.cue_verb}"')
            if h.channel:
                words.append(f'channel "{h.channel}"')
            if h.certainty:
                words.append(h.certainty)
            if h.polarity and h.polarity != "affirmed":
                words.append(h.polarity)
            if words:
                out.append(f"{pad}{', '.join(words)}")
            if h.verbatim:
                out.append(f'{pad}verbatim: "{h.verbatim}"')
            for label, refs in (
                ("occasion", [h.occasion] if h.occasion else []),
                ("at", [h.location] if h.location else []),
                ("in reply to", h.in_reply_to),
                ("after", h.after),
            ):
                if refs:
                    out.append(f"{pad}{label}: {', '.join(r.label for r in refs)}")
            if h.revision is not None:
                rv = h.revision
                num = f"revision {rv.number}" if rv.number is not None else "revision"
                if rv.revision_label:
                    num += f" ({rv.revision_label})"
                art = f" of {rv.article.label}" if rv.article else ""
                pub = f", published by {rv.publisher.label}" if rv.publisher else ""
                when = f", {rv.published}" if rv.published else ""
                out.append(f"{pad}in {rv.id}: {num}{art}{pub}{when}")
            for e in h.evidence:
                mark = "✓ verified" if e.verified else f"✗ {e.problem}"
                out.append(f"{pad}evidence [{e.start}:{e.end}] {mark}")
                out.append(f'{pad}  "{e.exact}"')
            if h.link and h.position == len(ch.hops) and ch.circular is not None:
                back = ch.circular.reports[-1] if ch.circular.reports else "?"
                out.append(f"{pad}{h.link} {back}, already on this chain: a loop")
            elif h.link:
                out.append(f"{pad}{h.link}:")
        if ch.circular is not None:
            out.append(f"  ⚠ {ch.circular.message}")
        out.append("")
    corr = t.corroboration
    out.append(
        f"corroboration: {corr.independent_sources} independent "
        f"{plural(corr.independent_sources, 'source')}"
    )
    out += [f"  - {r}" for r in corr.reasoning]
    out.append("")
    if t.flags:
        out.append("flags:")
        out += [f"  {f.severity}: {f.code}: {f.message}" for f in t.flags]
    else:
        out.append("flags: none")
    out.append("")
    if t.reviews:
        out.append("reviews:")
        for review in t.reviews:
            who = review.author.label if review.author else "?"
            norm = f" → {review.normalized.label}" if review.normalized else ""
            retr = " (retracted)" if review.retracted else ""
            batch = f", batch {review.batch.rsplit('/', 1)[-1]}" if review.batch else ""
            out.append(
                f'  {review.date or "?"}  {who}: "{review.rating_label}"{norm}{retr}  '
                f"({review.id}{batch})"
            )
            if review.note:
                out.append(f"    {review.note}")
    else:
        out.append("reviews: none")
    return "\n".join(out) + "\n"


def _agent_text(a: Agent | None) -> str:
    """An agent's label and id, with what the article says about an anonymous source."""
    if a is None:
        return "?"
    text = f"{a.label} ({a.id})"
    if a.anonymous:
        bits = ["anonymous"]
        if a.described_as:
            bits.append(f'described as "{a.described_as}"')
        if a.affiliations:
            bits.append("affiliated with " + ", ".join(r.label for r in a.affiliations))
        if a.anonymity_level:
            bits.append(a.anonymity_level)
        if a.is_group:
            bits.append("a group")
        if a.possibly_same_as:
            bits.append("possibly the same as " + ", ".join(r.id for r in a.possibly_same_as))
        text += " [" + "; ".join(bits) + "]"
    elif a.affiliations:
        text += " [affiliated with " + ", ".join(r.label for r in a.affiliations) + "]"
    return text
