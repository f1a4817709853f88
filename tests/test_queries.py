"""Saved queries: their headers, parameters (grlc's convention, bound as RDF terms), the
pyoxigraph projection rule, and running them from Python, the CLI and HTTP."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from backends import Backend, known_difference
from click.testing import Result
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from claimgraph.errors import NotFound, QueryError, UsageError
from claimgraph.queries import (
    MissingParameter,
    SavedQuery,
    get_query,
    parse_saved_query,
    saved_queries,
)
from claimgraph.rdf import PREFIXES, compact
from claimgraph.saved_queries import Page
from claimgraph.sparql import Token, tokens
from claimgraph.statements import STANDINGS
from claimgraph.store import OxigraphStore, Store

REPO = Path(__file__).resolve().parents[1]
QUERIES = sorted(saved_queries())
XSD = "http://www.w3.org/2001/XMLSchema#"

EVERYDAY = {
    "claims-by-actor",
    "claims-reported-by",
    "claims-about-event",
    "cq11-timeline",
    "participants",
    "anonymous-sources",
    "evidence-coverage",
}
"""The everyday questions issue 4 names (the timeline is also CQ11)."""


def rows(result: Any, *columns: str) -> list[tuple[str | None, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    out = []
    for row in result:
        out.append(
            tuple(
                None
                if (t := row[c]) is None
                else compact(t.value)
                if isinstance(t, ox.NamedNode)
                else t.value
                for c in columns
            )
        )
    return out


# ------------------------------------------------------------------------ the files themselves


def test_the_folder_ships_every_query_and_the_everyday_ones() -> None:
    on_disk = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
    assert on_disk == QUERIES
    assert EVERYDAY <= set(QUERIES)
    assert len(QUERIES) >= 21


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_has_a_grlc_header(name: str) -> None:
    q = saved_queries()[name]
    text = (REPO / "queries" / f"{name}.rq").read_text("utf-8")
    assert text.startswith("#+ summary: ")
    assert q.summary and len(q.summary) < 120
    assert len(q.description) > 80
    assert q.tags
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    # every default names a parameter the query has
    assert set(_grlc_defaults(q)) <= {p.name for p in q.parameters}


def _grlc_defaults(q: SavedQuery) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in q.decorators.get("defaults") or []:  # type: ignore[union-attr]
        out.update(item)
    return out


# grlc's own reading of parameters (grlc/gquery.py, get_parameters), over the whole file as
# grlc reads it, header included.
_GRLC = re.compile(
    r"\?(?P<required>[_]{1,2})(?P<name>[a-zA-Z0-9]+)"
    r"([_](?P<type>(iri)|(number)|(literal)|(integer)))?"
    r"([_](?P<prefix>[a-zA-Z0-9]+)[_](?P<userdefined>[a-zA-Z0-9]+))?"
    r"([_](?P<lang>[a-zA-Z0-9]+))?"
)


@pytest.mark.parametrize("name", QUERIES)
def test_grlc_reads_the_parameters_as_we_do(name: str) -> None:
    q = saved_queries()[name]
    ours = {p.name: p for p in q.parameters}
    seen = set()
    for m in _GRLC.finditer(q.text):
        p = ours[m["name"]]
        seen.add(p.name)
        # grlc replaces match.group(0) in the text: it must be the whole variable
        assert m.group(0) == "?" + p.variable
        assert (len(m["required"]) == 1) == p.required
        if m["type"] == "integer":
            assert p.kind == XSD + "integer"
        elif m["type"]:
            assert p.kind == m["type"]
        elif m["prefix"]:
            assert p.kind == PREFIXES[m["prefix"]] + m["userdefined"]
        elif m["lang"]:
            assert p.kind == "lang:" + m["lang"]
        else:
            assert p.kind == "literal"
        default = _grlc_defaults(q).get(p.name)
        assert default == p.default or str(default).lower() == p.default
        if p.kind == "iri" and p.default:
            assert p.default.startswith(("http://", "https://")), "grlc needs full IRIs"
    assert seen == set(ours)


def _projects(node: Any) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        if node.name == "Project":
            yield node
        for value in node.values():
            yield from _projects(value)
    elif isinstance(node, (list, tuple, set)):
        for value in node:
            yield from _projects(value)


def _used(node: Any, top: bool = True) -> set[Variable]:
    """Variables used under ``node``, not looking inside nested sub-selects (whose projected
    variables are what the outside sees)."""
    if isinstance(node, Variable):
        return {node}
    if isinstance(node, CompValue):
        if node.name == "Project" and not top:
            return set(node["PV"])
        return set().union(*(_used(v, False) for v in node.values()))
    if isinstance(node, (list, tuple, set)):
        return set().union(*(_used(v, False) for v in node))
    return set()


def _code(text: str) -> list[Token]:
    return [t for t in tokens(text) if t.kind not in ("ws", "comment")]


@pytest.mark.parametrize("name", QUERIES)
def test_no_parameter_is_projected_or_grouped_by(name: str) -> None:
    """grlc writes the value in place of the variable everywhere, and ``SELECT <iri>`` or
    ``GROUP BY "2"^^xsd:integer`` is no SPARQL: a parameter appears only where a term may."""
    q = saved_queries()[name]
    params = {Variable(p.variable) for p in q.parameters}
    algebra = prepareQuery(q.text).algebra  # grlc parses with rdflib too
    assert algebra.name == "SelectQuery"
    for project in _projects(algebra):
        assert not params & set(project["PV"]), f"{name} projects {params & set(project['PV'])}"
    code = _code(q.text)
    for k, t in enumerate(code):
        if t.upper == "BY" and code[k - 1].upper == "GROUP":
            for after in code[k + 1 :]:
                if after.kind != "var":
                    break
                assert after.text[1:] not in {p.variable for p in q.parameters}, after.text


@pytest.mark.parametrize("name", QUERIES)
def test_every_parameter_gets_to_every_select_that_uses_it(name: str) -> None:
    """pyoxigraph binds a value only to a variable the SELECT projects, and a sub-select has
    its own variables: the text claimgraph runs lists every bound parameter in each
    (sub-)select that uses it, and in nothing else."""
    q = saved_queries()[name]
    bound = {p.variable for p in q.parameters}
    text, added = q.prepared(bound)
    params = {Variable(v) for v in bound}
    algebra = prepareQuery(text).algebra
    assert params & _used(algebra) <= set(algebra["PV"])
    assert added == {v.toPython()[1:] for v in params & set(algebra["PV"])}
    for project in _projects(algebra):
        used = _used(project) & params
        assert used == set(project["PV"]) & params, f"a sub-select uses {used}"


@pytest.mark.parametrize("name", QUERIES)
def test_every_parameter_is_optional_and_its_default_is_in_the_query(
    seed_store: Store, name: str
) -> None:
    """grlc applies no default and refuses a call without a required parameter: every
    parameter is optional, and a query without it answers as with its header's default."""
    q = saved_queries()[name]
    for p in q.parameters:
        assert not p.required, f"{p.variable}: grlc would refuse a call without it"
        if p.default is None:
            continue
        # both over every graph of the store, as an endpoint without claimgraph's standings
        with_default = _rows_of(q.run(seed_store, {p.name: p.default}, standings=None))
        without = _rows_of(seed_store.query(q.text))  # as grlc (or any engine) runs the file
        assert without == with_default, p.name


