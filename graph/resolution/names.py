"""Names as resolution compares them: one script, no titles, no punctuation; and how alike two
sets of names are (rapidfuzz), with the reason in words.

Transliteration is anyascii's (Зеленський → zelens'kiy), so names written in Cyrillic and in
Latin letters meet; spelling variants of one transliteration (Zelensky, Zelenskyy, Zelenskiy;
Kyiv, Kiev) meet through their consonants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from ..extract.actors import normalise_name

TITLES = frozenset(
    """president prime minister foreign defence defense deputy presidential aide adviser advisor
    spokesman spokeswoman spokesperson head chief secretary general ambassador envoy special
    minister's mr mrs ms dr sir madam kremlin of the""".split()
)
"""Words of a title that go before a name ("Defence Minister Rustem Umerov"), left out of
person names before they are compared."""

_VOWELS = re.compile(r"[aeiouy']")


def normalise(name: str, *, person: bool = False) -> str:
    """``name`` in lower-case Latin letters, without accents, quotation marks, determiners, and
    (for a person) without the title in front of it.

    >>> normalise("Зеленський")
    'zelenskiy'
    >>> normalise("Defence Minister Rustem Umerov", person=True)
    'rustem umerov'
    >>> normalise("The Kremlin")
    'kremlin'
    """
    words = normalise_name(anyascii(name)).replace("'", "").replace(".", " ").split()
    if person:
        while len(words) > 1 and words[0] in TITLES:
            words = words[1:]
    return " ".join(words)


def skeleton(name: str) -> str:
    """The consonants of a normalised name, word by word: spelling variants of one
    transliteration share it.

    >>> skeleton("kyiv") == skeleton("kiev"), skeleton("zelenskyy") == skeleton("zelensky")
    (True, True)
    """
    return " ".join(re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", w)) or w for w in name.split())


def block_keys(name: str) -> set[str]:
    """Keys under which two names are compared at all: each word's first four letters and
    its consonants (words of three letters or more).

    >>> sorted(block_keys("rustem umerov"))
    ['mrv', 'rstm', 'rust', 'umer']
    """
    keys: set[str] = set()
    for w in name.split():
        if len(w) >= 3:
            keys.update(_word_keys(w))
    return keys


@lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> tuple[str, str]:
    """The block keys of one word (most words recur: claim texts share their vocabulary)."""
    return word[:4], skeleton(word)


def name_keys(name: str) -> set[str]:
    """The block keys of a name as written, as a person's name and as any other thing's
    (with and without the title in front): every key it can be compared under, whichever
    kind the thing turns out to be.

    >>> sorted(name_keys("Minister Umerov"))
    ['mini', 'mnstr', 'mrv', 'umer']

    A person's name is the name without its leading title words, so its keys are among the
    name's own: the name is normalised and keyed once.
    """
    return block_keys(normalise(name))


@dataclass(frozen=True)
class NameMatch:
    """How alike two names are (0–1), the two names compared and why."""

    score: float
    left: str
    right: str
    reason: str


def best_match(left: Iterable[str], right: Iterable[str], *, person: bool = False) -> NameMatch:
    """The most alike pair among two sets of names (labels and aliases, already normalised):
    the same name is 1.0; otherwise rapidfuzz's token-sort ratio; the same consonants (a
    spelling variant) at least 0.9; for people, a surname alone that matches the other's
    surname 0.9.

    >>> best_match(["volodymyr zelensky"], ["zelenskyy"], person=True).score
    0.9
    >>> best_match(["kyiv"], ["kiev"]).reason
    "same consonants: 'kyiv' and 'kiev' (a spelling variant)"
    """
    found = NameMatch(0.0, "", "", "no names to compare")
    rights = [r for r in right if r]
    for a in left:
        if not a:
            continue
        for b in rights:
            m = _match(a, b, person=person)
            if m.score > found.score:
                found = m
    return found


def _match(a: str, b: str, *, person: bool) -> NameMatch:
    if a == b:
        return NameMatch(1.0, a, b, f"same name: {a!r}")
    ratio = fuzz.token_sort_ratio(a, b) / 100
    best = NameMatch(round(ratio, 3), a, b, f"names alike: {a!r} and {b!r} ({ratio:.2f})")
    if skeleton(a) == skeleton(b) and best.score < 0.9:
        best = NameMatch(0.9, a, b, f"same consonants: {a!r} and {b!r} (a spelling variant)")
    if person and best.score < 0.9:
        wa, wb = a.split(), b.split()
        if (len(wa) == 1) != (len(wb) == 1) and (
            wa[-1] == wb[-1] or skeleton(wa[-1]) == skeleton(wb[-1])
        ):
            best = NameMatch(0.9, a, b, f"surname matches: {a!r} and {b!r}")
    return best
