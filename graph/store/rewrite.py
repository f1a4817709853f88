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
* :func:`with_data_bnodes` gives the blank nodes of ``INSERT DATA`` fresh stand-in IRIs;
* :func:`with_graphs_listed` writes ``DROP ALL`` and the like as one operation per graph, so
  that a server's own graphs are never touched.

The changes whose answers claimgraph reshapes when they come back (a CONSTRUCT asked as a
SELECT, booleans cast, ``GROUP_CONCAT`` languages, ``DISTINCT`` over unbound values) are in
:mod:`claimgraph.store.reshape`; the token editing both use in :mod:`claimgraph.store.textedit`.
Both are importable from here, as before.

Nothing here adds a way to reach outside the store: the only IRIs added are claimgraph's own.

>>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"p": "<urn:p>"})
'SELECT ?x WHERE { VALUES (?p) { (<urn:p>) } ?x ?p ?o }'
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urljoin

from ..errors import QueryError
from ..rdf import PREFIXES
from ..sparql import Token
from ..sparql.text import is_absolute_iri
from .reshape import (
    ask_as_select,
    construct_as_select,
    group_concat_variables,
    with_boolean_casts,
    with_bound_distinct,
    with_group_concat_languages,
)
from .textedit import FORMS, closing, code_of, end_of, pattern_start, prologue, query_form, splice