def _rows_of(result: Any) -> list[tuple[str, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) for n in names) for row in result)


@pytest.mark.parametrize("name", QUERIES)
def test_the_file_reads_as_grlc_needs(name: str) -> None:
    """grlc strips every LIMIT/OFFSET and appends its own page window to the file's text,
    inserts an xsd: prefix before every SELECT when a typed value needs one and the exact
    declaration is missing, and ``BOUND(<iri>)`` is no SPARQL."""
    q = saved_queries()[name]
    text = (REPO / "queries" / f"{name}.rq").read_text("utf-8")
    code = _code(text)
    assert not [t for t in code if t.upper in ("LIMIT", "OFFSET")]
    assert q.pagination == 100
    assert not text.rstrip().splitlines()[-1].lstrip().startswith("#")
    typed = [p for p in q.parameters if p.kind.startswith(XSD)]
    if typed:
        assert "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>" in text
    for k, t in enumerate(code[:-2]):
        if t.upper == "BOUND":
            assert code[k + 2].text[1:] not in {p.variable for p in q.parameters}


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_runs_with_every_parameter_bound(seed_store: Store, name: str) -> None:
    q = saved_queries()[name]
    samples = {
        "iri": "cgi:istanbul-talks",
        "literal": "talks",
        XSD + "boolean": "true",
        XSD + "integer": "1",
    }
    values = {p.name: p.default or samples[p.kind] for p in q.parameters}
    result = q.run(seed_store, values)
    assert isinstance(result, ox.QuerySolutions)
    list(result)


SILENT_BY_DEFAULT = {"cq03-mediators", "revision-changes"}
"""Queries the seed article alone does not answer: it names no mediator and does not say
what its update changed (the background cites the mediator, the modellers judge the
update). Everything else answers from what the article says."""


def compares_articles(name: str) -> bool:
    """A query tagged ``cross-article`` compares articles (outlets, rounds): one article may
    give it nothing to say (tests/test_resolution.py checks their answers on eight)."""
    return "cross-article" in get_query(name).tags


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_answers_on_the_seed_without_arguments(seed_store: Store, name: str) -> None:
    """What the CLI and /api/queries/NAME give with no parameters: at least one row from what
    the article says (or, for the questions it does not answer, none until cited and judged
    statements are included), in milliseconds once the store knows the query (Virtuoso spends
    about a second compiling the larger ones the first time it sees their text, then answers
    from its plan cache).  The embedded store evaluates in this process, so its bound is on
    CPU time, which a loaded machine does not stretch; a server's time is only seen as wall
    time, under a looser bound."""
    list(get_query(name).run(seed_store))  # the first sight of the text
    embedded = isinstance(seed_store, OxigraphStore)
    clock = time.process_time if embedded else time.perf_counter
    start = clock()
    result = get_query(name).run(seed_store)
    assert isinstance(result, ox.QuerySolutions)
    rows = list(result)
    assert clock() - start < (0.5 if embedded else 2.0)
    everything = get_query(name).run(seed_store, standings=STANDINGS)
    assert isinstance(everything, ox.QuerySolutions)
    if compares_articles(name):
        return
    assert bool(rows) != (name in SILENT_BY_DEFAULT)
    assert list(everything)


def test_every_query_is_documented() -> None:
    docs = (REPO / "docs" / "queries.md").read_text("utf-8")
    documented = set(re.findall(r"^### ([a-z0-9-]+)$", docs, flags=re.M))
    assert documented == set(QUERIES)


# ------------------------------------------------------------------------------ parameters


def test_parameter_types_follow_grlc_suffixes() -> None:
    q = parse_saved_query(
        "t",
        (
            "SELECT ?_a_iri ?_n_integer ?__d_xsd_date ?_w_en ?_s ?__b_xsd_boolean ?_x_number "
            "WHERE {}"
        ),
    )
    kinds = {p.name: (p.kind, p.required, p.type) for p in q.parameters}
    assert kinds == {
        "a": ("iri", True, "iri"),
        "n": (XSD + "integer", True, "xsd:integer"),
        "d": (XSD + "date", False, "xsd:date"),
        "w": ("lang:en", True, "string@en"),
        "s": ("literal", True, "string"),
        "b": (XSD + "boolean", False, "xsd:boolean"),
        "x": ("number", True, "number"),
    }
    b = q.bindings(
        {
            "a": "cgi:russia",
            "n": "3",
            "d": "2025-05-16",
            "w": "talks",
            "s": "x",
            "b": "TRUE",
            "x": "2.5",
        }
    )
    assert b["_a_iri"] == ox.NamedNode("https://w3id.org/claimgraph/id/russia")
    assert b["_n_integer"] == ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))
    assert b["__d_xsd_date"] == ox.Literal("2025-05-16", datatype=ox.NamedNode(XSD + "date"))
    assert b["_w_en"] == ox.Literal("talks", language="en")
    assert b["_s"] == ox.Literal("x")
    assert b["__b_xsd_boolean"] == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    assert b["_x_number"] == ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal"))


