"""Requests a server answers in another shape than the embedded store would, rewritten so
that claimgraph can give the embedded store's answer when it comes back
(:class:`claimgraph.store.remote.RemoteStore` reshapes it, :mod:`claimgraph.store.answers`):

* :func:`construct_as_select` splits a CONSTRUCT into the SELECT of its solutions and a query
  that builds its triples here; :func:`ask_as_select` asks an ASK as one row of a SELECT;
* :func:`with_boolean_casts` casts boolean expressions bound to a variable (Virtuoso gives
  them as 1 and 0);
* :func:`with_group_concat_languages` adds the columns that give a ``GROUP_CONCAT`` its
  language back;
* :func:`with_bound_distinct` projects every column of a ``SELECT DISTINCT`` with a stand-in
  for "unbound", so that a server whose ``DISTINCT`` does not merge rows with unbound values
  (Virtuoso) merges them.

>>> ask_as_select("ASK { ?s ?p ?o }")
'SELECT (1 AS ?cg_ask) { ?s ?p ?o } LIMIT 1'
"""

from __future__ import annotations

from collections.abc import Sequence

from ..rdf import XSD
from ..sparql import Token
from .textedit import FORMS, closing, code_of, end_of, pattern_start, splice


def construct_as_select(text: str) -> tuple[str, str]:
    """A CONSTRUCT query as the SELECT of its solutions and the template that builds its
    triples from them: ``(select, template)``, where ``template`` is the query's prologue and
    ``CONSTRUCT { … }``, to be completed with ``WHERE { VALUES … }``.

    >>> select, template = construct_as_select("CONSTRUCT { ?s <urn:p> ?o } WHERE { ?s ?q ?o }")
    >>> select, template
    ('SELECT ?s ?o WHERE { ?s ?q ?o }', 'CONSTRUCT { ?s <urn:p> ?o }')
    """
    code = code_of(text, "query")
    form = next(i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS)
    head = text[: code[form].start]
    if code[form + 1].upper == "WHERE":
        open_, close = form + 2, closing(code, form + 2)
        rest = text[code[form + 1].start :]
    else:
        open_, close = form + 1, closing(code, form + 1)
        rest = text[end_of(code[close]) :].lstrip()
    names: list[str] = []
    for tok in code[open_ : close + 1]:
        if tok.kind == "var" and tok.text[1:] not in names:
            names.append(tok.text[1:])
    projection = " ".join(f"?{n}" for n in names) or "*"
    template = text[code[open_].start : end_of(code[close])]
    return f"{head}SELECT {projection} {rest}", f"{head}CONSTRUCT {template}"


def ask_as_select(text: str) -> str:
    """An ASK query as a SELECT of at most one row (true when there is one).

    >>> ask_as_select("ASK { ?s ?p ?o }")
    'SELECT (1 AS ?cg_ask) { ?s ?p ?o } LIMIT 1'
    """
    code = code_of(text, "query")
    form = next(i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS)
    out = text[: code[form].start] + "SELECT (1 AS ?cg_ask)" + text[end_of(code[form]) :]
    start = pattern_start(code_of(out, "query"))
    limited = any(t.upper == "LIMIT" for t in code[form:] if t.kind == "word")
    return out if limited or start is None else out.rstrip() + " LIMIT 1"


_BOOLEAN_CALLS = {
    "BOUND",
    "EXISTS",
    "ISIRI",
    "ISURI",
    "ISBLANK",
    "ISLITERAL",
    "ISNUMERIC",
    "REGEX",
    "CONTAINS",
    "STRSTARTS",
    "STRENDS",
    "SAMETERM",
    "LANGMATCHES",
}
_COMPARISONS = {"=", "!=", "<", ">", "<=", ">=", "&&", "||"}


