"""Drawing a view: its DOT form styled by kind (with pydot), and pictures drawn from it by
Graphviz.  Needs only the networkx graph, never a store."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..rdf import CG, compact

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "EDGE_COLOURS",
    "GRAPHVIZ_TIMEOUT",
    "KIND_STYLE",
    "LAYOUTS",
    "VIEW_TITLES",
    "dot_graph",
    "render",
]

KIND_STYLE: dict[str, dict[str, str]] = {
    "actor": {"shape": "box", "style": "rounded,filled", "fillcolor": "#cfe2f3"},
    "event": {"shape": "ellipse", "style": "filled", "fillcolor": "#fce5cd"},
    "claim": {"shape": "note", "style": "filled", "fillcolor": "#fff2cc"},
    "report": {"shape": "box", "style": "filled", "fillcolor": "#eeeeee"},
    "article": {"shape": "folder", "style": "filled", "fillcolor": "#d9ead3"},
    "place": {"shape": "house", "style": "filled", "fillcolor": "#ead1dc"},
    "topic": {"shape": "tab", "style": "filled", "fillcolor": "#d0e0e3"},
    "participation": {"shape": "point"},
    "evidence": {"shape": "box", "style": "dashed"},
}
"""How each kind of node is drawn (Graphviz attributes); GEXF colours follow the fills."""

EDGE_COLOURS: dict[str, str] = {
    CG + "mediator": "#cc0000",
    CG + "host": "#38761d",
    CG + "party": "#1c4587",
    CG + "contradicts": "#cc0000",
    CG + "supports": "#38761d",
    CG + "denies": "#cc0000",
}
"""Edges drawn in colour: roles held in events, and relations between claims."""

VIEW_TITLES: dict[str, str] = {
    "actors": "Actors and events",
    "claims": "Claims and their sources",
    "full": "The whole graph",
    "provenance": "Provenance of ",
}
"""The title drawn above each view (the provenance view's is followed by its claim)."""

GRAPHVIZ_TIMEOUT = 120
"""Seconds Graphviz may take to draw one picture."""

LAYOUTS: dict[str, str] = {
    "provenance": "dot",
    "actors": "neato",
    "claims": "neato",
    "full": "sfdp",
}
"""The Graphviz program that lays out each view by default."""


def _wrap_label(text: str, width: int = 24) -> str:
    """A label broken into lines of about ``width`` characters, for pictures."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _dot_quoted(value: object) -> str:
    """A value as a DOT string: in double quotes, with backslashes and quotes escaped."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_graph(g: nx.MultiDiGraph, *, data: bool) -> Any:
    """A styled pydot graph of a view.  With ``data``, every attribute is kept (the DOT
    export); without, only what Graphviz draws (pictures)."""
    try:
        import pydot
    except ImportError as e:  # pragma: no cover - pydot is a dependency
        raise UsageError("DOT output needs pydot: pip install pydot") from e

    view = str(g.graph.get("view", ""))
    big = g.number_of_nodes() > 120
    dot = pydot.Dot(graph_type="digraph", strict=False)
    dot.set("charset", "UTF-8")
    dot.set("fontname", "DejaVu Sans")
    if view == "provenance":
        dot.set("rankdir", "RL")
        dot.set("nodesep", "0.3")
    else:
        dot.set("overlap", "prism")
        dot.set("overlap_scaling", "-6" if big else "-3")
        dot.set("sep", "+8")
        dot.set("splines", "true")
        dot.set("K", "1.2")
    dot.set("outputorder", "edgesfirst")
    dot.set("pad", "0.3")
    title = VIEW_TITLES.get(view, view)
    if view == "provenance":
        claim = g.graph.get("claim")
        if claim:
            title += g.nodes.get(compact(str(claim)), {}).get("label", compact(str(claim)))
    dot.set("label", _dot_quoted(title))
    dot.set("labelloc", "t")
    dot.set("fontsize", "18")
    dot.set_node_defaults(
        fontname="DejaVu Sans", fontsize="10" if big else "11", margin="0.08,0.04"
    )
    dot.set_edge_defaults(
        fontname="DejaVu Sans",
        fontsize="8" if big else "9",
        color="#777777",
        fontcolor="#444444",
        arrowsize="0.6",
    )
    for k, d in g.nodes(data=True):
        attrs: dict[str, Any] = dict(KIND_STYLE.get(str(d.get("kind")), {}))
        text = str(d.get("label", k))  # wrapped for pictures, exact in the DOT export
        attrs["label"] = _dot_quoted(text if data else _wrap_label(text, 22 if not big else 18))
        attrs["tooltip"] = _dot_quoted(f"{d.get('type', '')} {d.get('iri', k)}")
        if d.get("type") == "cg:AnonymousSource":
            attrs["style"] = "rounded,filled,dashed"
        if data:
            for a, v in d.items():
                if a != "label":
                    attrs[_dot_quoted(a) if not a.isidentifier() else a] = _dot_quoted(v)
        dot.add_node(pydot.Node(_dot_quoted(k), **attrs))
    show_edge_labels = g.number_of_edges() <= 160
    for u, v, key, d in g.edges(keys=True, data=True):
        attrs = {}
        colour = EDGE_COLOURS.get(str(d.get("predicate")))
        if colour:
            attrs.update(color=colour, fontcolor=colour, penwidth="1.6")
        if show_edge_labels:
            attrs["label"] = _dot_quoted(str(d.get("label", key)))
        if d.get("predicate") == CG + "contradicts":
            attrs["style"] = "dashed"
        if data:
            attrs["key"] = _dot_quoted(key)
            for a, val in d.items():
                if a != "label":
                    attrs[_dot_quoted(a) if not a.isidentifier() else a] = _dot_quoted(val)
            attrs.setdefault("label", _dot_quoted(str(d.get("label", key))))
        dot.add_edge(pydot.Edge(_dot_quoted(u), _dot_quoted(v), **attrs))
    return dot


def render(graph: nx.MultiDiGraph, format: str = "svg", *, layout: str | None = None) -> bytes:
    """Draw ``graph`` as SVG or PNG with Graphviz (the ``dot``/``neato``/``sfdp`` programs,
    Debian's ``graphviz`` package).  ``layout`` picks the program; by default ``dot`` for a
    provenance DAG, ``neato`` for actors and claims, ``sfdp`` for the full graph."""
    if format not in ("svg", "png"):
        raise UsageError(f"cannot draw {format!r}: choose svg or png")
    prog = layout or LAYOUTS.get(str(graph.graph.get("view")), "sfdp")
    exe = shutil.which(prog)
    if exe is None:
        raise UsageError(
            f"drawing needs Graphviz's {prog!r} program, which is not installed: "
            "apt-get install graphviz (scripts/run test installs it), or export --format dot"
        )
    source = dot_graph(graph, data=False).to_string().encode("utf-8")
    args = [exe, f"-T{format}"]
    if format == "png":
        args.append("-Gdpi=110")
    try:
        proc = subprocess.run(
            args, input=source, capture_output=True, timeout=GRAPHVIZ_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise UsageError(
            f"Graphviz took more than {GRAPHVIZ_TIMEOUT} s to draw {graph.number_of_nodes()} "
            "nodes: draw a smaller view, or export GEXF for Gephi"
        ) from e
    if proc.returncode != 0 or not proc.stdout:
        raise UsageError(f"Graphviz failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return bytes(proc.stdout)