@pytest.mark.parametrize(
    "value, message",
    [
        ("three", "must be an xsd:integer"),
        ("", "needs parameter 'n'"),
    ],
)
def test_malformed_or_missing_values_are_clear_errors(value: str, message: str) -> None:
    q = parse_saved_query("t", "SELECT ?_n_integer WHERE {}")
    with pytest.raises(UsageError, match=message):
        q.bindings({"n": value})


def test_a_missing_parameter_names_it() -> None:
    q = parse_saved_query("t", "SELECT ?_actor_iri ?x WHERE { ?x ?p ?_actor_iri }")
    with pytest.raises(MissingParameter) as info:
        q.bindings({})
    assert info.value.parameter == "actor"
    assert "--param actor=" in str(info.value)
    with pytest.raises(UsageError, match="no parameter 'actr'; its parameters: actor"):
        q.bindings({"actr": "cgi:x"})


@pytest.mark.parametrize("variable", ["?_min_sources_integer", "?_a_iri_en"])
def test_parameter_names_grlc_would_misread_are_refused(variable: str) -> None:
    with pytest.raises(UsageError, match="parameter"):
        parse_saved_query("t", f"SELECT {variable} WHERE {{}}")


def test_header_indentation_is_kept_as_grlc_keeps_it() -> None:
    q = parse_saved_query(
        "t",
        (
            "#+ summary: S\n#+ description: >-\n#+   two\n#+   lines\n#+ tags:\n#+   - a\n"
            "#+ defaults:\n#+   - who: https://example.org/x\n"
            "SELECT ?_who_iri WHERE {}"
        ),
    )
    assert (q.summary, q.description, q.tags) == ("S", "two lines", ("a",))
    assert q.parameters[0].default == "https://example.org/x"
    with pytest.raises(UsageError, match="malformed #\\+ header"):
        parse_saved_query("t", "#+ summary: [unclosed\nSELECT * {}")


@pytest.mark.parametrize(
    "value",
    [
        "cgi:x> } ; DROP ALL ; SELECT * { <a",
        "https://example.org/a b",
        "not an iri",
    ],
)
def test_iri_values_cannot_break_out(value: str) -> None:
    q = parse_saved_query("t", "SELECT ?_x_iri WHERE {}")
    with pytest.raises(UsageError, match="is not an IRI"):
        q.bindings({"x": value})


def test_literal_values_are_bound_not_spliced(fresh_seed_store: OxigraphStore) -> None:
    """grlc splices values into the text (its issue #101); here a hostile value is just a
    string that matches nothing, and the store is unchanged."""
    before = len(fresh_seed_store)
    hostile = '") } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("'
    result = get_query("cq05-unrealistic-demands").run(fresh_seed_store, {"word": hostile})
    assert rows(result, "claim") == []
    assert len(fresh_seed_store) == before


@pytest.mark.parametrize(
    "value", ["zelensky", " zelensky ", "cgi:zelensky", "<https://w3id.org/claimgraph/id/zelensky>"]
)
def test_an_iri_parameter_takes_a_bare_id_as_trace_does(value: str) -> None:
    """Regression (issue 16): ``--param actor=zelensky`` was refused while ``trace`` reads
    bare ids; it is read as cgi:zelensky."""
    q = get_query("claims-by-actor")
    assert q.bindings({"actor": value})["__actor_iri"] == ox.NamedNode(
        "https://w3id.org/claimgraph/id/zelensky"
    )


def test_a_value_that_is_no_iri_says_what_to_write() -> None:
    with pytest.raises(UsageError, match="a bare id such as zelensky"):
        get_query("claims-by-actor").bindings({"actor": "zelensky putin"})


@pytest.mark.parametrize("reserved", ["page", "limit", "offset", "format"])
def test_a_parameter_cannot_be_named_like_the_paging(reserved: str) -> None:
    with pytest.raises(UsageError, match=f"cannot be called '{reserved}'"):
        parse_saved_query("t", f"SELECT ?s WHERE {{ ?s ?p ?__{reserved}_iri }}")


def test_a_parameter_reaches_a_sub_select_and_an_aggregate(seed_store: Store) -> None:
    """The value is bound in a sub-select that uses it (its own scope) and in an aggregating
    SELECT without GROUP BY, as grlc's text replacement would put it there."""
    q = parse_saved_query(
        "t",
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?c WHERE { ?c cg:claimant ?__who_iri } } }",
    )
    counted = q.run(seed_store, {"who": "cgi:zelensky"})
    assert isinstance(counted, ox.QuerySolutions)
    assert [v.value for v in counted.variables] == ["n"]
    n = int(next(iter(counted))["n"].value)
    everyone = int(next(iter(q.run(seed_store)))["n"].value)
    assert 0 < n < everyone


def test_select_star_with_a_parameter_in_a_filter_says_what_to_do(
    seed_store: Store, backend: Backend
) -> None:
    """pyoxigraph binds a value only to a projected variable: on the embedded store a
    ``SELECT *`` whose parameter is used only in an expression is refused with what to do; a
    server takes the value in a VALUES block and answers."""
    q = parse_saved_query("t", "SELECT * WHERE { ?c cg:claimant ?who FILTER (?who = ?__x_iri) }")
    if backend.server is not None:
        rows = list(q.run(seed_store, {"x": "cgi:zelensky"}))  # type: ignore[arg-type]
        assert rows and all(r["who"].value.endswith("/zelensky") for r in rows)
        return
    with pytest.raises(QueryError, match="list the variables"):
        q.run(seed_store, {"x": "cgi:zelensky"})


