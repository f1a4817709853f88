"""claimgraph's SPARQL endpoint: a Flask app built by :func:`create_app`.

Routes: ``/sparql`` (SPARQL 1.1 Query and the Service Description), ``/update`` (SPARQL 1.1
Update, token), ``/store`` (Graph Store Protocol), ``/void``, ``/health``, ``/api/...`` and
the browser page at ``/``.  ``claimgraph serve`` runs it under gunicorn; see
``docs/server.md``.

>>> app = create_app({"store": ":memory:"})
>>> app.test_client().get("/health").json["status"]
'ok'
"""

from __future__ import annotations

import atexit
import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_cors import CORS

from . import engine as engine_mod
from . import errors, limits
from .export_api import EDGES, NODES
from .paging import TOTAL
from .result_cache import HIT, KeptAnswers
from .settings import Settings
from .tasks import ROW_LIMIT, ROWS, TRUNCATED

__all__ = ["Settings", "create_app"]

EXPOSED_HEADERS: list[str] = [
    TRUNCATED,
    ROW_LIMIT,
    ROWS,
    TOTAL,
    HIT,
    NODES,
    EDGES,
    "Link",
    "Location",
    "Content-Disposition",
    "Retry-After",
]
"""Every response header beyond CORS's safelisted ones that a client reads: row limits,
listing totals and pages, cache hits, export counts, a new resource's place, a download's
file name, when to try again after a 429.  CORS lets browser clients of other sites read
them (Access-Control-Expose-Headers)."""

BLUEPRINTS: list[str] = [
    "claimgraph.server.sparql",
    "claimgraph.server.gsp",
    "claimgraph.server.api",
    "claimgraph.server.pages",
]
"""Modules whose ``bp`` is registered, in order.  Modules named ``claimgraph.server.*_api``
are registered after these without being listed, so a new ``server/<name>_api.py`` needs
no edit here."""


def _api_modules() -> list[str]:
    found = [
        f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if m.name.endswith("_api")
    ]
    return sorted(m for m in found if m not in BLUEPRINTS)


def create_app(config: Mapping[str, Any] | Settings | None = None) -> Flask:
    """Build the app.  ``config`` holds settings by name (see
    :data:`claimgraph.server.settings.SETTINGS`); what it leaves out comes from
    ``CLAIMGRAPH_*`` variables, then the defaults."""
    settings = config if isinstance(config, Settings) else Settings.from_mapping(config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_request_bytes
    app.config["JSON_SORT_KEYS"] = False
    app.config["CLAIMGRAPH"] = settings
    engine = engine_mod.init_app(app, settings)
    atexit.register(engine.close)
    errors.init_app(app)
    limits.init_app(app, settings.max_request_bytes)
    origins = (
        [o.strip() for o in settings.cors_origins.split(",")]
        if settings.cors_origins != "*"
        else "*"
    )
    CORS(
        app,
        origins=origins,
        expose_headers=EXPOSED_HEADERS,
        allow_headers=["Authorization", "Content-Type", "Accept", "X-Claimgraph-Agent"],
        methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
    )
    for module in BLUEPRINTS + _api_modules():
        app.register_blueprint(importlib.import_module(module).bp)
    app.wsgi_app = KeptAnswers(app.wsgi_app, app)  # type: ignore[method-assign]
    return app
