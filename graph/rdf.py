"""Shared RDF helpers: the namespaces claimgraph mints or relies on, IRI compaction and
expansion, labels and language choice, literals as Python values, SPARQL terms, and the
closure of a class or property hierarchy.

Provenance, export, validation, ingest and the server all use these; none of them keeps a
copy of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import PurePath
from urllib.parse import quote

import pyoxigraph as ox

from .errors import UsageError

# ------------------------------------------------------------------------------ namespaces

CG = "https://w3id.org/claimgraph/ns#"
"""The ontology namespace (prefix ``cg:``)."""

CGI = "https://w3id.org/claimgraph/id/"
"""Where the seed dataset and claim records mint resource IRIs (prefix ``cgi:``)."""

BATCH = "https://w3id.org/claimgraph/batch/"
"""Batch graphs are named ``BATCH + <first 16 hex digits of the content's sha256>``."""

CAMEO = "https://w3id.org/claimgraph/cameo/"
"""CAMEO event codes as SKOS concepts (prefix ``cameo:``), shipped in ``cameo.ttl``."""

META_GRAPH = "https://w3id.org/claimgraph/graph/batches"
"""The named graph holding one PROV-O description per batch."""

UNRESOLVED = "https://w3id.org/claimgraph/unresolved/"
"""Base of relative references in ingested files (``<a>`` in Turtle, ``id: x`` in a record):
an IRI under it means the data named something without a prefix, which validation refuses."""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
OA = "http://www.w3.org/ns/oa#"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = RDF + "type"

PREFIXES: dict[str, str] = {
    "cg": CG,
    "cgi": CGI,
    "cgb": BATCH,
    "cameo": CAMEO,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "org": ORG,
    "foaf": FOAF,
    "oa": OA,
    "sh": SH,
}
"""The prefixes every query may use without declaring them (CLI, server, saved queries)."""


def source_base(source: str) -> str:
    """The base IRI a file named ``source`` is parsed with (see :data:`UNRESOLVED`).

    >>> source_base("dir/my claims.yaml")
    'https://w3id.org/claimgraph/unresolved/my%20claims.yaml/'
    """
    return UNRESOLVED + quote(PurePath(source).name or "input", safe="") + "/"


