"""What a SPARQL request may ask of claimgraph, decided on the tokens of the text the engine runs.

Nothing claimgraph runs fetches a URL or reads a file on a request's behalf.  pyoxigraph reaches
the network through ``SERVICE`` and ``LOAD``, and other engines fetch ``FROM <url>``; so
:func:`checked_query` and :func:`checked_update` make the request's :func:`canonical
<claimgraph.sparql.text.canonical>` text, read *its* tokens, and refuse

* ``SERVICE`` and ``LOAD`` anywhere.  The test is deliberately wider than the grammar: any
  keyword-like token, or prefix of a prefixed name, that contains ``SERVICE`` or ``LOAD``
  (pyoxigraph reads ``SERVICE:x { … }`` as ``SERVICE :x { … }``);
* ``FROM``, ``FROM NAMED``, ``USING``, ``USING NAMED`` naming a graph the store does not hold.

The caller then runs the canonical text, never the original, so the check and the engine read
the same request.  The inspection also tells the protocol whether an update has ``USING`` or
``WITH`` and which graphs it can reach (a superset, for the update's scratch copy).

>>> text, found = checked_query("ASK FROM <http://example.org/g> {} # SERVICE")
>>> text, found.service, found.from_graphs
('ASK FROM <http://example.org/g> {} ', False, ['http://example.org/g'])
>>> checked_query("SELECT * { SERVICE<http://example.org/> { ?s ?p ?o } }")[1].service
True
>>> checked_update("PREFIX : <http://example.org/> LOAD:x")[1].load
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import urljoin

from claimgraph.errors import ForbiddenQuery
from claimgraph.rdf import PREFIXES

from .text import Token, canonical, is_absolute_iri, tokens

__all__ = [
    "Inspection",
    "checked_query",
    "checked_update",
    "refuse_engine_extensions",
    "refuse_remote",
    "safe_query",
    "safe_update",
]


@dataclass
class Inspection:
    """What a request asks for, read from the tokens of its canonical text."""

    kind: str
    """``query`` or ``update``."""
    service: bool = False
    load: bool = False
    from_graphs: list[str] = field(default_factory=list)
    """IRIs named by FROM / FROM NAMED / USING / USING NAMED, absolute."""
    with_or_using: bool = False
    """An update has a WITH or USING clause."""
    graphs: set[str] | None = field(default_factory=set)
    """Every IRI the request names (a superset of the named graphs an update can read or
    write); None when it can reach any graph (``GRAPH ?g``, ``DROP ALL``, ``CLEAR NAMED``)."""
    names: set[str] = field(default_factory=set)
    """Every absolute IRI the request names, wherever it stands."""

    def refuse_remote(self, has_graph: Callable[[str], bool]) -> None:
        """Raise :class:`~claimgraph.errors.ForbiddenQuery` if the request would reach
        outside the store."""
        refuse_remote(self, has_graph)


def refuse_remote(found: Inspection, has_graph: Callable[[str], bool]) -> None:
    """Raise :class:`~claimgraph.errors.ForbiddenQuery` if ``found`` reaches outside the
    store: SERVICE, LOAD, or a FROM/USING graph the store does not hold."""
    if found.service:
        raise ForbiddenQuery(
            "SERVICE is refused: claimgraph never calls other endpoints. Query the remote "
            "service yourself and load the data as a batch. (A prefix or word containing "
            "'service' reads as the keyword to some parsers: rename it.)"
        )
    if found.load:
        raise ForbiddenQuery(
            "LOAD is refused: claimgraph never fetches URLs or reads files. POST the data "
            "to /store (or run `claimgraph ingest`) instead. (A prefix or word containing "
            "'load' reads as the keyword to some parsers: rename it.)"
        )
    missing = [g for g in found.from_graphs if not has_graph(g)]
    if missing:
        clause = "FROM" if found.kind == "query" else "USING"
        raise ForbiddenQuery(
            f"{clause} names graph(s) the store does not hold: "
            + ", ".join(f"<{g}>" for g in missing)
            + ". claimgraph never fetches graphs; name a graph listed by /void or "
            "/store, or drop the clause to query the whole store."
        )


ENGINE_SCHEMES = ("bif:", "sql:")
"""IRI schemes some engines read as calls into themselves rather than as names: Virtuoso runs
``bif:`` built-ins and ``sql:`` stored procedures from SPARQL, some of which read files or
fetch URLs."""


def refuse_engine_extensions(found: Inspection) -> None:
    """Raise :class:`~claimgraph.errors.ForbiddenQuery` if ``found`` names an IRI that a
    remote engine would run as one of its own functions (:data:`ENGINE_SCHEMES`).

    >>> found = checked_query("SELECT (<bif:sin>(1) AS ?x) {}")[1]
    >>> refuse_engine_extensions(found)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimgraph.errors.ForbiddenQuery: <bif:sin> names a function of the SPARQL server itself...
    """
    for iri in sorted(found.names):
        if iri.lower().startswith(ENGINE_SCHEMES):
            raise ForbiddenQuery(
                f"<{iri}> names a function of the SPARQL server itself (bif:, sql:), which "
                "claimgraph never calls: use the standard SPARQL 1.1 functions"
            )


def _reaches_out(tok: Token) -> tuple[bool, bool]:
    """Whether a token could be read as SERVICE, LOAD by some SPARQL parser."""
    if tok.kind == "word":
        word = tok.upper
    elif tok.kind == "pname":
        word = tok.text.split(":", 1)[0].upper()
    elif tok.kind == "iri" and not is_absolute_iri(tok.value):
        word = tok.value.upper()  # `?a<?b&&SERVICE…>` is an operator to a parser
    else:
        return False, False
    return "SERVICE" in word, "LOAD" in word


class _Names:
    """Resolves IRIs and prefixed names as the request's prologue declares them."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.prefixes: dict[str, str] = dict(PREFIXES)

    def iri(self, tok: Token) -> str | None:
        if tok.kind == "iri":
            value = tok.value
            if self.base and not is_absolute_iri(value):
                return str(urljoin(self.base, value))
            return value
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            ns = self.prefixes.get(prefix)
            if ns is None:
                return None  # the engine refuses an undeclared prefix
            return ns + _unescape_local(local)
        return None


