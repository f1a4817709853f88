"""Read tasks evaluated in query processes (see :mod:`claimgraph.server.workers`).

Each task is ``f(ctx, **kwargs)``: it reads the store through ``ctx.reading()``, sends the
response's status, content type and headers with ``ctx.meta(...)`` and writes the body to
``ctx.writer``.  Errors are raised as :class:`~claimgraph.server.errors.HTTPProblem` or
library exceptions and reach the client as one error response.

Row limit: a SELECT's solutions (or a CONSTRUCT's triples) are pulled up to ``max_rows + 1``
before anything is serialised, so the response headers can say whether rows were cut
(``Claimgraph-Truncated: true``, ``Claimgraph-Row-Limit``).  The kept solutions are written
as SPARQL TSV (RDF terms in their N-Triples form, which round-trips exactly) and re-read by
pyoxigraph, whose serialisers then write JSON, XML, CSV or TSV.
"""

from __future__ import annotations

from itertools import islice
from typing import IO, Any, cast

import pyoxigraph as ox

from claimgraph.errors import QueryError, syntax_message
from claimgraph.rdf import META_GRAPH, PREFIXES
from claimgraph.sparql import checked_query

from .errors import HTTPProblem
from .negotiation import Format, choose, offered
from .workers import WorkerContext

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


def _dataset_kwargs(
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    union: bool,
    has_from: bool,
) -> dict[str, Any]:
    if default_graphs is not None or named_graphs is not None:
        # the protocol's dataset replaces any FROM / FROM NAMED of the query
        return {
            "default_graph": [ox.NamedNode(g) for g in default_graphs or []],
            "named_graphs": [ox.NamedNode(g) for g in named_graphs or []],
        }
    if has_from:
        return {}
    return {"use_default_graph_as_union": True} if union else {}


