"""Editing SPARQL text on its tokens (:mod:`claimgraph.sparql`'s lexer): what the rewrites of
:mod:`claimgraph.store.rewrite` and :mod:`claimgraph.store.reshape` share — the tokens of a
request without blanks and comments, where a bracket closes, where the query's pattern
starts, and edits spliced into the text by position.

>>> code = code_of("SELECT ?x WHERE { ?x ?p ?o }", "query")
>>> code[pattern_start(code)].text, splice("abc", [(1, 2, "X")])
('{', 'aXc')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..errors import QueryError
from ..sparql import Token, tokens

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def prologue(*, base: str | None = None, prefixes: Mapping[str, str]) -> str:
    """One line declaring the base and the predeclared prefixes.

    >>> prologue(base="http://b/", prefixes={"ex": "http://e/"})
    'BASE <http://b/> PREFIX ex: <http://e/>\\n'
    """
    parts = []
    if base:
        parts.append(f"BASE <{base}>")
    parts += [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items()]
    return " ".join(parts) + "\n"


def code_of(text: str, kind: str) -> list[Token]:
    return [t for t in tokens(text, kind=kind) if t.kind not in ("ws", "comment")]


def closing(code: Sequence[Token], i: int) -> int:
    """The index of the bracket closing the one at ``i``."""
    depth = 0
    for j in range(i, len(code)):
        if code[j].text in "{([" and code[j].kind == "punct":
            depth += 1
        elif code[j].text in "})]" and code[j].kind == "punct":
            depth -= 1
            if depth == 0:
                return j
    raise QueryError("malformed request: a bracket is never closed")


def splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` applied (non-overlapping)."""
    out = []
    at = 0
    for start, end, new in sorted(edits):
        out.append(text[at:start])
        out.append(new)
        at = end
    out.append(text[at:])
    return "".join(out)


def end_of(tok: Token) -> int:
    return tok.start + len(tok.text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE.

    >>> query_form("PREFIX a: <urn:a> ASK {}")
    'ASK'
    """
    for tok in code_of(text, "query"):
        if tok.kind == "word" and tok.upper in FORMS:
            return tok.upper
    raise QueryError("malformed query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def pattern_start(code: Sequence[Token]) -> int | None:
    """The index of the ``{`` opening the query's pattern (its WHERE clause)."""
    form = next((i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS), None)
    if form is None:
        return None
    i = form + 1
    if code[form].upper == "CONSTRUCT" and i < len(code) and code[i].text == "{":
        i = closing(code, i) + 1  # the template
    depth = 0
    for j in range(i, len(code)):
        tok = code[j]
        if tok.kind == "punct" and tok.text == "(":
            depth += 1
        elif tok.kind == "punct" and tok.text == ")":
            depth -= 1
        elif tok.text == "{" and depth == 0:
            return j
    return None
