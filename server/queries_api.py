"""Saved queries over HTTP: ``/api/queries`` lists them, ``/api/queries/NAME`` runs one.

``GET /api/queries``
    JSON: one object per saved query with its name, summary, description, tags, page size,
    text and parameters (name, type, required, default, variable) - what the browser page
    needs to list the queries and build a form for each.  ``limit``/``offset`` page the list.
``GET /api/queries/NAME/definition``
    That one object alone (404 for an unknown query).
``GET /api/queries/NAME?param=value&...``
    The query's results, content-negotiated exactly like ``/sparql`` (SPARQL JSON, XML, CSV,
    TSV; ``format=`` overrides the Accept header), under the same time and row limits.  The
    values are bound as RDF terms (pyoxigraph substitutions), never spliced into the text.
    ``limit``/``offset``, or ``page`` as grlc pages (:mod:`claimgraph.server.paging`), choose
    the rows; a ``Link`` header points to the next and previous pages.  A missing required
    parameter, an unknown parameter or a malformed value is a 400 naming it; an unknown
    query a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from claimgraph.errors import NotFound, StoreError
from claimgraph.queries import SavedQuery, saved_queries
from claimgraph.saved_queries import RESERVED, Page
from claimgraph.statements import parse_standings

from .engine import current_engine
from .errors import HTTPProblem
from .messages import TaskContext
from .negotiation import format_param
from .paging import links, listing_headers, listing_page, requested_page, window
from .tasks import write_result

bp = Blueprint("queries_api", __name__, url_prefix="/api")


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
    every = list(saved_queries().values())
    page = listing_page()
    resp = jsonify([{**q.describe(), "text": q.text} for q in window(every, page)])
    resp.headers.update(listing_headers(len(every), page))
    return resp


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
    page = requested_page(saved.pagination)
    engine = current_engine()
    return engine.stream(
        evaluate,
        name=name,
        values=values,
        accept=request.headers.get("Accept"),
        format=format_param(request.args.getlist("format") + request.args.getlist("output")),
        max_rows=engine.settings.max_rows,
        union=engine.settings.union_default_graph,
        standings=parse_standings(request.args.get("include")),
        limit=page.limit,
        offset=page.offset,
        url=request.url,
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
    limit: int | None = None,
    offset: int = 0,
    url: str = "",
    standings: tuple[str, ...] = ("evidenced",),
) -> None:
    """The task run in a query process: bind, evaluate the rows asked for (never more than
    the row limit) from the statement graphs of ``standings``, write the negotiated result
    with its paging links."""
    saved = _saved(name)
    page = Page(limit, offset).capped(max_rows)
    assert page.limit is not None

    def paging(rows: int, truncated: bool) -> dict[str, str]:
        link = links(url, page, more=truncated)
        return {"Link": link} if link else {}

    with ctx.store.reading() as store:
        try:
            # one row more than the page: whether there is a next page
            result = saved.run(store, values, standings=standings, page=page.more(1), union=union)
        except StoreError as e:
            raise HTTPProblem(
                503, f"the store could not evaluate the query: {e.__cause__ or e}"
            ) from e
        write_result(
            ctx, result, accept=accept, format=format, max_rows=page.limit, more_headers=paging
        )
