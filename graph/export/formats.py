"""The files a view is written to and read back from: GraphML, GEXF (Gephi), node-link JSON
(D3), Cytoscape.js JSON, DOT, a CSV edge list, and PNG/SVG pictures.

Writing and reading need only a networkx graph, never a store.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

from ..errors import UsageError
from ..rdf import compact, expand
from .drawing import KIND_STYLE, dot_graph, render
from .streamed import (
    gexf_streamable,
    streamable,
    write_cyjs,
    write_gexf,
    write_graphml,
    write_json,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "NETWORKX_WRITERS",
    "ExportFormat",
    "Output",
    "READERS",
    "WRITERS",
    "export_format",
    "read",
    "to_bytes",
    "write",
]


@dataclass(frozen=True)
class ExportFormat:
    """One output format: its name, media type, file extension and what reads it."""

    name: str
    media_type: str
    extension: str
    description: str
    picture: bool = False


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in [
        ExportFormat(
            "graphml",
            "application/graphml+xml",
            "graphml",
            "GraphML (networkx, yEd, Gephi, igraph), typed attribute keys",
        ),
        ExportFormat(
            "gexf",
            "application/gexf+xml",
            "gexf",
            "GEXF 1.2 for Gephi: typed attributes, node colours by kind",
        ),
        ExportFormat(
            "json",
            "application/json",
            "json",
            "node-link JSON (D3 force layouts; networkx.node_link_graph(edges='links'))",
        ),
        ExportFormat(
            "cyjs",
            "application/json",
            "cyjs",
            "Cytoscape.js / Cytoscape elements JSON (networkx.cytoscape_graph)",
        ),
        ExportFormat(
            "dot", "text/vnd.graphviz; charset=utf-8", "dot", "Graphviz DOT, styled by kind (pydot)"
        ),
        ExportFormat(
            "csv",
            "text/csv; charset=utf-8",
            "csv",
            "edge list with the labels and types of both ends",
        ),
        ExportFormat("svg", "image/svg+xml", "svg", "a picture drawn by Graphviz", picture=True),
        ExportFormat("png", "image/png", "png", "a picture drawn by Graphviz", picture=True),
    ]
}
"""Every format :func:`write` can produce, by name."""


def export_format(name: str) -> ExportFormat:
    """The format called ``name``; :class:`~claimgraph.errors.UsageError` naming the
    choices if there is none.

    >>> export_format("gexf").media_type
    'application/gexf+xml'
    """
    fmt = FORMATS.get(name)
    if fmt is None:
        raise UsageError(f"unknown format {name!r}: choose one of {', '.join(FORMATS)}")
    return fmt


Output = Union[str, "os.PathLike[str]", IO[bytes]]
"""Where :func:`write` writes: a path, or a binary file."""


def _open_output(output: Output) -> tuple[IO[bytes], bool]:
    """A binary file to write to, and whether the caller must close it (a path it opened)."""
    if hasattr(output, "write"):
        return output, False  # type: ignore[return-value]
    return open(output, "wb"), True  # noqa: SIM115 - closed by the caller


def write(
    graph: nx.MultiDiGraph, format: str, output: Output, *, layout: str | None = None
) -> None:
    """Write ``graph`` (from :func:`~claimgraph.export.build_graph`) in ``format`` (a key of
    :data:`FORMATS`) to a path or a binary file.

    >>> import io
    >>> from claimgraph.export import build_graph, example_triples
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> buf = io.BytesIO()
    >>> write(build_graph(store, "actors"), "csv", buf)
    >>> buf.getvalue().decode().splitlines()[1]
    'cgi:turkey,cgi:meeting,cg:mediator,mediator in,Turkey,cg:State,A meeting,cg:Meeting,e1,cited'
    """
    fmt = export_format(format)
    # a picture is drawn before the output is opened: when Graphviz fails, nothing is written
    picture = render(graph, format, layout=layout) if fmt.picture else None
    f, close = _open_output(output)
    try:
        if picture is not None:
            f.write(picture)
        else:
            WRITERS[format](graph, f)
    finally:
        if close:
            f.close()


def to_bytes(graph: nx.MultiDiGraph, format: str, *, layout: str | None = None) -> bytes:
    """:func:`write` into memory."""
    buf = io.BytesIO()
    write(graph, format, buf, layout=layout)
    return buf.getvalue()


def _key_id(name: str, scope: str, taken: set[str]) -> str:
    """A GraphML key id named after its attribute, as networkx's ``named_key_ids`` does, but
    unique: an attribute that nodes and edges both have (``label``) is declared as ``label``
    for the one met first and ``edge_label`` (or ``node_label``) for the other.  networkx's
    own named ids declare ``label`` twice, which GraphML forbids (ids are unique).

    >>> _key_id("label", "edge", {"label"})
    'edge_label'
    """
    key = name if name not in taken else f"{scope}_{name}"
    while key in taken:
        key += "_"
    return key


def _write_graphml(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    if streamable(g):
        write_graphml(g, f, _key_id)
    else:
        _graphml_networkx(g, f)


def _graphml_networkx(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    from networkx.readwrite.graphml import GraphMLWriter

    class UniqueKeyIds(GraphMLWriter):  # type: ignore[misc]
        """Key ids from :func:`_key_id`."""

        def get_key(self, name: str, attr_type: str, scope: str, default: object) -> str:
            if (name, attr_type, scope) not in self.keys:
                key = _key_id(name, scope, set(self.keys.values()))
                self.keys[(name, attr_type, scope)] = key
                element = self.myElement(
                    "key", id=key, **{"for": scope, "attr.name": name, "attr.type": attr_type}
                )
                if default is not None:
                    default_element = self.myElement("default")
                    default_element.text = str(default)
                    element.append(default_element)
                self.xml.insert(0, element)
            key_id: str = self.keys[(name, attr_type, scope)]
            return key_id

    writer = UniqueKeyIds(encoding="utf-8", named_key_ids=True, edge_id_from_attribute="id")
    writer.add_graph_element(g)
    writer.dump(f)


def _gexf_colour(hex_colour: str) -> dict[str, float]:
    """``#rrggbb`` as the red, green, blue and alpha values of a GEXF ``viz:color``."""
    h = hex_colour.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1.0}


