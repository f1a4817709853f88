"""How a draft words what the article says: a claim's text and label without the quotation
marks around it, and the cue word a speaker's own utterance gets."""

from __future__ import annotations

import re

from .model import Attribution, Span
from .text import quotes


def speaker_cue(a: Attribution) -> str | None:
    """The speaker's own cue: in ``Reuters, citing two officials, reported that …`` the cue
    (``reported``) is the citing outlet's, on its hop; the officials' is the word the article
    uses for them (``citing``, ``quoting``; ``saying`` in ``quoted X as saying``), or none.

    >>> from claimgraph.extract import extract
    >>> [speaker_cue(a) for a in extract(
    ...     "Reuters, citing two officials, reported that the talks were over.").attributions]
    ['citing']
    """
    hop = a.intermediaries[0] if a.intermediaries else None
    if a.pattern != "citing" or hop is None or hop.cue != a.cue or a.frame is None:
        return a.cue
    f, c = a.frame, a.content
    around = f.text[: max(0, c.start - f.start)] + " … " + f.text[max(0, c.end - f.start) :]
    m = re.search(r"\b(citing|quoting)\b|\bas (saying|telling|writing)\b", around)
    return (m.group(1) or m.group(2)) if m else None


def claim_label(text: str) -> str:
    """A claim's label: the first ten words of its text, without the quotation marks around
    it (a mark that pairs with one inside stays: ``"significant progress" had been made``).

    >>> claim_label('"significant progress" had been made but that gaps remained')
    '"significant progress" had been made but that gaps remained'
    """
    words = claim_sentence(text).strip(" .").split()
    return " ".join(words[:10]) + ("…" if len(words) > 10 else "")


_MARKS = frozenset('“”"«»')
"""The quotation marks a claim's text is stripped of at its ends."""


def claim_sentence(text: str) -> str:
    """``text`` without the spaces, commas and quotation marks around it — a mark only when
    it does not pair with one inside (``Israel "will not … home."`` keeps both).

    >>> claim_sentence('“We are closer,”')
    'We are closer'
    >>> claim_sentence('Israel "will not end the war."')
    'Israel "will not end the war."'
    """
    s = text.strip(" ,")
    while s:
        paired = [q.outer for q in quotes(s, Span.of(s, 0, len(s))) if q.closed]
        if any(q.start == 0 and q.end == len(s) for q in paired):
            s = s[1:-1].strip(" ,")
        elif s[0] in _MARKS and all(q.start != 0 for q in paired):
            s = s[1:].strip(" ,")
        elif s[-1] in _MARKS and all(q.end != len(s) for q in paired):
            s = s[:-1].strip(" ,")
        else:
            return s
    return s