def _is_boolean(expr: Sequence[Token]) -> bool:
    """Whether an expression's value is a boolean, from its outermost operator."""
    if not expr:
        return False
    depth = 0
    for tok in expr:
        if tok.kind == "punct" and tok.text in "({[":
            depth += 1
        elif tok.kind == "punct" and tok.text in ")}]":
            depth -= 1
        elif depth == 0 and (
            (tok.kind == "punct" and tok.text in _COMPARISONS)
            or (tok.kind == "word" and tok.upper in ("IN", "NOT", "EXISTS"))
        ):
            return True
    first = expr[0]
    if first.text == "!":
        return True
    if len(expr) == 1:
        return first.kind == "word" and first.upper in ("TRUE", "FALSE")
    if first.text == "(" and closing(expr, 0) == len(expr) - 1:
        return _is_boolean(expr[1:-1])
    return (
        first.kind == "word"
        and first.upper in _BOOLEAN_CALLS
        and expr[1].text == "("
        and closing(expr, 1) == len(expr) - 1
    )


def with_boolean_casts(text: str, kind: str) -> str:
    """Boolean expressions bound to a variable (``BIND``, ``(… AS ?v)``) cast to
    ``xsd:boolean``, for servers that give them as the integers 1 and 0 (Virtuoso).

    >>> with_boolean_casts("SELECT ?b { BIND (BOUND(?x) AS ?b) }", "query")
    'SELECT ?b { BIND (<http://www.w3.org/2001/XMLSchema#boolean>(BOUND(?x)) AS ?b) }'
    """
    code = code_of(text, kind)
    edits = []
    for i, tok in enumerate(code[:-2]):
        if not (tok.upper == "AS" and code[i + 1].kind == "var" and code[i + 2].text == ")"):
            continue
        depth, j = 0, i - 1
        while j >= 0:
            if code[j].kind == "punct" and code[j].text in ")}]":
                depth += 1
            elif code[j].kind == "punct" and code[j].text in "({[":
                if depth == 0:
                    break
                depth -= 1
            j -= 1
        expr = code[j + 1 : i]
        if j >= 0 and _is_boolean(expr):
            start, end = expr[0].start, end_of(expr[-1])
            cast = f"<{XSD}boolean>({text[start:end]})"
            edits.append((start, end, cast))
    return splice(text, edits)


