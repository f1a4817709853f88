"""claimgraph's verdict scale and the fact-checkers' labels it knows how to place on it."""

from __future__ import annotations

import re

from ..errors import UsageError
from ..rdf import CG

NORMALIZED_RATINGS: dict[str, str] = {
    "true": CG + "ratingTrue",
    "mostly-true": CG + "ratingMostlyTrue",
    "mixture": CG + "ratingMixture",
    "mostly-false": CG + "ratingMostlyFalse",
    "false": CG + "ratingFalse",
    "unproven": CG + "ratingUnproven",
}
"""claimgraph's normalised verdict scale: notation → IRI (``cg:RatingScale``)."""

RATING_VALUES = {"false": 1, "mostly-false": 2, "mixture": 3, "mostly-true": 4, "true": 5}
"""``schema:ratingValue`` of each notation on a scale of 1 (``worstRating``) to 5; ``unproven``
has none."""

_KNOWN_LABELS: dict[str, str] = {
    **{k: k for k in NORMALIZED_RATINGS},
    "mostly true": "mostly-true",
    "mostly false": "mostly-false",
    "correct": "true",
    "accurate": "true",
    "verified": "true",
    "confirmed": "true",
    "mostly correct": "mostly-true",
    "mostly accurate": "mostly-true",
    "half true": "mixture",
    "half-true": "mixture",
    "mixed": "mixture",
    "partly true": "mixture",
    "partly false": "mixture",
    "partially true": "mixture",
    "partially false": "mixture",
    "needs context": "mixture",
    "missing context": "mixture",
    "lacks context": "mixture",
    "two pinocchios": "mixture",
    "misleading": "mostly-false",
    "exaggerated": "mostly-false",
    "three pinocchios": "mostly-false",
    "one pinocchio": "mostly-true",
    "incorrect": "false",
    "inaccurate": "false",
    "wrong": "false",
    "fake": "false",
    "fabricated": "false",
    "pants on fire": "false",
    "pants on fire!": "false",
    "four pinocchios": "false",
    "debunked": "false",
    "unverified": "unproven",
    "unsupported": "unproven",
    "unsubstantiated": "unproven",
    "no evidence": "unproven",
    "unverifiable": "unproven",
    "research in progress": "unproven",
}
"""Fact-checkers' rating labels (lower case, spaces folded) → notation on the scale."""


def normalize_rating(label: str) -> str | None:
    """The notation on claimgraph's scale for a fact-checker's label, if it is a known one.

    >>> normalize_rating("Pants on Fire"), normalize_rating("Half True"), normalize_rating("?")
    ('false', 'mixture', None)
    """
    key = re.sub(r"\s+", " ", label.strip().lower())
    return _KNOWN_LABELS.get(key) or _KNOWN_LABELS.get(key.rstrip("!.").strip())


def rating_notation(normalized: str) -> str:
    """The notation of a normalised rating given as a notation, a label-like spelling or a
    ``cg:rating…`` name; :class:`~claimgraph.errors.UsageError` if it is none of them.

    >>> rating_notation("Mostly True"), rating_notation("cg:ratingMostlyFalse")
    ('mostly-true', 'mostly-false')
    """
    key = normalized.strip().lower().replace(" ", "-").replace("_", "-")
    key = key.removeprefix("cg:rating").lower() if key.startswith("cg:") else key
    key = {"mostlytrue": "mostly-true", "mostlyfalse": "mostly-false"}.get(key, key)
    if key not in NORMALIZED_RATINGS:
        raise UsageError(
            f"normalized rating {normalized!r} is not one of {', '.join(NORMALIZED_RATINGS)}"
        )
    return key
