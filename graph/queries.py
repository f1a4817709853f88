"""Saved queries: ``.rq`` files with grlc-style headers, loaded into a small registry.

A saved query's header is a block of ``#+ key: value`` comment lines (grlc's decorators:
``summary``, ``description``, ``tags``, ``defaults``, ...).  Parameters follow grlc's
convention: ``?_name`` is required, ``?__name`` optional, and a suffix gives the type
(``_iri``, ``_integer``, ``_decimal``, ``_boolean``, ``_xsd_date``, ``_xsd_dateTime``, or a
language tag such as ``_en``).  Values are **bound as RDF terms** through the store's
substitutions, never spliced into the query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
import yaml

from .errors import NotFound, UsageError
from .namespaces import PREFIXES
from .store import QueryResult, Store, Term

_XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")
_TYPED_SUFFIXES = {
    "iri": None,
    "integer": _XSD + "integer",
    "decimal": _XSD + "decimal",
    "boolean": _XSD + "boolean",
    "xsd_date": _XSD + "date",
    "xsd_dateTime": _XSD + "dateTime",
    "xsd_gYear": _XSD + "gYear",
    "literal": _XSD + "string",
}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query."""

    name: str
    variable: str
    kind: str  # "iri", a datatype IRI, "lang:<tag>" or "literal"
    required: bool
    default: str | None = None

    def to_term(self, value: str) -> Term:
        """Turn a text value into the RDF term this parameter binds.

        >>> Parameter("actor", "_actor_iri", "iri", True).to_term("cgi:russia")
        <NamedNode value=https://w3id.org/claimgraph/id/russia>
        >>> Parameter("n", "_n_integer", _XSD + "integer", True).to_term("3")
        <Literal value=3 datatype=<http://www.w3.org/2001/XMLSchema#integer>>
        """
        if self.kind == "iri":
            return ox.NamedNode(expand_iri(value))
        if self.kind.startswith("lang:"):
            return ox.Literal(value, language=self.kind[5:])
        if self.kind == "literal":
            return ox.Literal(value)
        literal = ox.Literal(value, datatype=ox.NamedNode(self.kind))
        if self.kind == _XSD + "integer" and not re.fullmatch(r"[+-]?\d+", value):
            raise UsageError(f"parameter {self.name!r} must be an integer, not {value!r}")
        return literal


def expand_iri(value: str) -> str:
    """Expand ``prefix:local`` with the known prefixes; check the result is an absolute IRI.

    >>> expand_iri("cgi:russia")
    'https://w3id.org/claimgraph/id/russia'
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    bad = any(c in value for c in '<>"{}|^`\\ ')
    if bad or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
        raise UsageError(f"{value!r} is not an IRI or a known prefixed name")
    return value


@dataclass(frozen=True)
class SavedQuery:
    """A saved query and what its header says about it."""

    name: str
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    decorators: Mapping[str, object] = field(default_factory=dict)

    def bindings(self, values: Mapping[str, str]) -> dict[str, Term]:
        """The variable bindings for ``values`` (name → text), with defaults applied.

        Unknown names and missing required parameters raise UsageError naming them."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise UsageError(
                f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"its parameters: {', '.join(known) or 'none'}"
            )
        out: dict[str, Term] = {}
        for p in self.parameters:
            value = values.get(p.name, p.default)
            if value is None:
                if p.required:
                    raise UsageError(
                        f"query {self.name!r} needs parameter {p.name!r} "
                        f"(--param {p.name}=VALUE)"
                    )
                continue
            out[p.variable] = p.to_term(value)
        return out

    def run(self, store: Store, values: Mapping[str, str] | None = None) -> QueryResult:
        """Run the query on ``store`` with ``values`` bound."""
        return store.query(self.text, bindings=self.bindings(values or {}))


def parse_saved_query(name: str, text: str) -> SavedQuery:
    """Read a saved query's header and parameters.

    >>> q = parse_saved_query("x", "#+ summary: Claims by an actor\\n"
    ...     "SELECT ?c WHERE { ?c cg:claimant ?_actor_iri }")
    >>> q.summary, [p.name for p in q.parameters]
    ('Claims by an actor', ['actor'])
    """
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[2:].lstrip() if line[2:3] == " " else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        decorators = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as e:
        raise UsageError(f"query {name!r}: malformed #+ header: {e}") from e
    if not isinstance(decorators, dict):
        raise UsageError(f"query {name!r}: the #+ header must be 'key: value' lines")
    defaults: dict[str, str] = {}
    for item in decorators.get("defaults") or []:
        if isinstance(item, dict):
            defaults.update({str(k): str(v) for k, v in item.items()})
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    params: dict[str, Parameter] = {}
    for m in _PARAM.finditer(body):
        underscores, var = m.groups()
        variable = underscores + var
        if variable in {p.variable for p in params.values()}:
            continue
        pname, kind = _split_type(var)
        params[pname] = Parameter(
            pname, variable, kind, required=underscores == "_", default=defaults.get(pname),
        )
    tags = decorators.get("tags") or []
    return SavedQuery(
        name=name,
        text=text,
        summary=str(decorators.get("summary", "")).strip(),
        description=str(decorators.get("description", "") or "").strip(),
        tags=tuple(str(t) for t in (tags if isinstance(tags, list) else [tags])),
        parameters=tuple(params.values()),
        decorators=decorators,
    )


def _split_type(var: str) -> tuple[str, str]:
    for suffix in sorted(_TYPED_SUFFIXES, key=len, reverse=True):
        if var.endswith("_" + suffix):
            kind = _TYPED_SUFFIXES[suffix]
            return var[: -len(suffix) - 1], "iri" if kind is None else kind
    head, _, tail = var.rpartition("_")
    if head and re.fullmatch(r"[a-z]{2}", tail):
        return head, f"lang:{tail}"
    return var, "literal"


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped in ``claimgraph.queries``, by name (file stem)."""
    folder = files("claimgraph.queries")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_saved_query(name, entry.read_text("utf-8"))
    return out


def get_query(name_or_path: str) -> SavedQuery:
    """A saved query by name, or a ``.rq`` file by path."""
    registry = saved_queries()
    if name_or_path in registry:
        return registry[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        return parse_saved_query(path.stem, path.read_text("utf-8"))
    raise NotFound(
        f"no saved query or .rq file {name_or_path!r}; list them with `claimgraph query --list`"
    )
