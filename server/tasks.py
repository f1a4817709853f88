"""Read tasks evaluated in query processes (see :mod:`claimgraph.server.workers`).

Each task is ``task(ctx, **kwargs)`` (:mod:`claimgraph.server.messages`): it reads the store
in a reading session (``with ctx.store.reading() as store:``), sends the response's content
type and headers with ``ctx.meta(...)`` and writes the body to ``ctx.output``.  Errors are
raised as :class:`~claimgraph.server.errors.HTTPProblem` or library exceptions and reach the
client as one error response.

Row limit: a SELECT's solutions (or a CONSTRUCT's triples) are pulled up to ``max_rows + 1``
before anything is serialised, so the response headers can say whether rows were cut
(``Claimgraph-Truncated: true``, ``Claimgraph-Row-Limit``).  The kept solutions are written
as SPARQL TSV (RDF terms in their N-Triples form, which round-trips exactly) and re-read by
pyoxigraph, whose serialisers then write JSON, XML, CSV or TSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import islice
from typing import IO, Any, cast

import pyoxigraph as ox

from claimgraph.errors import StoreError
from claimgraph.rdf import DCTERMS, META_GRAPH, PREFIXES, RDF_TYPE, XSD, term_int
from claimgraph.sparql import checked_query
from claimgraph.store import QueryResult, Store
from claimgraph.store.kept import kept

from .errors import HTTPProblem
from .messages import TaskContext
from .negotiation import Format, choose, offered

TRUNCATED = "Claimgraph-Truncated"
ROW_LIMIT = "Claimgraph-Row-Limit"
ROWS = "Claimgraph-Rows"


def _negotiate(kind: str, accept: str | None, format: str | None) -> Format:
    fmt = choose(kind, accept, format)
    if fmt is None:
        what = "SELECT and ASK results" if kind == "tabular" else "RDF"
        asked = f"format={format}" if format else f"Accept: {accept}"
        raise HTTPProblem(406, f"cannot serve {what} as {asked}; available: {offered(kind)}")
    return fmt


def run_query(
    ctx: TaskContext,
    *,
    query: str,
    base_iri: str | None = None,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    accept: str | None = None,
    format: str | None = None,
    max_rows: int = 100_000,
    union: bool = True,
) -> None:
    """Evaluate a SPARQL query and write the negotiated serialisation of its result.  The
    engine runs the query's canonical text, the one the safety check read."""
    text, inspection = checked_query(query, base=base_iri)
    if default_graphs is not None or named_graphs is not None:
        # the protocol's dataset replaces any FROM / FROM NAMED of the query
        default_graphs, named_graphs = default_graphs or [], named_graphs or []
    elif inspection.from_graphs:
        union = False  # the query's own FROM says
    with ctx.store.reading() as store:
        try:
            result = store.query(
                text,
                base_iri=base_iri,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                union=union,
            )
        except StoreError as e:
            raise HTTPProblem(
                503, f"the store could not evaluate the query: {e.__cause__ or e}"
            ) from e
        write_result(ctx, result, accept=accept, format=format, max_rows=max_rows)


