"""Property-based tests (hypothesis) of the inputs strangers control: claim records, saved-query
parameters, Accept headers and SPARQL text.

Short in CI (the ``ci`` profile of conftest.py); ``HYPOTHESIS_PROFILE=long`` runs thousands
of examples each::

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q tests/test_fuzz.py
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest
import yaml
from forgery import Listener, hidden_queries, hidden_updates
from hypothesis import assume, example, given
from hypothesis import strategies as st

from claimgraph.errors import ForbiddenQuery, ParseError, QueryError, UsageError
from claimgraph.limits import LimitExceeded
from claimgraph.records import CONTEXT_URL, context, parse_records
from claimgraph.saved_queries import saved_queries
from claimgraph.server.negotiation import TABLES, choose
from claimgraph.sparql import checked_query, safe_query, safe_update


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with Listener() as lst:
        yield lst


# ---------------------------------------------------------------- the record loader

KEYS = sorted(k for k in context() if not k.startswith("@")) + [
    "@id",
    "@type",
    "@context",
    "@graph",
    "@value",
    "@language",
    "@list",
    "@reverse",
    "@included",
    "@nest",
    "id",
    "type",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["cgi:x", "cg:Claim", "http://127.0.0.1:9/ctx", CONTEXT_URL, "_:b", ""])
)


def _documents() -> st.SearchStrategy[Any]:
    keys = st.sampled_from(KEYS) | st.text(max_size=12)
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6),
        max_leaves=40,
    )


def _serialised(doc: Any, how: str) -> bytes:
    if how == "json":
        return json.dumps(doc, allow_nan=True).encode()
    return yaml.safe_dump(doc, allow_unicode=True).encode()


def _loads(data: bytes, listener: Listener) -> None:
    before = listener.connections
    try:
        quads = parse_records(data, source="fuzz.yaml")
    except (ParseError, LimitExceeded):
        pass
    else:
        assert all(isinstance(q, ox.Quad) for q in quads)
    assert listener.connections == before  # a remote @context is never fetched


@given(doc=_documents(), how=st.sampled_from(["json", "yaml"]))
@example(doc={"@context": []}, how="json")  # an IndexError, once
def test_any_record_document_is_quads_or_a_parse_error(
    doc: Any, how: str, listener: Listener
) -> None:
    text = _serialised(doc, how).replace(b"http://127.0.0.1:9/ctx", listener.url.encode())
    _loads(text, listener)


@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_are_quads_or_a_parse_error(data: bytes, listener: Listener) -> None:
    _loads(data, listener)


SEED_RECORD = b"""id: cgi:claim-fuzz
type: Claim
claimText: "Talks will resume."
claimant: cgi:russia
statedIn: { id: cgi:article-fuzz, type: NewsArticle }
date: 2025-05-16
"""


@given(
    cut=st.integers(0, len(SEED_RECORD)),
    insert=st.text(alphabet="{}[]:&*!|>-#'\"\n\t @%", max_size=8),
)
def test_a_damaged_record_is_quads_or_a_parse_error(
    cut: int, insert: str, listener: Listener
) -> None:
    _loads(SEED_RECORD[:cut] + insert.encode() + SEED_RECORD[cut:], listener)


# ---------------------------------------------------------------- parameter binding

PARAMETERS = [(q, p) for q in saved_queries().values() for p in q.parameters]


@pytest.mark.parametrize(
    ("query", "name"), [(q.name, p.name) for q, p in PARAMETERS], ids=lambda v: str(v)
)
@given(value=st.text(max_size=60) | st.sampled_from(["cgi:x", "1", "2025-05-16", "true"]))
@example(value="A:\x08")  # control characters in an IRI: a 500, once
@example(value="A:\x7f")
def test_any_parameter_value_is_a_term_or_a_usage_error(query: str, name: str, value: str) -> None:
    q = saved_queries()[query]
    others = {p.name: p.default or "cgi:x" for p in q.parameters if p.name != name}
    try:
        bound = q.bindings({**others, name: value})
    except UsageError:
        return
    parameter = q.parameter(name)
    term = bound.get(parameter.variable)
    if term is None:  # empty text: the default, if any, applies
        assert value == "" and not parameter.required
        return
    if parameter.kind == "literal" or parameter.kind.startswith("lang:"):
        assert isinstance(term, ox.Literal) and term.value == (value or parameter.default)
    # bound as a term, never spliced: the query runs (on an empty store) or is refused
    store = ox.Store()
    store.query(q.text, substitutions={ox.Variable(k): v for k, v in bound.items()})


# ---------------------------------------------------------------- content negotiation

MEDIA = st.sampled_from(
    [
        "*/*",
        "text/*",
        "application/*",
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/json",
        "text/html",
        "image/png",
    ]
)


@st.composite
def _accept(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        media = draw(MEDIA | st.text(max_size=15))
        if draw(st.booleans()):
            media += f";q={draw(st.sampled_from(['0', '0.5', '1', '1.0', 'x', '-1', '2']))}"
        if draw(st.booleans()):
            media += ";" + draw(st.text(max_size=10))
        parts.append(media)
    return draw(st.sampled_from([",", ", ", " ,"])).join(parts)


@given(
    kind=st.sampled_from(sorted(TABLES)),
    accept=st.none() | _accept() | st.text(max_size=60),
    format=st.none() | st.text(max_size=12) | st.sampled_from(["json", "csv", "ttl", "xml"]),
)
def test_any_accept_header_is_a_format_or_406(
    kind: str, accept: str | None, format: str | None
) -> None:
    chosen = choose(kind, accept, format)
    assert chosen is None or chosen in TABLES[kind]


# ---------------------------------------------------------------- the SPARQL safety check

LINE_ENDS = ["\n", "\r", "\r\n"]


@st.composite
def _gap(draw: st.DrawFn) -> str:
    """Whitespace and comments, ended every way the grammar allows."""
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["space", "comment", "comment-trap"]))
        if kind == "space":
            pieces.append(draw(st.sampled_from([" ", "\t", *LINE_ENDS])))
        else:
            noise = draw(st.text(alphabet=" x}{#<>'\"\\SERVICE", max_size=12))
            noise = noise.replace("\r", "").replace("\n", "")
            end = draw(st.sampled_from(LINE_ENDS))
            trap = " SERVICE <x> { " if kind == "comment-trap" else ""
            pieces.append(f"#{noise}{trap}{end}")
    return "".join(pieces)


def _escaped(text: str, draw: st.DrawFn) -> str:
    """``text`` with some letters written as \\u escapes."""
    return "".join(f"\\u{ord(c):04X}" if c.isalpha() and draw(st.booleans()) else c for c in text)


@st.composite
def _hidden_service(draw: st.DrawFn, url: str) -> str:
    """A query that may call ``url`` through SERVICE, written in many ways."""
    g = draw(_gap())
    how = draw(st.sampled_from(["iri", "escaped", "prefixed", "relative"]))
    prologue = ""
    if how == "iri":
        target = f"<{url}>"
    elif how == "escaped":
        target = f"<{_escaped(url, draw)}>"
    elif how == "prefixed":
        base, _, last = url.rpartition("/")
        prologue = f"PREFIX s{g}:{g}<{base}/>{g}"
        target = f"s:{last}"
    else:
        base, _, last = url.rpartition("/")
        prologue = f"BASE{g}<{base}/>{g}"
        target = f"<{last}>"
    keyword = draw(st.sampled_from(["SERVICE", "service", "SeRvIcE"]))
    silent = draw(st.sampled_from(["", f"{g}SILENT"]))
    glue = draw(st.sampled_from(["", g]))  # SERVICE<iri>, SERVICEs:x
    service = f"{keyword}{silent}{glue}{target}{glue}{{{g}?s{g}?p{g}?o{g}}}"
    if draw(st.booleans()) and how == "iri":  # the service named by a variable
        service = f"VALUES{g}?e{g}{{{g}{target}{g}}}{g}{keyword}{g}?e{g}{{ ?s ?p ?o }}"
    where = draw(
        st.sampled_from(
            [
                "{0}",
                "{{ ?a ?b ?c }} UNION {{ {0} }}",
                "OPTIONAL {{ {0} }}",
                "{{ SELECT * WHERE {{ {0} }} }}",
                "FILTER EXISTS {{ {0} }}",
                "GRAPH ?g {{ {0} }}",
            ]
        )
    ).format(service)
    lead = draw(st.sampled_from(["", "# a comment\r", "ASK {} #\r\n"]))
    return f"{lead}{prologue}SELECT{g}*{g}WHERE{g}{{{g}{where}{g}}}"


def _pyoxigraph_reaches(text: str, listener: Listener, *, update: bool = False) -> bool:
    """The oracle: whether pyoxigraph itself, given ``text``, connects to the listener (or
    tries to: an error about the service)."""
    before = listener.connections
    store = ox.Store()
    try:
        if update:
            store.update(text)
        else:
            result = store.query(text)
            if isinstance(result, ox.QuerySolutions):
                list(result)
    except SyntaxError:
        return False
    except (OSError, RuntimeError, ValueError) as e:
        if listener.connections > before:
            return True
        return "service" in str(e).lower() or "http" in str(e).lower()
    return listener.connections > before


@pytest.mark.parametrize("name", ["plain", "escaped-iri", "prefix-glued", "sub-select"])
def test_the_oracle_sees_a_service_call(name: str, listener: Listener) -> None:
    """The oracle is live: pyoxigraph, left to itself, does call out for these."""
    assert _pyoxigraph_reaches(hidden_queries(listener.url)[name], listener)


@pytest.mark.parametrize("name", ["load", "load-comment-cr", "load-escaped"])
def test_the_oracle_sees_a_load(name: str, listener: Listener) -> None:
    assert _pyoxigraph_reaches(hidden_updates(listener.url)[name], listener, update=True)


@given(data=st.data())
def test_no_generated_query_hides_a_service_call_from_the_check(
    data: st.DataObject, listener: Listener
) -> None:
    text = data.draw(_hidden_service(listener.url))
    try:
        runs = safe_query(text, lambda graph: False)
    except ForbiddenQuery:
        return  # refused: nothing ran
    except (QueryError, LimitExceeded):
        return  # refused as malformed or too big: nothing ran
    for candidate in (text, runs):  # what was sent, and what the engine would run
        assert not _pyoxigraph_reaches(candidate, listener), f"let through: {candidate!r}"


@st.composite
def _hidden_load(draw: st.DrawFn, url: str) -> str:
    g = draw(_gap())
    target = draw(st.sampled_from([f"<{url}>", f"<{_escaped(url, draw)}>"]))
    load = f"{draw(st.sampled_from(['LOAD', 'load']))}{g}{target}"
    return draw(
        st.sampled_from(
            [
                load,
                f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}{g};{g}{load}",
                f"INSERT DATA {{ <urn:a> <urn:b> 'x' }} #{g.strip()}\r;{load}",
            ]
        )
    )


@given(data=st.data())
def test_no_generated_update_hides_a_load_from_the_check(
    data: st.DataObject, listener: Listener
) -> None:
    text = data.draw(_hidden_load(listener.url))
    try:
        runs = safe_update(text, lambda graph: False)
    except (QueryError, LimitExceeded):
        return
    for candidate in (text, runs):
        assert not _pyoxigraph_reaches(candidate, listener, update=True), candidate


@given(text=st.text(max_size=200) | _hidden_service("urn:x/y"))
def test_the_canonical_text_is_a_fixed_point(text: str) -> None:
    try:
        canonical, _ = checked_query(text)
    except (QueryError, LimitExceeded):
        return
    again, _ = checked_query(canonical)
    assert again == canonical


@given(
    text=st.text(
        alphabet=st.sampled_from(list("SELCTWHR{}<>?#'\"\\:;.,()\r\n\t ux0123456789aAbB_-")),
        max_size=120,
    )
)
def test_any_text_is_a_canonical_query_or_a_query_error(text: str) -> None:
    try:
        canonical, _ = checked_query(text)
    except (QueryError, LimitExceeded):
        return
    assume(canonical)
    assert checked_query(canonical)[0] == canonical
