"""Exports over HTTP, the data behind the interactive graph view, and its page.

* ``GET /api/export/VIEW.FORMAT`` — a view (``full``, ``actors``, ``claims``,
  ``provenance``) as ``graphml``, ``gexf``, ``json`` (node-link), ``cyjs`` (Cytoscape.js),
  ``dot``, ``csv``, ``svg`` or ``png``; ``?claim=`` for the provenance view, ``?lang=`` for
  labels, ``?download=1`` for a ``Content-Disposition: attachment``.
* ``GET /api/export/node?iri=…`` — one node's facts, incoming links and claims (what the
  graph view shows on click).
* ``GET /api/stats/centrality`` — actor centrality, source diversity per claim, counts by
  kind and type (``claimgraph stats --centrality``).
* ``GET /graph`` — the interactive graph view (pan, zoom, click a node), offline.

The work runs in a query process under the server's time limit, like every store read.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from claimgraph.statements import parse_standings

from .engine import current_engine
from .errors import HTTPProblem
from .messages import TaskContext

bp = Blueprint("export_api", __name__)

NODES = "X-Claimgraph-Nodes"
EDGES = "X-Claimgraph-Edges"
"""The headers of an export that count its nodes and edges."""

VIEWS = ("full", "actors", "claims", "provenance")
FORMATS = ("graphml", "gexf", "json", "cyjs", "dot", "csv", "svg", "png")
LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _lang() -> str:
    lang = request.args.get("lang", "en")
    if not LANG.match(lang):
        raise HTTPProblem(400, f"lang={lang!r} is not a language tag: use e.g. en, de, uk")
    return lang


@bp.get("/api/export/<view>.<fmt>")
def export_view(view: str, fmt: str) -> Response:
    """One view in one format; ``?claim=`` (provenance), ``?lang=``, ``?download=1``."""
    if view not in VIEWS:
        raise HTTPProblem(404, f"no view {view!r}: use one of {', '.join(VIEWS)}")
    if fmt not in FORMATS:
        raise HTTPProblem(404, f"no format {fmt!r}: use one of {', '.join(FORMATS)}")
    claim = request.args.get("claim") or None
    if view == "provenance" and not claim:
        raise HTTPProblem(
            400,
            "the provenance view needs ?claim= with a claim's IRI, "
            "e.g. ?claim=cgi:claim-russian-demands-unrealistic",
        )
    return current_engine().stream(
        export_task,
        view=view,
        format=fmt,
        claim=claim,
        lang=_lang(),
        download=request.args.get("download") in ("1", "true", "yes"),
    )


def export_task(
    ctx: TaskContext, *, view: str, format: str, claim: str | None, lang: str, download: bool
) -> None:
    """Build the view in a query process and stream it in ``format``."""
    from claimgraph.export import FORMATS as EXPORT_FORMATS
    from claimgraph.export import build_graph, to_bytes, write

    with ctx.store.reading() as store:
        graph = build_graph(store, view, claim=claim, lang=lang)
    fmt = EXPORT_FORMATS[format]
    headers = {
        NODES: str(graph.number_of_nodes()),
        EDGES: str(graph.number_of_edges()),
    }
    if download:
        headers["Content-Disposition"] = f'attachment; filename="claimgraph-{view}.{fmt.extension}"'
    if fmt.picture:
        data = to_bytes(graph, format)  # draw first: a Graphviz error is a clean error reply
        ctx.meta(content_type=fmt.media_type, headers=headers)
        ctx.output.write(data)
        return
    ctx.meta(content_type=fmt.media_type, headers=headers)
    write(graph, format, ctx.output)


@bp.get("/api/export/node")
def node() -> Response:
    """``?iri=`` (an IRI, ``cgi:…`` or bare id): facts, incoming links and claims."""
    iri = request.args.get("iri")
    if not iri:
        raise HTTPProblem(400, "give ?iri= with a node's IRI, e.g. ?iri=cgi:turkey")
    return jsonify(current_engine().call(node_task, iri=iri, lang=_lang()))


def node_task(ctx: TaskContext, *, iri: str, lang: str) -> dict[str, Any]:
    """One node's facts, incoming links and claims (for ``/api/export/node``)."""
    from claimgraph.export import node_facts

    with ctx.store.reading() as store:
        facts: dict[str, Any] = node_facts(store, iri, lang=lang)
        return facts


@bp.get("/api/stats/centrality")
def centrality() -> Response:
    """Actor degree/betweenness centrality, source diversity per claim (``?include=`` adds
    the chains of cited or judged statements), counts by kind."""
    standings = parse_standings(request.args.get("include"))
    return jsonify(current_engine().call(centrality_task, lang=_lang(), standings=standings))


def centrality_task(
    ctx: TaskContext, *, lang: str, standings: tuple[str, ...] = ("evidenced",)
) -> dict[str, Any]:
    """Centrality and diversity measures (for ``/api/stats/centrality``)."""
    from claimgraph.export import graph_measures

    with ctx.store.reading() as store:
        measures: dict[str, Any] = graph_measures(store, lang=lang, standings=standings).as_dict()
        return measures


@bp.get("/graph")
def graph_page() -> str:
    """The interactive graph view."""
    return render_template("graphview.html", views=VIEWS)
