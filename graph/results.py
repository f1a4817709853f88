"""Query results in the formats people and tools read: SPARQL JSON/XML/CSV/TSV for
SELECT and ASK, RDF syntaxes for CONSTRUCT and DESCRIBE, and a plain text table."""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator

import pyoxigraph as ox

from .errors import UsageError
from .rdf import PREFIXES, compact
from .store import QueryResult

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
OUTPUT_FORMATS: tuple[str, ...] = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)


def serialize(result: QueryResult, format: str, *, hide: frozenset[str] = frozenset()) -> bytes:
    """Serialize a query result; ``table`` gives aligned text with compact IRIs, without the
    columns named in ``hide`` (a saved query's parameters, which it must project).

    >>> store = ox.Store()
    >>> serialize(store.query("ASK {}"), "json")
    b'{"head":{},"boolean":true}'
    """
    if format == "table":
        return render_table(result, hide=hide).encode("utf-8")
    if isinstance(result, ox.QueryTriples):
        if format not in GRAPH_FORMATS:
            raise UsageError(
                f"a CONSTRUCT or DESCRIBE result cannot be written as {format}; "
                f"use one of table, {', '.join(GRAPH_FORMATS)}"
            )
        prefixes = PREFIXES if format == "turtle" else None
        return ox.serialize(result, format=GRAPH_FORMATS[format], prefixes=prefixes) or b""
    if format not in RESULT_FORMATS:
        raise UsageError(
            f"a SELECT or ASK result cannot be written as {format}; "
            f"use one of table, {', '.join(RESULT_FORMATS)}"
        )
    return result.serialize(format=RESULT_FORMATS[format]) or b""


class _TsvRows(io.RawIOBase):
    """The solutions of a result as SPARQL TSV, without some columns, written as they are read
    (RDF terms in their N-Triples form, which escapes tabs and line breaks)."""

    def __init__(self, result: ox.QuerySolutions, keep: list[ox.Variable]) -> None:
        self.lines = self._lines(result, keep)
        self.pending = b""

    @staticmethod
    def _lines(result: ox.QuerySolutions, keep: list[ox.Variable]) -> Iterator[bytes]:
        yield ("\t".join(str(v) for v in keep) + "\n").encode("utf-8")
        for row in result:
            cells = (row[v] for v in keep)
            yield ("\t".join("" if t is None else str(t) for t in cells) + "\n").encode("utf-8")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            line = next(self.lines, None)
            if line is None:
                return 0
            self.pending = line
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def without_columns(result: ox.QuerySolutions, names: Collection[str]) -> ox.QuerySolutions:
    """The same solutions without the columns ``names``, read lazily as the result is.

    >>> r = ox.Store().query('SELECT ?a ?b WHERE { VALUES (?a ?b) { (1 "x\\ty") } }')
    >>> kept = without_columns(r, {"a"})
    >>> [v.value for v in kept.variables], [row["b"].value for row in kept]
    (['b'], ['x\\ty'])
    """
    keep = [v for v in result.variables if v.value not in names]
    parsed = ox.parse_query_results(
        io.BufferedReader(_TsvRows(result, keep)), ox.QueryResultsFormat.TSV
    )
    assert isinstance(parsed, ox.QuerySolutions)  # TSV has no boolean form
    return parsed


class KeptRows:
    """The rows of a SELECT result read whole, as SPARQL TSV lines (terms in their N-Triples
    form: a row read back is the row as it came), so that any window of them is a result
    again (:meth:`window`) without evaluating the query again.

    >>> r = ox.Store().query('SELECT ?a ?b WHERE { VALUES (?a ?b) { (1 "x") (2 "y") (3 "z") } }')
    >>> rows = KeptRows.read(r, hide={"a"}, most=1000)
    >>> len(rows), [row["b"].value for row in rows.window(1, 1)]
    (3, ['y'])
    >>> KeptRows.read(ox.Store().query("SELECT ?a { VALUES ?a { 1 2 } }"), most=4) is None
    True
    """

    def __init__(self, header: bytes, lines: list[bytes]) -> None:
        self.header = header
        self.lines = lines

    @classmethod
    def read(
        cls, result: ox.QuerySolutions, *, hide: Collection[str] = (), most: int
    ) -> KeptRows | None:
        """The rows of ``result`` without the columns ``hide``; None if they take more than
        ``most`` bytes (reading stops there)."""
        keep = [v for v in result.variables if v.value not in hide]
        lines = _TsvRows._lines(result, keep)
        header = next(lines)
        rows: list[bytes] = []
        size = len(header)
        for line in lines:
            size += len(line)
            if size > most:
                return None
            rows.append(line)
        return cls(header, rows)

    @property
    def size(self) -> int:
        """The bytes its rows take (as SPARQL TSV, with the header line)."""
        return len(self.header) + sum(len(line) for line in self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def window(self, offset: int = 0, limit: int | None = None) -> ox.QuerySolutions:
        """The rows ``offset`` to ``offset + limit`` (all after ``offset`` with None)."""
        end = None if limit is None else offset + limit
        body = b"".join([self.header, *self.lines[offset:end]])
        parsed = ox.parse_query_results(body, ox.QueryResultsFormat.TSV)
        assert isinstance(parsed, ox.QuerySolutions)  # TSV has no boolean form
        return parsed


def term_text(term: object) -> str:
    """A short human form of an RDF term: compact IRIs, bare literal values.

    >>> term_text(ox.NamedNode("https://w3id.org/claimgraph/id/russia"))
    'cgi:russia'
    >>> term_text(ox.Literal("Russia", language="en"))
    'Russia'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def render_table(result: QueryResult, *, hide: frozenset[str] = frozenset()) -> str:
    """A text table of a result, for people at a terminal; ``hide`` names columns left out."""
    if isinstance(result, ox.QueryBoolean):
        return ("yes" if bool(result) else "no") + "\n"
    if isinstance(result, ox.QueryTriples):
        header = ["subject", "predicate", "object"]
        rows = [[term_text(t.subject), term_text(t.predicate), term_text(t.object)] for t in result]
    else:
        shown = [v for v in result.variables if v.value not in hide]
        header = [v.value for v in shown]
        rows = [[term_text(s[v]) for v in shown] for s in result]
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        pairs = zip(cells, widths, strict=True)
        fitted = (c if len(c) <= w else c[: w - 1] + "…" for c, w in pairs)
        return "  ".join(c.ljust(w) for c, w in zip(fitted, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
