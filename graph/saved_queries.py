"""Saved queries: ``.rq`` files with grlc-style headers, loaded into a small registry.

A saved query's header is a block of ``#+ key: value`` comment lines, read as YAML exactly as
grlc reads them (grlc's decorators: ``summary``, ``description``, ``tags``, ``defaults``, ...).
Parameters follow grlc's convention, so the ``queries/`` folder also works unchanged with
grlc: ``?_name`` is required, ``?__name`` optional; the name is letters and digits (no
underscore) and a suffix gives the type:

``?_name_iri``
    an IRI (here prefixed names such as ``cgi:russia`` are expanded too);
``?_name_integer``, ``?_name_number``, ``?_name_literal``
    an ``xsd:integer``, a number (integer, decimal or double by its form), a plain string;
``?_name_xsd_date`` (any ``_prefix_localname``)
    a literal of that datatype (``xsd:date``, ``xsd:boolean``, ...);
``?_name_en`` (any language tag)
    a language-tagged string;
``?_name``
    a plain string.

Values are **bound as RDF terms** through the store's substitutions (pyoxigraph's
``substitutions``), never spliced into the query text.  pyoxigraph binds only variables a
SELECT projects, so every SELECT saved query lists its parameters in its projection (or its
GROUP BY); tests enforce it for every shipped query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .errors import NotFound, UsageError
from .rdf import PREFIXES, XSD, compact, parse_iri
from .statements import DEFAULT_STANDINGS, dataset
from .store import QueryResult, Store, Term

#: A parameter variable in query text: ``?_x`` or ``?__x`` and the rest of the variable name.
_PARAM = re.compile(r"[?$](__?)([A-Za-z0-9][A-Za-z0-9_]*)")

#: grlc's reading of a parameter variable (``gquery.get_parameters``), anchored at both ends.
_GRLC_NAME = re.compile(
    r"(?P<name>[A-Za-z0-9]+)"
    r"(?:_(?P<type>iri|number|literal|integer))?"
    r"(?:_(?P<prefix>[A-Za-z0-9]+)_(?P<local>[A-Za-z0-9]+))?"
    r"(?:_(?P<lang>[A-Za-z0-9]+))?"
)

#: Shorthands accepted in the language slot that name an XSD datatype instead.  grlc would
#: read them as language tags, so shipped queries spell them ``_xsd_boolean`` etc.
XSD_SHORTHANDS = {
    "boolean",
    "decimal",
    "double",
    "float",
    "date",
    "dateTime",
    "gYear",
    "string",
    "duration",
}

_LEXICAL = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "double": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "dateTime": re.compile(
        r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"
    ),
    XSD + "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
}


class MissingParameter(UsageError):
    """A required parameter of a saved query was not given and has no default."""

    def __init__(self, query: str, parameter: str) -> None:
        self.query = query
        self.parameter = parameter
        super().__init__(
            f"query {query!r} needs parameter {parameter!r} (--param {parameter}=VALUE, "
            f"or ?{parameter}=VALUE over HTTP)"
        )


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query.

    ``kind`` is ``"iri"``, ``"number"``, ``"literal"`` (a plain string), ``"lang:<tag>"`` or a
    datatype IRI.
    """

    name: str
    variable: str
    kind: str
    required: bool
    default: str | None = None

    @property
    def type(self) -> str:
        """The parameter's type in a few characters, for lists and forms.

        >>> Parameter("d", "_d_xsd_date", XSD + "date", True).type
        'xsd:date'
        >>> Parameter("w", "_w_en", "lang:en", True).type
        'string@en'
        """
        if self.kind in ("iri", "number"):
            return self.kind
        if self.kind == "literal":
            return "string"
        if self.kind.startswith("lang:"):
            return "string@" + self.kind[5:]
        return compact(self.kind)

    @property
    def usage(self) -> str:
        """How to pass the parameter, for ``query --list``: optional ones in brackets.

        >>> Parameter("actor", "_actor_iri", "iri", True, "https://w3id.org/claimgraph/id/x").usage
        'actor=IRI (default cgi:x)'
        >>> Parameter("all", "__all_xsd_boolean", XSD + "boolean", False).usage
        '[all=true|false]'
        """
        placeholder = {
            "iri": "IRI",
            "number": "NUMBER",
            "literal": "TEXT",
            XSD + "integer": "INTEGER",
            XSD + "boolean": "true|false",
            XSD + "date": "YYYY-MM-DD",
        }.get(self.kind) or (
            "TEXT@" + self.kind[5:] if self.kind.startswith("lang:") else compact(self.kind).upper()
        )
        text = f"{self.name}={placeholder}"
        if self.default is not None:
            shown = compact(self.default) if self.kind == "iri" else self.default
            text += f" (default {shown})"
        return text if self.required else f"[{text}]"

    def to_term(self, value: str) -> Term:
        """Turn a text value into the RDF term this parameter binds.

        >>> Parameter("actor", "_actor_iri", "iri", True).to_term("cgi:russia")
        <NamedNode value=https://w3id.org/claimgraph/id/russia>
        >>> Parameter("n", "_n_integer", XSD + "integer", True).to_term("3")
        <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
        >>> Parameter("n", "_n_integer", XSD + "integer", True).to_term("three")
        Traceback (most recent call last):
        ...
        claimgraph.errors.UsageError: parameter 'n' must be an xsd:integer, not 'three'
        """
        if self.kind == "iri":
            return ox.NamedNode(parse_iri(value))
        if self.kind.startswith("lang:"):
            return ox.Literal(value, language=self.kind[5:])
        if self.kind == "literal":
            return ox.Literal(value)
        if self.kind == "number":
            for datatype in ("integer", "decimal", "double"):
                if _LEXICAL[XSD + datatype].fullmatch(value.strip()):
                    return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + datatype))
            raise UsageError(f"parameter {self.name!r} must be a number, not {value!r}")
        pattern = _LEXICAL.get(self.kind)
        if self.kind == XSD + "boolean":
            value = value.strip().lower()
        if pattern is not None and not pattern.fullmatch(value):
            raise UsageError(
                f"parameter {self.name!r} must be an {compact(self.kind)}, not {value!r}"
            )
        return ox.Literal(value, datatype=ox.NamedNode(self.kind))


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

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; UsageError if there is none."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise UsageError(
            f"query {self.name!r} has no parameter {name!r}; "
            f"its parameters: {', '.join(p.name for p in self.parameters) or 'none'}"
        )

    def bindings(self, values: Mapping[str, str]) -> dict[str, Term]:
        """The variable bindings for ``values`` (name → text), with defaults applied.

        Unknown names raise UsageError naming them; a missing required parameter raises
        :class:`MissingParameter`.

        >>> q = parse_saved_query("x", "SELECT ?_actor_iri ?c WHERE { ?c cg:claimant ?_actor_iri }")
        >>> q.bindings({"actor": "cgi:russia"})
        {'_actor_iri': <NamedNode value=https://w3id.org/claimgraph/id/russia>}
        >>> q.bindings({})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        claimgraph.saved_queries.MissingParameter: query 'x' needs parameter 'actor' ...
        """
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise UsageError(
                f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"its parameters: {', '.join(known) or 'none'}"
            )
        out: dict[str, Term] = {}
        for p in self.parameters:
            value = values.get(p.name)
            if value is None or value == "":
                value = p.default
            if value is None:
                if p.required:
                    raise MissingParameter(self.name, p.name)
                continue
            out[p.variable] = p.to_term(value)
        return out

    def run(
        self,
        store: Store,
        values: Mapping[str, str] | None = None,
        *,
        standings: Iterable[str] | None = DEFAULT_STANDINGS,
    ) -> QueryResult:
        """Run the query on ``store`` with ``values`` bound (as RDF terms, never spliced),
        reading the statement graphs of ``standings`` (by default what the articles say;
        None for every graph: :mod:`claimgraph.statements`)."""
        graphs = dataset(store, standings) if standings is not None else None
        return store.query(
            self.text,
            bindings=self.bindings(values or {}),
            default_graphs=graphs,
            named_graphs=graphs,
        )

    def describe(self) -> dict[str, Any]:
        """What a client needs to list the query and build a form for it (JSON-ready).

        >>> q = parse_saved_query("x", "#+ summary: Claims\\nSELECT ?_actor_iri WHERE {}")
        >>> q.describe()["parameters"][0]["name"], q.describe()["parameters"][0]["type"]
        ('actor', 'iri')
        """
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": p.default,
                    "variable": p.variable,
                }
                for p in self.parameters
            ],
        }


