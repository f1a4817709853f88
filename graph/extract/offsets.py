"""Offsets never by hand: where an exact quote occurs in an article, and evidence selectors
filled in from their quotes.

Offsets are Unicode code points from the start of the text, end exclusive
(``text[start:end] == exact``), as the evidence shapes count them.
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError


def locate(text: str, exact: str, *, near: int | None = None) -> tuple[int, int]:
    """The ``(start, end)`` of ``exact`` in ``text``: its only occurrence, or the one nearest
    ``near`` when given.  No occurrence, or several without ``near``, is a
    :class:`~claimgraph.errors.UsageError` that names the candidates.

    >>> locate("Talks paused. Talks resumed.", "resumed")
    (20, 27)
    >>> locate("Talks paused. Talks resumed.", "Talks", near=15)
    (14, 19)
    >>> locate("Talks paused. Talks resumed.", "Talks")
    Traceback (most recent call last):
    ...
    claimgraph.errors.UsageError: "Talks" occurs 2 times in the text, at 0, 14: give its ...
    """
    if not exact:
        raise UsageError("an empty quote has no offsets")
    found = []
    at = text.find(exact)
    while at >= 0:
        found.append(at)
        at = text.find(exact, at + 1)
    if not found:
        hint = ""
        folded = text.casefold().find(exact.casefold())
        if folded >= 0:
            hint = f"; it does occur at {folded} with other capitals or quotation marks"
        raise UsageError(f"{_short(exact)} does not occur in the text{hint}")
    if len(found) > 1 and near is None:
        where = ", ".join(str(f) for f in found[:10])
        raise UsageError(
            f"{_short(exact)} occurs {len(found)} times in the text, at {where}: give its start "
            "offset (or a longer quote) to choose one"
        )
    start = min(found, key=lambda f: abs(f - (near or 0)))
    return start, start + len(exact)


def _short(exact: str) -> str:
    return '"' + (exact if len(exact) <= 60 else exact[:57] + "…") + '"'


def fill_selectors(records: Any, text: str) -> int:
    """Fill ``start``/``end`` of every selector in ``records`` (parsed claim records: a mapping
    or list, nested) that gives an ``exact`` quote, from ``text``; existing offsets are kept
    when they are right and used to choose among repeated quotes.  The number of selectors
    filled or corrected.

    >>> recs = [{"selector": {"exact": "resumed"}}]
    >>> fill_selectors(recs, "Talks resumed.")
    1
    >>> recs
    [{'selector': {'exact': 'resumed', 'start': 6, 'end': 13}}]
    """
    changed = 0
    if isinstance(records, list):
        return sum(fill_selectors(r, text) for r in records)
    if not isinstance(records, dict):
        return 0
    exact = records.get("exact")
    if isinstance(exact, str):
        start, end = records.get("start"), records.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and text[start:end] == exact):
            near = start if isinstance(start, int) else None
            records["start"], records["end"] = locate(text, exact, near=near)
            changed += 1
    for value in records.values():
        if isinstance(value, (dict, list)):
            changed += fill_selectors(value, text)
    return changed
