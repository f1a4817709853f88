"""The parameters of a saved query: how grlc reads a parameter variable's name and type
(``?_actor_iri``, ``?__since_xsd_date``, ``?_word_en``), and a value given as text bound as
the RDF term of that type (see :mod:`claimgraph.saved_queries`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import UsageError
from .rdf import CGI, PREFIXES, XSD, as_iri, compact, parse_iri
from .store import Term

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

RESERVED = frozenset({"format", "output", "limit", "offset", "page", "endpoint", "include"})
"""Request parameters of ``/api/queries/NAME`` (and of grlc) that are not query parameters:
the result format (``format``, ``output``), paging (``limit``, ``offset``, ``page``),
grlc's ``endpoint`` and the standings to answer from (``include``).  No saved query may
have a parameter of these names."""

_BARE_ID = re.compile(r"[A-Za-z0-9][\w.-]*")
"""A bare id (``zelensky``), read as ``cgi:zelensky`` where an IRI is expected, as ``trace``
reads claims."""


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

    def bare_id(self, value: str) -> str | None:
        """The prefixed name a bare id given for an IRI parameter is read as, else None.

        >>> Parameter("actor", "_actor_iri", "iri", True).bare_id("zelensky")
        'cgi:zelensky'
        >>> Parameter("actor", "_actor_iri", "iri", True).bare_id("cgi:zelensky") is None
        True
        """
        if self.kind == "iri" and _BARE_ID.fullmatch(value.strip()):
            return "cgi:" + value.strip()
        return None

    def to_term(self, value: str) -> Term:
        """Turn a text value into the RDF term this parameter binds.

        >>> Parameter("actor", "_actor_iri", "iri", True).to_term("cgi:russia")
        <NamedNode value=https://w3id.org/claimgraph/id/russia>
        >>> Parameter("actor", "_actor_iri", "iri", True).to_term("russia")
        <NamedNode value=https://w3id.org/claimgraph/id/russia>
        >>> Parameter("n", "_n_integer", XSD + "integer", True).to_term("3")
        <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
        >>> Parameter("n", "_n_integer", XSD + "integer", True).to_term("three")
        Traceback (most recent call last):
        ...
        claimgraph.errors.UsageError: parameter 'n' must be an xsd:integer, not 'three'
        """
        if self.kind == "iri":
            if self.bare_id(value) is not None:
                return ox.NamedNode(as_iri(value, bare=CGI) or "")
            try:
                return ox.NamedNode(parse_iri(value))
            except UsageError as e:
                raise UsageError(
                    f"parameter {self.name!r}: {e}; give a full IRI, a prefixed name such as "
                    f"cgi:zelensky, or a bare id such as zelensky (read as cgi:zelensky)"
                ) from e
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


def split_type(query: str, var: str) -> tuple[str, str]:
    """A parameter variable's name and kind, read the way grlc reads it.

    >>> split_type("q", "actor_iri")
    ('actor', 'iri')
    >>> split_type("q", "since_xsd_date")
    ('since', 'http://www.w3.org/2001/XMLSchema#date')
    >>> split_type("q", "word_en")
    ('word', 'lang:en')
    >>> split_type("q", "includeRetracted_xsd_boolean")
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
