"""GraphML, GEXF, node-link JSON and Cytoscape.js JSON written as they are produced, node by node
and edge by edge, instead of building the whole document in memory first.

networkx's writers build an XML tree or a dict of the whole graph and serialise it at the end:
at a million triples that is 1–2 GiB above the graph itself.  These write the same bytes (the
tests compare them with networkx's writers on every view), holding one buffer of a few
thousand elements at a time.  They take the graphs :func:`~claimgraph.export.build_graph`
makes (a MultiDiGraph without ``id``, ``node_default`` or ``edge_default`` graph attributes);
:func:`~claimgraph.export.write` uses networkx's writers for any other graph.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

# ElementTree's own escaping, so that the bytes are the ones it writes
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "gexf_streamable",
    "streamable",
    "write_cyjs",
    "write_gexf",
    "write_graphml",
    "write_json",
]

_CHUNK = 2048
"""Elements joined into one write."""

_SCALARS = frozenset({str, int, float, bool, type(None)})
"""Values json writes without nesting."""

_GRAPHML_ROOT = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)


def streamable(g: Any) -> bool:
    """Whether the writers here give the bytes networkx's would for ``g``."""
    import networkx as nx

    return (
        isinstance(g, nx.MultiDiGraph)
        and bool(g.graph)  # a <graph> element with children
        and not {"id", "node_default", "edge_default"} & g.graph.keys()
    )


def _write_chunks(f: IO[bytes], parts: Iterable[str]) -> None:
    """Write ``parts`` in chunks of :data:`_CHUNK`, UTF-8 (characters UTF-8 cannot hold as
    character references, as ElementTree writes them)."""
    buf: list[str] = []
    for part in parts:
        buf.append(part)
        if len(buf) >= _CHUNK:
            f.write("".join(buf).encode("utf-8", "xmlcharrefreplace"))
            buf.clear()
    if buf:
        f.write("".join(buf).encode("utf-8", "xmlcharrefreplace"))


# ---------------------------------------------------------------------------- GraphML


def write_graphml(
    g: nx.MultiDiGraph, f: IO[bytes], key_id: Callable[[str, str, set[str]], str]
) -> None:
    """``g`` as GraphML, as networkx's ``GraphMLWriter`` (pretty-printed, edge ids from the
    ``id`` attribute) writes it.  ``key_id(name, scope, taken)`` names each attribute key
    the first time it is met (graph attributes, then nodes', then edges', in order).

    >>> import io, networkx as nx
    >>> g = nx.MultiDiGraph(view="x")
    >>> g.add_edge("a", "b", key="p", id="e1")
    'p'
    >>> buf = io.BytesIO()
    >>> write_graphml(g, buf, lambda name, scope, taken: name)
    >>> print(buf.getvalue().decode().split("<graph ")[1].rstrip())
    edgedefault="directed">
        <node id="a" />
        <node id="b" />
        <edge source="a" target="b" id="e1">
          <data key="id">e1</data>
        </edge>
        <data key="view">x</data>
      </graph>
    </graphml>
    """
    from networkx.readwrite.graphml import GraphMLWriter

    xml_type = GraphMLWriter().get_xml_type  # networkx's Python type -> GraphML type
    keys: dict[tuple[str, str, str], str] = {}
    declared: list[str] = []

    def key(name: str, value: Any, scope: str) -> str:
        found = (name, xml_type(type(value)), scope)
        k = keys.get(found)
        if k is None:
            k = keys[found] = key_id(name, scope, set(keys.values()))
            declared.append(
                f'\n  <key id="{_escape_attrib(k)}" for="{scope}" '
                f'attr.name="{_escape_attrib(name)}" attr.type="{found[1]}" />'
            )
        return k

    def data_tags(items: Iterable[dict[str, Any]], scope: str) -> dict[tuple[Any, type], str]:
        """The opening ``<data>`` tag of each (attribute, Python type) met, indented; the
        keys declared as they are first met."""
        tags: dict[tuple[Any, type], str] = {}
        for d in items:
            for a, v in d.items():
                if (a, type(v)) not in tags:
                    k = _escape_attrib(key(str(a), v, scope))
                    tags[(a, type(v))] = f'\n      <data key="{k}">'
        return tags

    # the keys are declared before the graph, in the reverse of the order they are first met
    graph_keys = [(key(str(a), v, "graph"), v) for a, v in g.graph.items()]
    node_tags = data_tags((d for _, d in g.nodes(data=True)), "node")
    edge_tags = data_tags((d for _, _, d in g.edges(data=True)), "edge")
    head = _GRAPHML_ROOT + "".join(reversed(declared)) + '\n  <graph edgedefault="directed">'
    _write_chunks(f, _graphml_body(g, head, node_tags, edge_tags, graph_keys))


