"""SPARQL text rewritten token by token (the lexer of :mod:`claimgraph.sparql.text`, so
strings, IRIs and comments are never touched): parameters added to the projections that use
them, and a window of rows as the top-level ``LIMIT``/``OFFSET``."""

from __future__ import annotations

from collections.abc import Collection

from .text import Token, tokens

_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})


class _Code:
    """The tokens of a query without whitespace and comments, each with its nesting level
    (the brackets around it; a bracket itself counts at the level of what encloses it) and,
    for an opening bracket, the position of its closing one."""

    def __init__(self, toks: list[Token]) -> None:
        self.at = [i for i, t in enumerate(toks) if t.kind not in ("ws", "comment")]
        self.toks = [toks[i] for i in self.at]
        self.level: list[int] = []
        self.closing: dict[int, int] = {}
        stack: list[int] = []
        for k, t in enumerate(self.toks):
            if t.kind == "punct" and t.text in "})]" and stack:
                self.closing[stack.pop()] = k
            self.level.append(len(stack))
            if t.kind == "punct" and t.text in "{([":
                stack.append(k)

    def word(self, k: int) -> str:
        t = self.toks[k]
        return t.upper if t.kind == "word" else ""

    def punct(self, k: int, text: str) -> bool:
        t = self.toks[k]
        return t.kind == "punct" and t.text == text


def project_parameters(text: str, bound: Collection[str]) -> tuple[str, frozenset[str]]:
    """``text`` with each variable of ``bound`` (names without ``?``) added to the projection
    of every SELECT that uses it, and to its ``GROUP BY`` (an aggregating SELECT without one
    gets ``GROUP BY ?var``: with a value bound, the same single group, but no row at all
    when nothing matches); also the variables added to the top-level projection.

    >>> project_parameters("SELECT (COUNT(*) AS ?n) { ?s ?p ?__x }", {"__x"})
    ('SELECT ?__x (COUNT(*) AS ?n) { ?s ?p ?__x } GROUP BY ?__x', frozenset({'__x'}))
    >>> project_parameters("SELECT ?s { { SELECT ?s { ?s ?p ?_o } GROUP BY ?s } }", {"_o"})[0]
    'SELECT ?_o ?s { { SELECT ?_o ?s { ?s ?p ?_o } GROUP BY ?_o ?s } }'
    """
    if not bound:
        return text, frozenset()
    toks = tokens(text)
    code = _Code(toks)
    after: dict[int, list[str]] = {}  # code position -> text to write after that token
    top: frozenset[str] = frozenset()
    n = len(code.toks)
    for k in range(n):
        if code.word(k) != "SELECT":
            continue
        level = code.level[k]
        start = k + 1
        if start < n and code.word(start) in ("DISTINCT", "REDUCED"):
            start += 1
        where = next(
            (q for q in range(start, n) if code.punct(q, "{") and code.level[q] == level), None
        )
        if where is None or where not in code.closing:
            continue  # not a query pyoxigraph would accept; its own error will say why
        close = code.closing[where]
        end = next((q for q in range(close + 1, n) if code.level[q] < level), n)
        names = {code.toks[q].text[1:] for q in range(start, end) if code.toks[q].kind == "var"}
        projected = {
            code.toks[q].text[1:]
            for q in range(start, where)
            if code.toks[q].kind == "var" and code.level[q] == level
        }
        star = start < n and code.punct(start, "*")
        add = sorted((set(bound) & names) - projected)
        if star or not add:
            continue
        listed = " ".join("?" + v for v in add)
        after.setdefault(start - 1, []).append(" " + listed)
        group_by = next(
            (
                q + 1
                for q in range(close + 1, end - 1)
                if code.level[q] == level and code.word(q) == "GROUP" and code.word(q + 1) == "BY"
            ),
            None,
        )
        if group_by is not None:
            after.setdefault(group_by, []).append(" " + listed)
        elif any(code.word(q) in _AGGREGATES for q in range(start, where)) or any(
            code.level[q] == level and code.word(q) == "HAVING" for q in range(close + 1, end)
        ):
            after.setdefault(close, []).append(" GROUP BY " + listed)
        if level == 0:
            top = frozenset(add)
    if not after:
        return text, top
    out: list[str] = []
    positions = {code.at[k]: k for k in after}
    for i, t in enumerate(toks):
        out.append(t.text)
        if i in positions:
            out.extend(after[positions[i]])
    return "".join(out), top


def paged(text: str, limit: int | None, offset: int = 0) -> str:
    """``text`` with the window of at most ``limit`` rows after ``offset`` as its top-level
    ``LIMIT``/``OFFSET``; a window the query already has is kept (the page is taken inside
    it).

    >>> paged("SELECT * { ?s ?p ?o }", 10, 20)
    'SELECT * { ?s ?p ?o }\\nLIMIT 10 OFFSET 20'
    >>> paged("SELECT * { ?s ?p ?o } LIMIT 15 OFFSET 5", 10, 10)
    'SELECT * { ?s ?p ?o }\\nLIMIT 5 OFFSET 15'
    """
    start = offset
    toks = tokens(text)
    code = _Code(toks)
    cut: set[int] = set()
    insert_at = len(toks)
    for k in range(len(code.toks)):
        if code.level[k] != 0:
            continue
        word = code.word(k)
        if word == "VALUES" and k > 0 and code.punct(k - 1, "}"):
            insert_at = code.at[k]  # a trailing VALUES comes after the solution modifiers
            break
        if word in ("LIMIT", "OFFSET") and k + 1 < len(code.toks):
            number = code.toks[k + 1]
            if number.kind != "number" or not number.text.isdigit():
                continue
            own = int(number.text)
            if word == "OFFSET":
                offset += own
            else:
                room = max(0, own - start)
                limit = room if limit is None else min(limit, room)
            cut |= {code.at[k], code.at[k + 1]}
    head = "".join(t.text for i, t in enumerate(toks[:insert_at]) if i not in cut)
    tail = "".join(t.text for t in toks[insert_at:])
    window = " ".join(
        ([f"LIMIT {limit}"] if limit is not None else []) + ([f"OFFSET {offset}"] if offset else [])
    )
    return f"{head.rstrip()}\n{window}" + (f"\n{tail}" if tail else "")
