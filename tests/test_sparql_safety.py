"""The SPARQL request check of the library: one lexer, the canonical text every engine runs,
and no request that reaches outside the store — tried against a loopback listener."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from forgery import Listener, hidden_queries, hidden_updates

from claimgraph.errors import ForbiddenQuery, QueryError
from claimgraph.saved_queries import saved_queries
from claimgraph.sparql import canonical, checked_query, checked_update, tokens
from claimgraph.store import Store

LISTENER_URL = "http://127.0.0.1:9/data"  # names only: nothing here is sent anywhere


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


# ------------------------------------------------------------------ the forgery corpus


@pytest.mark.parametrize("name", sorted(hidden_queries(LISTENER_URL)))
def test_hidden_service_and_remote_from_are_refused_by_the_store_without_a_connection(
    name: str, seed_store: Store, listener: Listener
) -> None:
    text = hidden_queries(listener.url)[name]
    before = len(seed_store)
    with pytest.raises(ForbiddenQuery):
        seed_store.query(text)
    assert listener.connections == 0
    assert len(seed_store) == before


@pytest.mark.parametrize("name", sorted(hidden_updates(LISTENER_URL)))
def test_hidden_load_and_service_in_updates_are_refused_without_a_connection(
    name: str, fresh_seed_store: Store, listener: Listener
) -> None:
    text = hidden_updates(listener.url)[name]
    before = len(fresh_seed_store)
    with pytest.raises(ForbiddenQuery):
        fresh_seed_store.update(text)
    assert listener.connections == 0
    assert len(fresh_seed_store) == before


def test_service_after_a_comment_ending_in_a_carriage_return_is_seen() -> None:
    # the bug: rdflib's grammar read everything after '#' up to a line feed as comment,
    # pyoxigraph ended the comment at the carriage return and ran the SERVICE call
    text, found = checked_query("SELECT * WHERE { ?s ?p ?o # c\rSERVICE <http://x/> { } }")
    assert found.service
    assert "#" not in text and "\r" not in text


def test_a_prefix_glued_to_service_reads_as_the_keyword() -> None:
    # pyoxigraph parses `SERVICE:x { }` as `SERVICE :x { }`
    assert checked_query("PREFIX : <http://x/> SELECT * { SERVICE:x { ?s ?p ?o } }")[1].service
    assert checked_update("PREFIX : <http://x/> LOAD:x")[1].load


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s rdfs:label "SERVICE <http://x/> { }" } # SERVICE <http://x/>',
        "SELECT ?service WHERE { ?service a cg:Claim }",
        "SELECT * WHERE { ?s cg:serviceOf ?o }",
        "SELECT * WHERE { ?s ?p <http://example.org/load/service> }",
        'SELECT * WHERE { ?s ?p """a long\nSERVICE <http://x/> { }\nstring""" }',
        "SELECT * WHERE { ?s ?p 'LOAD <http://x/>' }",
    ],
)
def test_text_that_merely_mentions_service_or_load_is_fine(text: str, seed_store: Store) -> None:
    assert not checked_query(text)[1].service
    seed_store.query(text)  # runs


# ------------------------------------------------------------------ canonical text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ASK { } # c\rLIMIT 1", "ASK { } \nLIMIT 1"),
        ("ASK { } # c\r\n", "ASK { } \n"),
        ('ASK { ?s ?p "a\\u0022b" }', 'ASK { ?s ?p "a\\"b" }'),
        ("ASK { ?s ?p 'it''s' }", None),  # two strings, kept
        ("ASK { ?s ?p '''it's''' }", 'ASK { ?s ?p """it\'s""" }'),
        ('ASK { ?s ?p "\\\\u0041" }', 'ASK { ?s ?p "\\\\u0041" }'),
        ("ASK { ?s ?p <http://x/\\u0041> }", "ASK { ?s ?p <http://x/A> }"),
    ],
)
def test_canonical_text(text: str, expected: str | None) -> None:
    out = canonical(text)
    if expected is not None:
        assert out == expected
    assert canonical(out) == out