def parse_saved_query(name: str, text: str) -> SavedQuery:
    """Read a saved query's header and parameters.

    >>> q = parse_saved_query("x", "#+ summary: Claims by an actor\\n"
    ...     "SELECT ?_actor_iri ?c WHERE { ?c cg:claimant ?_actor_iri }")
    >>> q.summary, [p.name for p in q.parameters]
    ('Claims by an actor', ['actor'])
    """
    # As grlc does: every line starting with "#+" belongs to the YAML header, with the "#+"
    # (and only that) taken off, so indentation inside the header is kept.
    header = "\n".join(line.lstrip("#+") for line in text.splitlines() if line.startswith("#+"))
    try:
        decorators = yaml.safe_load(header) or {}
    except yaml.YAMLError as e:
        raise UsageError(f"query {name!r}: malformed #+ header: {e}") from e
    if not isinstance(decorators, dict):
        raise UsageError(f"query {name!r}: the #+ header must be 'key: value' lines")
    defaults = _defaults(name, decorators.get("defaults"))
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    params: dict[str, Parameter] = {}
    for m in _PARAM.finditer(body):
        underscores, var = m.groups()
        variable = underscores + var
        if any(p.variable == variable for p in params.values()):
            continue
        pname, kind = _split_type(name, var)
        if pname in params:
            raise UsageError(
                f"query {name!r}: parameter {pname!r} is written two ways "
                f"(?{params[pname].variable} and ?{variable})"
            )
        params[pname] = Parameter(
            pname,
            variable,
            kind,
            required=underscores == "_",
            default=defaults.get(pname),
        )
    tags = decorators.get("tags") or []
    return SavedQuery(
        name=name,
        text=text,
        summary=str(decorators.get("summary", "") or "").strip(),
        description=str(decorators.get("description", "") or "").strip(),
        tags=tuple(str(t) for t in (tags if isinstance(tags, list) else [tags])),
        parameters=tuple(params.values()),
        decorators=decorators,
    )


