"""Resolution: many articles, one graph.  Finding the things several batches describe twice
(:func:`candidates`), linking them as one — or two anonymous sources as *possibly* one — as a
judged, reversible batch (:func:`link`, :func:`unlink`), and warning about an incoming batch's
likely duplicates (:func:`incoming_duplicates`).

Provenance honours the links at query time: things linked by ``owl:sameAs`` count as one
source, claims linked by it share their chains, and anonymous sources linked by
``cg:possiblySameAs`` count as one *to* two (``docs/resolution.md``).
"""

from __future__ import annotations

from .candidates import (
    ANONYMOUS_THRESHOLD,
    AUTO_LINK_THRESHOLD,
    CANDIDATE_THRESHOLD,
    Candidate,
    Side,
    candidates,
)
from .incoming import batch_things, incoming_duplicates
from .links import AUTO_AGENT, LinkResult, link, linked_pairs, unlink

__all__ = [
    "ANONYMOUS_THRESHOLD",
    "AUTO_AGENT",
    "AUTO_LINK_THRESHOLD",
    "CANDIDATE_THRESHOLD",
    "Candidate",
    "LinkResult",
    "Side",
    "batch_things",
    "candidates",
    "incoming_duplicates",
    "link",
    "linked_pairs",
    "unlink",
]
