"""Claim records: YAML or JSON documents that are JSON-LD through the claimgraph context.

A record file is a JSON-LD document whose ``@context`` is :data:`CONTEXT_URL` (or a list
starting with it).  The context ships inside the package and is substituted locally, so
reading a record never touches the network.  There is no mapping code: what the context
says is what the triples are.

>>> doc = '''
... "@context": https://w3id.org/claimgraph/context.jsonld
... id: cgi:russia
... type: State
... label: {en: Russia}
... '''
>>> sorted(str(q.predicate) for q in parse_records(doc.encode(), source="x.yaml"))
['<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>', '<http://www.w3.org/2000/01/rdf-schema#label>']
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import pyoxigraph as ox
import yaml

from .errors import ParseError, RefusedInput
from .limits import Limits, current
from .rdf import source_base
from .untrusted import BOM

CONTEXT_URL = "https://w3id.org/claimgraph/context.jsonld"
"""The published IRI of the record context; records name it in ``@context``."""


@cache
def context() -> dict[str, Any]:
    """The record ``@context`` as shipped in the package.

    >>> context()["@vocab"]
    'https://w3id.org/claimgraph/ns#'
    """
    data = json.loads(files("claimgraph").joinpath("context.jsonld").read_text("utf-8"))
    return dict(data["@context"])


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _RecordLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps (``2025-05-16`` stays a string and the context
    gives it its datatype), composed no deeper than ``max_nesting``."""

    max_nesting = 100
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > self.max_nesting:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeep(mark.line + 1 if mark else 0)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping that gives a key twice is refused at the second (YAML keeps only the
        last value, so a second ``claimText:`` would silently drop the first)."""
        first: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            if key.value in first:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the key {key.value!r} is given twice in one mapping (first on line "
                    f"{first[key.value]}); keep one, or give a list of values",
                    key.start_mark,
                )
            first[key.value] = key.start_mark.line + 1
        return super().construct_mapping(node, deep)


_RecordLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_record_document(data: bytes, *, source: str, limits: Limits | None = None) -> Any:
    """Read a YAML or JSON record document into Python values, with its context resolved.

    The YAML is held to ``max_nesting`` and, with its aliases expanded, to ``max_yaml_nodes``
    (:mod:`claimgraph.limits`): an alias bomb is refused from its node graph, before anything
    is built from it."""
    limits = limits or current()
    try:
        loader = _RecordLoader(data.removeprefix(BOM).decode("utf-8"))
        loader.max_nesting = limits.max_nesting
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_expanded_size(node, source, limits)
            doc = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except UnicodeDecodeError as e:
        raise ParseError(f"not UTF-8 text: {e}", source=source) from e
    except _TooDeep as e:
        raise limits.refuse(
            "max_nesting", f"line {e.line}: the YAML is nested deeper", source=source
        ) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        raise ParseError(
            f"{e.problem or e}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from e
    except yaml.YAMLError as e:
        raise ParseError(str(e), source=source) from e
    if isinstance(doc, list):
        doc = {"@context": CONTEXT_URL, "@graph": doc}
    if not isinstance(doc, dict):
        raise ParseError("a record file must hold a mapping or a list of mappings", source=source)
    doc["@context"] = _resolve_context(doc.get("@context", CONTEXT_URL), source)
    _refuse_remote_contexts(doc, source)
    return doc


def _check_expanded_size(root: yaml.Node, source: str, limits: Limits) -> None:
    """Refuse a YAML node graph whose tree, aliases expanded, holds more than
    ``max_yaml_nodes`` nodes, or in which an alias refers to a node that contains it."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > limits.max_yaml_nodes:
                raise limits.refuse(
                    "max_yaml_nodes",
                    "the YAML, its aliases expanded, holds more nodes",
                    source=source,
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            line = node.start_mark.line + 1 if node.start_mark else None
            raise RefusedInput(
                "a YAML alias refers to a node that contains it", source=source, line=line
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _resolve_context(ctx: Any, source: str) -> Any:
    items = ctx if isinstance(ctx, list) else [ctx]
    resolved = []
    for item in items:
        if item == CONTEXT_URL:
            resolved.append(context())
        elif isinstance(item, dict):
            resolved.append(item)
        else:
            raise ParseError(
                f"unsupported @context {item!r}: use {CONTEXT_URL} or an inline object "
                "(remote contexts are never fetched)",
                source=source,
            )
    return resolved if len(resolved) != 1 else resolved[0]  # [] is an empty context


def _refuse_remote_contexts(doc: dict[str, Any], source: str) -> None:
    """Refuse a context anywhere in ``doc`` that names a document to load — an ``@import``,
    a scoped or embedded ``@context`` given as an address — saying where it is: remote
    contexts are never fetched (the JSON-LD processor would only say it cannot load it)."""
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, list):
            inside = [(v, f"{where}[{i}]") for i, v in enumerate(value)]
        elif isinstance(value, dict):
            inside = [(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()]
        else:
            continue
        for v, at in inside:
            named = [u for u in (v if isinstance(v, list) else [v]) if isinstance(u, str)]
            if at.rsplit(".", 1)[-1] in ("@context", "@import") and named:
                raise ParseError(
                    f"{at} names the remote context {named[0]!r}: remote contexts are never "
                    "fetched; write the context inline as an object",
                    source=source,
                )
        stack.extend(reversed(inside))  # in the document's order


def parse_records(data: bytes, *, source: str, limits: Limits | None = None) -> list[ox.Quad]:
    """Parse a claim-record file (YAML or JSON) into quads: the file's own statements in the
    default graph, each statement graph it declares (a node with an ``@graph``) in its own.

    Raises :class:`~claimgraph.errors.ParseError` with the file and line for malformed YAML,
    and with the JSON-LD processor's message for malformed JSON-LD."""
    doc = load_record_document(data, source=source, limits=limits)
    try:
        payload = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise ParseError(f"value that JSON cannot hold: {e}", source=source) from e
    try:
        return list(ox.parse(payload, ox.RdfFormat.JSON_LD, base_iri=source_base(source)))
    except SyntaxError as e:
        raise ParseError(f"invalid JSON-LD: {e.msg}", source=source) from e