def _defaults(query: str, raw: object) -> dict[str, str]:
    """grlc writes defaults as a list of one-key mappings; a plain mapping is accepted too."""
    items = raw if isinstance(raw, list) else [raw] if raw else []
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise UsageError(f"query {query!r}: '#+ defaults:' items must be 'name: value'")
        for k, v in item.items():
            out[str(k)] = str(v).lower() if isinstance(v, bool) else str(v)
    return out


def _split_type(query: str, var: str) -> tuple[str, str]:
    """A parameter variable's name and kind, read the way grlc reads it.

    >>> _split_type("q", "actor_iri")
    ('actor', 'iri')
    >>> _split_type("q", "since_xsd_date")
    ('since', 'http://www.w3.org/2001/XMLSchema#date')
    >>> _split_type("q", "word_en")
    ('word', 'lang:en')
    >>> _split_type("q", "includeRetracted_xsd_boolean")
    ('includeRetracted', 'http://www.w3.org/2001/XMLSchema#boolean')
    """
    m = _GRLC_NAME.fullmatch(var)
    if m is None:
        raise UsageError(
            f"query {query!r}: cannot read parameter ?_{var}: a parameter name is letters and "
            "digits (camelCase, no '_'), then an optional type suffix such as _iri, _integer, "
            "_xsd_date or _en"
        )
    name, kind = m["name"], m["type"]
    if m["prefix"]:
        if m["prefix"] not in PREFIXES:
            raise UsageError(
                f"query {query!r}: parameter ?_{var}: unknown datatype prefix {m['prefix']!r} "
                f"(known: {', '.join(sorted(PREFIXES))}); parameter names have no '_'"
            )
        datatype = PREFIXES[m["prefix"]] + m["local"]
        if kind or m["lang"]:
            raise UsageError(f"query {query!r}: parameter ?_{var} has more than one type")
        return name, datatype
    lang = m["lang"]
    if kind and lang:
        raise UsageError(f"query {query!r}: parameter ?_{var} has more than one type")
    if kind == "integer":
        return name, XSD + "integer"
    if kind:
        return name, kind
    if lang in XSD_SHORTHANDS:
        return name, XSD + lang
    if lang:
        if not re.fullmatch(r"[A-Za-z]{2,8}", lang):
            raise UsageError(f"query {query!r}: parameter ?_{var}: {lang!r} is no language tag")
        return name, f"lang:{lang}"
    return name, "literal"


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped in ``claimgraph.queries``, by name (file stem), sorted.

    >>> "cq01-prisoner-exchange" in saved_queries()
    True
    """
    folder = files("claimgraph.queries")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_saved_query(name, entry.read_text("utf-8"))
    return out


def get_query(name_or_path: str) -> SavedQuery:
    """A saved query by name, or a ``.rq`` file by path.

    >>> get_query("cq13-sides").summary
    'CQ13: Which actors are affiliated with which side?'
    """
    registry = saved_queries()
    if name_or_path in registry:
        return registry[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        return parse_saved_query(path.stem, path.read_text("utf-8"))
    raise NotFound(
        f"no saved query or .rq file {name_or_path!r}; list them with `claimgraph query --list`"
    )
