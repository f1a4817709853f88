"""HTTP content negotiation for query results and RDF, with python-mimeparse.

Each kind of result has an ordered table of media types; the first row is what a client
gets for ``Accept: */*`` or no Accept header.  A ``format`` request parameter (``json``,
``csv``, ``turtle``…) overrides the header, for download links typed by hand and for clients
that send one (SPARQLWrapper); see :func:`choose` for the rules.

>>> choose("tabular", "text/csv;q=0.9, application/sparql-results+json").name
'json'
>>> choose("rdf", "application/n-triples").media_type
'application/n-triples'
>>> choose("rdf", "text/csv") is None
True
>>> choose("tabular", "text/*").name, choose("tabular", "text/xml").name
('csv', 'xml')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mimeparse
import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One way to serialise a result: a short name, the media type sent, the pyoxigraph
    format and the other media types that ask for it."""

    name: str
    media_type: str
    oxformat: ox.QueryResultsFormat | ox.RdfFormat
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The Content-Type header value (UTF-8 for every text format)."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def results_format(self) -> ox.QueryResultsFormat:
        """The pyoxigraph format of a SELECT or ASK result format.

        >>> choose("tabular", "text/csv").results_format == ox.QueryResultsFormat.CSV
        True
        """
        if not isinstance(self.oxformat, ox.QueryResultsFormat):
            raise TypeError(f"{self.name} is not a query results format")
        return self.oxformat

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """The pyoxigraph format of an RDF format.

        >>> choose("rdf", "text/turtle").rdf_format == ox.RdfFormat.TURTLE
        True
        """
        if not isinstance(self.oxformat, ox.RdfFormat):
            raise TypeError(f"{self.name} is not an RDF format")
        return self.oxformat


QRF, RF = ox.QueryResultsFormat, ox.RdfFormat

TABULAR: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", QRF.JSON, ("application/json",)),
    Format("xml", "application/sparql-results+xml", QRF.XML, ("application/xml", "text/xml")),
    Format("csv", "text/csv", QRF.CSV),
    Format("tsv", "text/tab-separated-values", QRF.TSV),
)
"""SELECT and ASK results (SPARQL 1.1 Query Results JSON, XML, CSV, TSV)."""

