"""Saved queries over HTTP: ``/api/queries`` lists them, ``/api/queries/NAME`` runs one.

``GET /api/queries``
    JSON: one object per saved query with its name, summary, description, tags, text and
    parameters (name, type, required, default, variable) - what the browser page needs to
    list the queries and build a form for each.
``GET /api/queries/NAME/definition``
    That one object alone (404 for an unknown query).
``GET /api/queries/NAME?param=value&...``
    The query's results, content-negotiated exactly like ``/sparql`` (SPARQL JSON, XML, CSV,
    TSV; ``format=`` overrides the Accept header), under the same time and row limits.  The
    values are bound as RDF terms (pyoxigraph substitutions), never spliced into the text.
    A missing required parameter, an unknown parameter or a malformed value is a 400 naming
    it; an unknown query a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from claimgraph.errors import NotFound, StoreError
from claimgraph.queries import SavedQuery, saved_queries
from claimgraph.statements import dataset, parse_standings

from .engine import current_engine
from .errors import HTTPProblem
from .messages import TaskContext
from .tasks import write_result

bp = Blueprint("queries_api", __name__, url_prefix="/api")

RESERVED = frozenset({"format", "include"})
"""Request parameters that are not query parameters (``format`` picks the result format)."""


def _saved(name: str) -> SavedQuery:
    """A shipped saved query by name; never a file path (the server reads no files for a
    request)."""
    registry = saved_queries()
    if name not in registry:
        raise NotFound(
            f"no saved query {name!r}; GET /api/queries lists them ({len(registry)} saved queries)"
        )
    return registry[name]


@bp.get("/queries")
def list_queries() -> Response:
    """Every saved query with its header and parameters."""
    return jsonify([{**q.describe(), "text": q.text} for q in saved_queries().values()])


@bp.get("/queries/<name>/definition")
def definition(name: str) -> Response:
    """One saved query's header, parameters and text."""
    saved = _saved(name)
    return jsonify({**saved.describe(), "text": saved.text})


@bp.get("/queries/<name>")
def run_query(name: str) -> Response:
    """Run saved query ``name`` with the request's parameters."""
    saved = _saved(name)
    values: dict[str, str] = {}
    for key in request.args:
        if key in RESERVED:
            continue
        given = request.args.getlist(key)
        if len(given) > 1:
            raise HTTPProblem(400, f"give parameter {key!r} once, not {len(given)} times")
        values[key] = given[0]
    saved.bindings(values)  # a missing or malformed parameter is a 400 before any work
    engine = current_engine()
    return engine.stream(
        evaluate,
        name=name,
        values=values,
        accept=request.headers.get("Accept"),
        format=request.args.get("format"),
        max_rows=engine.settings.max_rows,
        union=engine.settings.union_default_graph,
        standings=parse_standings(request.args.get("include")),
    )


def evaluate(
    ctx: TaskContext,
    *,
    name: str,
    values: dict[str, str],
    accept: str | None = None,
    format: str | None = None,
    max_rows: int = 100_000,
    union: bool = True,
    standings: tuple[str, ...] = ("evidenced",),
) -> None:
    """The task run in a query process: bind, evaluate (reading the statement graphs of
    ``standings``), write the negotiated result."""
    saved = _saved(name)
    bindings = saved.bindings(values)
    with ctx.store.reading() as store:
        graphs = dataset(store, standings)
        try:
            result = store.query(
                saved.text,
                bindings=bindings,
                union=union,
                default_graphs=graphs,
                named_graphs=graphs,
            )
        except StoreError as e:
            raise HTTPProblem(
                503, f"the store could not evaluate the query: {e.__cause__ or e}"
            ) from e
        write_result(ctx, result, accept=accept, format=format, max_rows=max_rows)
