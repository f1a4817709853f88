"""Hostile inputs, built on demand (nothing large is committed): each is a file that once made
claimgraph allocate gigabytes, recurse into a traceback, hang, or read what it should not.

``files(folder)`` writes them and returns ``{name: (path, what the refusal must mention)}``;
``requests(batch=…)`` lists the same inputs and more as HTTP requests to a live server, each
with the status and the text its refusal must carry.  Shared by ``test_hostile_inputs.py``,
``test_hostile_http.py`` and ``bench/attack_corpus.py``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

RDF_OPEN = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/">'
)


def _rdfxml(doctype: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n{RDF_OPEN}\n'
        f'<rdf:Description rdf:about="http://example.org/a"><ex:p>{body}</ex:p>'
        "</rdf:Description>\n</rdf:RDF>\n"
    ).encode()


def billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return _rdfxml("<!DOCTYPE r [\n" + "\n".join(levels) + "\n]>", "&lol9;")


def quadratic_blowup() -> bytes:
    return _rdfxml(f'<!DOCTYPE r [ <!ENTITY a "{"x" * 50_000}"> ]>', "&a;" * 50_000)


def external_doctype(url: str) -> bytes:
    return _rdfxml(f'<!DOCTYPE rdf:RDF SYSTEM "{url}">', "x")


def external_entity(url: str) -> bytes:
    return _rdfxml(f'<!DOCTYPE r [ <!ENTITY x SYSTEM "{url}"> ]>', "&x;")


def parameter_entity(url: str) -> bytes:
    return _rdfxml(f'<!DOCTYPE r [ <!ENTITY % p SYSTEM "{url}"> %p; ]>', "x")


def deep_xml(depth: int = 20_000) -> bytes:
    inner = "<ex:p><rdf:Description>" * depth + "</rdf:Description></ex:p>" * depth
    return (
        f'{RDF_OPEN}<rdf:Description rdf:about="http://example.org/a">{inner}'
        "</rdf:Description></rdf:RDF>"
    ).encode()


def yaml_alias_bomb() -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


def yaml_recursive_alias() -> bytes:
    return b"id: cgi:x\nloop: &loop\n  - *loop\n"


def deep_yaml(depth: int = 100_000) -> bytes:
    return b"id: cgi:x\nlabel: " + b"[" * depth + b"]" * depth + b"\n"


def deep_json(depth: int = 100_000) -> bytes:
    return b'{"@id": "http://example.org/a", "http://example.org/p": ' + (
        b'{"http://example.org/p": ' * depth + b"1" + b"}" * depth + b"}"
    )


def long_literal(size: int) -> bytes:
    return b'<http://example.org/a> <http://example.org/p> "' + b"x" * size + b'" .\n'


EXPECTED: dict[str, str] = {
    "billion-laughs.rdf": "max_entity_expansion_bytes",
    "quadratic-blowup.rdf": "max_entity_expansion_bytes",
    "external-doctype.rdf": "external DTD",
    "external-entity.rdf": "external entity",
    "local-file-entity.rdf": "external entity",
    "parameter-entity.rdf": "parameter entity",
    "deep-elements.rdf": "max_nesting",
    "alias-bomb.yaml": "max_yaml_nodes",
    "recursive-alias.yaml": "refers to a node that contains it",
    "deep.yaml": "max_nesting",
    "deep.jsonld": "max_nesting",
    "deep-records.json": "max_nesting",
    "long-literal.nt": "max_literal_bytes",
    "longer-than-the-parser-reads.nt": "16 MiB",
    "fifo": "named pipe",
    "directory": "directory",
    "symlink-to-dev-zero": "symbolic link",
    "symlink-to-etc-passwd": "symbolic link",
}
"""Each hostile input by name, with what its refusal must mention."""


def files(folder: Path, *, listener: str = "http://127.0.0.1:9/x") -> dict[str, tuple[Path, str]]:
    """Write the hostile files into ``folder``: name → (path, text the refusal names)."""
    made: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, expect: str) -> None:
        path = folder / name
        path.write_bytes(data)
        made[name] = (path, expect)

    put("billion-laughs.rdf", billion_laughs(), "max_entity_expansion_bytes")
    put("quadratic-blowup.rdf", quadratic_blowup(), "max_entity_expansion_bytes")
    put("external-doctype.rdf", external_doctype(listener), "external DTD")
    put("external-entity.rdf", external_entity(listener), "external entity")
    put("local-file-entity.rdf", external_entity("file:///etc/passwd"), "external entity")
    put("parameter-entity.rdf", parameter_entity(listener), "parameter entity")
    put("deep-elements.rdf", deep_xml(), "max_nesting")
    put("alias-bomb.yaml", yaml_alias_bomb(), "max_yaml_nodes")
    put("recursive-alias.yaml", yaml_recursive_alias(), "refers to a node that contains it")
    put("deep.yaml", deep_yaml(), "max_nesting")
    put("deep.jsonld", deep_json(), "max_nesting")
    put("deep-records.json", deep_json(), "max_nesting")
    put("long-literal.nt", long_literal((8 << 20) + 10), "max_literal_bytes")
    put("longer-than-the-parser-reads.nt", long_literal(100 << 20), "16 MiB")
    fifo = folder / "pipe.ttl"
    os.mkfifo(fifo)
    made["fifo"] = (fifo, "named pipe")
    directory = folder / "folder.ttl"
    directory.mkdir()
    made["directory"] = (directory, "directory")
    zero = folder / "zero.ttl"
    zero.symlink_to("/dev/zero")
    made["symlink-to-dev-zero"] = (zero, "symbolic link")
    passwd = folder / "passwd.ttl"
    passwd.symlink_to("/etc/passwd")
    made["symlink-to-etc-passwd"] = (passwd, "symbolic link")
    return made


# ---------------------------------------------------------------------- over HTTP

PROBE_GRAPH = "urn:claimgraph-probe:hostile"
"""The graph the hostile Graph Store PUTs name (it must not exist after the corpus ran)."""

XSD = "http://www.w3.org/2001/XMLSchema#"
META = "https://w3id.org/claimgraph/graph/batches"
BATCHES = "https://w3id.org/claimgraph/batch/"


@dataclass(frozen=True)
class Request:
    """One hostile request (sent with the write token) and the answer it must get."""

    name: str
    method: str
    path: str
    body: bytes
    content_type: str
    status: int
    mentions: str


_TYPES = {
    ".rdf": "application/rdf+xml",
    ".yaml": "application/yaml",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".nt": "application/n-triples",
}
_STATUS = {
    "max_entity_expansion_bytes": 413,
    "max_nesting": 413,
    "max_yaml_nodes": 413,
    "max_literal_bytes": 413,
    "external DTD": 422,
    "external entity": 422,
    "parameter entity": 422,
    "refers to a node that contains it": 422,
}


def _update(name: str, text: str, status: int, mentions: str) -> Request:
    return Request(
        name, "POST", "/update", text.encode(), "application/sparql-update", status, mentions
    )


def requests(*, listener: str = "http://127.0.0.1:9/x", batch: str) -> list[Request]:
    """Every hostile request: the hostile files as Graph Store bodies (PUT to a named graph and
    POST of a new batch), ill-typed values and unwanted IRIs, malformed and forbidden graph
    names, and updates that are too big, too deep, ill-typed or aimed at the batch machinery's
    graphs.  ``batch`` is a batch graph of the store under attack."""
    out: list[Request] = []
    made = {
        "billion-laughs.rdf": billion_laughs(),
        "quadratic-blowup.rdf": quadratic_blowup(),
        "external-doctype.rdf": external_doctype(listener),
        "external-entity.rdf": external_entity(listener),
        "local-file-entity.rdf": external_entity("file:///etc/passwd"),
        "parameter-entity.rdf": parameter_entity(listener),
        "deep-elements.rdf": deep_xml(),
        "alias-bomb.yaml": yaml_alias_bomb(),
        "recursive-alias.yaml": yaml_recursive_alias(),
        "deep.yaml": deep_yaml(),
        "deep.jsonld": deep_json(),
        "deep-records.json": deep_json(),
        "long-literal.nt": long_literal((8 << 20) + 10),
    }
    graph_path = f"/store?graph={quote(PROBE_GRAPH, safe='')}"
    for name, body in made.items():
        expect = EXPECTED[name]
        ctype = _TYPES[Path(name).suffix]
        out.append(Request(f"PUT {name}", "PUT", graph_path, body, ctype, _STATUS[expect], expect))
        out.append(Request(f"POST {name}", "POST", "/store", body, ctype, _STATUS[expect], expect))
    ttl = "text/turtle"
    ill = {
        "integer": f'<urn:x:a> <urn:x:count> "abc"^^<{XSD}integer> .',
        "date": f'<urn:x:a> <urn:x:when> "2025-13-45"^^<{XSD}date> .',
        "javascript-iri": "<urn:x:a> <urn:x:link> <javascript:alert(1)> .",
        "data-iri": '<data:text/html,x> <urn:x:p> "x" .',
    }
    for name, text in ill.items():
        out.append(
            Request(
                f"PUT ill-typed {name}",
                "PUT",
                graph_path,
                text.encode(),
                ttl,
                422,
                "WellFormedValues",
            )
        )
        out.append(
            Request(
                f"POST ill-typed {name}",
                "POST",
                "/store",
                text.encode(),
                ttl,
                422,
                "WellFormedValues",
            )
        )
    triple = b"<urn:x:a> <urn:x:b> <urn:x:c> ."
    for name, graph, status, mentions in [
        ("not an IRI", "not an IRI", 400, "not an absolute IRI"),
        ("relative", "graph", 400, "not an absolute IRI"),
        ("angle brackets", "urn:a> <urn:b", 400, "not an absolute IRI"),
        ("file", "file:///etc/passwd", 422, "file: IRI"),
        ("javascript", "javascript:alert(1)", 422, "javascript: IRI"),
        ("data", "data:,x", 422, "data: IRI"),
        ("metadata graph", META, 403, "metadata graph"),
        ("batch namespace", BATCHES + "0123456789abcdef", 409, "named by the content"),
        ("existing batch", batch, 409, "retract"),
    ]:
        path = f"/store?graph={quote(graph, safe='')}"
        out.append(Request(f"PUT graph={name}", "PUT", path, triple, ttl, status, mentions))
        out.append(Request(f"POST graph={name}", "POST", path, triple, ttl, status, mentions))
        if status in (403,):
            out.append(Request(f"DELETE graph={name}", "DELETE", path, b"", ttl, status, mentions))
    deep = "INSERT DATA { <urn:x:a> <urn:x:b> " + "(" * 50_000 + ")" * 50_000 + " }"
    many = "INSERT DATA { " + " ".join(f"<urn:x:a> <urn:x:b> {i} ." for i in range(40_000)) + " }"
    huge = 'INSERT DATA { <urn:x:a> <urn:x:b> "' + "x" * ((8 << 20) + 10) + '" }'
    out += [
        _update("update deep nesting", deep, 413, "max_nesting"),
        _update("update too many terms", many, 413, "max_query_terms"),
        _update("update huge literal", huge, 413, "max_literal_bytes"),
        _update(
            "update ill-typed integer",
            f'INSERT DATA {{ <urn:x:a> <urn:x:n> "abc"^^<{XSD}integer> }}',
            422,
            "xsd:integer",
        ),
        _update(
            "update ill-typed date in a named graph",
            f'INSERT DATA {{ GRAPH <urn:g> {{ <urn:a> <urn:d> "2025-13-45"^^<{XSD}date> }} }}',
            422,
            "xsd:date",
        ),
        _update(
            "update ill-typed INSERT WHERE",
            f'INSERT {{ ?g <urn:x:n> "abc"^^<{XSD}integer> }} WHERE {{ GRAPH ?g {{ }} }}',
            422,
            "xsd:integer",
        ),
        _update(
            "update javascript object",
            "INSERT DATA { <urn:x:a> <urn:x:link> <javascript:alert(1)> }",
            422,
            "javascript:",
        ),
        _update(
            "update file graph",
            "INSERT DATA { GRAPH <file:///etc/passwd> { <urn:x:a> <urn:x:b> 1 } }",
            422,
            "file: IRI",
        ),
        _update("update DROP metadata", f"DROP GRAPH <{META}>", 403, "metadata graph"),
        _update("update CLEAR metadata", f"CLEAR GRAPH <{META}>", 403, "metadata graph"),
        _update(
            "update DELETE from metadata",
            f"DELETE WHERE {{ GRAPH <{META}> {{ ?s ?p ?o }} }}",
            403,
            "metadata graph",
        ),
        _update(
            "update INSERT into metadata",
            f"INSERT DATA {{ GRAPH <{META}> {{ <urn:x:a> <urn:x:b> 1 }} }}",
            403,
            "metadata graph",
        ),
        _update("update DROP ALL", "DROP ALL", 403, "metadata graph"),
        _update("update DROP batch", f"DROP GRAPH <{batch}>", 409, "DELETE /store?graph="),
        _update(
            "update INSERT into batch",
            f"INSERT DATA {{ GRAPH <{batch}> {{ <urn:x:a> <urn:x:b> 1 }} }}",
            409,
            "retract",
        ),
        _update(
            "update squats the batch namespace",
            f"INSERT DATA {{ GRAPH <{BATCHES}0123456789abcdef> {{ <urn:x:a> <urn:x:b> 1 }} }}",
            403,
            "named by the content",
        ),
    ]
    return out