RDF: tuple[Format, ...] = (
    Format("turtle", "text/turtle", RF.TURTLE, ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", RF.N_TRIPLES, ("text/plain",)),
    Format("jsonld", "application/ld+json", RF.JSON_LD, ("application/json",)),
    Format("rdfxml", "application/rdf+xml", RF.RDF_XML, ("application/xml", "text/xml")),
    Format("nquads", "application/n-quads", RF.N_QUADS),
    Format("trig", "application/trig", RF.TRIG),
)
"""CONSTRUCT and DESCRIBE results, graphs of the Graph Store Protocol, the service
description and VoID."""

TABLES = {"tabular": TABULAR, "rdf": RDF}

FAMILIES: dict[str, tuple[str | None, str | None]] = {
    **dict.fromkeys(
        ("json", "application/json", "application/sparql-results+json"), ("json", "jsonld")
    ),
    **dict.fromkeys(
        ("json-ld", "jsonld", "application/ld+json", "application/x-json+ld"), ("json", "jsonld")
    ),
    **dict.fromkeys(
        ("xml", "application/xml", "text/xml", "application/sparql-results+xml"), ("xml", "rdfxml")
    ),
    **dict.fromkeys(("rdf", "rdf+xml", "rdfxml", "application/rdf+xml"), ("xml", "rdfxml")),
    **dict.fromkeys(
        (
            "turtle",
            "ttl",
            "n3",
            "text/turtle",
            "text/n3",
            "text/rdf+n3",
            "application/turtle",
            "application/x-turtle",
        ),
        (None, "turtle"),
    ),
    **dict.fromkeys(("nt", "ntriples", "n-triples", "application/n-triples"), (None, "ntriples")),
    **dict.fromkeys(("nq", "nquads", "n-quads", "application/n-quads"), (None, "nquads")),
    **dict.fromkeys(("trig", "application/trig"), (None, "trig")),
    **dict.fromkeys(("csv", "text/csv"), ("csv", None)),
    **dict.fromkeys(("tsv", "text/tab-separated-values"), ("tsv", None)),
}
"""What a ``format=`` (or ``output=``) value asks for: the format it names for SELECT and ASK
results, and for RDF.  ``json`` and ``xml`` name a format of each kind, as on Fuseki and
Virtuoso: SPARQL results JSON or XML for a SELECT, JSON-LD or RDF/XML for a CONSTRUCT."""

_SIBLINGS = {"json": "jsonld", "xml": "rdfxml"}
"""The RDF format a CONSTRUCT gets when the client accepts only SPARQL results JSON or XML:
the same syntax family (rdflib's ``SPARQLStore(returnFormat="json")`` asks a CONSTRUCT for
``application/sparql-results+json`` and reads the JSON-LD it gets)."""


def format_param(values: list[str]) -> str | None:
    """The ``format`` (and ``output``) request values as one value for :func:`choose`: a
    client may send several (SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values``).

    >>> format_param(["tsv", "text/tab-separated-values"]), format_param([])
    ('tsv,text/tab-separated-values', None)
    """
    names = [v.strip() for v in values if v.strip()]
    return ",".join(names) or None


@lru_cache(maxsize=256)  # a pure function of three strings, asked on every query
def choose(kind: str, accept: str | None, format: str | None = None) -> Format | None:
    """The best format of ``kind`` (``tabular`` or ``rdf``) for a request, or None when
    nothing acceptable can be served (the caller answers 406).

    ``format`` (one name or media type, or several separated by commas) wins over the
    header: the first name that gives a format of this kind is used, names the server does
    not know are passed over, and none it knows at all is a 406; known names that name only
    the other kind (``format=csv`` on a CONSTRUCT, ``format=turtle`` on a SELECT) leave the
    choice to the Accept header.  A
    CONSTRUCT whose client accepts only SPARQL results JSON or XML gets JSON-LD or RDF/XML.

    >>> choose("rdf", None, "xml").name, choose("tabular", None, "xml").name
    ('rdfxml', 'xml')
    >>> choose("rdf", "*/*", "csv").name, choose("tabular", None, "nope") is None
    ('turtle', True)
    >>> choose("rdf", "application/sparql-results+json").name
    'jsonld'
    """
    table = TABLES[kind]
    if format:
        names = [n.strip().lower() for n in format.split(",") if n.strip()]
        families = [FAMILIES[n] for n in names if n in FAMILIES]
        if not families:
            return None
        for family in families:
            wanted = family[0] if kind == "tabular" else family[1]
            if wanted is not None:
                return next(f for f in table if f.name == wanted)
    best = _by_accept(table, accept)
    if best is None and kind == "rdf":
        results = _by_accept(TABULAR, accept)
        sibling = _SIBLINGS.get(results.name) if results is not None else None
        best = next((f for f in RDF if f.name == sibling), None)
    return best


def _by_accept(table: tuple[Format, ...], accept: str | None) -> Format | None:
    accept = (accept or "").strip() or "*/*"
    try:
        ranges = [mimeparse.parse_media_range(r) for r in accept.split(",") if r.strip()]
    except (ValueError, IndexError):
        ranges = [("*", "*", {})]
    best, best_q = None, 0.0
    for f in table:  # in order of preference: the first of equally good formats wins
        q = max(
            [_quality(f.media_type, ranges, wildcards=True)]
            + [_quality(a, ranges, wildcards=False) for a in f.aliases]
        )
        if q > best_q:
            best, best_q = f, q
    return best


def _quality(
    media_type: str, ranges: list[tuple[str, str, dict[str, str]]], *, wildcards: bool
) -> float:
    """The q of the most specific range that matches ``media_type``.  Aliases
    (``application/json``, ``text/xml``) are matched only when named: ``text/*`` asks for
    CSV or TSV, not for SPARQL XML by way of ``text/xml``."""
    kind, sub = media_type.split("/", 1)
    best_fit, q = -1, 0.0
    for r_kind, r_sub, params in ranges:
        if (r_kind, r_sub) == (kind, sub):
            fit = 2
        elif wildcards and r_sub == "*" and r_kind in (kind, "*"):
            fit = 1 if r_kind == kind else 0
        else:
            continue
        if fit > best_fit:
            try:
                best_fit, q = fit, float(params.get("q", 1))
            except ValueError:
                best_fit, q = fit, 0.0
    return q


def offered(kind: str) -> str:
    """The media types of ``kind``, for a 406 message."""
    return ", ".join(f.media_type for f in TABLES[kind])
