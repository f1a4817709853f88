"""Provenance for people: a trace as a readable tree, a corroboration as its count, sources
and reasoning.  This is what ``claimgraph trace`` and ``claimgraph corroboration`` print and
what ``GET /api/trace?format=text`` returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..wording import plural

if TYPE_CHECKING:  # the model's methods call these functions: a runtime import would be a cycle
    from collections.abc import Collection

    from .model import AddedStatement, Agent, Corroboration, Trace


def corroboration_text(corr: Corroboration) -> str:
    """The count, the sources and the reasoning of a corroboration, for people."""
    lines = [
        f"{corr.claim.id}  {corr.claim.label}",
        f"independent sources: {corr.range_text} "
        f"(from {corr.chains} {plural(corr.chains, 'chain')})",
    ]
    for i, s in enumerate(corr.sources, 1):
        kind = {"outlet": "the outlet's own claim"}.get(s.kind, s.kind)
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
    used = t.corroboration.counted_from
    for a in c.claimants:
        out.append(f"  claimant: {_agent_text(a, used)}")
        out += _added_lines(a, used, "    ")
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
        out.append(f"  [{st.standing}] {st.property} {st.value}  ({_by(st)})")
    out.append("")
    if not t.chains:
        out.append("no reporting chain is recorded for this claim")
    for ch in t.chains:
        origin = (
            " and ".join(_agent_text(a, used) for a in ch.origins) + " (jointly)"
            if len(ch.origins) > 1
            else _agent_text(ch.origin, used)
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
                " and ".join(_agent_text(a, used) for a in h.carriers) + " (jointly)"
                if len(h.carriers) > 1
                else _agent_text(h.carrier, used)
                if h.carrier
                else "(no carrier)"
            )
            mark = (
                f" [{h.standing}: not what the article says]" if h.standing != "evidenced" else ""
            )
            out.append(f"{pad}└─ {h.role or '?'}: {who}{mark}")
            pad += "   "
            for a in h.carriers:
                out += _added_lines(a, used, pad)
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
        f"corroboration: {corr.range_text} independent "
        f"{plural(corr.at_most or corr.independent_sources, 'source')}"
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


def _agent_text(a: Agent | None, used: Collection[str] = ("evidenced",)) -> str:
    """An agent's label and id, with what the statements of the standings ``used`` say about
    it: an anonymous source's words, side and anonymity; a named one's side.  What only cited
    or judged statements say is marked so (``affiliated with X (judged)``)."""
    if a is None:
        return "?"
    text = f"{a.label} ({a.id})"
    marks = {(st.property, st.value): f" ({st.standing})" for st in a.added}

    def mark(prop: str, value: str) -> str:
        return marks.get((prop, value), "")

    affiliated = [
        f"affiliated with {r.label}{mark('cg:affiliatedWith', r.id)}" for r in a.affiliations
    ]
    if a.anonymous:
        bits = ["anonymous" + mark("rdf:type", "cg:AnonymousSource")]
        if a.described_as:
            bits.append(f'described as "{a.described_as}"{mark("cg:describedAs", a.described_as)}')
        bits += affiliated
        if a.anonymity_level:
            bits.append(a.anonymity_level)
        if a.is_group:
            bits.append("a group")
        if a.possibly_same_as:
            bits += [
                f"possibly the same as {r.id}{mark('cg:possiblySameAs', r.id)}"
                for r in a.possibly_same_as
            ]
        text += " [" + "; ".join(bits) + "]"
    elif affiliated:
        text += " [" + "; ".join(affiliated) + "]"
    return text


def _added_lines(a: Agent, used: Collection[str], pad: str) -> list[str]:
    """What only statements of standings not ``used`` say of the agent ``a``: one line each,
    marked with its standing and who added or judged it — shown, never taken as the
    article's."""
    return [
        f"{pad}[{st.standing}] {fact_phrase(st)}  ({_by(st)}; not used: include {st.standing})"
        for st in a.added
        if st.standing not in used
    ]


def fact_phrase(st: AddedStatement) -> str:
    """A statement about an agent in words: ``affiliated with Azerbaijan``."""
    said = st.label or st.value
    return {
        "cg:affiliatedWith": f"affiliated with {said}",
        "cg:describedAs": f'described as "{said}"',
        "cg:anonymityLevel": f"anonymity: {said}",
        "cg:isGroup": "a group" if st.value == "true" else "not a group",
        "cg:possiblySameAs": f"possibly the same as {st.value}",
        "cg:represents": f"represents {said}",
        "cg:appearsIn": f"appears in {said}",
        "rdf:type": f"a {st.value}",
    }.get(st.property, f"{st.property} {said}")


def _by(st: AddedStatement) -> str:
    """``judged by X, confidence 0.6; cgi:graph``."""
    verb = "judged" if st.standing == "judged" else "cited"
    by = f" by {st.by.label}" if st.by else ""
    sure = f", confidence {st.confidence}" if st.confidence else ""
    where = f"; {st.graph}" if st.graph else ""
    return f"{verb}{by}{sure}{where}"