def run_query(
    ctx: WorkerContext,
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
    with ctx.reading() as store:
        inspection.refuse_remote(store.has_graph)
        kwargs = _dataset_kwargs(default_graphs, named_graphs, union, bool(inspection.from_graphs))
        try:
            result = store.raw.query(text, base_iri=base_iri, prefixes=PREFIXES, **kwargs)
        except SyntaxError as e:
            raise QueryError(syntax_message("query", text, str(e))) from e
        except OSError as e:
            raise HTTPProblem(503, f"the store could not evaluate the query: {e}") from e
        write_result(ctx, result, accept=accept, format=format, max_rows=max_rows)


def write_result(
    ctx: WorkerContext,
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    *,
    accept: str | None,
    format: str | None,
    max_rows: int,
) -> None:
    """Serialise a pyoxigraph query result in the negotiated format, cut at ``max_rows``."""
    headers = {"Vary": "Accept"}
    if isinstance(result, ox.QueryBoolean):
        fmt = _negotiate("tabular", accept, format)
        ctx.meta(content_type=fmt.content_type, headers=headers)
        assert isinstance(fmt.oxformat, ox.QueryResultsFormat)
        ctx.writer.write(result.serialize(format=fmt.oxformat) or b"")
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
        ctx.meta(content_type=fmt.content_type, headers=headers)
        if fmt.oxformat == ox.QueryResultsFormat.TSV:
            ctx.writer.write(tsv)
            return
        solutions = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        assert isinstance(solutions, ox.QuerySolutions)
        assert isinstance(fmt.oxformat, ox.QueryResultsFormat)
        solutions.serialize(cast(IO[bytes], ctx.writer), fmt.oxformat)
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
    ctx.meta(content_type=fmt.content_type, headers=headers)
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
    ctx: WorkerContext, triples: Any, fmt: Format, extra_prefixes: dict[str, str] | None = None
) -> None:
    oxformat = fmt.oxformat
    assert isinstance(oxformat, ox.RdfFormat)
    if oxformat.supports_datasets:
        triples = (ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    prefixes = (
        {**PREFIXES, **(extra_prefixes or {})}
        if oxformat in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
        else None
    )
    ox.serialize(triples, cast(IO[bytes], ctx.writer), oxformat, prefixes=prefixes)


def read_graph(
    ctx: WorkerContext,
    *,
    graph: str | None,
    accept: str | None = None,
    format: str | None = None,
    union: bool = True,
) -> None:
    """Write one graph (``None``: the default graph) in the negotiated RDF format; 404 if a
    named graph does not exist.  Streams: nothing is gathered in memory."""
    fmt = _negotiate("rdf", accept, format)
    with ctx.reading() as store:
        raw = store.raw
        if graph is not None:
            node: Any = ox.NamedNode(graph)
            if not raw.contains_named_graph(node):
                raise HTTPProblem(
                    404, f"no graph <{graph}> in the store; GET /void lists the graphs"
                )
        else:
            node = None if union else ox.DefaultGraph()
        ctx.meta(content_type=fmt.content_type, headers={"Vary": "Accept"})
        quads = raw.quads_for_pattern(None, None, None, node)
        _serialize_triples(ctx, (ox.Triple(q.subject, q.predicate, q.object) for q in quads), fmt)


def graph_exists(ctx: WorkerContext, *, graph: str | None) -> bool:
    """Whether a named graph exists (the default graph always does)."""
    if graph is None:
        return True
    with ctx.reading() as store:
        return bool(store.has_graph(graph))


def ping(ctx: WorkerContext) -> dict[str, Any]:
    """What /health reports: the store answers a query, and how many quads it holds."""
    with ctx.reading() as store:
        return {"quads": len(store), "graphs": len(store.graphs())}


def _count(raw: ox.Store, query: str) -> int:
    rows = raw.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        term = row[0]
        return int(term.value) if term is not None else 0
    return 0


def stats(ctx: WorkerContext) -> dict[str, Any]:
    """Counts for /api/stats: quads, graphs, batches, triples, subjects, predicates, and
    instances per class."""
    from claimgraph.stats import store_stats

    with ctx.reading() as store:
        s = store_stats(store)
        raw = store.raw
        out: dict[str, Any] = dict(s.as_dict())
        out["triples"] = _count(raw, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        out["subjects"] = _count(raw, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
        out["predicates"] = _count(raw, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
        return out


def void_description(
    ctx: WorkerContext, *, base: str, accept: str | None = None, format: str | None = None
) -> None:
    """Write the VoID description of the dataset, with counts, per batch graph too."""
    fmt = _negotiate("rdf", accept, format)
    with ctx.reading() as store:
        raw = store.raw
        triples = _void_triples(raw, base, store.graphs())
    ctx.meta(content_type=fmt.content_type, headers={"Vary": "Accept"})
    _serialize_triples(ctx, triples, fmt, {"void": VOID})


VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _void_triples(raw: ox.Store, base: str, graphs: list[str]) -> list[ox.Triple]:
    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def integer(v: int) -> ox.Literal:
        return ox.Literal(str(v), datatype=n(XSD + "integer"))

    ds = n(base + "void#dataset")
    out = [
        ox.Triple(ds, RDF_TYPE, n(VOID + "Dataset")),
        ox.Triple(ds, n(DCT + "title"), ox.Literal("claimgraph", language="en")),
        ox.Triple(
            ds,
            n(DCT + "description"),
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
        out.append(ox.Triple(ds, n(VOID + prop), integer(_count(raw, query))))
    rows = raw.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, ox.QuerySolutions)
    for i, row in enumerate(rows):
        part = n(f"{base}void#class-{i}")
        out += [
            ox.Triple(ds, n(VOID + "classPartition"), part),
            ox.Triple(part, n(VOID + "class"), row["c"]),
            ox.Triple(part, n(VOID + "entities"), integer(int(row["n"].value))),
        ]
    per_graph = raw.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(per_graph, ox.QuerySolutions)
    for row in per_graph:
        g = row["g"]
        if not isinstance(g, ox.NamedNode):
            continue
        out += [
            ox.Triple(ds, n(VOID + "subset"), g),
            ox.Triple(g, RDF_TYPE, n(VOID + "Dataset")),
            ox.Triple(g, n(VOID + "triples"), integer(int(row["n"].value))),
        ]
        if g.value == META_GRAPH:
            out.append(
                ox.Triple(
                    g,
                    n(DCT + "description"),
                    ox.Literal(
                        "Batch metadata: one PROV-O description per ingested batch.", language="en"
                    ),
                )
            )
    return out