def _unescape_local(local: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(local):
        if local[i] == "\\" and i + 1 < len(local):
            out.append(local[i + 1])
            i += 2
        else:
            out.append(local[i])
            i += 1
    return "".join(out)


def _inspect(toks: Sequence[Token], kind: str, base: str | None) -> Inspection:
    found = Inspection(kind)
    names = _Names(base)
    code = [t for t in toks if t.kind not in ("ws", "comment")]
    skip: set[int] = set()
    for i, tok in enumerate(code):
        service, load = _reaches_out(tok)
        found.service |= service
        found.load |= load and kind == "update"
        nxt = code[i + 1] if i + 1 < len(code) else None
        after = code[i + 2] if i + 2 < len(code) else None
        word = tok.upper if tok.kind == "word" else ""
        if tok.kind in ("iri", "pname"):
            named = names.iri(tok)
            if named is not None and is_absolute_iri(named):
                found.names.add(named)
        if (
            word == "PREFIX"
            and nxt is not None
            and after is not None
            and nxt.kind == "pname"
            and after.kind == "iri"
        ):
            iri = names.iri(after)
            if iri is not None:
                names.prefixes[nxt.text[:-1]] = iri
            skip |= {i + 1, i + 2}
        elif word == "BASE" and nxt is not None and nxt.kind == "iri":
            names.base = names.iri(nxt)
            skip.add(i + 1)
        elif word in ("FROM", "USING"):
            found.with_or_using |= word == "USING"
            target = after if nxt is not None and nxt.upper == "NAMED" else nxt
            if target is not None:
                iri = names.iri(target)
                if iri is not None:
                    found.from_graphs.append(iri)
        elif word == "WITH":
            found.with_or_using = True
        elif (
            word == "ALL"
            or word == "NAMED"
            and i > 0
            and code[i - 1].upper not in ("FROM", "USING")
        ):
            found.graphs = None
        elif word == "GRAPH" and nxt is not None and nxt.kind == "var":
            found.graphs = None
        elif i not in skip and tok.kind in ("iri", "pname") and found.graphs is not None:
            iri = names.iri(tok)
            if iri is not None:
                found.graphs.add(iri)
    return found


def checked_query(text: str, *, base: str | None = None) -> tuple[str, Inspection]:
    """The canonical text of a SPARQL query and what it asks for; raise
    :class:`~claimgraph.errors.QueryError` if it cannot be lexed.  Run the returned text,
    never ``text``."""
    return _checked(text, "query", base)


def checked_update(text: str, *, base: str | None = None) -> tuple[str, Inspection]:
    """The canonical text of a SPARQL update and what it asks for (see
    :func:`checked_query`)."""
    return _checked(text, "update", base)


_REMEMBERED = 16 * 1024
"""Requests up to this size have their verdict remembered (a server sees the same queries
again and again; the engine's own check of the canonical text is then a lookup too)."""


def _checked(text: str, kind: str, base: str | None) -> tuple[str, Inspection]:
    if len(text) > _REMEMBERED:
        return _check(text, kind, base)
    clean, found = _check_remembered(text, kind, base)
    return clean, replace(
        found,
        from_graphs=list(found.from_graphs),
        graphs=set(found.graphs) if found.graphs is not None else None,
        names=set(found.names),
    )  # a copy: callers may change theirs


@lru_cache(maxsize=256)
def _check_remembered(text: str, kind: str, base: str | None) -> tuple[str, Inspection]:
    return _check(text, kind, base)


def _check(text: str, kind: str, base: str | None) -> tuple[str, Inspection]:
    clean = canonical(text, kind=kind)
    return clean, _inspect(tokens(clean, kind=kind), kind, base)


def safe_query(text: str, has_graph: Callable[[str], bool], *, base: str | None = None) -> str:
    """The canonical text of a query that stays inside the store; raise
    :class:`~claimgraph.errors.ForbiddenQuery` otherwise."""
    clean, found = checked_query(text, base=base)
    refuse_remote(found, has_graph)
    return clean


def safe_update(text: str, has_graph: Callable[[str], bool], *, base: str | None = None) -> str:
    """The canonical text of an update that stays inside the store (see :func:`safe_query`)."""
    clean, found = checked_update(text, base=base)
    refuse_remote(found, has_graph)
    return clean
