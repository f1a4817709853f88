"""Reading a SPARQL server's answers (:class:`claimgraph.store.remote.RemoteStore`): whole,
checked, and given back in the embedded store's shape.

A body that does not parse is an answer cut short: a :class:`~claimgraph.errors.StoreError`,
never a short result.  What :mod:`claimgraph.store.reshape` changed in a query is undone here:
columns renamed back and the stand-in for "unbound" made unbound again
(:func:`with_bound_distinct`), a ``GROUP_CONCAT`` given its language back
(:func:`with_languages`) or unbound where the server gave "" for no value, the triples of a
CONSTRUCT built from its solutions (:func:`construct`); terms are decoded
(:mod:`claimgraph.store.terms`: blank nodes and stand-in datatypes).

>>> boolean(True)
<QueryBoolean true>
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError, StoreError, syntax_message
from ..rdf import PREFIXES
from .client import Reply
from .interface import Term
from .rewrite import without_values_data
from .servers import UNBOUND, Server
from .terms import Codec, decoded_triples, solutions, triples_result
from .textedit import query_form

RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
}
RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_VIRTUOSO_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")


def solutions_of(
    reply: Reply,
    fmt: ox.QueryResultsFormat,
    form: str,
    *,
    server: Server,
    codec: Codec,
    url: str,
    unbound_if_empty: set[str] | frozenset[str] = frozenset(),
    languages: Mapping[str, tuple[str, str]] | None = None,
    renamed: Mapping[str, str] | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean:
    """The solutions (or boolean) of a SELECT or ASK answered by the server at ``url``:
    ``renamed`` columns given their names back with :data:`~claimgraph.store.servers.UNBOUND`
    as unbound, ``unbound_if_empty`` columns unbound where the server gave "", ``languages``
    as :func:`with_languages` takes them; terms decoded."""
    body = reply.body
    if server.bnode_labels_need_cleaning and b"<bnode>" in body:
        body = _VIRTUOSO_BNODE.sub(
            lambda m: b"<bnode>" + _clean_label(m.group(1)) + b"</bnode>", body
        )
    try:
        parsed = ox.parse_query_results(body, fmt)
        if isinstance(parsed, ox.QueryBoolean):
            if form != "ASK":
                raise StoreError("the server answered a SELECT with a boolean")
            return parsed
        variables = [v.value for v in parsed.variables]
        rows = [[row[v] for v in variables] for row in parsed]
    except (SyntaxError, ValueError, OSError) as e:
        raise StoreError(
            f"the answer of the SPARQL server at {url} is not valid SPARQL results "
            f"({e}); most likely it was cut short. It was not used"
        ) from None
    if form == "ASK":
        raise StoreError("the server answered an ASK query with solutions")
    if renamed:
        variables, rows = _with_unbound(variables, rows, renamed)
    empty = [i for i, v in enumerate(variables) if v in unbound_if_empty]
    for row in rows:
        for i in empty:
            t = row[i]
            if isinstance(t, ox.Literal) and t.value == "" and not t.language:
                row[i] = None
    if languages:
        variables, rows = with_languages(variables, rows, languages)
    elif not empty and not renamed and codec.is_plain(body):
        return ox.parse_query_results(body, fmt)
    decode = codec.decode
    return solutions(variables, ([None if t is None else decode(t) for t in row] for row in rows))


def _with_unbound(
    variables: list[str], rows: list[list[Term | None]], renamed: Mapping[str, str]
) -> tuple[list[str], list[list[Term | None]]]:
    """Columns given their names back, and the stand-in for "unbound" unbound: the IRI, or
    its text where the server made it a string (Virtuoso, when the column's other values are
    strings)."""
    at = [i for i, v in enumerate(variables) if v in renamed]
    for row in rows:
        for i in at:
            t = row[i]
            if isinstance(t, ox.NamedNode | ox.Literal) and t.value == UNBOUND:
                row[i] = None
    return [renamed.get(v, v) for v in variables], rows


def triples_of(reply: Reply, url: str, what: str) -> list[ox.Triple]:
    """The triples of an RDF answer (a CONSTRUCT, DESCRIBE or graph) of the server at
    ``url``."""
    fmt = RDF_FORMATS.get(reply.content_type)
    if fmt is None:
        raise StoreError(
            f"the SPARQL server at {url} answered the {what} as "
            f"{reply.content_type or 'nothing'}, not an RDF syntax claimgraph reads"
        )
    try:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(reply.body, fmt)]
    except (SyntaxError, ValueError, OSError) as e:
        raise StoreError(
            f"the answer of the SPARQL server at {url} to the {what} is not valid "
            f"RDF ({e}); most likely it was cut short. It was not used"
        ) from None


def graph_store_quads(
    stream: Iterator[Any], url: str, name: ox.NamedNode | ox.DefaultGraph | None, codec: Codec
) -> Iterator[ox.Quad]:
    """The quads of a Graph Store answer streamed from ``url`` (``stream`` yields its
    :class:`~claimgraph.store.client.Reply`, then its chunks; it is closed at the end): graph
    ``name``, or the whole dataset (None); nothing for a 404."""
    reply = next(stream)
    try:
        if reply.status == 404:
            return
        fmt = RDF_FORMATS.get(reply.content_type)
        if fmt is None:
            raise StoreError(
                f"the Graph Store at {url} answered with {reply.content_type}, not "
                "N-Triples or N-Quads"
            )
        for q in ox.parse(io.BufferedReader(ChunkReader(stream)), fmt):
            if name is not None:
                q = ox.Quad(q.subject, q.predicate, q.object, name)
            yield codec.decode_quad(q)
    except (SyntaxError, ValueError) as e:
        raise StoreError(
            f"the Graph Store at {url} sent invalid RDF ({e}); most likely it was cut short"
        ) from None
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


class ChunkReader(io.RawIOBase):
    """A binary file over the chunks of a streamed answer (after its :class:`Reply`)."""

    def __init__(self, chunks: Iterator[Any]) -> None:
        self._chunks = chunks
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def parsed_form(text: str, original: str, base_iri: str | None) -> str:
    """The form of a query that pyoxigraph's standard parser accepts; a
    :class:`QueryError` with its message otherwise."""
    try:  # evaluated on an empty store: without VALUES rows, it makes next to none
        ox.Store().query(without_values_data(text, "query"), base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as e:
        raise QueryError(syntax_message("query", original, str(e))) from None
    return query_form(text)


def parse_update(text: str, original: str, base_iri: str | None) -> None:
    """Refuse an update pyoxigraph's standard parser does not accept (it is run on an empty
    store: only a parse failure counts)."""
    try:
        ox.Store().update(without_values_data(text, "update"), base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as e:
        raise QueryError(syntax_message("update", original, str(e))) from None
    except (OSError, ValueError, RuntimeError):
        pass  # it parsed; the empty store could not run it (DROP of a graph it lacks, say)


def construct(
    template: str, rows: ox.QuerySolutions, codec: Codec, base_iri: str | None
) -> ox.QueryTriples:
    """The triples ``template`` (a CONSTRUCT without its WHERE) builds from ``rows``."""
    variables = [v.value for v in rows.variables]
    listed = [[row[v] for v in variables] for row in rows]
    local = ox.Store()
    block = ""
    if variables:
        # the rows as a VALUES block (encoded: blank nodes cannot stand in VALUES)
        lines = []
        for row in listed:
            cells = []
            for t in row:
                if t is None:
                    cells.append("UNDEF")
                elif isinstance(t, ox.BlankNode):
                    cells.append(str(codec.encode(t)))
                else:
                    cells.append(str(t))
            lines.append("(" + " ".join(cells) + ")")
        names = " ".join(f"?{v}" for v in variables)
        block = f"VALUES ({names}) {{ {' '.join(lines)} }}"
    elif not listed:
        return triples_result([])
    result = local.query(f"{template} WHERE {{ {block} }}", base_iri=base_iri, prefixes=PREFIXES)
    assert isinstance(result, ox.QueryTriples)
    return triples_result(decoded_triples(codec, result))


def with_languages(
    variables: list[str],
    rows: list[list[Term | None]],
    languages: Mapping[str, tuple[str, str]],
) -> tuple[list[str], list[list[Term | None]]]:
    """Each ``GROUP_CONCAT`` value given the language its values share, and the columns that
    said so taken out (see :func:`~claimgraph.store.reshape.with_group_concat_languages`)."""
    at = {v: i for i, v in enumerate(variables)}
    hidden = {at[c] for pair in languages.values() for c in pair if c in at}
    for row in rows:
        for var, (lang, langs) in languages.items():
            if var not in at or lang not in at or langs not in at:
                continue
            value, tag, count = row[at[var]], row[at[lang]], row[at[langs]]
            if (
                isinstance(value, ox.Literal)
                and not value.language
                and isinstance(tag, ox.Literal)
                and tag.value
                and isinstance(count, ox.Literal)
                and count.value == "1"
            ):
                row[at[var]] = ox.Literal(value.value, language=tag.value)
    keep = [i for i in range(len(variables)) if i not in hidden]
    return [variables[i] for i in keep], [[row[i] for i in keep] for row in rows]


def boolean(value: bool) -> ox.QueryBoolean:
    result = ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")
    assert isinstance(result, ox.QueryBoolean)
    return result


def _clean_label(label: bytes) -> bytes:
    """A server's blank node label made valid (``nodeID://b1`` → ``nodeID___b1``)."""
    return re.sub(rb"[^A-Za-z0-9_]", b"_", label) or b"b"