def test_canonical_text_keeps_line_numbers() -> None:
    text = "SELECT * # one\nWHERE { # two\r?s ?p '''a\nb''' .\n  ?s ?x }"
    assert canonical(text).count("\n") == 4
    with pytest.raises(QueryError, match="line 5, column 10"):  # as the text was sent
        from claimgraph.store import open_store

        open_store(":memory:").query(text)


def test_every_saved_query_gives_the_same_answer_from_its_canonical_text(
    embedded_seed: Store,
) -> None:
    """pyoxigraph reads the canonical text as it reads the original (embedded by nature: it
    compares two texts on the embedded engine)."""
    raw = embedded_seed.raw  # type: ignore[attr-defined]
    for q in saved_queries().values():
        original = raw.query(q.text, prefixes=_prefixes(), use_default_graph_as_union=True)
        clean = raw.query(canonical(q.text), prefixes=_prefixes(), use_default_graph_as_union=True)
        assert _rows(original) == _rows(clean), q.name


def _prefixes() -> dict[str, str]:
    from claimgraph.rdf import PREFIXES

    return PREFIXES


def _rows(result: object) -> object:
    import pyoxigraph as ox

    if isinstance(result, ox.QuerySolutions):
        return sorted(tuple(str(v) for v in row) for row in result)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return sorted(str(t) for t in result)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text,where",
    [
        ('ASK { ?s ?p "never closed }', "line 1, column 13"),
        ("ASK {\n ?s ?p 'a\nb' }", "line 2, column 10"),
        ('ASK { ?s ?p "\\q" }', "line 1, column 14"),
        ("ASK { \\u003F }", "line 1, column 7"),
        ("ASK { ?s ?p <http://x/\\u003E> }", "line 1, column 13"),
        ("ASK { ?s ?p ~ }", "line 1, column 13"),
    ],
)
def test_text_no_sparql_lexer_accepts_is_refused_with_its_position(text: str, where: str) -> None:
    with pytest.raises(QueryError, match=where):
        tokens(text)


# ------------------------------------------------------------------ what an update reaches


def test_from_graphs_are_resolved_with_prefixes_and_base() -> None:
    _, found = checked_query(
        "BASE <http://b/> PREFIX ex: <http://e/> "
        "SELECT * FROM <g> FROM NAMED ex:h FROM cgb:abc WHERE { ?s ?p ?o }"
    )
    assert sorted(found.from_graphs) == [
        "http://b/g",
        "http://e/h",
        "https://w3id.org/claimgraph/batch/abc",
    ]
    with pytest.raises(ForbiddenQuery, match="http://e/h"):
        found.refuse_remote(lambda g: g != "http://e/h")


def test_updates_using_and_with() -> None:
    found = checked_update("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")[1]
    assert found.with_or_using and not found.load
    found = checked_update("INSERT { ?s ?p 1 } USING <http://x/> WHERE { ?s ?p ?o }")[1]
    assert found.from_graphs == ["http://x/"]
    assert not checked_update("INSERT DATA { <urn:a> <urn:b> 'WITH' }")[1].with_or_using


@pytest.mark.parametrize(
    "update,graphs",
    [
        (
            "INSERT DATA { GRAPH cgb:x { <urn:a> <urn:b> <urn:c> } }",
            {"https://w3id.org/claimgraph/batch/x"},
        ),
        (
            "WITH <urn:w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { GRAPH <urn:e> "
            "{ ?s ?p ?o } } }",
            {"urn:w", "urn:e"},
        ),
        (
            "BASE <http://b/> MOVE DEFAULT TO <x> ; COPY <urn:a> TO <urn:b>",
            {"http://b/x", "urn:a", "urn:b"},
        ),
        ("PREFIX g: <urn:g:> DROP GRAPH g:one", {"urn:g:one"}),
        ("INSERT { GRAPH <urn:t> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", None),
        ("DROP ALL", None),
        ("CLEAR NAMED", None),
        ("INSERT DATA { <urn:a> <urn:b> 1 } # x\r; DROP ALL", None),
    ],
)
def test_an_update_reaches_at_most_the_graphs_it_names(
    update: str, graphs: set[str] | None
) -> None:
    found = checked_update(update)[1].graphs
    if graphs is None:
        assert found is None
    else:
        assert found is not None and graphs <= found