__all__ = [
    "FORMS",
    "ask_as_select",
    "construct_as_select",
    "group_concat_variables",
    "prologue",
    "query_form",
    "uses_default_graph",
    "with_boolean_casts",
    "with_bound_distinct",
    "with_data_bnodes",
    "with_graphs_listed",
    "with_group_concat_languages",
    "with_silent_drops",
    "with_stand_in_datatypes",
    "with_term_tests",
    "with_values",
    "without_empty_graph_patterns",
    "without_from",
    "without_values_data",
]

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
    code = code_of(text, kind)
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
    code = code_of(text, "query")
    start = pattern_start(code)
    if start is None:
        raise QueryError("cannot bind values: the query has no WHERE pattern")

    def block(names: Sequence[str]) -> str:
        row = " ".join(values[n] for n in names)
        return f" VALUES ({' '.join(f'?{n}' for n in names)}) {{ ({row}) }}"

    edits: list[tuple[int, int, str]] = [
        (end_of(code[start]), end_of(code[start]), block(list(values)))
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
        inside = {t.text[1:] for t in code[i : closing(code, i)] if t.kind == "var"}
        used = [n for n in values if n in inside]
        if used:
            edits.append((end_of(tok), end_of(tok), block(used)))
    form = next(i for i, t in enumerate(code) if t.kind == "word" and t.upper in FORMS)
    if code[form].upper == "CONSTRUCT" and code[form + 1].upper == "WHERE":
        close = closing(code, start)
        template = text[code[start].start : end_of(code[close])]
        head = text[: code[form + 1].start]
        return f"{head}{template} WHERE {{" + splice(text, edits)[end_of(code[start]) :]
    return splice(text, edits)


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
    code = code_of(text, kind)
    edits = [
        (end_of(tok), code[closing(code, i)].start, "")
        for i, tok in enumerate(code)
        if tok.text == "{" and tok.kind == "punct" and _opens_values_data(code, i)
    ]
    return splice(text, edits)


def with_term_tests(text: str, kind: str, genid: str) -> str:
    """``isBlank(x)`` also true, and ``isIRI(x)``/``isURI(x)`` false, for the stand-in IRIs
    of blank nodes (those under ``genid``).

    >>> with_term_tests("ASK { FILTER(isIRI(?x)) }", "query", "urn:g/")
    'ASK { FILTER((isIRI(?x) && !STRSTARTS(STR(?x), "urn:g/"))) }'
    """
    code = code_of(text, kind)
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
            close = closing(code, i + 1)
            inner = with_term_tests(
                text[end_of(code[i + 1]) : code[close].start], kind, genid
            ).strip()
            stand_in = f'STRSTARTS(STR({inner}), "{genid}")'
            if tok.upper == "ISBLANK":
                new = f"(isBlank({inner}) || (isIRI({inner}) && {stand_in}))"
            else:
                new = f"(isIRI({inner}) && !{stand_in})"
            edits.append((tok.start, end_of(code[close]), new))
            i = close + 1
            continue
        i += 1
    return splice(text, edits)


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
    code = code_of(text, kind)
    prefixes = _resolver(code, base)
    edits = []
    for i, tok in enumerate(code[:-1]):
        if tok.text == "^^":
            iri = _iri_of(code[i + 1], prefixes)
            if iri is not None and iri in stand_ins:
                nxt = code[i + 1]
                edits.append((nxt.start, end_of(nxt), f"<{stand_ins[iri]}>"))
    return splice(text, edits)


def without_empty_graph_patterns(text: str, kind: str) -> str:
    """``GRAPH ?g {}`` as the graphs that hold a triple, ``GRAPH <g> {}`` as a test that
    ``<g>`` does, for servers that keep no empty graphs.

    >>> without_empty_graph_patterns("SELECT ?g { GRAPH ?g { } }", "query")
    'SELECT ?g { { SELECT ?g WHERE { GRAPH ?g { ?cg_s0 ?cg_p0 ?cg_o0 } } GROUP BY ?g } }'
    """
    code = code_of(text, kind)
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
            edits.append((tok.start, end_of(code[i + 3]), new))
    return splice(text, edits)


def without_from(text: str) -> str:
    """The query without its ``FROM`` and ``FROM NAMED`` clauses.

    >>> without_from("SELECT * FROM <urn:a> FROM NAMED <urn:b> WHERE { ?s ?p ?o }")
    'SELECT *   WHERE { ?s ?p ?o }'
    """
    code = code_of(text, "query")
    start = pattern_start(code)
    stop = len(code) if start is None else start
    edits = []
    i = 0
    while i < stop:
        if code[i].kind == "word" and code[i].upper == "FROM":
            j = i + 2 if i + 1 < stop and code[i + 1].upper == "NAMED" else i + 1
            edits.append((code[i].start, end_of(code[j]), ""))
            i = j + 1
            continue
        i += 1
    return splice(text, edits)


def with_data_bnodes(text: str, genid: str) -> str:
    """The blank nodes of ``INSERT DATA`` / ``DELETE DATA`` as fresh stand-in IRIs (one per
    label, new for each request), for servers that refuse blank nodes there.

    >>> out = with_data_bnodes("INSERT DATA { _:a <urn:p> _:a }", "urn:g/")
    >>> out.count("<urn:g/"), out.split()[3] == out.split()[5]
    (2, True)
    """
    code = code_of(text, "update")
    fresh = uuid.uuid4().hex
    edits = []
    i = 0
    while i < len(code) - 1:
        if code[i].upper == "DATA" and code[i + 1].text == "{":
            close = closing(code, i + 1)
            for tok in code[i + 1 : close]:
                if tok.kind == "bnode":
                    edits.append((tok.start, end_of(tok), f"<{genid}{fresh}-{tok.text[2:]}>"))
            i = close
        i += 1
    return splice(text, edits)


def with_silent_drops(text: str, exists: Callable[[str], bool]) -> str:
    """``DROP GRAPH <g>`` made ``SILENT`` where ``exists(g)``: for servers that refuse to drop
    a graph no one created with ``CREATE GRAPH`` although it holds triples (Virtuoso).  One
    that does not exist is still refused, as SPARQL says.

    >>> with_silent_drops("DROP GRAPH <urn:a> ; DROP GRAPH <urn:b>", lambda g: g == "urn:a")
    'DROP SILENT GRAPH <urn:a> ; DROP GRAPH <urn:b>'
    """
    code = code_of(text, "update")
    edits = []
    for i, tok in enumerate(code[:-2]):
        if tok.upper == "DROP" and code[i + 1].upper == "GRAPH" and code[i + 2].kind == "iri":
            if exists(code[i + 2].value):
                edits.append((tok.start, end_of(tok), "DROP SILENT"))
    return splice(text, edits)


def with_graphs_listed(text: str, graphs: Sequence[str]) -> str:
    """``DROP``/``CLEAR`` of ``ALL`` or ``NAMED`` as one operation per graph of the store
    (``ALL`` also clears the default graph), so that they never reach a graph outside it.

    >>> with_graphs_listed("DROP SILENT ALL", ["urn:a"])
    'DROP SILENT GRAPH <urn:a> ; CLEAR SILENT DEFAULT'
    >>> with_graphs_listed("CLEAR NAMED", [])
    'INSERT DATA { }'
    """
    code = code_of(text, "update")
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
        edits.append((tok.start, end_of(code[j]), " ; ".join(ops)))
    return splice(text, edits)
