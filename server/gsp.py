"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

Indirect identification: ``/store?graph=<iri>`` and ``/store?default``; direct identification:
``/store/<path>`` names the graph whose IRI is that URL.  GET and HEAD are open; PUT, POST and
DELETE need the token and, by default, pass the shapes and land as batches (see
:mod:`claimgraph.server.updates`).  ``POST /store`` with no graph creates a new batch and
answers 201 with its IRI in ``Location``.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from claimgraph.ingest import MEDIA_TYPES
from claimgraph.rdf import META_GRAPH

from . import tasks, updates
from .auth import require_token
from .engine import current_engine
from .errors import HTTPProblem

bp = Blueprint("gsp", __name__)

METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]


def _format_of(mimetype: str, filename: str | None = None) -> str:
    fmt: str | None = MEDIA_TYPES.get(mimetype.lower())
    if fmt is None and filename:
        from pathlib import Path

        from claimgraph.ingest import EXTENSIONS

        fmt = EXTENSIONS.get(Path(filename).suffix.lower())
    if fmt is None:
        accepted = ", ".join(sorted(MEDIA_TYPES))
        raise HTTPProblem(
            415,
            f"cannot read a body of type {mimetype or '(none)'}; send one "
            f"of: {accepted}, or multipart/form-data of those",
        )
    return fmt


def _body_parts() -> list[tuple[bytes, str]]:
    if request.mimetype == "multipart/form-data":
        parts = []
        for storage in request.files.values():
            parts.append((storage.read(), _format_of(storage.mimetype, storage.filename)))
        if not parts:
            raise HTTPProblem(400, "the multipart body holds no files")
        return parts
    fmt = _format_of(request.mimetype)
    data = request.get_data(cache=False)
    if not data.strip():
        raise HTTPProblem(400, "the request body is empty; send the graph's triples")
    return [(data, fmt)]


def _target(direct_path: str | None) -> tuple[str | None, bool]:
    """(graph IRI or None for the default graph, whether any graph was named)."""
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if direct_path is not None:
        if graphs or default:
            raise HTTPProblem(400, "a graph named by its URL takes no graph= or default parameter")
        return request.base_url, True
    if len(graphs) > 1:
        raise HTTPProblem(400, "give one graph= parameter")
    if graphs and default:
        raise HTTPProblem(400, "give graph= or default, not both")
    if graphs:
        if not graphs[0]:
            raise HTTPProblem(400, "graph= is empty; give the graph's IRI")
        return graphs[0], True
    return None, default


@bp.route("/store", methods=METHODS)
@bp.route("/store/<path:direct>", methods=METHODS)
def graph_store(direct: str | None = None) -> Response:
    """Read or write one graph."""
    engine = current_engine()
    settings = engine.settings
    graph, named = _target(direct)
    if request.method in ("GET", "HEAD"):
        if graph is not None:
            updates.check_graph_name(graph, writing=False)
        if not named:
            raise HTTPProblem(
                400,
                "name a graph: /store?graph=<iri> or /store?default (GET /void lists the graphs)",
            )
        return engine.stream(
            tasks.read_graph,
            graph=graph,
            accept=request.headers.get("Accept"),
            format=request.args.get("format"),
            union=settings.union_default_graph,
        )
    agent = require_token()
    if graph is not None:  # before the body is read
        updates.check_graph_name(graph)
        if graph == META_GRAPH:
            raise updates.refuse_metadata_graph(request.method)
    parts: list[tuple[bytes, str]] = [] if request.method == "DELETE" else _body_parts()
    result = engine.write(
        updates.write_graph,
        method=request.method,
        graph=graph,
        parts=parts,
        new_graph=request.method == "POST" and not named,
        validate=settings.validate_writes,
        union=settings.union_default_graph,
        agent=agent,
    )
    status = int(result.pop("status"))
    if status == 204:
        return Response(status=204)
    resp = jsonify(result)
    resp.status_code = status
    if status == 201 and result.get("graph"):
        resp.headers["Location"] = result["graph"]
    return resp
