"""Hostile inputs, built on demand (nothing large is committed): each is a file that once made
claimgraph allocate gigabytes, recurse into a traceback, hang, or read what it should not.

``files(folder)`` writes them and returns ``{name: (path, what the refusal must mention)}``.
Shared by ``test_hostile_inputs.py`` and ``bench/attack_corpus.py``."""

from __future__ import annotations

import os
from pathlib import Path

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