# ------------------------------------------------------------------------------------ paging


def _ids(result: Any) -> list[tuple[str, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(str(row[n]) for n in names) for row in result]


def test_a_page_is_a_window_on_the_rows(seed_store: Store) -> None:
    q = get_query("claims")
    every = _ids(q.run(seed_store))
    assert len(every) > 8
    assert _ids(q.run(seed_store, page=Page(3, 2))) == every[2:5]
    assert _ids(q.run(seed_store, page=Page.of(page=2, size=4))) == every[4:8]
    assert _ids(q.run(seed_store, page=Page(5, len(every) - 2))) == every[-2:]
    own = parse_saved_query("own", q.text + "LIMIT 6 OFFSET 1\n")
    assert _ids(own.run(seed_store)) == every[1:7]
    assert _ids(own.run(seed_store, page=Page(4, 3))) == every[4:7]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"limit": -1}, "limit must be"),
        ({"page": 0, "size": 10}, "page must be"),
        ({"page": 2, "offset": 3, "size": 10}, "page or offset"),
        ({"page": 2}, "page size"),
    ],
)
def test_nonsense_windows_are_refused(args: dict[str, int], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        Page.of(**args)


def test_http_pages_as_grlc_does(client: Any) -> None:
    every = client.get("/api/queries/claims?format=json").json["results"]["bindings"]
    assert len(every) > 10
    first = client.get("/api/queries/claims?page=1&limit=4&format=json")
    assert first.status_code == 200
    assert first.json["results"]["bindings"] == every[:4]
    assert (
        '<http://localhost/api/queries/claims?limit=4&format=json&page=2>; rel="next"'
        in (first.headers["Link"])
    )
    assert 'rel="prev"' not in first.headers["Link"]
    second = client.get("/api/queries/claims?page=2&limit=4&format=json")
    assert second.json["results"]["bindings"] == every[4:8]
    assert "page=1" in second.headers["Link"] and 'rel="prev"' in second.headers["Link"]
    by_offset = client.get("/api/queries/claims?limit=4&offset=4&format=json")
    assert by_offset.json["results"]["bindings"] == every[4:8]
    assert "offset=8" in by_offset.headers["Link"]
    last = client.get(f"/api/queries/claims?limit=4&offset={len(every) - 2}&format=json")
    assert last.json["results"]["bindings"] == every[-2:]
    assert 'rel="next"' not in last.headers["Link"]
    # the query's own page size (#+ pagination: 100), as grlc's ?page=1
    assert (
        client.get("/api/queries/claims?page=1&format=json").json
        == client.get("/api/queries/claims?format=json").json
    )
    for bad in ("limit=x", "limit=-2", "page=0", "page=1&offset=3", "limit=1&limit=2"):
        reply = client.get(f"/api/queries/claims?{bad}")
        assert reply.status_code == 400, bad
        assert reply.json["error"]["detail"]


def test_http_listing_of_queries_pages(client: Any) -> None:
    reply = client.get("/api/queries?limit=5&offset=5")
    assert reply.status_code == 200
    assert [q["name"] for q in reply.json] == list(saved_queries())[5:10]
    assert reply.headers["Claimgraph-Total"] == str(len(QUERIES))
    assert "offset=10" in reply.headers["Link"] and 'rel="prev"' in reply.headers["Link"]


# --------------------------------------------------------------- hiding what is not current


def _add(store: OxigraphStore, turtle: str) -> None:
    """Add ``turtle`` as a batch without declarations: it stands cited (to no file), so the
    tests below read every standing."""
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse((prefixes + turtle).encode(), ox.RdfFormat.TURTLE)
    ]
    store.add_batch("https://w3id.org/claimgraph/batch/test", triples, [])


def test_retracted_claims_are_hidden_unless_asked(fresh_seed_store: OxigraphStore) -> None:
    _add(fresh_seed_store, "cgi:claim-russian-demands-unrealistic cg:retracted true .")
    unrealistic = get_query("cq05-unrealistic-demands")
    assert rows(unrealistic.run(fresh_seed_store, standings=STANDINGS), "claim") == []
    shown = unrealistic.run(fresh_seed_store, {"includeRetracted": "true"}, standings=STANDINGS)
    assert rows(shown, "claim") == [("cgi:claim-russian-demands-unrealistic",)]
    assert ("cgi:claim-russian-demands-unrealistic",) not in rows(
        get_query("cq07-anonymous-only-claims").run(fresh_seed_store, standings=STANDINGS),
        "claim",
    )
    flagged = rows(
        get_query("claims").run(
            fresh_seed_store, {"includeRetracted": "true"}, standings=STANDINGS
        ),
        "claim",
        "flags",
    )
    assert ("cgi:claim-russian-demands-unrealistic", "retracted") in flagged


def test_superseded_claims_are_hidden_unless_asked(fresh_seed_store: OxigraphStore) -> None:
    _add(
        fresh_seed_store,
        """
        cgi:claim-bilateral-three-hours a cg:Statement ;
            cg:claimText "The meeting lasted three hours."@en ;
            cg:claimant cgi:seed-outlet ;
            cg:aboutEvent cgi:bilateral-meeting ;
            cg:statedProperty cg:duration ;
            cg:statedValue "PT3H"^^xsd:duration ;
            cg:supersedes cgi:claim-bilateral-two-hours .
    """,
    )
    durations = get_query("cq08-meeting-durations")
    bilateral = [
        r
        for r in rows(
            durations.run(fresh_seed_store, standings=STANDINGS), "meeting", "duration", "claim"
        )
        if r[0] == "cgi:bilateral-meeting"
    ]
    assert bilateral == [("cgi:bilateral-meeting", "PT3H", "cgi:claim-bilateral-three-hours")]
    everything = rows(
        durations.run(fresh_seed_store, {"includeRetracted": "true"}, standings=STANDINGS),
        "claim",
    )
    assert ("cgi:claim-bilateral-two-hours",) in everything


