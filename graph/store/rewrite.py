"""The SPARQL text a remote server receives: the canonical text the safety check read
(:mod:`claimgraph.sparql`), changed only where a server needs it, on its tokens.

Each change keeps what the request means on the embedded store:

* :func:`with_values` binds variables by a ``VALUES`` block at the start of the query's
  pattern (the protocol has no bindings; values are RDF terms written by pyoxigraph);
* :func:`with_term_tests` makes ``isBlank``/``isIRI`` see the stand-in IRIs of blank nodes
  (:mod:`claimgraph.store.terms`) as blank nodes;
* :func:`with_stand_in_datatypes` writes literals of a datatype the server cannot keep with
  their stand-in datatype;
* :func:`without_empty_graph_patterns` asks ``GRAPH ?g {}`` of a server that keeps no empty
  graphs as ``GRAPH ?g { ?s ?p ?o }``;
* :func:`without_from` drops ``FROM`` where the server would let it win over the protocol's
  dataset;
* :func:`construct_as_select` splits a CONSTRUCT into the SELECT of its solutions and a query
  that builds its triples here;
* :func:`with_data_bnodes` gives the blank nodes of ``INSERT DATA`` fresh stand-in IRIs;
* :func:`with_graphs_listed` writes ``DROP ALL`` and the like as one operation per graph, so
  that a server's own graphs are never touched.

Nothing here adds a way to reach outside the store: the only IRIs added are claimgraph's own.

>>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"p": "<urn:p>"})
'SELECT ?x WHERE { VALUES (?p) { (<urn:p>) } ?x ?p ?o }'
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import urljoin

from ..errors import QueryError
from ..rdf import PREFIXES, XSD
from ..sparql import Token, tokens
from ..sparql.text import is_absolute_iri

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


def _code(text: str, kind: str) -> list[Token]:
    return [t for t in tokens(text, kind=kind) if t.kind not in ("ws", "comment")]


def _closing(code: Sequence[Token], i: int) -> int:
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


def _splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` applied (non-overlapping)."""
    out = []
    at = 0
    for start, end, new in sorted(edits):
        out.append(text[at:start])
        out.append(new)
        at = end
    out.append(text[at:])
    return "".join(out)