def _graphml_data(d: dict[str, Any], tags: dict[tuple[Any, type], str]) -> str:
    return "".join(f"{tags[(a, type(v))]}{_escape_cdata(str(v))}</data>" for a, v in d.items())


def _graphml_body(
    g: nx.MultiDiGraph,
    head: str,
    node_tags: dict[tuple[Any, type], str],
    edge_tags: dict[tuple[Any, type], str],
    graph_keys: list[tuple[str, Any]],
) -> Iterator[str]:
    yield head
    for n, d in g.nodes(data=True):
        node = f'\n    <node id="{_escape_attrib(str(n))}"'
        if d:
            yield node + ">" + _graphml_data(d, node_tags) + "\n    </node>"
        else:
            yield node + " />"
    for u, v, k, d in g.edges(keys=True, data=True):
        edge_id = str(d["id"]) if "id" in d else str(k)
        edge = (
            f'\n    <edge source="{_escape_attrib(str(u))}" target="{_escape_attrib(str(v))}" '
            f'id="{_escape_attrib(edge_id)}"'
        )
        if d:
            yield edge + ">" + _graphml_data(d, edge_tags) + "\n    </edge>"
        else:
            yield edge + " />"
    for k, v in graph_keys:
        yield f'\n    <data key="{_escape_attrib(k)}">{_escape_cdata(str(v))}</data>'
    yield "\n  </graph>\n</graphml>\n"


# ---------------------------------------------------------------------------- JSON


def _items(parts: Iterator[str], indent: str | None, sep: str) -> Iterator[str]:
    """``[`` + ``parts`` joined by ``sep`` + ``]``, as json.dumps lays out a list at
    ``indent`` (None: on one line)."""
    first = next(parts, None)
    if first is None:
        yield "[]"
        return
    yield "[" + ("" if indent is None else indent + " ") + first
    for part in parts:
        yield sep + part
    yield "]" if indent is None else indent + "]"