def sparql_prefixes() -> str:
    """The PREFIX declarations of :data:`PREFIXES`, one per line.

    >>> sparql_prefixes().splitlines()[0]
    'PREFIX cg: <https://w3id.org/claimgraph/ns#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())


# -------------------------------------------------------------------- compact and expand

_BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}
_LOCAL = re.compile(r"[\w.-]+")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.I)


@cache
def compact(iri: str) -> str:
    """Shorten an IRI with the known prefixes, or return it unchanged (memoised: listings
    and views compact the same IRIs many times).

    >>> compact("https://w3id.org/claimgraph/ns#Claim")
    'cg:Claim'
    >>> compact("http://example.org/x")
    'http://example.org/x'
    """
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    prefix = _BY_NAMESPACE.get(iri[:cut])
    if prefix is not None and _LOCAL.fullmatch(iri, cut):
        return f"{prefix}:{iri[cut:]}"
    best = ""
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = name
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(c.isalnum() or c in "-_." for c in local):
            return f"{best}:{local}"
    return iri


def expand(name: str) -> str:
    """``prefix:local`` with a known prefix as a full IRI; anything else unchanged.

    >>> expand("cg:Claim"), expand("ex:x")
    ('https://w3id.org/claimgraph/ns#Claim', 'ex:x')
    """
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def as_iri(ref: str, *, bare: str | None = None) -> str | None:
    """The IRI a reference names: ``<iri>``, an absolute IRI (``http://…``, ``urn:…``), a
    prefixed name with a known prefix; a bare name becomes ``bare + name`` when ``bare`` is
    given, else None.

    >>> as_iri("cgi:zelensky"), as_iri("<urn:x>"), as_iri("zelensky")
    ('https://w3id.org/claimgraph/id/zelensky', 'urn:x', None)
    >>> as_iri("zelensky", bare=CGI)
    'https://w3id.org/claimgraph/id/zelensky'
    """
    ref = ref.strip().removeprefix("<").removesuffix(">")
    if _SCHEME.match(ref) or ref.startswith("urn:"):
        return ref
    prefix, sep, local = ref.partition(":")
    if sep and prefix in PREFIXES and local:
        return PREFIXES[prefix] + local
    if bare is not None and ref and not sep:
        return bare + ref
    return None


def parse_iri(value: str) -> str:
    """An IRI given by a person (``<iri>``, an absolute IRI or a known prefixed name),
    checked; raise :class:`~claimgraph.errors.UsageError` if it is none of these.

    >>> parse_iri("cgi:russia")
    'https://w3id.org/claimgraph/id/russia'
    >>> parse_iri("<https://example.org/x>")
    'https://example.org/x'
    >>> parse_iri("a:\\x08")
    Traceback (most recent call last):
    claimgraph.errors.UsageError: 'a:\\x08' is not an IRI or a known prefixed name
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    value = expand(value)
    bad = any(c in value for c in '<>"{}|^`\\ ')
    if bad or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
        raise UsageError(f"{value!r} is not an IRI or a known prefixed name")
    try:
        ox.NamedNode(value)  # the engine's own IRI rules (RFC 3987): no control characters
    except ValueError:
        raise UsageError(f"{value!r} is not an IRI or a known prefixed name") from None
    return value


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``/``, ``#`` or ``:``.

    >>> local_name("https://w3id.org/claimgraph/id/claim-x"), local_name("urn:a:b")
    ('claim-x', 'b')
    """
    return re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri


def humanise(iri: str) -> str:
    """A label made from an IRI's local name, for what has no label of its own.

    >>> humanise("http://www.w3.org/ns/org#subOrganizationOf")
    'sub organization of'
    >>> humanise("https://w3id.org/claimgraph/id/claim-talks-ended")
    'claim talks ended'
    """
    local = local_name(iri)
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local)
    return re.sub(r"[-_]+", " ", spaced).lower().strip() or iri


# -------------------------------------------------------------------- labels and language

LABEL_PROPERTIES: tuple[str, ...] = (
    RDFS + "label",
    SKOS + "prefLabel",
    SCHEMA + "name",
    FOAF + "name",
    CG + "headline",
    CG + "describedAs",
)
"""Where a resource's label comes from, in order of preference."""


def language_rank(tag: str, lang: str) -> int:
    """How well a language tag fits the wanted language: 0 exactly, 1 the same primary
    language, 2 no tag, 3 English, 4 anything else.

    >>> [language_rank(t, "uk") for t in ("uk", "uk-UA", "", "en", "ru")]
    [0, 1, 2, 3, 4]
    """
    tag, lang = tag.lower(), lang.lower()
    if tag == lang:
        return 0
    if tag and lang and tag.split("-")[0] == lang.split("-")[0]:
        return 1
    if not tag:
        return 2
    if tag.split("-")[0] == "en":
        return 3
    return 4


def choose_text(values: Iterable[tuple[str, str]], lang: str = "en") -> str | None:
    """The best of several ``(language tag, text)`` values for a reader of ``lang``: the
    same tag, then the same primary language, then untagged, then English, then any; ties
    go to the smallest tag, then text.

    >>> choose_text([("de", "Gespräche"), ("en", "talks"), ("", "talks?")], "en")
    'talks'
    >>> choose_text([("de", "Gespräche"), ("", "talks?")], "fr")
    'talks?'
    """
    best: tuple[int, str, str] | None = None
    for tag, text in values:
        cand = (language_rank(tag, lang), tag, text)
        if best is None or cand < best:
            best = cand
    return None if best is None else best[2]


def choose_literal(values: Iterable[object], lang: str = "en") -> object | None:
    """Of RDF terms, the literal :func:`choose_text` would pick; the first term if none is a
    literal, None if there are none."""
    items = list(values)
    literals = [v for v in items if isinstance(v, ox.Literal)]
    if not literals:
        return items[0] if items else None
    ranked = min(
        range(len(literals)),
        key=lambda i: (language_rank(literals[i].language or "", lang), i),
    )
    return literals[ranked]


# ------------------------------------------------------------------ literals as values

_INTEGERS = frozenset(
    XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
)  # fmt: skip
_FLOATS = frozenset({XSD + "decimal", XSD + "double", XSD + "float"})

Scalar = str | int | float | bool
"""A literal as a plain Python value."""


def literal_value(lit: ox.Literal) -> Scalar:
    """A literal as an int, float or bool where its datatype says so, else its text.

    >>> literal_value(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")))
    3
    >>> literal_value(ox.Literal("x", language="en"))
    'x'
    """
    return scalar_value(lit.value, lit.datatype.value)


def scalar_value(lexical: str, datatype: str) -> Scalar:
    """:func:`literal_value` of a literal given as its lexical form and datatype IRI.

    >>> scalar_value("true", XSD + "boolean"), scalar_value("x1", XSD + "int")
    (True, 'x1')
    """
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype in _FLOATS:
            return float(lexical)
        if datatype == XSD + "boolean":
            return lexical in ("true", "1")
    except ValueError:
        pass
    return lexical


def term_text(term: object) -> str | None:
    """The text of a term: an IRI's IRI, a literal's lexical form; None for None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal | ox.NamedNode):
        return term.value
    return str(term)


def term_bool(term: object) -> bool | None:
    """A term read as a boolean (``true``/``1``), None for None."""
    text = term_text(term)
    return None if text is None else text.strip().lower() in ("true", "1")


def term_int(term: object) -> int | None:
    """A term read as an integer, None for None or text that is not one."""
    text = term_text(term)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


# ------------------------------------------------------------------------ SPARQL terms

VALUES_CHUNK = 400
"""IRIs per ``VALUES`` block when a query is run over many resources at once."""


def sparql_iri(iri: str) -> str:
    """An IRI written as a SPARQL term (checked by pyoxigraph, so it cannot break the query).

    >>> sparql_iri("urn:x")
    '<urn:x>'
    """
    return str(ox.NamedNode(iri))


def values_blocks(var: str, iris: Iterable[str], *, size: int = VALUES_CHUNK) -> Iterator[str]:
    """``VALUES ?var { … }`` blocks of at most ``size`` IRIs each, sorted and distinct.

    >>> list(values_blocks("x", ["urn:b", "urn:a"]))
    ['VALUES ?x { <urn:a> <urn:b> }']
    """
    items = sorted(set(iris))
    for i in range(0, len(items), size):
        yield f"VALUES ?{var} {{ {' '.join(sparql_iri(x) for x in items[i : i + size])} }}"


# ---------------------------------------------------------------------- hierarchies


def closure(parents: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Each term with every term above it (transitively, not itself), from each term's
    direct parents; cycles are harmless.

    >>> closure({"a": ["b"], "b": ["c"]})["a"] == {"b", "c"}
    True
    """
    out: dict[str, frozenset[str]] = {}
    for term in parents:
        seen: set[str] = set()
        todo = list(parents[term])
        while todo:
            above = todo.pop()
            if above not in seen and above != term:
                seen.add(above)
                todo.extend(parents.get(above, ()))
        out[term] = frozenset(seen)
    return out
