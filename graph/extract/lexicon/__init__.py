"""The words the extractor reads attribution by, in two halves: :mod:`.cues` (how something
is said: cue verbs, hedges, platforms, the words around a cue) and :mod:`.names` (who says
it: news organisations, anonymous descriptors, roles, organisations, places, demonyms).

Both are re-exported here, so ``from claimgraph.extract.lexicon import CUE_VERBS, PLACES``
reads either half.
"""

from __future__ import annotations

from .cues import (
    CUE_VERBS,
    DEMAND_WORDS,
    EVALUATIVE_WORDS,
    HEDGE_LEMMAS,
    HEDGE_WORDS,
    KIND_BY_LEMMA,
    LEADING_WORDS,
    OBJECT_LEMMAS,
    PLATFORMS,
    REPORTING_LEMMAS,
    SAYING_LEMMAS,
    SPEECH_NOUNS,
    TIME_WORDS,
)
from .names import (
    ANONYMOUS_HEADS,
    COUNT_WORDS,
    DEMONYMS,
    GROUP_WORDS,
    NEWS_AGENCIES,
    NEWS_OUTLETS,
    ORGANISATION_WORDS,
    PLACES,
    PRONOUNS,
    ROLE_WORDS,
)

__all__ = [
    "ANONYMOUS_HEADS",
    "COUNT_WORDS",
    "CUE_VERBS",
    "DEMAND_WORDS",
    "DEMONYMS",
    "EVALUATIVE_WORDS",
    "GROUP_WORDS",
    "HEDGE_LEMMAS",
    "HEDGE_WORDS",
    "KIND_BY_LEMMA",
    "LEADING_WORDS",
    "NEWS_AGENCIES",
    "NEWS_OUTLETS",
    "OBJECT_LEMMAS",
    "ORGANISATION_WORDS",
    "PLACES",
    "PLATFORMS",
    "PRONOUNS",
    "REPORTING_LEMMAS",
    "ROLE_WORDS",
    "SAYING_LEMMAS",
    "SPEECH_NOUNS",
    "TIME_WORDS",
]
