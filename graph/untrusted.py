"""Untrusted input, checked before any parser sees it.

Every file ``claimgraph ingest`` reads and every body the server is sent goes through here
first, under the limits of :mod:`claimgraph.limits`:

* :func:`read_file` reads regular files only — a FIFO, a device (``/dev/zero``), a directory
  or a socket is refused by its type before anything is read, and a symbolic link unless the
  caller allows links — and never more than ``max_input_bytes``;
* :func:`prepare` drops a UTF-8 byte-order mark in every format alike, and refuses an RDF/XML
  document with an external DOCTYPE or entity, entity references that would expand past
  ``max_entity_expansion_bytes`` (the "billion laughs" and its quadratic cousin are refused
  from their declarations, before anything grows) or elements nested deeper than
  ``max_nesting``, and JSON nested deeper than ``max_nesting``;
* :func:`check_literals` refuses a parsed batch holding a literal longer than
  ``max_literal_bytes``.

YAML's own bounds (nesting and aliases) are kept by the record loader
(:mod:`claimgraph.records`).  Nothing here fetches anything: an external DOCTYPE or entity is
refused, never resolved.
"""

from __future__ import annotations

import os
import re
import stat
import xml.parsers.expat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import ParseError, RefusedInput
from .limits import Limits, current

__all__ = ["BOM", "check_literals", "open_file", "prepare", "read_file"]

BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte-order mark, dropped from the start of every input."""

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_file(
    path: str | Path, *, limits: Limits | None = None, follow_symlinks: bool = False
) -> bytes:
    """The bytes of a regular file, at most ``max_input_bytes`` of them; raise
    :class:`~claimgraph.errors.ParseError` for anything else.  The type is checked on the
    opened file, so it cannot change between the check and the read."""
    limits = limits or current()
    with open_file(path, follow_symlinks=follow_symlinks) as f:
        data = f.read(limits.max_input_bytes + 1)
    if len(data) > limits.max_input_bytes:
        raise limits.refuse("max_input_bytes", "the file is larger", source=str(path))
    return data


def open_file(path: str | Path, *, follow_symlinks: bool = False) -> BinaryIO:
    """A regular file opened for reading (a symbolic link only with ``follow_symlinks``);
    raise :class:`~claimgraph.errors.ParseError` when it cannot be opened and
    :class:`~claimgraph.errors.RefusedInput` for a special file, checked on the opened file."""
    name = str(path)
    if not follow_symlinks and os.path.islink(path):
        raise ParseError(
            "is a symbolic link; claimgraph reads the files it is given, not what links point "
            "at (pass --follow-symlinks if you trust where it points)",
            source=name,
        )
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise ParseError(f"cannot read: {e.strerror}", source=name) from e
    f = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    for test, kind in _KINDS:
        if test(mode):
            f.close()
            raise RefusedInput(f"is {kind}; claimgraph reads regular files only", source=name)
    os.set_blocking(fd, True)
    return f


def prepare(data: bytes, *, format: str, source: str, limits: Limits | None = None) -> bytes:
    """``data`` ready for the parser of ``format``: without a byte-order mark, and checked
    against the limits that parser cannot keep itself (see the module doc)."""
    limits = limits or current()
    if len(data) > limits.max_input_bytes:
        raise limits.refuse(
            "max_input_bytes", f"the input holds {len(data):,} bytes", source=source
        )
    data = data.removeprefix(BOM)
    if format == "rdfxml":
        _check_xml(data, source, limits)
    elif format == "jsonld":
        _check_json_nesting(data, source, limits)
    return data


def check_literals(
    triples: Iterable[ox.Triple | ox.Quad], *, source: str, limits: Limits | None = None
) -> None:
    """Refuse a batch that holds a literal longer than ``max_literal_bytes``."""
    limits = limits or current()
    most = limits.max_literal_bytes
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and len(o.value) > most // 4 and len(o.value.encode()) > most:
            raise limits.refuse(
                "max_literal_bytes",
                f"the value of {t.predicate} on {t.subject} is {len(o.value.encode()):,} bytes "
                "long",
                source=source,
            )


# ------------------------------------------------------------------------------- JSON

_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _check_json_nesting(data: bytes, source: str, limits: Limits) -> None:
    """Refuse JSON nested deeper than ``max_nesting`` (read by a scan, not a parser: Python's
    and pyoxigraph's JSON parsers recurse, and crash on deep enough input)."""
    depth = 0
    for m in _JSON_TOKENS.finditer(data):
        c = m.group()
        if c in (b"[", b"{"):
            depth += 1
            if depth > limits.max_nesting:
                line = data.count(b"\n", 0, m.start()) + 1
                raise limits.refuse(
                    "max_nesting", f"line {line}: the JSON is nested deeper", source=source
                )
        elif c in (b"]", b"}"):
            depth -= 1


# -------------------------------------------------------------------------------- XML

_PREDEFINED = {"amp": 1, "lt": 1, "gt": 1, "quot": 1, "apos": 1}
_REFERENCE = re.compile(r"&([A-Za-z_:][\w.:\-]*);")


class _Prolog(Exception):
    """Raised to stop reading at the first element: the declarations have been read."""


def _check_xml(data: bytes, source: str, limits: Limits) -> None:
    """Refuse what would make an XML parser fetch, or grow without bound (module doc)."""
    entities = _declared_entities(data, source)
    if entities:
        sizes = _expanded_sizes(entities, source, limits)
        body = data.decode("utf-8", "replace")
        total = 0
        for m in _REFERENCE.finditer(body):
            total += sizes.get(m.group(1), 0)
            if total > limits.max_entity_expansion_bytes:
                raise limits.refuse(
                    "max_entity_expansion_bytes",
                    "the XML entity references expand to more text",
                    source=source,
                )
    _check_xml_depth(data, source, limits)


def _declared_entities(data: bytes, source: str) -> dict[str, str]:
    """The internal general entities the DOCTYPE declares, read without expanding any;
    refuse external DOCTYPEs and entities, parameter entities and unparsed entities."""
    found: dict[str, str] = {}
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def doctype(name: str, system_id: str | None, public_id: str | None, internal: int) -> None:
        if system_id or public_id:
            raise RefusedInput(
                f"the DOCTYPE names an external DTD ({system_id or public_id}); claimgraph "
                "never fetches one: remove the DOCTYPE's SYSTEM/PUBLIC part",
                source=source,
            )

    def entity(
        name: str,
        is_parameter: int,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if value is None or is_parameter or notation:
            what = "parameter entity" if is_parameter else "external entity"
            raise RefusedInput(
                f"the DOCTYPE declares the {what} {name!r}; claimgraph reads no external or "
                "parameter entities: write the text in the document instead",
                source=source,
            )
        found[name] = value

    def element(*_: object) -> None:
        raise _Prolog

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except (_Prolog, xml.parsers.expat.ExpatError):
        pass  # the first element, or a syntax error that the RDF/XML parser reports itself
    return found


def _expanded_sizes(entities: dict[str, str], source: str, limits: Limits) -> dict[str, int]:
    """How long each entity's text is once its references are expanded; refuse one that
    refers to itself or expands past the limit on its own."""
    sizes: dict[str, int] = dict(_PREDEFINED)
    visiting: set[str] = set()
    most = limits.max_entity_expansion_bytes

    def size(name: str) -> int:
        if name in sizes:
            return sizes[name]
        if name in visiting:
            raise RefusedInput(f"the XML entity {name!r} refers to itself", source=source)
        if name not in entities:
            return 0  # undeclared: the parser reports it
        visiting.add(name)
        value = entities[name]
        total = len(_REFERENCE.sub("", value).encode())
        for m in _REFERENCE.finditer(value):
            total += size(m.group(1))
            if total > most:
                raise limits.refuse(
                    "max_entity_expansion_bytes",
                    f"the XML entity {name!r} expands to more text",
                    source=source,
                )
        visiting.discard(name)
        sizes[name] = total
        return total

    for name in entities:
        size(name)
    return sizes


def _check_xml_depth(data: bytes, source: str, limits: Limits) -> None:
    """Refuse elements nested deeper than ``max_nesting`` (the RDF/XML parser slows down
    quadratically with depth, then crashes)."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def start(*_: object) -> None:
        nonlocal depth
        depth += 1
        if depth > limits.max_nesting:
            raise limits.refuse(
                "max_nesting",
                f"line {parser.CurrentLineNumber}: XML elements are nested deeper",
                source=source,
            )

    def end(*_: object) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        pass  # the RDF/XML parser reports syntax errors with its own words
