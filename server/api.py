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

from claimgraph.rdf import PREFIXES, compact
from claimgraph.vocabulary import described_terms, superclasses

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


@bp.get("/vocabulary")
def vocabulary() -> Response:
    """The packaged ontology's classes, properties and individuals, each with its prefixed
    name, kind, label, definition and (for a class) superclasses: what the page's editor
    completes, and how its graph picks the most specific type of a node."""
    supers = superclasses()
    resp = jsonify(
        [
            {
                "name": compact(t.iri),
                "iri": t.iri,
                "kind": t.kind,
                "label": t.label,
                "comment": t.comment,
                "superclasses": sorted(compact(c) for c in supers.get(t.iri, ())),
            }
            for t in described_terms()
        ]
    )
    resp.cache_control.max_age = 3600
    return resp
