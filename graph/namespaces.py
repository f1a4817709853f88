"""IRIs that claimgraph mints or relies on, in one place."""

from __future__ import annotations

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


def source_base(source: str) -> str:
    """The base IRI a file named ``source`` is parsed with (see :data:`UNRESOLVED`).

    >>> source_base("dir/my claims.yaml")
    'https://w3id.org/claimgraph/unresolved/my%20claims.yaml/'
    """
    from pathlib import PurePath
    from urllib.parse import quote

    return UNRESOLVED + quote(PurePath(source).name or "input", safe="") + "/"


PREFIXES: dict[str, str] = {
    "cg": CG,
    "cgi": CGI,
    "cgb": BATCH,
    "cameo": CAMEO,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""The prefixes every query may use without declaring them (CLI, server, saved queries)."""


def sparql_prefixes() -> str:
    """The PREFIX declarations of :data:`PREFIXES`, one per line.

    >>> sparql_prefixes().splitlines()[0]
    'PREFIX cg: <https://w3id.org/claimgraph/ns#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())


def compact(iri: str) -> str:
    """Shorten an IRI with the known prefixes, or return it unchanged.

    >>> compact("https://w3id.org/claimgraph/ns#Claim")
    'cg:Claim'
    >>> compact("http://example.org/x")
    'http://example.org/x'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(c.isalnum() or c in "-_." for c in local):
            return f"{best}:{local}"
    return iri