def with_group_concat_languages(text: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """A query whose ``GROUP_CONCAT`` results can get back the language tag their values
    share, as on the embedded store (``"a"@en`` and ``"b"@en`` give ``"a b"@en``), for
    servers that drop it (Virtuoso): each one in the query's own projection gets two more
    columns, the language of its values and how many languages they have; and every
    ``GROUP_CONCAT`` gets its separator written out (Virtuoso fails without one).  Returns the
    query and, per variable, its two columns.

    >>> text, extra = with_group_concat_languages("SELECT (GROUP_CONCAT(?l) AS ?all) {}")
    >>> text.split(" AS ?all) ")[1]
    '(SAMPLE(LANG(?l)) AS ?cg_lang_all) (COUNT(DISTINCT LANG(?l)) AS ?cg_langs_all) {}'
    >>> extra
    {'all': ('cg_lang_all', 'cg_langs_all')}
    """
    code = code_of(text, "query")
    start = pattern_start(code)
    edits = []
    extra: dict[str, tuple[str, str]] = {}
    i = 0
    while i < len(code) - 1:
        if code[i].upper == "GROUP_CONCAT" and code[i + 1].text == "(":
            close = closing(code, i + 1)
            inner = code[i + 2 : close]
            distinct = bool(inner) and inner[0].upper == "DISTINCT"
            body = inner[1:] if distinct else inner
            depth, cut = 0, len(body)
            for j, tok in enumerate(body):
                if tok.kind == "punct" and tok.text in "({[":
                    depth += 1
                elif tok.kind == "punct" and tok.text in ")}]":
                    depth -= 1
                elif tok.text == ";" and depth == 0:
                    cut = j
                    break
            if cut == 0:
                i = close + 1
                continue
            expr = text[body[0].start : end_of(body[cut - 1])]
            if cut == len(body):
                at = end_of(body[-1])
                edits.append((at, at, ' ; separator=" "'))
            named = (
                close + 3 < len(code)
                and code[close + 1].upper == "AS"
                and code[close + 2].kind == "var"
                and code[close + 3].text == ")"
            )
            if named and start is not None and close < start:  # the query's own projection
                var = code[close + 2].text[1:]
                lang, langs = f"cg_lang_{var}", f"cg_langs_{var}"
                extra[var] = (lang, langs)
                at = end_of(code[close + 3])
                edits.append(
                    (
                        at,
                        at,
                        f" (SAMPLE(LANG({expr})) AS ?{lang})"
                        f" (COUNT(DISTINCT LANG({expr})) AS ?{langs})",
                    )
                )
            i = close + 1
            continue
        i += 1
    return splice(text, edits), extra


def group_concat_variables(text: str) -> set[str]:
    """The variables a query binds to a ``GROUP_CONCAT``.

    >>> sorted(group_concat_variables('SELECT (GROUP_CONCAT(?x; separator=" ") AS ?all) {}'))
    ['all']
    """
    code = code_of(text, "query")
    out = set()
    for i, tok in enumerate(code[:-1]):
        if tok.upper == "GROUP_CONCAT" and code[i + 1].text == "(":
            close = closing(code, i + 1)
            if close + 2 < len(code) and code[close + 1].upper == "AS":
                out.add(code[close + 2].text[1:])
    return out


def with_bound_distinct(text: str, unbound: str) -> tuple[str, dict[str, str]]:
    """A ``SELECT DISTINCT`` whose every column is projected with ``COALESCE(…, <unbound>)``
    under a new name, for servers whose ``DISTINCT`` may keep several copies of a row with
    an unbound value (Virtuoso 7.2: rows that differ only by which unbound values they
    have come back more than once).  ``unbound`` never stands in the store, so two rows are
    distinct here exactly when they were before; claimgraph gives each column its name back
    and ``unbound`` back as unbound.  ``ORDER BY`` still sorts by the values (an alias it
    names is written as its expression).  Returns the query and the new names → the old;
    a query without ``DISTINCT``, or projecting ``*``, is returned as it was.

    >>> text, names = with_bound_distinct("SELECT DISTINCT ?a (STR(?a) AS ?s) {} ORDER BY ?s", "u:")
    >>> text.split(" {}")[0].split(" (")[1:]
    ['COALESCE(?a, <u:>) AS ?cg_bound_a)', 'COALESCE(STR(?a), <u:>) AS ?cg_bound_s)']
    >>> text.split(" {}")[1]
    ' ORDER BY (STR(?a))'
    >>> names
    {'cg_bound_a': 'a', 'cg_bound_s': 's'}
    """
    code = code_of(text, "query")
    form = next((i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS), None)
    start = pattern_start(code)
    if (
        form is None
        or start is None
        or code[form].upper != "SELECT"
        or code[form + 1].upper != "DISTINCT"
    ):
        return text, {}
    edits: list[tuple[int, int, str]] = []
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    i = form + 2
    while i < start and not (code[i].kind == "word" and code[i].upper in ("WHERE", "FROM")):
        tok = code[i]
        if tok.kind == "var":
            var, expr, last = tok.text[1:], tok.text, i
        elif tok.text == "(" and tok.kind == "punct":
            last = closing(code, i)
            if last - i < 4 or code[last - 2].upper != "AS" or code[last - 1].kind != "var":
                return text, {}
            var = code[last - 1].text[1:]
            expr = text[code[i + 1].start : end_of(code[last - 3])]
            aliases[var] = expr
        else:
            return text, {}  # SELECT DISTINCT *: the columns are not listed
        names[f"cg_bound_{var}"] = var
        edits.append(
            (tok.start, end_of(code[last]), f"(COALESCE({expr}, <{unbound}>) AS ?cg_bound_{var})")
        )
        i = last + 1
    ordering = False
    for tok in code[closing(code, start) + 1 :]:
        if tok.kind == "word" and tok.upper in ("ORDER", "LIMIT", "OFFSET", "VALUES"):
            ordering = tok.upper == "ORDER"
        elif ordering and tok.kind == "var" and tok.text[1:] in aliases:
            edits.append((tok.start, end_of(tok), f"({aliases[tok.text[1:]]})"))
    return splice(text, edits), names
