"""The extractor: article text in, :class:`~claimgraph.extract.model.Extraction` out.

One pass per sentence finds quotes (:mod:`.quotes`), leaks, ``according to`` and cue-verb
frames (:mod:`.reported`); a second pass gives quotes without a speaker of their own the
speaker of the sentence before or after, resolves pronouns, surnames and "the minister" to
the speaker they refer to (:mod:`.coreference`), and decides each claim's kind and certainty.
What no attribution covers is the outlet's own statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .coreference import Resolver, sentence_subject
from .frames import Frame
from .lexicon.cues import DEMAND_WORDS, EVALUATIVE_WORDS, HEDGE_LEMMAS, HEDGE_WORDS, KIND_BY_LEMMA
from .model import Attribution, Extraction, Hop, OwnStatement, Span
from .outlets import news_organisation, outlets_of
from .quotes import quote_attributions
from .reported import (
    Found,
    according_to,
    continuations,
    coordinated,
    cue_frames,
    headline,
    leaks,
)
from .text import paragraphs, quotes, sentences


@dataclass
class _Sentence:
    span: Span
    paragraph: int
    found: list[Found] = field(default_factory=list)


def extract(text: str) -> Extraction:
    """Every attribution in ``text``, and the outlet's own statements.

    >>> x = extract("“We are ready,” Peskov said. Talks resumed on Monday.")
    >>> [(a.content.text, a.speaker.name, a.pattern) for a in x.attributions]
    [('We are ready,', 'Peskov', 'quote')]
    >>> [s.span.text for s in x.statements]
    ['Talks resumed on Monday']
    """
    with outlets_of(text):
        found = _find(text)
        _fill_pending(text, found)
        resolver = Resolver(text, [s.span for s in found])
        attributions: list[Attribution] = []
        for sentence in found:
            for f in sorted(sentence.found, key=lambda f: f.content.start):
                attributions.extend(_attributions(text, f, resolver))
    attributions = _dedupe(attributions)
    statements = _own_statements(text, [s.span for s in found], attributions)
    return Extraction(text, tuple(attributions), tuple(statements), tuple(s.span for s in found))


def _find(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    for n, para in enumerate(paragraphs(text)):
        regions = quotes(text, para)
        line = headline(text, para)
        if line is not None and all(q.outer.start >= line.content.start for q in regions):
            # quotation marks only in what the line says: 'Guterres: UN "not giving up"'
            # (a quotation before the colon is the quote's, read below)
            out.append(_Sentence(para, n, [line]))
            continue
        for span in sentences(text, para, regions):
            inside = [q for q in regions if span.start <= q.outer.start < span.end]
            sentence = _Sentence(span, n)
            sentence.found = quote_attributions(text, span, inside, None)
            blocked = [(q.outer.start, q.outer.end) for q in inside]
            blocked += [
                (f.frame.span.start, f.frame.span.end) for f in sentence.found if f.frame.span
            ]
            more = leaks(text, span) + according_to(text, span)
            blocked += [(f.frame.span.start, f.frame.span.end) for f in more if f.frame.span]
            more += cue_frames(text, span, blocked)
            direct = [f.content for f in sentence.found]
            for f in more:
                if any(d.start <= f.content.start and f.content.end <= d.end + 2 for d in direct):
                    continue
                sentence.found.append(f)
            sentence.found += continuations(text, span, sentence.found)
            sentence.found += coordinated(text, span, sentence.found)
            out.append(sentence)
    return out


def _fill_pending(text: str, found: list[_Sentence]) -> None:
    """Give a quote with no speaker in its sentence the speaker of the previous sentence (its
    last attribution, or its subject), else of the next."""
    for i, sentence in enumerate(found):
        for f in sentence.found:
            if f.frame.pattern != "quote-pending":
                continue
            frame = _colon_subject(text, sentence.span, f.content) or _neighbour_frame(
                text, found, i
            )
            if frame is None:
                continue
            f.frame = frame


def _colon_subject(text: str, sentence: Span, quote: Span) -> Frame | None:
    """``One of them put it more bluntly: “…”`` — a quote after a colon is said by the subject
    of the clause before the colon, whatever its verb."""
    lead = text[sentence.start : quote.start].rstrip(' “"«‘„')
    if not lead.endswith(":"):
        return None
    subject = sentence_subject(text, Span.of(text, sentence.start, len(lead) + sentence.start - 1))
    if subject is None or subject.span is None:
        return None
    span = Span.of(text, subject.span.start, sentence.start + len(lead) - 1)
    return Frame(speaker=subject, pattern="quote", span=span)


def _neighbour_frame(text: str, found: list[_Sentence], i: int) -> Frame | None:
    here = found[i]
    if i > 0 and found[i - 1].paragraph >= here.paragraph - 1:
        before = found[i - 1]
        earlier = [f for f in before.found if f.frame.speaker is not None]
        if earlier:
            last = max(earlier, key=lambda f: f.content.start)
            quoted = last.frame.pattern.startswith("quote")
            return Frame(
                speaker=last.frame.speaker,
                cue=last.frame.cue,
                lemma=last.frame.lemma,
                channel=last.frame.channel,
                hops=list(last.frame.hops),
                pattern="quote-split" if quoted else "quote-adjacent",
                span=last.frame.span,
            )
        subject = sentence_subject(text, before.span)
        if subject is not None:
            return Frame(speaker=subject, pattern="quote-adjacent", span=subject.span)
    if i + 1 < len(found) and found[i + 1].paragraph <= here.paragraph + 1:
        after = found[i + 1]
        later = [
            f
            for f in after.found
            if f.frame.speaker is not None and not f.frame.pattern.startswith("quote-")
        ]
        if later:
            first = min(later, key=lambda f: f.content.start)
            return Frame(
                speaker=first.frame.speaker,
                cue=first.frame.cue,
                lemma=first.frame.lemma,
                pattern="quote-adjacent",
                span=first.frame.span,
            )
    return None


def _attributions(text: str, f: Found, resolver: Resolver) -> list[Attribution]:
    frame = f.frame
    if frame.speaker is None:
        return []
    content = f.content
    hops = list(frame.hops)
    content, trailing = _trailing_agency(text, content)
    hops.extend(h for h in trailing if all(h.name != k.name for k in hops))
    speakers = list(f.co_speakers) or [frame.speaker]
    out = []
    for speaker in speakers:
        position = speaker.span.start if speaker.span else content.start
        resolved = resolver.resolve(speaker, position)
        if resolved.kind == "document":
            continue
        kind, confidence = _kind(text, frame, content)
        verbatim = frame.pattern.startswith("quote")
        evidence = frame.span if frame.span is not None else content
        quoted = f.marks or content  # a quote's evidence holds both its marks
        start = min(evidence.start, quoted.start)
        end = max(evidence.end, quoted.end)
        cited = _CITING_TAIL.match(text, end) if trailing else None
        if cited is not None:  # "…, Axios reported, citing two officials": the article's words
            end = cited.end()  # for the source, not a statement of the outlet's own
        out.append(
            Attribution(
                content=content,
                speaker=resolved,
                pattern=frame.pattern,
                cue=frame.cue,
                channel=frame.channel,
                certainty=_certainty(text, frame, content),
                polarity="denied" if kind == "denial" else "affirmed",
                intermediaries=tuple(hops),
                kind="quote" if verbatim else kind,
                kind_confidence=1.0 if verbatim else confidence,
                verbatim=verbatim,
                frame=Span.of(text, start, end),
            )
        )
        resolver.remember(resolved, position, frame.span.text if frame.span else "")
    for hop in hops:
        news = news_organisation(hop.name)
        if news is not None and hop.span is not None:
            resolver.carried(news[0], news[1], hop.span.start)
    return out


_CITING_TAIL = re.compile(r",\s+(?:citing|quoting)\s+[^,.;:“”\"«»]{2,80}")


def _trailing_agency(text: str, content: Span) -> tuple[Span, list[Hop]]:
    """``… the talks would resume, RIA Novosti reported`` — the agency that passed it on."""
    m = re.search(r",\s+(?P<org>[^,]{2,60}?)\s+(?:reported|reports|said|says|wrote)$", content.text)
    if m:
        news = news_organisation(m.group("org"))
        if news is not None:
            at = content.start + m.start("org")
            hop = Hop(
                news[0],
                "agency" if news[1] == "agency" else "intermediary",
                cue="reported",
                span=Span.of(text, at, at + len(m.group("org"))),
            )
            return Span.of(text, content.start, content.start + m.start()), [hop]
    return content, []


def _kind(text: str, frame: Frame, content: Span) -> tuple[str, float]:
    lemma = frame.lemma or ""
    if frame.pattern == "leak":
        return "leak report", 0.9
    words = set(re.findall(r"[\w-]+", content.text.lower()))
    if lemma in KIND_BY_LEMMA:
        return KIND_BY_LEMMA[lemma]
    if lemma == "suggest" and re.match(r"\w+ing\b", content.text):
        return "proposal", 0.6
    if lemma in ("insist", "say", "stress", "emphasize", "call") and words & {
        w for w in DEMAND_WORDS if " " not in w
    }:
        return "demand", 0.6
    if words & EVALUATIVE_WORDS:
        return "assessment", 0.6
    return "statement", 0.9 if lemma else 0.8


def _certainty(text: str, frame: Frame, content: Span) -> str:
    if frame.lemma in HEDGE_LEMMAS:
        return "probable"
    words = re.findall(r"[\w-]+", content.text.lower())[:8]
    cue_words = re.findall(r"[\w-]+", (frame.span.text if frame.span else "").lower())
    if set(words) & HEDGE_WORDS or {"reportedly", "allegedly"} & set(cue_words):
        return "probable"
    return "certain"


def _dedupe(attributions: list[Attribution]) -> list[Attribution]:
    """One attribution per content and speaker."""
    seen: set[tuple[int, int, str]] = set()
    out = []
    for a in attributions:
        key = (a.content.start, a.content.end, a.speaker.name)
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out


def _own_statements(
    text: str, spans: list[Span], attributions: list[Attribution]
) -> list[OwnStatement]:
    """The parts of sentences no attribution covers, when they say something (four words)."""
    covered = sorted(
        (min(a.frame.start, a.content.start), max(a.frame.end, a.content.end))
        for a in attributions
        if a.frame is not None
    )
    out = []
    for sentence in spans:
        pieces = [(sentence.start, sentence.end)]
        for a, b in covered:
            nxt = []
            for s, e in pieces:
                if b <= s or a >= e:
                    nxt.append((s, e))
                    continue
                if s < a:
                    nxt.append((s, a))
                if b < e:
                    nxt.append((b, e))
            pieces = nxt
        for s, e in pieces:
            span = _statement_span(text, s, e)
            if span is not None:
                out.append(OwnStatement(span))
    return out


def _statement_span(text: str, start: int, end: int) -> Span | None:
    seg = text[start:end]
    m = re.match(r"[\s,.;:—–“”\"'«»()-]*(?:(?:with|and|but|while|as)\s+)?", seg)
    a = start + (m.end() if m else 0)
    b = end
    while b > a and text[b - 1] in ' \t,.;:—–-“”"«»':
        b -= 1
    while b > a and text[b - 1] in "’'" and text[a] not in "‘'":
        b -= 1
    b = _strip_tail(text, a, b)
    if len(re.findall(r"\w+", text[a:b])) < 4:
        return None
    return Span.of(text, a, b)


def _strip_tail(text: str, a: int, b: int) -> int:
    m = re.search(r"(?:,\s*|\s+)(?:with|and|but|while|as|that)$", text[a:b])
    return a + m.start() if m else b


def replace_speaker(a: Attribution, **changes: object) -> Attribution:
    """A copy of ``a`` whose speaker has ``changes``."""
    return replace(a, speaker=replace(a.speaker, **changes))  # type: ignore[arg-type]
