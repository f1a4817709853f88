"""Evidence offsets, never by hand: a selector that gives the quote (``oa:exact``) without
``oa:start``/``oa:end`` gets them computed from the text of the revision it points at.

The quote must occur exactly once in the text — or once between the selector's ``oa:prefix``
and ``oa:suffix`` if it gives them (the Web Annotation way to tell repeated words apart).  A
quote that does not occur, or occurs more than once, is refused with a message that names
the candidates' offsets.  Offsets count Unicode code points from 0, end exclusive, as
everywhere in claimgraph.

>>> text = "Russia and Ukraine met. Russia left."
>>> locate("Russia left", text, where="s")
(24, 35)
>>> locate("Russia", text, where="s", prefix="met. ")
(24, 30)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from .errors import ParseError
from .rdf import OA, XSD

__all__ = ["complete_offsets", "locate"]

_EXACT, _START, _END = OA + "exact", OA + "start", OA + "end"
_PREFIX, _SUFFIX = OA + "prefix", OA + "suffix"
_SELECTOR, _SOURCE = OA + "hasSelector", OA + "hasSource"


def _occurrences(quote: str, text: str) -> list[int]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def locate(
    quote: str,
    text: str,
    *,
    where: str,
    prefix: str | None = None,
    suffix: str | None = None,
    source: str | None = None,
) -> tuple[int, int]:
    """Where ``quote`` stands in ``text``: ``(start, end)``; raise
    :class:`~claimgraph.errors.ParseError` naming ``where`` (the selector) and the candidates
    when it is not there exactly once."""
    if not quote:
        raise ParseError(f"{where}: the quote (oa:exact) is empty", source=source)
    starts = _occurrences(quote, text)
    if prefix is not None:
        starts = [s for s in starts if text[:s].endswith(prefix)]
    if suffix is not None:
        starts = [s for s in starts if text[s + len(quote) :].startswith(suffix)]
    if len(starts) == 1:
        return starts[0], starts[0] + len(quote)
    shown = quote if len(quote) <= 60 else quote[:57] + "…"
    if not starts:
        near = " with that oa:prefix/oa:suffix" if prefix is not None or suffix is not None else ""
        raise ParseError(
            f"{where}: the quote {shown!r} does not occur in the revision's text{near}; copy "
            "it exactly (same quotation marks, apostrophes and spaces)",
            source=source,
        )
    places = ", ".join(str(s) for s in starts[:10]) + (" …" if len(starts) > 10 else "")
    raise ParseError(
        f"{where}: the quote {shown!r} occurs {len(starts)} times in the revision's text (at "
        f"{places}); give oa:start, or a longer quote, or oa:prefix/oa:suffix to pick one",
        source=source,
    )


def complete_offsets(
    triples: list[ox.Triple],
    revision_text: Callable[[str], str | None],
    *,
    source: str | None = None,
) -> list[ox.Triple]:
    """``triples`` plus ``oa:start``/``oa:end`` for every selector that gives only its quote;
    ``revision_text(iri)`` gives a revision's text (from the batch or the store)."""
    by_subject: dict[object, dict[str, list[object]]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    spans_of: dict[object, object] = {}
    for span, props in by_subject.items():
        for selector in props.get(_SELECTOR, []):
            spans_of[selector] = span
    added: list[ox.Triple] = []
    integer = ox.NamedNode(XSD + "nonNegativeInteger")
    for selector, props in by_subject.items():
        exact = props.get(_EXACT)
        if not exact or _START in props or _END in props:
            continue
        where = f"selector of {_name(spans_of.get(selector, selector), by_subject)}"
        revisions = [
            s.value
            for s in by_subject.get(spans_of.get(selector), {}).get(_SOURCE, [])
            if isinstance(s, ox.NamedNode)
        ]
        if len(revisions) != 1:
            raise ParseError(
                f"{where}: to compute offsets from the quote, its evidence span needs exactly "
                "one oa:hasSource (the article revision)",
                source=source,
            )
        text = revision_text(revisions[0])
        if text is None:
            raise ParseError(
                f"{where}: the revision {revisions[0]} has no text in this file or the store, "
                "so offsets cannot be computed from the quote; ingest the article first, or "
                "give oa:start and oa:end",
                source=source,
            )
        start, end = locate(
            _first_text(exact) or "",
            text,
            where=where,
            prefix=_first_text(props.get(_PREFIX)),
            suffix=_first_text(props.get(_SUFFIX)),
            source=source,
        )
        subject = selector
        assert isinstance(subject, ox.NamedNode | ox.BlankNode)
        added += [
            ox.Triple(subject, ox.NamedNode(_START), ox.Literal(str(start), datatype=integer)),
            ox.Triple(subject, ox.NamedNode(_END), ox.Literal(str(end), datatype=integer)),
        ]
    return triples + added if added else triples


def _first_text(values: Iterable[object] | None) -> str | None:
    for v in values or ():
        if isinstance(v, ox.Literal):
            return v.value
    return None


def _name(node: object, by_subject: dict[object, dict[str, list[object]]]) -> str:
    """A readable name for a span: the resource it evidences, else the node itself."""
    for subject, props in by_subject.items():
        for values in props.values():
            if node in values and isinstance(subject, ox.NamedNode):
                return f"the evidence of <{subject.value}>"
    return str(node)