def test_proposed_events_are_hidden_from_who_attended_what(seed_store: Store) -> None:
    participants = get_query("participants")
    events = {r[0] for r in rows(participants.run(seed_store), "event")}
    assert "cgi:zelensky-putin-meeting" not in events
    proposed = rows(
        participants.run(
            seed_store, {"event": "cgi:zelensky-putin-meeting", "includeProposed": "true"}
        ),
        "actor",
        "role",
        "onBehalfOf",
    )
    assert sorted(proposed) == [
        ("cgi:putin", "cg:participant", "cgi:russia"),
        ("cgi:zelensky", "cg:participant", "cgi:ukraine"),
    ]


def test_claims_without_evidence_come_first(fresh_seed_store: OxigraphStore) -> None:
    coverage = get_query("evidence-coverage")
    assert rows(coverage.run(fresh_seed_store, {"missingOnly": "true"}), "claim") == []
    _add(
        fresh_seed_store,
        """
        cgi:claim-hearsay a cg:Statement ; cg:claimText "Something was said."@en ;
            cg:claimant cgi:seed-outlet .
    """,
    )
    listed = rows(coverage.run(fresh_seed_store, standings=STANDINGS), "claim", "hasEvidence")
    assert listed[0] == ("cgi:claim-hearsay", "false")
    assert all(has == "true" for _, has in listed[1:])
    missing = coverage.run(fresh_seed_store, {"missingOnly": "true"}, standings=STANDINGS)
    assert rows(missing, "claim") == [("cgi:claim-hearsay",)]


def _answers(store: Store) -> dict[str, list[tuple[str | None, ...]]]:
    out = {}
    for name, q in saved_queries().items():
        result = q.run(store)
        assert isinstance(result, ox.QuerySolutions)
        columns = [v.value for v in result.variables]
        out[name] = sorted(rows(result, *columns), key=str)
    return out


def test_actors_and_events_described_in_two_batches_count_once(
    fresh_seed_store: OxigraphStore,
) -> None:
    """The default graph is the union of the batches, and pyoxigraph's union keeps a triple
    once per graph that holds it: the same actors and events described again by another
    batch (as a second record file about the same talks would) must not double any row or
    count."""
    before = _answers(fresh_seed_store)
    typed = {
        "State",
        "Person",
        "Delegation",
        "GovernmentBody",
        "NewsAgency",
        "NewsOutlet",
        "AnonymousSource",
        "Negotiation",
        "Meeting",
        "TrilateralMeeting",
        "BilateralMeeting",
        "NegotiationRound",
        "PrisonerExchange",
        "Summit",
        "Breakthrough",
    }
    triples = list(fresh_seed_store.triples())
    described = {
        t.subject
        for t in triples
        if t.predicate.value.endswith("#type") and t.object.value.split("#")[-1] in typed
    }
    again = [t for t in triples if t.subject in described]
    assert len(again) > 150
    fresh_seed_store.add_batch("https://w3id.org/claimgraph/batch/again", again, [])
    assert _answers(fresh_seed_store) == before


def test_everyday_queries_on_the_seed(seed_store: Store) -> None:
    by_actor = rows(get_query("claims-by-actor").run(seed_store, {"actor": "cgi:ukraine"}), "claim")
    assert by_actor == [("cgi:claim-kyiv-proposed-leaders-meeting",)]
    side = rows(
        get_query("claims-by-actor").run(
            seed_store, {"actor": "cgi:turkey", "includeAffiliated": "true"}
        ),
        "claim",
        "claimant",
    )
    assert sorted(side) == [
        ("cgi:claim-talks-ended", "cgi:anon-turkish-mfa-leak"),
        ("cgi:claim-trilateral-over-an-hour", "cgi:anon-turkish-mfa-sources"),
        ("cgi:claim-trilateral-preceded-bilateral", "cgi:anon-turkish-mfa-sources"),
    ]
    reuters = rows(
        get_query("claims-reported-by").run(seed_store, {"reporter": "cgi:reuters"}),
        "claim",
        "hopType",
        "origin",
    )
    assert reuters == [
        (
            "cgi:claim-russian-demands-unrealistic",
            "cg:WireReport",
            "cgi:anon-ua-diplomatic-source-1",
        )
    ]
    tass = {r[0] for r in rows(get_query("claims-reported-by").run(seed_store), "claim")}
    assert tass == {
        "cgi:claim-delegations-paused",
        "cgi:claim-trilateral-over-an-hour",
        "cgi:claim-trilateral-preceded-bilateral",
    }
    trilateral = rows(
        get_query("claims-about-event").run(seed_store, {"event": "cgi:trilateral-meeting"}),
        "claim",
    )
    assert sorted(trilateral) == [
        ("cgi:claim-trilateral-over-an-hour",),
        ("cgi:claim-trilateral-preceded-bilateral",),
    ]
    anonymous = rows(get_query("anonymous-sources").run(seed_store), "source", "possiblySameAs")
    assert len(anonymous) == 5
    assert not [r for r in anonymous if r[1]]  # that two may be one person is judged
    anonymous = rows(
        get_query("anonymous-sources").run(seed_store, standings=STANDINGS),
        "source",
        "possiblySameAs",
    )
    assert (
        "cgi:anon-ua-diplomatic-source-1",
        "https://w3id.org/claimgraph/id/anon-ua-diplomatic-source-2",
    ) in anonymous
    kinds = dict(rows(get_query("actors").run(seed_store), "actor", "kinds"))
    assert (kinds["cgi:russia"], kinds["cgi:tass"], kinds["cgi:zelensky"]) == (
        "State",
        "NewsAgency",
        "Person",
    )
    claim_kinds = dict(rows(get_query("claims").run(seed_store), "claim", "kinds"))
    assert claim_kinds["cgi:claim-talks-ended"] == "LeakReport"
    assert set(claim_kinds["cgi:claim-zelensky-same-people"].split(" | ")) == {"Quote", "Statement"}
    proposals = rows(get_query("claims").run(seed_store, {"kind": "cg:Proposal"}), "claim")
    assert sorted(proposals) == [
        ("cgi:claim-kyiv-proposed-leaders-meeting",),
        ("cgi:claim-russia-presented-ceasefire-proposals",),
        ("cgi:claim-ukraine-presented-ceasefire-proposals",),
    ]


