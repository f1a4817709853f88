"""A graph's statements as text rows, serialised by pyoxigraph in native code.

Reading quads one Python object per term costs more than the read itself at scale; the
embedded backend instead asks its store for one graph's statements as a SPARQL result
serialised as TSV (in native code, to a temporary file read as it is written), and splits
the lines.  Each term is decoded only where a caller needs it (:func:`literal_parts`).  Every
term pyoxigraph decodes costs a lookup of its string, so the predicate is not projected: a
small integer stands for it (an ``IF`` chain compares the store's own term ids), mapped back
to the IRI here.

The rows are ``(subject, predicate, object)``: the predicate an IRI, subject and object in
the TSV results syntax (N-Triples terms, numbers and booleans also bare: ``12``, ``true``).
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ..rdf import RDF_TYPE, XSD
from .result_kinds import expect_solutions

__all__ = ["Row", "literal_parts", "native_statement_rows", "statement_rows_of_quads"]

Row = tuple[str, str, str]
"""A statement as ``(subject, predicate IRI, object)`` text (see the module's text)."""

_XSD_STRING = XSD + "string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescaped(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    if char is not None:
        return _ESCAPED.get(char, char)
    return chr(int(short or long, 16))


def literal_parts(text: str) -> tuple[str, str, str] | None:
    """A literal's ``(lexical form, language tag, datatype IRI)`` from its row text (the tag
    ``""`` when it has none); None for an IRI, a blank node or a quoted triple.

    >>> literal_parts('"a\\\\tb"@en')
    ('a\\tb', 'en', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString')
    >>> literal_parts('"3"^^<http://www.w3.org/2001/XMLSchema#integer>')[0]
    '3'
    >>> literal_parts('-1.5e3')[2]
    'http://www.w3.org/2001/XMLSchema#double'
    >>> literal_parts('<urn:x>') is None
    True
    """
    first = text[:1]
    if first == '"':
        end = text.rindex('"')
        body = text[1:end]
        if "\\" in body:
            body = _ESCAPE.sub(_unescaped, body)
        rest = text[end + 1 :]
        if not rest:
            return body, "", _XSD_STRING
        if rest[0] == "@":
            return body, rest[1:], _LANG_STRING
        return body, "", rest[3:-1]  # ^^<datatype>
    if first in ("<", "_", ""):
        return None
    if text in ("true", "false"):
        return text, "", XSD + "boolean"
    if "e" in text or "E" in text:
        return text, "", XSD + "double"
    return text, "", XSD + ("decimal" if "." in text else "integer")


def statement_rows_of_quads(quads: Iterator[ox.Quad]) -> Iterator[Row]:
    """Rows from pyoxigraph quads (what a backend without a native path gives)."""
    for q in quads:
        yield _text(q.subject), q.predicate.value, _text(q.object)


def _text(term: object) -> str:
    """A term's N-Triples text; a triple term's in ``<<( … )>>`` as TSV writes it (its own
    text has no brackets)."""
    return f"<<( {term} )>>" if isinstance(term, ox.Triple) else str(term)


def native_statement_rows(
    store: ox.Store, graph: str, predicates: Sequence[str] | None = None
) -> Iterator[Row]:
    """The statements of named graph ``graph`` of a pyoxigraph store as rows, in the order of
    its quads (with one of ``predicates``, if given: in no particular order)."""
    name = f"<{graph}>"
    if predicates is not None:  # one query for all of them, each predicate a number
        iris = list(dict.fromkeys(predicates))
        if not iris:
            return
        values = " ".join(f"<{p}>" for p in iris)
        query = (
            f"SELECT ?s ?i ?o WHERE {{ VALUES ?p {{ {values} }} GRAPH {name} {{ ?s ?p ?o }} "
            f"BIND({_numbered(iris)} AS ?i) }}"
        )
        for s, i, o in _tsv_rows(store, query):
            yield s, iris[int(i)], o
        return
    # the predicates, most frequent first: a row's IF chain stops early
    counting = (
        f"SELECT ?p WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }} GROUP BY ?p ORDER BY DESC(COUNT(*))"
    )
    counted = expect_solutions(store.query(counting), counting)
    iris = [row[0].value for row in counted]
    if RDF_TYPE in iris:  # compared first whatever its count: most statements of most graphs
        iris.remove(RDF_TYPE)
        iris.insert(0, RDF_TYPE)
    query = f"SELECT ?s ?i ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} BIND({_numbered(iris)} AS ?i) }}"
    for s, i, o in _tsv_rows(store, query):
        yield s, (i[1:-1] if i[0] == "<" else iris[int(i)]), o


def _numbered(iris: Sequence[str]) -> str:
    """A SPARQL expression giving ``?p``'s position in ``iris`` (``?p`` itself for one that
    is not there: none in a session, where the store cannot change)."""
    code = "?p"
    for n in reversed(range(len(iris))):
        code = f"IF(?p = <{iris[n]}>, {n}, {code})"
    return code


def _tsv_rows(store: ox.Store, query: str) -> Iterator[list[str]]:
    """The solutions of ``query`` (every variable bound) as lists of TSV terms.  A literal's
    tabs and line breaks are escaped in TSV: a line is a row.

    pyoxigraph serialises the answer in native code, without the interpreter's lock, to a
    temporary file from a thread of its own (the whole answer of a big graph is hundreds of
    MiB), while this generator splits the lines already written: on two cores the two halves
    of the work overlap."""
    with tempfile.TemporaryDirectory(prefix="claimgraph-rows-") as folder:
        path = Path(folder) / "rows.tsv"
        path.touch()
        failed: list[BaseException] = []

        def serialise() -> None:
            try:  # pyoxigraph's answer is made, used and dropped in this thread
                result = expect_solutions(store.query(query), query)
                try:
                    result.serialize(str(path), format=ox.QueryResultsFormat.TSV)
                finally:
                    del result
            except BaseException as e:  # noqa: BLE001 - raised by the reader below
                failed.append(e.with_traceback(None))

        writer = threading.Thread(target=serialise, name="claimgraph-rows", daemon=True)
        writer.start()
        try:
            with path.open("rb") as file:
                yield from _lines_as_written(file, writer)
        finally:
            writer.join()
        if failed:
            raise failed[0]


_WAIT = 0.0005
"""Seconds the reader waits for more of a file still being written."""

_CHUNK = 1 << 20
"""Bytes read at once."""


def _lines_as_written(file: BinaryIO, writer: threading.Thread) -> Iterator[list[str]]:
    """The TSV rows of ``file`` (its header left out) while ``writer`` writes it, then the
    rest: a line is split only once its line break is there, however long it is (an
    article's text is one literal)."""
    first = True
    pending = bytearray()  # the start of a line whose break is not read yet
    while True:
        done = not writer.is_alive()  # looked at before the read: nothing comes after it
        chunk = file.read(_CHUNK)
        if not chunk:
            if done:
                if pending:
                    raise ValueError("a TSV row without its line break")
                return
            time.sleep(_WAIT)
            continue
        end = chunk.rfind(b"\n")
        pending += chunk
        if end < 0:
            continue
        cut = len(pending) - len(chunk) + end
        rows = pending[:cut].decode("utf-8").split("\n")
        del pending[: cut + 1]
        if first:
            rows, first = rows[1:], False  # the header
        for line in rows:
            yield line.split("\t")
