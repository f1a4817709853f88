"""Evidence: the article spans that show a hop happened, each checked against the text of
its revision (``cg:text``) at the stated offsets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..rdf import compact, term_int, term_text, values_blocks
from ..store import Store
from .model import Evidence

_EVIDENCE_QUERY = """SELECT ?r ?src ?exact ?start ?end ?len ?found WHERE {{ {values}
    ?r cg:evidence ?e .
    OPTIONAL {{ ?e oa:hasSource ?src }}
    OPTIONAL {{ ?e oa:hasSelector ?sel .
        OPTIONAL {{ ?sel oa:exact ?exact }} OPTIONAL {{ ?sel oa:start ?start }}
        OPTIONAL {{ ?sel oa:end ?end }} }}
    OPTIONAL {{ ?src cg:text ?text }}
    BIND(STRLEN(?text) AS ?len)
    BIND(SUBSTR(?text, xsd:integer(?start) + 1,
                xsd:integer(?end) - xsd:integer(?start)) AS ?found)
}} ORDER BY ?r ?start"""
"""Each evidence span of the reports in ``{values}``, with the length of its revision's text
and the text found at its offsets (the store cuts it out: the text never leaves it)."""


def load_evidence(
    store: Store, reports: set[str], evidence: dict[str, list[Evidence]], revisions: set[str]
) -> None:
    """Append the checked evidence of each of ``reports`` to ``evidence[report]`` and the
    revisions it names to ``revisions``.  Where a quote is not at its offsets but occurs in
    the text, :attr:`Evidence.found_at` says where."""
    mismatched: list[tuple[str, int, Evidence]] = []
    for values in values_blocks("r", reports):
        for row in store.select(_EVIDENCE_QUERY.format(values=values)):
            r = row["r"].value
            src, exact = term_text(row["src"]), term_text(row["exact"])
            start, end = term_int(row["start"]), term_int(row["end"])
            length, found = term_int(row["len"]), term_text(row["found"])
            if src:
                revisions.add(src)
            problem = _evidence_problem(src, exact, start, end, length, found)
            ev = Evidence(src, exact, start, end, problem is None, problem)
            if problem is not None and exact and src and length is not None:
                mismatched.append((r, len(evidence[r]), ev))
            evidence[r].append(ev)
    texts = revision_texts(store, {ev.revision for _, _, ev in mismatched if ev.revision})
    for r, i, ev in mismatched:
        assert ev.revision is not None and ev.exact is not None
        text = texts.get(ev.revision)
        at = text.find(ev.exact) if text else -1
        if at >= 0:
            evidence[r][i] = replace(ev, found_at=at)


def _evidence_problem(
    src: str | None,
    exact: str | None,
    start: int | None,
    end: int | None,
    length: int | None,
    found: str | None,
) -> str | None:
    """What is wrong with an evidence span, or None when the quote is at its offsets."""
    if src is None:
        return "the evidence names no revision (oa:hasSource)"
    if exact is None:
        return "the evidence has no quote (oa:exact)"
    if start is None or end is None:
        return "the evidence has no offsets (oa:start, oa:end)"
    if length is None:
        return f"the store holds no text for {compact(src)} to check the quote against"
    if not (0 <= start <= end <= length):
        return f"offsets [{start}, {end}) lie outside the text ({length} characters)"
    if found != exact:
        return f"the text at [{start}, {end}) is {found!r}, not the quote"
    return None


def revision_text(store: Store, revision: str) -> str | None:
    """The text of an article revision (``cg:text``), or None when the store holds none.

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> revision_text(store, "https://example.org/no-such-revision") is None
    True
    """
    return revision_texts(store, [revision]).get(revision)


def revision_texts(store: Store, revisions: Iterable[str]) -> dict[str, str]:
    """The text of each of ``revisions`` the store holds one for (the first, if several),
    read in as few queries as :func:`~claimgraph.rdf.values_blocks` allows.

    >>> from claimgraph.store import open_store
    >>> revision_texts(open_store(":memory:"), ["https://example.org/no-such-revision"])
    {}
    """
    texts: dict[str, str] = {}
    for values in values_blocks("rev", revisions):
        for row in store.select(f"SELECT ?rev ?t WHERE {{ {values} ?rev cg:text ?t }}"):
            texts.setdefault(row["rev"].value, str(row["t"].value))
    return texts
