"""The ``/api`` blueprint: JSON for the browser page and for scripts.

Other modules add routes under ``/api`` with their own blueprints (``server/<name>_api.py``
exposing ``bp``; :func:`claimgraph.server.create_app` registers them).  Work that reads the
store runs in a query process under the time limit::

    from claimgraph.server.engine import current_engine
    current_engine().call(my_task, arg=...)   # def my_task(ctx: TaskContext, *, arg): ...

and errors are raised as :class:`~claimgraph.server.errors.HTTPProblem` or library
exceptions, which reach the client in the one JSON error shape.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from claimgraph.rdf import PREFIXES

from . import tasks
from .engine import current_engine

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/stats")
def stats() -> Response:
    """Counts: quads, graphs, batches, triples, distinct subjects and predicates, and
    instances per class."""
    return jsonify(current_engine().call(tasks.stats))


@bp.get("/prefixes")
def prefixes() -> Response:
    """The prefixes every query may use without declaring them."""
    return jsonify(PREFIXES)
