"""What a query or update may ask of the server, decided on its parse tree.

The server never fetches a URL or reads a file on a request's behalf.  pyoxigraph can reach
the network through ``SERVICE`` and ``LOAD``, and other engines fetch ``FROM <url>`` (rdflib
even reads ``file:`` IRIs), so these are refused by looking at the parsed request — rdflib's
SPARQL 1.1 grammar — never by matching text:

* ``SERVICE`` anywhere (also inside ``EXISTS``, sub-queries, updates' ``WHERE``);
* ``LOAD``;
* ``FROM``, ``FROM NAMED``, ``USING``, ``USING NAMED`` naming a graph the store does not hold
  (graphs it holds are read from the store, nothing is fetched).

The inspection also tells the protocol what it needs to know: whether an update has ``USING``
or ``WITH`` (a conflict with ``using-graph-uri``) and which graphs a request names.

>>> inspect_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }").service
True
>>> inspect_query("ASK FROM <http://example.org/g> {}").from_graphs
['http://example.org/g']
>>> inspect_update("LOAD <http://example.org/data.ttl>").load
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from claimgraph.errors import ForbiddenQuery, QueryError
from claimgraph.namespaces import PREFIXES


@dataclass
class Inspection:
    """What a parsed query or update asks for."""

    kind: str
    """``query`` or ``update``."""
    service: bool = False
    load: bool = False
    from_graphs: list[str] = field(default_factory=list)
    """IRIs named by FROM / FROM NAMED / USING / USING NAMED, absolute."""
    with_or_using: bool = False
    """An update operation has a WITH or USING clause."""
    graphs: set[str] | None = field(default_factory=set)
    """Named graphs an update can read or write (besides the default graph); None when it can
    reach any graph (``GRAPH ?g``, ``DROP ALL``, ``CLEAR NAMED`` …)."""

    def _graph(self, prologue: Any, term: Any) -> None:
        if self.graphs is None or isinstance(term, str) and term in ("DEFAULT", "default"):
            return
        if isinstance(term, Variable) or term in ("NAMED", "ALL"):
            self.graphs = None
            return
        self.graphs.add(_absolute(prologue, term))

    def refuse_remote(self, has_graph: Callable[[str], bool]) -> None:
        """Raise :class:`ForbiddenQuery` if the request would reach outside the store."""
        if self.service:
            raise ForbiddenQuery(
                "SERVICE is refused: this endpoint never calls other endpoints. Query the "
                "remote service yourself and load the data as a batch."
            )
        if self.load:
            raise ForbiddenQuery(
                "LOAD is refused: the server never fetches URLs or reads files. POST the data "
                "to /store (or run `claimgraph ingest`) instead."
            )
        missing = [g for g in self.from_graphs if not has_graph(g)]
        if missing:
            clause = "FROM/USING" if self.kind == "query" or self.with_or_using else "FROM"
            raise ForbiddenQuery(
                f"{clause} names graph(s) the store does not hold: "
                + ", ".join(f"<{g}>" for g in missing)
                + ". The server never fetches graphs; name a graph listed by /void or "
                "/store, or drop the clause to query the whole store."
            )


def _walk(node: Any) -> Iterable[Any]:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, str):
            stack.extend(list(item))


def _syntax_message(kind: str, error: Exception) -> str:
    text = str(error)
    return f"malformed {kind}: {text}"


def _prologue(decls: Any, base: str | None) -> Any:
    return translatePrologue(decls, base, initNs=PREFIXES)


def _absolute(prologue: Any, term: Any) -> str:
    if isinstance(term, CompValue) and term.name == "pname":
        try:
            return str(prologue.absolutize(term))
        except Exception as e:  # rdflib raises a bare Exception for unknown prefixes
            raise QueryError(f"malformed request: {e}") from e
    return str(prologue.absolutize(URIRef(str(term))) if prologue.base else term)


@lru_cache(maxsize=2048)
def inspect_query(text: str, base: str | None = None) -> Inspection:
    """Parse a SPARQL 1.1 query and report what it asks for; raise
    :class:`~claimgraph.errors.QueryError` with the parser's message if it is malformed."""
    try:
        parsed = parseQuery(text)
    except Exception as e:  # pyparsing.ParseException and friends
        raise QueryError(_syntax_message("query", e)) from e
    prologue = _prologue(parsed[0], base)
    found = Inspection("query")
    for node in _walk(parsed[1]):
        if not isinstance(node, CompValue):
            continue
        if node.name == "ServiceGraphPattern":
            found.service = True
        elif node.name == "DatasetClause":
            found.from_graphs.append(_absolute(prologue, _clause_iri(node)))
    return found


@lru_cache(maxsize=512)
def inspect_update(text: str, base: str | None = None) -> Inspection:
    """Parse a SPARQL 1.1 update and report what it asks for; raise
    :class:`~claimgraph.errors.QueryError` with the parser's message if it is malformed."""
    try:
        parsed = parseUpdate(text)
    except Exception as e:
        raise QueryError(_syntax_message("update", e)) from e
    found = Inspection("update")
    prologues = list(parsed.get("prologue") or [])
    requests = list(parsed.get("request") or [])
    prologue = None
    for i, op in enumerate(requests):
        if i < len(prologues):
            prologue = _prologue(prologues[i], base) if prologue is None else _merge(
                prologue, prologues[i])
        if prologue is None:
            prologue = _prologue([], base)
        for node in _walk(op):
            if not isinstance(node, CompValue):
                continue
            if node.name == "Load":
                found.load = True
            elif node.name == "ServiceGraphPattern":
                found.service = True
            elif node.name == "UsingClause":
                found.with_or_using = True
                found.from_graphs.append(_absolute(prologue, _clause_iri(node)))
            elif node.name == "Modify" and "withClause" in node:
                found.with_or_using = True
                found._graph(prologue, node["withClause"])
            if node.name in ("GraphGraphPattern", "QuadsNotTriples"):
                found._graph(prologue, node["term"])
            elif node.name in ("Clear", "Drop", "Create", "Load") and "graphiri" in node:
                found._graph(prologue, node["graphiri"])
            elif node.name in ("Add", "Move", "Copy"):
                for g in node["graph"]:
                    found._graph(prologue, g)
            elif node.name == "UsingClause":
                found._graph(prologue, _clause_iri(node))
    return found


def _clause_iri(node: CompValue) -> Any:
    return node["default"] if "default" in node else node["named"]


def _merge(prologue: Any, decls: Any) -> Any:
    for decl in decls or []:
        if isinstance(decl, CompValue) and decl.name == "PrefixDecl":
            prologue.bind(decl.prefix, prologue.absolutize(decl.iri))
        elif isinstance(decl, CompValue) and decl.name == "Base":
            prologue.base = prologue.absolutize(decl.iri)
    return prologue