def _end(tok: Token) -> int:
    return tok.start + len(tok.text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE.

    >>> query_form("PREFIX a: <urn:a> ASK {}")
    'ASK'
    """
    for tok in _code(text, "query"):
        if tok.kind == "word" and tok.upper in FORMS:
            return tok.upper
    raise QueryError("malformed query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def _pattern_start(code: Sequence[Token]) -> int | None:
    """The index of the ``{`` opening the query's pattern (its WHERE clause)."""
    form = next((i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS), None)
    if form is None:
        return None
    i = form + 1
    if code[form].upper == "CONSTRUCT" and i < len(code) and code[i].text == "{":
        i = _closing(code, i) + 1  # the template
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


_TERMS = ("iri", "pname", "var", "bnode", "string", "number")


def uses_default_graph(text: str, kind: str) -> bool:
    """Whether a request reads or writes the default graph: a triple pattern (or quad data)
    outside every ``GRAPH`` block, or ``DEFAULT`` in an update.  (An update with ``WITH`` or
    ``USING`` names its default graph itself: False.)

    >>> uses_default_graph("SELECT ?g { GRAPH ?g { ?s ?p ?o } VALUES ?o { 1 } }", "query")
    False
    >>> uses_default_graph("SELECT * { ?s ?p ?o }", "query")
    True
    >>> uses_default_graph("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }", "update")
    False
    >>> uses_default_graph("CLEAR DEFAULT", "update")
    True
    """
    code = _code(text, kind)
    stack: list[str] = []
    paren = 0
    pending: str | None = None
    skip_next = False
    modifiers = False
    for tok in code:
        if tok.kind == "punct" and tok.text == "(":
            paren += 1
            continue
        if tok.kind == "punct" and tok.text == ")":
            paren -= 1
            continue
        if tok.text == "{":
            parent = stack[-1] if stack else None
            if pending == "values" or parent == "values":
                stack.append("values")
            elif pending == "graph" or parent == "graph":
                stack.append("graph")
            else:
                stack.append("default")
            pending, modifiers = None, False
            continue
        if tok.text == "}":
            if stack:
                stack.pop()
            modifiers = False
            continue
        word = tok.upper if tok.kind == "word" else ""
        if kind == "update" and word in ("WITH", "USING"):
            return False
        if kind == "update" and word == "DEFAULT" and not stack:
            return True
        if word == "GRAPH":
            pending, skip_next = "graph", True
            continue
        if word == "VALUES":
            pending = "values"
            continue
        if pending == "values":
            continue  # the variables of a VALUES block
        if word in ("SELECT", "GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING"):
            modifiers = True
            continue
        if skip_next:
            skip_next = False
            continue
        if (
            stack
            and stack[-1] == "default"
            and paren == 0
            and not modifiers
            and (tok.kind in _TERMS or word == "A")
        ):
            return True
    return False


def with_values(text: str, values: Mapping[str, str]) -> str:
    """Bind the variables ``values`` (name without ``?`` → a term's SPARQL text) as the
    embedded store does (it substitutes them everywhere): one ``VALUES`` row at the start of
    the query's pattern, and of every group inside it that uses them (a group's filters see
    only its own bindings), but for ``EXISTS`` patterns, which see the solution they test.
    ``CONSTRUCT WHERE { T }`` becomes ``CONSTRUCT { T } WHERE { VALUES … T }``.

    >>> with_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": "<urn:s>"})
    'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<urn:s>) } ?s ?p ?o }'
    >>> with_values("SELECT ?x { { SELECT ?x { ?x ?p 1 } } }", {"x": "<urn:x>"})
    'SELECT ?x { VALUES (?x) { (<urn:x>) } { SELECT ?x { VALUES (?x) { (<urn:x>) } ?x ?p 1 } } }'
    """
    if not values:
        return text
    code = _code(text, "query")
    start = _pattern_start(code)
    if start is None:
        raise QueryError("cannot bind values: the query has no WHERE pattern")

    def block(names: Sequence[str]) -> str:
        row = " ".join(values[n] for n in names)
        return f" VALUES ({' '.join(f'?{n}' for n in names)}) {{ ({row}) }}"

    edits: list[tuple[int, int, str]] = [
        (_end(code[start]), _end(code[start]), block(list(values)))
    ]
    for i in range(start + 1, len(code)):
        tok = code[i]
        if tok.text != "{" or tok.kind != "punct":
            continue
        if i + 1 < len(code) and code[i + 1].upper == "SELECT":
            continue  # a subquery's braces: its own WHERE gets the row
        if code[i - 1].upper == "EXISTS":
            continue  # sees the bindings of the solution it tests (Virtuoso errs if bound again)
        if _opens_values_data(code, i):
            continue
        inside = {t.text[1:] for t in code[i : _closing(code, i)] if t.kind == "var"}
        used = [n for n in values if n in inside]
        if used:
            edits.append((_end(tok), _end(tok), block(used)))
    form = next(i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS)
    if code[form].upper == "CONSTRUCT" and code[form + 1].upper == "WHERE":
        close = _closing(code, start)
        template = text[code[start].start : _end(code[close])]
        head = text[: code[form + 1].start]
        return f"{head}{template} WHERE {{" + _splice(text, edits)[_end(code[start]) :]
    return _splice(text, edits)


def _opens_values_data(code: Sequence[Token], i: int) -> bool:
    """Whether the ``{`` at ``i`` opens the data of a ``VALUES`` block."""
    j = i - 1
    while j >= 0 and (code[j].kind == "var" or code[j].text in "()"):
        j -= 1
    return j >= 0 and code[j].upper == "VALUES"


def without_values_data(text: str, kind: str) -> str:
    """``text`` with the data of every ``VALUES`` block taken out, for checking its syntax on
    an empty store: there nothing else makes rows, so the check costs little whatever the
    query asks (``VALUES`` rows multiplied together could take hours to count).

    >>> without_values_data("SELECT * { VALUES ?a { 1 2 } VALUES (?b ?c) { (1 2) } }", "query")
    'SELECT * { VALUES ?a {} VALUES (?b ?c) {} }'
    """
    code = _code(text, kind)
    edits = [
        (_end(tok), code[_closing(code, i)].start, "")
        for i, tok in enumerate(code)
        if tok.text == "{" and tok.kind == "punct" and _opens_values_data(code, i)
    ]
    return _splice(text, edits)


def with_term_tests(text: str, kind: str, genid: str) -> str:
    """``isBlank(x)`` also true, and ``isIRI(x)``/``isURI(x)`` false, for the stand-in IRIs
    of blank nodes (those under ``genid``).

    >>> with_term_tests("ASK { FILTER(isIRI(?x)) }", "query", "urn:g/")
    'ASK { FILTER((isIRI(?x) && !STRSTARTS(STR(?x), "urn:g/"))) }'
    """
    code = _code(text, kind)
    edits = []
    i = 0
    while i < len(code):
        tok = code[i]
        if (
            tok.kind == "word"
            and tok.upper in ("ISBLANK", "ISIRI", "ISURI")
            and i + 1 < len(code)
            and code[i + 1].text == "("
        ):
            close = _closing(code, i + 1)
            inner = with_term_tests(
                text[_end(code[i + 1]) : code[close].start], kind, genid
            ).strip()
            stand_in = f'STRSTARTS(STR({inner}), "{genid}")'
            if tok.upper == "ISBLANK":
                new = f"(isBlank({inner}) || (isIRI({inner}) && {stand_in}))"
            else:
                new = f"(isIRI({inner}) && !{stand_in})"
            edits.append((tok.start, _end(code[close]), new))
            i = close + 1
            continue
        i += 1
    return _splice(text, edits)


def _resolver(code: Sequence[Token], base: str | None) -> dict[str, str]:
    prefixes = dict(PREFIXES)
    for i, tok in enumerate(code[:-2]):
        if tok.upper == "PREFIX" and code[i + 1].kind == "pname" and code[i + 2].kind == "iri":
            iri = code[i + 2].value
            if base and not is_absolute_iri(iri):
                iri = urljoin(base, iri)
            prefixes[code[i + 1].text[:-1]] = iri
    return prefixes


def _iri_of(tok: Token, prefixes: Mapping[str, str]) -> str | None:
    if tok.kind == "iri":
        return tok.value
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        ns = prefixes.get(prefix)
        return None if ns is None else ns + local.replace("\\", "")
    return None


def with_stand_in_datatypes(
    text: str, kind: str, stand_ins: Mapping[str, str], base: str | None = None
) -> str:
    """Literals of a datatype in ``stand_ins`` written with its stand-in datatype.

    >>> with_stand_in_datatypes('ASK { ?s ?p "PT2H"^^xsd:duration }', "query",
    ...                         {"http://www.w3.org/2001/XMLSchema#duration": "urn:d"})
    'ASK { ?s ?p "PT2H"^^<urn:d> }'
    """
    if not stand_ins:
        return text
    code = _code(text, kind)
    prefixes = _resolver(code, base)
    edits = []
    for i, tok in enumerate(code[:-1]):
        if tok.text == "^^":
            iri = _iri_of(code[i + 1], prefixes)
            if iri is not None and iri in stand_ins:
                nxt = code[i + 1]
                edits.append((nxt.start, _end(nxt), f"<{stand_ins[iri]}>"))
    return _splice(text, edits)


def without_empty_graph_patterns(text: str, kind: str) -> str:
    """``GRAPH ?g {}`` as the graphs that hold a triple, ``GRAPH <g> {}`` as a test that
    ``<g>`` does, for servers that keep no empty graphs.

    >>> without_empty_graph_patterns("SELECT ?g { GRAPH ?g { } }", "query")
    'SELECT ?g { { SELECT ?g WHERE { GRAPH ?g { ?cg_s0 ?cg_p0 ?cg_o0 } } GROUP BY ?g } }'
    """
    code = _code(text, kind)
    edits = []
    n = 0
    for i, tok in enumerate(code[:-3]):
        if (
            tok.kind == "word"
            and tok.upper == "GRAPH"
            and code[i + 2].text == "{"
            and code[i + 3].text == "}"
        ):
            target = code[i + 1]
            triple = f"?cg_s{n} ?cg_p{n} ?cg_o{n}"
            n += 1
            if target.kind == "var":
                new = (
                    f"{{ SELECT {target.text} WHERE "
                    f"{{ GRAPH {target.text} {{ {triple} }} }} GROUP BY {target.text} }}"
                )
            elif target.kind in ("iri", "pname"):
                new = f"FILTER EXISTS {{ GRAPH {target.text} {{ {triple} }} }}"
            else:
                continue
            edits.append((tok.start, _end(code[i + 3]), new))
    return _splice(text, edits)


def without_from(text: str) -> str:
    """The query without its ``FROM`` and ``FROM NAMED`` clauses.

    >>> without_from("SELECT * FROM <urn:a> FROM NAMED <urn:b> WHERE { ?s ?p ?o }")
    'SELECT *   WHERE { ?s ?p ?o }'
    """
    code = _code(text, "query")
    start = _pattern_start(code)
    stop = len(code) if start is None else start
    edits = []
    i = 0
    while i < stop:
        if code[i].kind == "word" and code[i].upper == "FROM":
            j = i + 2 if i + 1 < stop and code[i + 1].upper == "NAMED" else i + 1
            edits.append((code[i].start, _end(code[j]), ""))
            i = j + 1
            continue
        i += 1
    return _splice(text, edits)


def construct_as_select(text: str) -> tuple[str, str]:
    """A CONSTRUCT query as the SELECT of its solutions and the template that builds its
    triples from them: ``(select, template)``, where ``template`` is the query's prologue and
    ``CONSTRUCT { … }``, to be completed with ``WHERE { VALUES … }``.

    >>> select, template = construct_as_select("CONSTRUCT { ?s <urn:p> ?o } WHERE { ?s ?q ?o }")
    >>> select, template
    ('SELECT ?s ?o WHERE { ?s ?q ?o }', 'CONSTRUCT { ?s <urn:p> ?o }')
    """
    code = _code(text, "query")
    form = next(i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS)
    head = text[: code[form].start]
    if code[form + 1].upper == "WHERE":
        open_, close = form + 2, _closing(code, form + 2)
        rest = text[code[form + 1].start :]
    else:
        open_, close = form + 1, _closing(code, form + 1)
        rest = text[_end(code[close]) :].lstrip()
    names: list[str] = []
    for tok in code[open_ : close + 1]:
        if tok.kind == "var" and tok.text[1:] not in names:
            names.append(tok.text[1:])
    projection = " ".join(f"?{n}" for n in names) or "*"
    template = text[code[open_].start : _end(code[close])]
    return f"{head}SELECT {projection} {rest}", f"{head}CONSTRUCT {template}"


def ask_as_select(text: str) -> str:
    """An ASK query as a SELECT of at most one row (true when there is one).

    >>> ask_as_select("ASK { ?s ?p ?o }")
    'SELECT (1 AS ?cg_ask) { ?s ?p ?o } LIMIT 1'
    """
    code = _code(text, "query")
    form = next(i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS)
    out = text[: code[form].start] + "SELECT (1 AS ?cg_ask)" + text[_end(code[form]) :]
    start = _pattern_start(_code(out, "query"))
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
    if first.text == "(" and _closing(expr, 0) == len(expr) - 1:
        return _is_boolean(expr[1:-1])
    return (
        first.kind == "word"
        and first.upper in _BOOLEAN_CALLS
        and expr[1].text == "("
        and _closing(expr, 1) == len(expr) - 1
    )


def with_boolean_casts(text: str, kind: str) -> str:
    """Boolean expressions bound to a variable (``BIND``, ``(… AS ?v)``) cast to
    ``xsd:boolean``, for servers that give them as the integers 1 and 0 (Virtuoso).

    >>> with_boolean_casts("SELECT ?b { BIND (BOUND(?x) AS ?b) }", "query")
    'SELECT ?b { BIND (<http://www.w3.org/2001/XMLSchema#boolean>(BOUND(?x)) AS ?b) }'
    """
    code = _code(text, kind)
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
            start, end = expr[0].start, _end(expr[-1])
            cast = f"<{XSD}boolean>({text[start:end]})"
            edits.append((start, end, cast))
    return _splice(text, edits)


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
    code = _code(text, "query")
    start = _pattern_start(code)
    edits = []
    extra: dict[str, tuple[str, str]] = {}
    i = 0
    while i < len(code) - 1:
        if code[i].upper == "GROUP_CONCAT" and code[i + 1].text == "(":
            close = _closing(code, i + 1)
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
            expr = text[body[0].start : _end(body[cut - 1])]
            if cut == len(body):
                at = _end(body[-1])
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
                at = _end(code[close + 3])
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
    return _splice(text, edits), extra


def group_concat_variables(text: str) -> set[str]:
    """The variables a query binds to a ``GROUP_CONCAT``.

    >>> sorted(group_concat_variables('SELECT (GROUP_CONCAT(?x; separator=" ") AS ?all) {}'))
    ['all']
    """
    code = _code(text, "query")
    out = set()
    for i, tok in enumerate(code[:-1]):
        if tok.upper == "GROUP_CONCAT" and code[i + 1].text == "(":
            close = _closing(code, i + 1)
            if close + 2 < len(code) and code[close + 1].upper == "AS":
                out.add(code[close + 2].text[1:])
    return out


def with_data_bnodes(text: str, genid: str) -> str:
    """The blank nodes of ``INSERT DATA`` / ``DELETE DATA`` as fresh stand-in IRIs (one per
    label, new for each request), for servers that refuse blank nodes there.

    >>> out = with_data_bnodes("INSERT DATA { _:a <urn:p> _:a }", "urn:g/")
    >>> out.count("<urn:g/"), out.split()[3] == out.split()[5]
    (2, True)
    """
    code = _code(text, "update")
    fresh = uuid.uuid4().hex
    edits = []
    i = 0
    while i < len(code) - 1:
        if code[i].upper == "DATA" and code[i + 1].text == "{":
            close = _closing(code, i + 1)
            for tok in code[i + 1 : close]:
                if tok.kind == "bnode":
                    edits.append((tok.start, _end(tok), f"<{genid}{fresh}-{tok.text[2:]}>"))
            i = close
        i += 1
    return _splice(text, edits)


def with_silent_drops(text: str, exists: Callable[[str], bool]) -> str:
    """``DROP GRAPH <g>`` made ``SILENT`` where ``exists(g)``: for servers that refuse to drop
    a graph no one created with ``CREATE GRAPH`` although it holds triples (Virtuoso).  One
    that does not exist is still refused, as SPARQL says.

    >>> with_silent_drops("DROP GRAPH <urn:a> ; DROP GRAPH <urn:b>", lambda g: g == "urn:a")
    'DROP SILENT GRAPH <urn:a> ; DROP GRAPH <urn:b>'
    """
    code = _code(text, "update")
    edits = []
    for i, tok in enumerate(code[:-2]):
        if tok.upper == "DROP" and code[i + 1].upper == "GRAPH" and code[i + 2].kind == "iri":
            if exists(code[i + 2].value):
                edits.append((tok.start, _end(tok), "DROP SILENT"))
    return _splice(text, edits)


def with_graphs_listed(text: str, graphs: Sequence[str]) -> str:
    """``DROP``/``CLEAR`` of ``ALL`` or ``NAMED`` as one operation per graph of the store
    (``ALL`` also clears the default graph), so that they never reach a graph outside it.

    >>> with_graphs_listed("DROP SILENT ALL", ["urn:a"])
    'DROP SILENT GRAPH <urn:a> ; CLEAR SILENT DEFAULT'
    >>> with_graphs_listed("CLEAR NAMED", [])
    'INSERT DATA { }'
    """
    code = _code(text, "update")
    edits = []
    for i, tok in enumerate(code):
        if tok.kind != "word" or tok.upper not in ("DROP", "CLEAR"):
            continue
        j = i + 1
        silent = j < len(code) and code[j].upper == "SILENT"
        if silent:
            j += 1
        if j >= len(code) or code[j].upper not in ("ALL", "NAMED"):
            continue
        ops = [f"{tok.upper} SILENT GRAPH <{g}>" for g in graphs]
        if code[j].upper == "ALL":
            ops.append("CLEAR SILENT DEFAULT")
        if not ops:
            ops.append("INSERT DATA { }")  # NAMED, and no named graph: nothing to do
        edits.append((tok.start, _end(code[j]), " ; ".join(ops)))
    return _splice(text, edits)
