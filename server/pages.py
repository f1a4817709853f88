"""The analysts' page at ``/``, the VoID description at ``/void`` and ``/health``."""

from __future__ import annotations

import time

from flask import Blueprint, Response, jsonify, render_template, request

from claimgraph.rdf import PREFIXES

from . import tasks
from .engine import current_engine
from .errors import HTTPProblem

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> str:
    """The SPARQL editor, saved queries, result table and graph view."""
    engine = current_engine()
    return render_template(
        "index.html",
        prefixes=PREFIXES,
        timeout=engine.settings.timeout,
        max_rows=engine.settings.max_rows,
        writable=engine.token is not None,
    )


@bp.get("/void")
def void() -> Response:
    """The VoID description of the dataset, with counts per class and per graph."""
    return current_engine().stream(
        tasks.void_description,
        base=request.url_root,
        accept=request.headers.get("Accept"),
        format=request.args.get("format"),
    )


@bp.get("/health")
def health() -> Response:
    """200 when a query process answers within 5 seconds, else 503."""
    started = time.monotonic()
    try:
        info = current_engine().call_own(5, tasks.ping)
    except HTTPProblem as e:
        resp = jsonify({"status": "unavailable", "detail": e.detail})
        resp.status_code = 503
        return resp
    return jsonify(
        {"status": "ok", **info, "latency_ms": round((time.monotonic() - started) * 1000, 1)}
    )