def _gexf_viz(
    g: nx.MultiDiGraph,
) -> Callable[[str, dict[str, Any]], tuple[dict[str, float], float]]:
    """Gephi's node colour (by kind) and size (by degree, up to 20 edges)."""
    degree = g.degree

    def viz(k: str, data: dict[str, Any]) -> tuple[dict[str, float], float]:
        fill = KIND_STYLE.get(str(data.get("kind")), {}).get("fillcolor", "#ffffff")
        return _gexf_colour(fill), 10.0 + 2.0 * min(degree[k], 20)

    return viz


def _write_gexf(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    if gexf_streamable(g):
        write_gexf(g, f, _gexf_viz(g))
    else:
        _gexf_networkx(g, f)


def _gexf_networkx(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    import networkx as nx

    # Gephi reads node colours and sizes from viz:color / viz:size.  They are put on the
    # nodes only while writing (GraphML and JSON cannot hold these nested values).
    viz = _gexf_viz(g)
    try:
        for k, data in g.nodes(data=True):
            colour, size = viz(k, data)
            data["viz"] = {"color": colour, "size": size}
        nx.write_gexf(g, f, version="1.2draft")
    finally:
        for _, data in g.nodes(data=True):
            data.pop("viz", None)


def _write_json(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    if streamable(g):
        write_json(g, f)
    else:
        _json_networkx(g, f)


def _json_networkx(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    import networkx as nx

    data = nx.node_link_data(g, edges="links")
    f.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def _write_cyjs(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    if streamable(g):
        write_cyjs(g, f)
    else:
        _cyjs_networkx(g, f)


def _cyjs_networkx(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    import networkx as nx

    data = nx.cytoscape_data(g)
    data["data"] = dict(g.graph)  # Cytoscape.js reads an object here, not a list of pairs
    for node in data["elements"]["nodes"]:
        node["data"]["name"] = node["data"].get("label", node["data"]["name"])
        node["classes"] = str(node["data"].get("kind", ""))
    f.write(json.dumps(data, ensure_ascii=False).encode("utf-8"))


CSV_COLUMNS = (
    "source",
    "target",
    "predicate",
    "label",
    "source_label",
    "source_type",
    "target_label",
    "target_type",
    "id",
    "standing",
)
"""The columns of the CSV edge list: each edge with the label and type of both ends, and
its standing (evidenced, cited or judged; empty for an edge the view derives)."""


class _Utf8Writer:
    """A text sink over a binary file, for csv.writer (which only needs ``write``)."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f

    def write(self, text: str) -> int:
        self.f.write(text.encode("utf-8"))
        return len(text)


def _write_csv(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    w = csv.writer(_Utf8Writer(f), lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    nodes = g.nodes
    for u, v, key, d in g.edges(keys=True, data=True):
        w.writerow(
            (
                u,
                v,
                compact(str(d.get("predicate", key))),
                d.get("label", ""),
                nodes[u].get("label", ""),
                nodes[u].get("type", ""),
                nodes[v].get("label", ""),
                nodes[v].get("type", ""),
                d.get("id", ""),
                d.get("standing", ""),
            )
        )


def _write_dot(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    f.write(dot_graph(g, data=True).to_string().encode("utf-8"))


NETWORKX_WRITERS: dict[str, Callable[[nx.MultiDiGraph, IO[bytes]], None]] = {
    "graphml": _graphml_networkx,
    "gexf": _gexf_networkx,
    "json": _json_networkx,
    "cyjs": _cyjs_networkx,
}
"""The formats :mod:`~claimgraph.export.streamed` writes as they come, written the way
networkx does it (the whole document in memory first): for graphs those writers do not take,
and as the reference the tests compare them with."""

WRITERS: dict[str, Callable[[nx.MultiDiGraph, IO[bytes]], None]] = {
    "graphml": _write_graphml,
    "gexf": _write_gexf,
    "json": _write_json,
    "cyjs": _write_cyjs,
    "dot": _write_dot,
    "csv": _write_csv,
}
"""How :func:`write` writes each data format (pictures are drawn by
:func:`~claimgraph.export.drawing.render`)."""


def read(source: str | os.PathLike[str] | IO[bytes], format: str) -> nx.MultiDiGraph:
    """Load a file written by :func:`write` back into a networkx MultiDiGraph, with node
    ``label`` and ``type`` and edge ``predicate`` and ``label`` as they were.

    GraphML, GEXF, JSON and Cytoscape JSON are read with networkx's own readers; DOT with
    pydot (and its quoting undone); the CSV edge list with the csv module (nodes without
    edges are not in an edge list).

    >>> import io
    >>> from claimgraph.export import build_graph, example_triples
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> data = to_bytes(build_graph(store, "actors"), "gexf")
    >>> read(io.BytesIO(data), "gexf").nodes["cgi:turkey"]["type"]
    'cg:State'
    """
    if isinstance(source, (str, os.PathLike)):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
    reader = READERS.get(format)
    if reader is None:
        raise UsageError(
            f"cannot read {format!r}: choose one of "
            f"{', '.join(f for f in FORMATS if not FORMATS[f].picture)}"
        )
    return reader(raw)


def _read_graphml(raw: bytes) -> nx.MultiDiGraph:
    import networkx as nx

    g: nx.MultiDiGraph = nx.read_graphml(io.BytesIO(raw), force_multigraph=True)
    return g


def _read_gexf(raw: bytes) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.read_gexf(io.BytesIO(raw), version="1.2draft")
    if not g.is_multigraph():
        g = nx.MultiDiGraph(g)
    return g


def _read_json(raw: bytes) -> nx.MultiDiGraph:
    import networkx as nx

    g: nx.MultiDiGraph = nx.node_link_graph(json.loads(raw), edges="links")
    return g


def _read_cyjs(raw: bytes) -> nx.MultiDiGraph:
    import networkx as nx

    g: nx.MultiDiGraph = nx.cytoscape_graph(json.loads(raw))
    return g


def _dot_unquoted(value: str) -> str:
    """A DOT string as its value: outer quotes removed and escapes undone."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
        return re.sub(r'\\(["\\])', r"\1", value)
    return value


def _read_dot(raw: bytes) -> nx.MultiDiGraph:
    import networkx as nx
    import pydot

    parsed = pydot.graph_from_dot_data(raw.decode("utf-8"))
    if not parsed:
        raise UsageError("not a DOT graph")
    quoted = nx.nx_pydot.from_pydot(parsed[0])  # keys and values still in DOT quotes
    g = nx.MultiDiGraph()
    g.graph.update({k: _dot_unquoted(str(v)) for k, v in quoted.graph.get("graph", {}).items()})
    for n, d in quoted.nodes(data=True):
        if n in ("node", "graph", "edge"):
            continue
        g.add_node(
            _dot_unquoted(n), **{_dot_unquoted(k): _dot_unquoted(str(v)) for k, v in d.items()}
        )
    for u, v, k, d in quoted.edges(keys=True, data=True):
        g.add_edge(
            _dot_unquoted(u),
            _dot_unquoted(v),
            key=_dot_unquoted(str(k)),
            **{_dot_unquoted(a): _dot_unquoted(str(val)) for a, val in d.items()},
        )
    return g


def _read_csv(raw: bytes) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph()
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        for end in ("source", "target"):
            g.add_node(row[end], label=row[f"{end}_label"], type=row[f"{end}_type"])
        g.add_edge(
            row["source"],
            row["target"],
            key=row["predicate"],
            predicate=expand(row["predicate"]),
            label=row["label"],
            id=row["id"],
        )
    return g


READERS: dict[str, Callable[[bytes], nx.MultiDiGraph]] = {
    "graphml": _read_graphml,
    "gexf": _read_gexf,
    "json": _read_json,
    "cyjs": _read_cyjs,
    "dot": _read_dot,
    "csv": _read_csv,
}
"""How :func:`read` loads each data format (the content of a file) into networkx."""
