"""Direct quotes and their speakers: in the same sentence (“…,” X said / X said: “…”), in a
frame between two parts of one quote (“A,” X said, “B.”), or in the sentence before or after
(“A,” X said. “B.”; X spoke to reporters. “B.”).
"""

from __future__ import annotations

import re

from .frames import Frame, cue_tokens, read_after, read_before
from .lexicon.cues import CUE_VERBS
from .model import Span, Speaker
from .reported import Found
from .speakers import parse_speaker
from .text import Quote, tokens

_BOUNDARY_BEFORE = re.compile(r"(?:^|[:,;—–(\-]|\b(?:saying|added|says|said|wrote|told\s+\S+))\s*$")


def is_direct(text: str, sentence: Span, quote: Quote) -> bool:
    """A quote that stands as a clause of its own (at the sentence's start, after a colon or a
    comma, after a cue verb), not a few words quoted inside a reported clause."""
    before = text[sentence.start : quote.outer.start]
    if _BOUNDARY_BEFORE.search(before):
        return True
    words = before.split()
    return bool(words) and words[-1].lower().strip(",") in CUE_VERBS


def frame_after(text: str, sentence: Span, quote: Quote, stop: int) -> Frame | None:
    """``,” Zelensky said.`` / ``,” said Peskov, the Kremlin spokesman.`` — a speaker frame right
    after the quote, up to ``stop`` (the next quote or the sentence's end)."""
    start = quote.outer.end
    m = re.match(r"[\s,.!?—–-]*", text[start:stop])
    assert m is not None
    a = start + m.end()
    cues = cue_tokens(text, a, stop)
    if not cues:
        return None
    cue, lemma = cues[0]
    if len(tokens(text, a, cue.start)) > 12:
        return None
    frame = Frame(cue=cue.text, lemma=lemma, pattern="quote")
    if cue.start > a and read_before(text, a, cue, frame) and frame.speaker is not None:
        end = read_after(text, cue, lemma, stop, frame)
        frame.span = Span.of(text, a, _frame_end(text, end, stop))
        return frame
    if cue.start == a:
        m = re.match(
            r"\s+(?P<np>[^.;“”\"«»]+?)\s*(?=[.;!?]|$|,\s*(?:“|\"|«|adding|who))",
            text[cue.end : stop],
        )
        if m:
            np_a, np_b = cue.end + m.start("np"), cue.end + m.end("np")
            frame.speaker = parse_speaker(text, np_a, np_b)
            if frame.speaker is not None:
                frame.span = Span.of(text, a, np_b)
                return frame
    return None


def _frame_end(text: str, end: int, stop: int) -> int:
    m = re.match(r"[^“\"«]*", text[end:stop])
    stop_at = end + (m.end() if m else 0)
    while stop_at > end and text[stop_at - 1] in " ,.;:":
        stop_at -= 1
    return max(end, stop_at)


def frame_before(text: str, sentence: Span, quote: Quote, start: int) -> Frame | None:
    """``Peskov told reporters: “…”`` — a frame ending just before the quote."""
    cues = cue_tokens(text, start, quote.outer.start)
    if not cues:
        return None
    cue, lemma = cues[-1]
    frame = Frame(cue=cue.text, lemma=lemma, pattern="quote")
    if not read_before(text, start, cue, frame) or frame.speaker is None:
        return None
    end = read_after(text, cue, lemma, quote.outer.start, frame)
    if text[end : quote.outer.start].strip(" ,:—–-"):
        return None
    first = frame.speaker.span.start if frame.speaker.span else cue.start
    frame.span = Span.of(text, first, cue.end)
    return frame


def quote_attributions(
    text: str, sentence: Span, regions: list[Quote], previous: Speaker | None
) -> list[Found]:
    """The direct quotes of one sentence with the speakers found in it; a quote with no speaker
    in its sentence gets ``previous`` (the engine fills the rest in from nearby sentences)."""
    out: list[Found] = []
    last: Frame | None = None
    for k, quote in enumerate(regions):
        if not is_direct(text, sentence, quote):
            continue
        stop = regions[k + 1].outer.start if k + 1 < len(regions) else sentence.end
        begin = regions[k - 1].outer.end if k > 0 else sentence.start
        frame = frame_after(text, sentence, quote, stop)
        if frame is None:
            frame = frame_before(text, sentence, quote, begin)
        if frame is None and last is not None:
            frame = Frame(
                speaker=last.speaker,
                cue=last.cue,
                lemma=last.lemma,
                channel=last.channel,
                hops=list(last.hops),
                pattern="quote-split",
                span=last.span,
            )
        if frame is None:
            frame = Frame(pattern="quote-pending")
        else:
            last = frame
        out.append(Found(frame, quote.inner, marks=quote.outer))
    return out