def write_result(
    ctx: TaskContext,
    result: QueryResult,
    *,
    accept: str | None,
    format: str | None,
    max_rows: int,
    more_headers: Callable[[int, bool], Mapping[str, str]] | None = None,
) -> None:
    """Serialise a pyoxigraph query result in the negotiated format, cut at ``max_rows``;
    ``more_headers(rows, truncated)`` adds headers that depend on the cut (paging links)."""
    headers = {"Vary": "Accept"}
    if isinstance(result, ox.QueryBoolean):
        fmt = _negotiate("tabular", accept, format)
        ctx.meta(content_type=fmt.content_type, headers=headers, hold=True)
        ctx.output.write(result.serialize(format=fmt.results_format) or b"")
        return
    if isinstance(result, ox.QuerySolutions):
        fmt = _negotiate("tabular", accept, format)
        tsv, count, truncated = _limited_tsv(result, max_rows)
        headers.update(
            {
                ROWS: str(count),
                TRUNCATED: "true" if truncated else "false",
                ROW_LIMIT: str(max_rows),
            }
        )
        if more_headers is not None:
            headers.update(more_headers(count, truncated))
        ctx.meta(content_type=fmt.content_type, headers=headers, hold=True)
        if fmt.results_format == ox.QueryResultsFormat.TSV:
            ctx.output.write(tsv)
            return
        # TSV parses back into solutions (a boolean has no TSV form)
        ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(
            ctx.output, fmt.results_format
        )
        return
    fmt = _negotiate("rdf", accept, format)
    triples = list(islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    del triples[max_rows:]
    headers.update(
        {
            ROWS: str(len(triples)),
            TRUNCATED: "true" if truncated else "false",
            ROW_LIMIT: str(max_rows),
        }
    )
    if more_headers is not None:
        headers.update(more_headers(len(triples), truncated))
    ctx.meta(content_type=fmt.content_type, headers=headers, hold=True)
    _serialize_triples(ctx, triples, fmt)


class _Enough(Exception):
    """Raised by :class:`_LineBuffer` to stop a serialiser once it has enough lines."""


class _LineBuffer:
    """A binary sink that keeps at most ``limit`` lines, then stops the writer."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines = 0
        self.parts: list[bytes] = []
        self.full = False

    def write(self, b: bytes) -> int:
        data = bytes(b)
        n = data.count(b"\n")
        if self.lines + n > self.limit:
            keep = self.limit - self.lines
            cut = -1
            for _ in range(keep):
                cut = data.index(b"\n", cut + 1)
            self.parts.append(data[: cut + 1])
            self.lines = self.limit
            self.full = True
            raise _Enough
        self.parts.append(data)
        self.lines += n
        return len(data)

    def flush(self) -> None:
        pass


def _limited_tsv(result: ox.QuerySolutions, max_rows: int) -> tuple[bytes, int, bool]:
    """The first ``max_rows`` solutions as SPARQL TSV (serialised by pyoxigraph, one row per
    line), their number, and whether more were cut."""
    sink = _LineBuffer(max_rows + 2)  # header + max_rows rows + one more to detect the cut
    try:
        result.serialize(cast(IO[bytes], sink), ox.QueryResultsFormat.TSV)
    except _Enough:
        pass
    except OSError as e:
        if not sink.full:
            raise
        del e
    data = b"".join(sink.parts)
    if data and not data.endswith(b"\n"):
        data += b"\n"
    rows = max(0, data.count(b"\n") - 1)
    truncated = rows > max_rows
    if truncated:
        data = data[: _nth_newline(data, max_rows + 1) + 1]
        rows = max_rows
    return data, rows, truncated


def _nth_newline(data: bytes, n: int) -> int:
    pos = -1
    for _ in range(n):
        pos = data.index(b"\n", pos + 1)
    return pos


def _serialize_triples(
    ctx: TaskContext,
    triples: Iterable[ox.Triple],
    fmt: Format,
    extra_prefixes: dict[str, str] | None = None,
) -> None:
    oxformat = fmt.rdf_format
    data: Iterable[ox.Triple] | Iterable[ox.Quad] = triples
    if oxformat.supports_datasets:
        data = (ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    prefixes = (
        {**PREFIXES, **(extra_prefixes or {})}
        if oxformat in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
        else None
    )
    ox.serialize(data, ctx.output, oxformat, prefixes=prefixes)


def read_graph(
    ctx: TaskContext,
    *,
    graph: str | None,
    accept: str | None = None,
    format: str | None = None,
    union: bool = True,
) -> None:
    """Write one graph (``None``: the default graph) in the negotiated RDF format; 404 if a
    named graph does not exist.  Streams: nothing is gathered in memory."""
    fmt = _negotiate("rdf", accept, format)
    with ctx.store.reading() as store:
        if graph is not None and not store.has_graph(graph):
            raise HTTPProblem(404, f"no graph <{graph}> in the store; GET /void lists the graphs")
        ctx.meta(content_type=fmt.content_type, headers={"Vary": "Accept"})
        which = graph if graph is not None else None if union else ox.DefaultGraph()
        _serialize_triples(ctx, store.triples(which), fmt)


def ping(ctx: TaskContext) -> dict[str, int]:
    """What /health reports: the store answers a query, and how many quads it holds (counted
    once per store generation: counting reads every quad, seconds at 10M)."""
    with ctx.store.reading() as store:
        quads = kept(store, "quad count", lambda: len(store))
        return {"quads": quads, "graphs": len(store.graphs())}


def _count(store: Store, query: str) -> int:
    for row in store.select(query):
        return term_int(row[0]) or 0
    return 0


def stats(ctx: TaskContext) -> dict[str, Any]:
    """Counts for /api/stats: quads, graphs, batches, triples, subjects, predicates, and
    instances per class."""
    from claimgraph.stats import store_stats

    with ctx.store.reading() as store:
        out: dict[str, Any] = dict(store_stats(store).as_dict())
        out["triples"] = _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        out["subjects"] = _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
        out["predicates"] = _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
        return out


def void_description(
    ctx: TaskContext, *, base: str, accept: str | None = None, format: str | None = None
) -> None:
    """Write the VoID description of the dataset, with counts, per batch graph too."""
    fmt = _negotiate("rdf", accept, format)
    with ctx.store.reading() as store:
        triples = _void_triples(store, base)
    ctx.meta(content_type=fmt.content_type, headers={"Vary": "Accept"})
    _serialize_triples(ctx, triples, fmt, {"void": VOID})


VOID = "http://rdfs.org/ns/void#"
_TYPE = ox.NamedNode(RDF_TYPE)


def _void_triples(store: Store, base: str) -> list[ox.Triple]:
    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def integer(v: int) -> ox.Literal:
        return ox.Literal(str(v), datatype=n(XSD + "integer"))

    ds = n(base + "void#dataset")
    out = [
        ox.Triple(ds, _TYPE, n(VOID + "Dataset")),
        ox.Triple(ds, n(DCTERMS + "title"), ox.Literal("claimgraph", language="en")),
        ox.Triple(
            ds,
            n(DCTERMS + "description"),
            ox.Literal(
                "Actors, sources and claims in news about negotiations; one named graph per "
                "ingested batch.",
                language="en",
            ),
        ),
        ox.Triple(ds, n(VOID + "sparqlEndpoint"), n(base + "sparql")),
        ox.Triple(ds, n(VOID + "uriSpace"), ox.Literal("https://w3id.org/claimgraph/id/")),
        ox.Triple(ds, n(VOID + "vocabulary"), n("https://w3id.org/claimgraph/ns#")),
    ]
    for prop, query in [
        ("triples", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        ("distinctSubjects", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        ("properties", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        ("distinctObjects", "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        ("classes", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"),
        ("entities", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }"),
    ]:
        out.append(ox.Triple(ds, n(VOID + prop), integer(_count(store, query))))
    classes = store.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    for i, row in enumerate(classes):
        part = n(f"{base}void#class-{i}")
        out += [
            ox.Triple(ds, n(VOID + "classPartition"), part),
            ox.Triple(part, n(VOID + "class"), row["c"]),
            ox.Triple(part, n(VOID + "entities"), integer(term_int(row["n"]) or 0)),
        ]
    per_graph = store.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    for row in per_graph:
        g = row["g"]
        if not isinstance(g, ox.NamedNode):
            continue
        out += [
            ox.Triple(ds, n(VOID + "subset"), g),
            ox.Triple(g, _TYPE, n(VOID + "Dataset")),
            ox.Triple(g, n(VOID + "triples"), integer(term_int(row["n"]) or 0)),
        ]
        if g.value == META_GRAPH:
            out.append(
                ox.Triple(
                    g,
                    n(DCTERMS + "description"),
                    ox.Literal(
                        "Batch metadata: one PROV-O description per ingested batch.", language="en"
                    ),
                )
            )
    return out