def test_docstring_examples_run() -> None:
    import doctest
    import importlib

    # ``claimgraph.saved_queries`` is also the name of the re-exported function
    module = importlib.import_module("claimgraph.saved_queries")
    failed, tried = doctest.testmod(module)
    assert tried > 10 and failed == 0


def test_get_query_by_name_or_file(tmp_path: Path) -> None:
    assert get_query("cq13-sides").name == "cq13-sides"
    rq = tmp_path / "mine.rq"
    rq.write_text("#+ summary: Mine\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    assert get_query(str(rq)).summary == "Mine"
    with pytest.raises(NotFound, match="query --list"):
        get_query("no-such-query")


# ------------------------------------------------------------------------------------- CLI


@pytest.fixture
def seeded_cli(
    cli: Callable[..., Result], open_test_store: Callable[[], Store]
) -> Callable[..., Result]:
    from claimgraph.ingest import ingest_seed

    with open_test_store() as store:
        ingest_seed(store)
    return cli


def test_cli_lists_every_query_with_its_parameters(cli: Callable[..., Result]) -> None:
    out = cli("query", "--list").output
    for name in QUERIES:
        assert name in out
    assert "CQ1: Which sides agreed" in out
    assert "actor=" in out and "[includeRetracted=" in out


def test_cli_runs_a_saved_query_with_params(seeded_cli: Callable[..., Result]) -> None:
    result = seeded_cli("query", "cq09-zelensky-remarks", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["results"]["bindings"]) == 5  # two quotes, five claims
    result = seeded_cli(
        "query", "cq10-reporting-chain", "--param", "claim=cgi:claim-talks-ended", "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 3  # header + mention + utterance


def test_results_carry_the_answer_not_the_parameters(seeded_cli: Callable[..., Result]) -> None:
    """Regression (issue 16): the parameters had to be projected, and came back as columns of
    every download.  Now no format carries them."""
    table = seeded_cli("query", "cq05-unrealistic-demands")
    assert table.exit_code == 0, table.output
    header = table.stdout.splitlines()[0].split()
    assert "claim" in header and not [h for h in header if h.startswith("_")], header
    assert "answered from evidenced statements" in table.stderr
    assert "anon-ua-diplomatic-source-1" in table.output
    for fmt in ("json", "csv", "tsv", "xml"):
        out = seeded_cli(
            "query", "cq05-unrealistic-demands", "--param", "word=ended", "--format", fmt
        )
        assert out.exit_code == 0, out.output
        assert "_word" not in out.output and "claim-talks-ended" in out.output, fmt


def test_cli_reads_a_bare_id_as_cgi_and_says_so(seeded_cli: Callable[..., Result]) -> None:
    """Regression (issue 16): ``--param actor=zelensky`` was refused."""
    bare = seeded_cli("query", "claims-by-actor", "--param", "actor=ukraine", "--format", "csv")
    assert bare.exit_code == 0, bare.output
    assert "note: actor=ukraine is read as cgi:ukraine" in bare.stderr
    full = seeded_cli("query", "claims-by-actor", "--param", "actor=cgi:ukraine", "--format", "csv")
    assert bare.stdout == full.stdout and "claim-kyiv-proposed-leaders-meeting" in full.stdout


def test_cli_suggests_an_id_that_exists(seeded_cli: Callable[..., Result]) -> None:
    typo = seeded_cli("query", "claims-by-actor", "--param", "actor=zelenksy")
    assert typo.exit_code == 0
    assert "(0 rows)" in typo.stdout
    assert "names nothing in the store; did you mean cgi:zelensky?" in typo.stderr


def test_cli_help_shows_how_to_pass_text_and_ids(cli: Callable[..., Result]) -> None:
    """Regression (issue 16): ``query --help`` had no example of a text parameter."""
    text = cli("query", "--help").output
    assert '--param "word=prisoner exchange"' in text
    assert "--param word=threats" in text and "actor=turkey" in text


def test_cli_pages_as_grlc_does(seeded_cli: Callable[..., Result]) -> None:
    def claims(*extra: str) -> list[dict[str, Any]]:
        out = seeded_cli("query", "claims", "--format", "json", *extra)
        assert out.exit_code == 0, out.output
        return list(json.loads(out.stdout)["results"]["bindings"])

    every = claims()
    assert claims("--limit", "3", "--offset", "2") == every[2:5]
    assert claims("--page", "2", "--limit", "5") == every[5:10]
    assert claims("--page", "1") == every[:100]
    bad = seeded_cli("query", "claims", "--page", "2", "--offset", "1")
    assert bad.exit_code == 2 and "page or offset" in bad.output


def test_cli_missing_parameter_is_a_clear_error(cli: Callable[..., Result], tmp_path: Path) -> None:
    rq = tmp_path / "need.rq"
    rq.write_text(
        "#+ summary: Needs an actor\n"
        "SELECT ?_actor_iri ?c WHERE { ?c <https://w3id.org/claimgraph/ns#claimant> "
        "?_actor_iri }\n"
    )
    result = cli("query", str(rq))
    assert result.exit_code == 2
    assert "needs parameter 'actor'" in result.output
    result = cli("query", "cq13-sides", "--param", "who=cgi:x")
    assert result.exit_code == 2
    assert "has no parameter 'who'" in result.output


# ------------------------------------------------------------------------------------ HTTP


def test_http_lists_the_queries(client: Any) -> None:
    reply = client.get("/api/queries")
    assert reply.status_code == 200
    listed = {q["name"]: q for q in reply.json}
    assert sorted(listed) == QUERIES
    chain = listed["cq10-reporting-chain"]
    assert chain["summary"].startswith("CQ10:") and chain["description"]
    assert "cq10" in chain["tags"] and chain["text"].startswith("#+ summary:")
    assert chain["pagination"] == 100
    assert chain["parameters"] == [
        {
            "name": "claim",
            "type": "iri",
            "required": False,
            "default": "https://w3id.org/claimgraph/id/claim-russian-demands-unrealistic",
            "variable": "__claim_iri",
        }
    ]
    one = client.get("/api/queries/cq10-reporting-chain/definition")
    assert one.status_code == 200 and one.json == chain
    assert client.get("/api/queries/nope/definition").status_code == 404


@pytest.mark.parametrize(
    "accept, ctype",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_http_runs_a_query_negotiated_like_sparql(client: Any, accept: str, ctype: str) -> None:
    reply = client.get("/api/queries/cq13-sides", headers={"Accept": accept})
    assert reply.status_code == 200
    assert reply.mimetype == ctype
    assert b"anon-turkish-mfa-leak" in reply.data


def test_http_binds_parameters(client: Any) -> None:
    reply = client.get(
        "/api/queries/cq10-reporting-chain",
        query_string={"claim": "cgi:claim-talks-ended", "format": "json"},
    )
    assert reply.status_code == 200, reply.get_data(as_text=True)[:800]
    hops = [b["hop"]["value"].rsplit("/", 1)[1] for b in reply.json["results"]["bindings"]]
    assert hops == ["mention-talks-ended", "utterance-talks-ended"]


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_http_errors(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the embedded store only (no remote variant is generated): the test patches the
    saved queries of the server process, and the app of a remote store runs its tasks in
    query processes of their own."""
    needs = parse_saved_query(
        "needs-actor",
        "#+ summary: x\nSELECT ?_actor_iri ?c WHERE "
        "{ ?c <https://w3id.org/claimgraph/ns#claimant> "
        "?_actor_iri }",
    )
    import claimgraph.server.queries_api as api

    monkeypatch.setattr(api, "saved_queries", lambda: {**saved_queries(), needs.name: needs})
    reply = client.get("/api/queries/needs-actor")
    assert reply.status_code == 400
    assert "needs parameter 'actor'" in reply.json["error"]["detail"]
    assert client.get("/api/queries/needs-actor?actor=cgi:zelensky").status_code == 200
    reply = client.get("/api/queries/no-such-query")
    assert reply.status_code == 404 and "GET /api/queries" in reply.json["error"]["detail"]
    assert client.get("/api/queries/cq13-sides?who=x").status_code == 400
    assert client.get("/api/queries/cq12-corroborated-claims?minSources=two").status_code == 400
    assert client.get("/api/queries/cq10-reporting-chain?claim=a%20b").status_code == 400
    assert (
        client.get("/api/queries/cq13-sides", headers={"Accept": "text/turtle"}).status_code == 406
    )
    assert client.get("/api/queries/..%2Fpyproject.toml").status_code == 404


# ------------------------------------------------------------------------- installed wheel


@pytest.mark.wheel
def test_every_query_answers_from_the_installed_wheel(tmp_path: Path) -> None:
    """As a user of the wheel would: ingest the seed, then every saved query, with its
    defaults, prints at least one row as SPARQL JSON."""
    import test_wheel

    out = tmp_path / "wheel"
    out.mkdir()
    import subprocess
    import sys
    import venv

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        cwd=out,
    )
    (wheel,) = out.glob("claimgraph-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        cwd=env_dir,
    )
    store = tmp_path / "S"
    r = test_wheel.run(env_dir, tmp_path, "--store", str(store), "ingest", "--seed")
    assert r.returncode == 0, r.stderr
    for name in QUERIES:
        r = test_wheel.run(
            env_dir,
            tmp_path,
            "--store",
            str(store),
            "query",
            name,
            "--format",
            "json",
            "--include",
            "all",
        )
        assert r.returncode == 0, (name, r.stderr)
        assert json.loads(r.stdout)["results"]["bindings"] or compares_articles(name), name


@pytest.mark.parametrize("path, key", [("/api/claims", None), ("/api/flags?all=1", "claims")])
def test_http_listings_page(client: Any, path: str, key: str | None) -> None:
    def items(reply: Any) -> list[Any]:
        return list(reply.json if key is None else reply.json[key])

    whole = client.get(path)
    every = items(whole)
    assert len(every) > 6 and whole.headers["Claimgraph-Total"] == str(len(every))
    sep = "&" if "?" in path else "?"
    part = client.get(f"{path}{sep}limit=3&offset=2")
    assert items(part) == every[2:5]
    assert part.headers["Claimgraph-Total"] == str(len(every))
    assert "offset=5" in part.headers["Link"] and "limit=3" in part.headers["Link"]
    assert client.get(f"{path}{sep}limit=many").status_code == 400


_ANOTHER_BATCH = """\
"@context": https://w3id.org/claimgraph/context.jsonld
"@graph":
  - {id: cgi:another-zelensky, type: Person, label: {en: Volodymyr Zelensky}}
  - {id: cgi:another-putin, type: Person, label: {en: Vladimir Putin}}
  - {id: cgi:another-tass, type: NewsAgency, label: {en: TASS}}
  - {id: cgi:another-ukraine, type: State, label: {en: Ukraine}}
"""
"""Actors of the seed described again by another record file, under nodes of its own."""


def _linked_answers(store: Store, tmp_path: Path, query: str, param: str, actor: str) -> None:
    """``query`` asked about ``actor`` under a node of another batch answers nothing until
    the two are linked as one (owl:sameAs, ``claimgraph link``), then what it answers about
    the seed's own node; and nothing again once the link is undone."""
    from claimgraph.ingest import ingest_file
    from claimgraph.resolution import link, unlink

    def answer(who: str) -> list[tuple[str | None, ...]]:
        result = get_query(query).run(store, {param: who})
        assert isinstance(result, ox.QuerySolutions)
        columns = [v.value for v in result.variables]
        return sorted(rows(result, *columns), key=str)

    record = tmp_path / "another.yaml"
    record.write_text(_ANOTHER_BATCH, encoding="utf-8")
    ingest_file(store, record)
    seed = answer(f"cgi:{actor}")
    assert seed, f"the seed answers {query} about {actor}"
    assert answer(f"cgi:another-{actor}") == []
    made = link(store, f"cgi:another-{actor}", f"cgi:{actor}", agent="a checker")
    assert answer(f"cgi:another-{actor}") == seed
    assert answer(f"cgi:{actor}") == seed
    unlink(store, made.left, made.right)
    assert answer(f"cgi:another-{actor}") == []


@pytest.fixture
def sometimes_unlinked_on_virtuoso(request: pytest.FixtureRequest, backend: Backend) -> None:
    """Virtuoso 7.2 sometimes answers a saved query that follows owl:sameAs links as if the
    link were not there, on the same data and dataset, depending on what the server held
    before (docs/scale-out.md, "Known differences"): the test runs, and says XFAIL or XPASS
    there."""
    known_difference(
        request,
        backend,
        "virtuoso",
        "Virtuoso 7.2 sometimes misses an owl:sameAs path (docs/scale-out.md)",
        every_time=False,
    )


@pytest.mark.usefixtures("sometimes_unlinked_on_virtuoso")
def test_cq09_follows_same_as_links(fresh_seed_store: Store, tmp_path: Path) -> None:
    """Regression: cq09 asked about a speaker under another batch's node left out what the
    linked node said."""
    _linked_answers(fresh_seed_store, tmp_path, "cq09-zelensky-remarks", "speaker", "zelensky")


@pytest.mark.usefixtures("sometimes_unlinked_on_virtuoso")
def test_claims_reported_by_follows_same_as_links(fresh_seed_store: Store, tmp_path: Path) -> None:
    """Regression: claims-reported-by left out what a reporter linked as the same carried."""
    _linked_answers(fresh_seed_store, tmp_path, "claims-reported-by", "reporter", "tass")


@pytest.mark.usefixtures("sometimes_unlinked_on_virtuoso")
def test_cq02_follows_same_as_links(fresh_seed_store: Store, tmp_path: Path) -> None:
    """Regression: cq02 found no meeting when either person was named by a linked node."""
    _linked_answers(fresh_seed_store, tmp_path, "cq02-meeting-proposals", "first", "zelensky")
    _linked_answers(fresh_seed_store, tmp_path, "cq02-meeting-proposals", "second", "putin")


@pytest.mark.usefixtures("sometimes_unlinked_on_virtuoso")
def test_cq14_follows_same_as_links(fresh_seed_store: Store, tmp_path: Path) -> None:
    """Regression: cq14 asked about a side under a linked node found none of its claims."""
    _linked_answers(fresh_seed_store, tmp_path, "cq14-kyiv-priorities", "side", "ukraine")


@pytest.mark.usefixtures("sometimes_unlinked_on_virtuoso")
def test_position_changes_and_cq02_follow_chains_of_links(fresh_seed_store: Store) -> None:
    """The rewritten identity paths (the dated rounds' closure in a sub-select, cq02's
    meetings in one) still follow chains of links, not only one hop: a claim of a node two
    links from Zelensky, about a round two links from its dated node, and a meeting of two
    such nodes."""
    from claimgraph.rdf import BATCH, CG, CGI, XSD

    same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")

    def t(s: str, p: str | ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(
            ox.NamedNode(CGI + s), ox.NamedNode(CG + p) if isinstance(p, str) else p, o
        )

    def n(name: str) -> ox.NamedNode:
        return ox.NamedNode(CGI + name)

    start = ox.Literal("2020-01-02T00:00:00", datatype=ox.NamedNode(XSD + "dateTime"))
    fresh_seed_store.add_batch(
        f"{BATCH}chains",
        [
            t("z1", same, n("zelensky")),
            t("z2", same, n("z1")),
            t("p1", same, n("putin")),
            t("p2", same, n("p1")),
            t("cx", "claimant", n("z2")),
            t("cx", "claimText", ox.Literal("x")),
            t("cx", "aboutEvent", n("rx")),
            t("rx", same, n("ry")),
            t("rz", same, n("ry")),
            t("rz", "startTime", start),
            t("mx", "hasParticipation", n("mx-z")),
            t("mx-z", "agent", n("z2")),
            t("mx", "hasParticipation", n("mx-p")),
            t("mx-p", "agent", n("p2")),
            t("mx", "proposedBy", n("z2")),
        ],
        [],
    )

    def answer(query: str, columns: str, **values: str) -> list[tuple[str | None, ...]]:
        result = get_query(query).run(fresh_seed_store, values, standings=None)
        assert isinstance(result, ox.QuerySolutions)
        return rows(result, *columns.split())

    said = answer("position-changes", "roundDate claim claimant", actor="cgi:zelensky")
    assert ("2020-01-02T00:00:00", "cgi:cx", "cgi:z2") in said
    assert sorted(said) == sorted(
        answer("position-changes", "roundDate claim claimant", actor="cgi:z2")
    )
    met = answer("cq02-meeting-proposals", "proposer meeting", first="cgi:p2")
    assert ("cgi:z2", "cgi:mx") in met
    assert ("cgi:z2", "cgi:mx") in answer("cq02-meeting-proposals", "proposer meeting")