def write_json(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    """``g`` as node-link JSON, as ``json.dumps(networkx.node_link_data(g, edges="links"),
    ensure_ascii=False, indent=1)`` writes it.

    >>> import io, networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="p")
    'p'
    >>> buf = io.BytesIO()
    >>> write_json(g, buf)
    >>> nx.node_link_graph(json.loads(buf.getvalue()), edges="links").has_edge("a", "b", "p")
    True
    """

    flat = json.JSONEncoder(ensure_ascii=False, separators=(",\n   ", ": ")).encode

    def dumps(x: dict[str, Any]) -> str:  # an item of a list at depth 2
        if x and all(type(v) in _SCALARS for v in x.values()):
            # what indent=1 lays out, from json's C encoder (the indenting one is Python's)
            return "{\n   " + flat(x)[1:-1] + "\n  }"
        return json.dumps(x, ensure_ascii=False, indent=1).replace("\n", "\n  ")

    head = json.dumps(
        {"directed": True, "multigraph": True, "graph": g.graph}, ensure_ascii=False, indent=1
    )
    nodes = (dumps({**d, "id": n}) for n, d in g.nodes(data=True))
    links = (
        dumps({**d, "source": u, "target": v, "key": k})
        for u, v, k, d in g.edges(keys=True, data=True)
    )

    def parts() -> Iterator[str]:
        yield head[:-2] + ',\n "nodes": '
        yield from _items(nodes, "\n ", ",\n  ")
        yield ',\n "links": '
        yield from _items(links, "\n ", ",\n  ")
        yield "\n}"

    _write_chunks(f, parts())


def write_cyjs(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    """``g`` as Cytoscape.js elements JSON: networkx's ``cytoscape_data`` with the graph's
    attributes as an object, each node's ``name`` its label and ``classes`` its kind.

    >>> import io, networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", kind="actor")
    >>> buf = io.BytesIO()
    >>> write_cyjs(g, buf)
    >>> node = json.loads(buf.getvalue())["elements"]["nodes"][0]
    >>> node["data"]["name"], node["classes"]
    ('A', 'actor')
    """

    def node(n: str, d: dict[str, Any]) -> str:
        data = d.copy()
        data["id"] = d.get("id") or str(n)
        data["value"] = n
        data["name"] = d.get("name") or str(n)
        data["name"] = data.get("label", data["name"])
        return json.dumps({"data": data, "classes": str(data.get("kind", ""))}, ensure_ascii=False)

    def edge(u: str, v: str, k: str, d: dict[str, Any]) -> str:
        data = d.copy()
        data["source"], data["target"], data["key"] = u, v, k
        return json.dumps({"data": data}, ensure_ascii=False)

    def parts() -> Iterator[str]:
        yield '{"data": ' + json.dumps(dict(g.graph), ensure_ascii=False)
        yield ', "directed": true, "multigraph": true, "elements": {"nodes": '
        yield from _items((node(n, d) for n, d in g.nodes(data=True)), None, ", ")
        yield ', "edges": '
        yield from _items((edge(*e) for e in g.edges(keys=True, data=True)), None, ", ")
        yield "}}"

    _write_chunks(f, parts())


# ---------------------------------------------------------------------------- GEXF

_GEXF_NODE_SPECIAL = frozenset({"id", "pid", "start", "end", "parents", "spells", "viz"})
_GEXF_EDGE_SPECIAL = frozenset({"weight", "type", "start", "end", "spells", "viz"})
"""Attributes networkx's GEXF writer turns into something else than an ``attvalue`` (besides a
node's ``label`` and an edge's ``id`` and ``label``, which the graphs of the views have)."""


def gexf_streamable(g: Any) -> bool:
    """Whether :func:`write_gexf` gives the bytes networkx's GEXF writer would for ``g``:
    a graph of the views (nodes, edges with an ``id``, plain values) without the attributes
    networkx treats specially (dynamic graphs, spells, parents, weights)."""
    if not streamable(g) or not g.number_of_nodes() or {"mode", "name"} & g.graph.keys():
        return False
    plain = (str, int, float, bool)
    for _, d in g.nodes(data=True):
        if _GEXF_NODE_SPECIAL & d.keys() or not all(type(v) in plain for v in d.values()):
            return False
    for _, _, d in g.edges(data=True):
        if "id" not in d or _GEXF_EDGE_SPECIAL & d.keys():
            return False
        if not all(type(v) in plain for v in d.values()):
            return False
    return True


def _gexf_value(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    text = str(v)
    if type(v) is float:
        text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
    return str(_escape_attrib(text))


def write_gexf(
    g: nx.MultiDiGraph,
    f: IO[bytes],
    viz: Callable[[str, dict[str, Any]], tuple[dict[str, float], float]],
) -> None:
    """``g`` (see :func:`gexf_streamable`) as GEXF 1.2, as networkx's ``write_gexf`` writes
    it with each node's ``viz`` attribute set to ``{"color": …, "size": …}`` from
    ``viz(node, data)``.

    >>> import io, networkx as nx
    >>> g = nx.MultiDiGraph(view="x")
    >>> g.add_edge("a", "b", key="p", id="e1", label="to")
    'p'
    >>> buf = io.BytesIO()
    >>> write_gexf(g, buf, lambda n, d: ({"r": 1, "g": 2, "b": 3, "a": 1.0}, 10.0))
    >>> print(buf.getvalue().decode().split("<edges>")[1].rstrip())
    <BLANKLINE>
          <edge source="a" target="b" id="e1" label="to">
            <attvalues>
              <attvalue for="0" value="p" />
            </attvalues>
          </edge>
        </edges>
      </graph>
    </gexf>
    """
    import time

    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    w = GEXFWriter(version="1.2draft")  # its namespaces, version and value types
    ids: dict[tuple[str, str], str] = {}
    declared: dict[str, list[str]] = {"node": [], "edge": []}

    def attr_id(title: str, value: Any, scope: str) -> str:
        found = ids.get((scope, title))
        if found is None:
            found = ids[(scope, title)] = str(len(ids))
            declared[scope].append(
                f'\n      <attribute id="{found}" title="{_escape_attrib(title)}" '
                f'type="{w.xml_type[type(value)]}" />'
            )
        return found

    for _, d in g.nodes(data=True):
        for a, v in _gexf_node_values(d).items():
            attr_id(a, v, "node")
    for _, _, k, d in g.edges(keys=True, data=True):
        for a, v in _gexf_edge_values(d, k).items():
            attr_id(a, v, "edge")
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<gexf xmlns:viz="{w.NS_VIZ}" xmlns="{w.NS_GEXF}" xmlns:xsi="{w.NS_XSI}" '
        f'xsi:schemaLocation="{w.SCHEMALOCATION}" version="{w.VERSION}">'
        f'\n  <meta lastmodifieddate="{time.strftime("%Y-%m-%d")}">'
        f"\n    <creator>NetworkX {nx.__version__}</creator>\n  </meta>"
        '\n  <graph defaultedgetype="directed" mode="static" name="">'
    ]
    for scope in ("edge", "node"):  # each class is inserted first when met: edges come first
        if declared[scope]:
            head.append(f'\n    <attributes mode="static" class="{scope}">')
            head += declared[scope]
            head.append("\n    </attributes>")
    _write_chunks(f, _gexf_body(g, "".join(head), ids, viz))


def _gexf_node_values(d: dict[str, Any]) -> dict[str, Any]:
    """A node's ``attvalue``s by title: all but its ``label`` (the node's own)."""
    return {str(a): v for a, v in d.items() if a != "label"}


def _gexf_edge_values(d: dict[str, Any], key: Any) -> dict[str, Any]:
    """An edge's ``attvalue``s by title: all but ``id`` and ``label`` (the edge's own),
    and its networkx key as ``networkx_key`` (where a ``key`` attribute was, else last)."""
    values = {a: v for a, v in d.items() if a not in ("id", "label")}
    values["key"] = key
    return {("networkx_key" if a == "key" else str(a)): v for a, v in values.items()}


def _gexf_attvalues(d: dict[str, Any], scope: str, openers: dict[tuple[str, str], str]) -> str:
    """``<attvalues>`` of ``d``; ``openers`` has each title's ``<attvalue for="…" value="``."""
    if not d:
        return ""
    values = "".join(
        f'{openers[(scope, a)]}{_escape_attrib(v) if type(v) is str else _gexf_value(v)}" />'
        for a, v in d.items()
    )
    return f"\n        <attvalues>{values}\n        </attvalues>"


def _gexf_body(
    g: nx.MultiDiGraph,
    head: str,
    ids: dict[tuple[str, str], str],
    viz: Callable[[str, dict[str, Any]], tuple[dict[str, float], float]],
) -> Iterator[str]:
    openers = {t: f'\n          <attvalue for="{i}" value="' for t, i in ids.items()}
    yield head
    yield "\n    <nodes>"
    for n, d in g.nodes(data=True):
        colour, size = viz(n, d)
        rest = _gexf_node_values(d)
        yield (
            f'\n      <node id="{_escape_attrib(str(n))}" '
            f'label="{_escape_attrib(str(d.get("label", n)))}">'
            f'\n        <viz:color r="{colour["r"]}" g="{colour["g"]}" b="{colour["b"]}" '
            f'a="{colour.get("a", 1.0)}" />'
            f'\n        <viz:size value="{size}" />'
            f"{_gexf_attvalues(rest, 'node', openers)}\n      </node>"
        )
    yield "\n    </nodes>"
    if not g.number_of_edges():
        yield "\n    <edges />\n  </graph>\n</gexf>\n"
        return
    yield "\n    <edges>"
    for u, v, k, d in g.edges(keys=True, data=True):
        rest = _gexf_edge_values(d, k)
        label = f' label="{_escape_attrib(str(d["label"]))}"' if "label" in d else ""
        yield (
            f'\n      <edge source="{_escape_attrib(str(u))}" target="{_escape_attrib(str(v))}" '
            f'id="{_escape_attrib(str(d["id"]))}"{label}>'
            f"{_gexf_attvalues(rest, 'edge', openers)}\n      </edge>"
        )
    yield "\n    </edges>\n  </graph>\n</gexf>\n"
