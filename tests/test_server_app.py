"""Unit-level server tests: settings, negotiation, the parse-tree safety checks, update text
handling, and routes through Flask's test client on an in-memory store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import app_store

from claimgraph.server import create_app
from claimgraph.server.negotiation import choose
from claimgraph.server.settings import SETTINGS, Settings
from claimgraph.server.updates import append_operations, inject_using
from claimgraph.sparql import checked_update

DOCS = Path(__file__).resolve().parents[1] / "docs" / "server.md"


# ------------------------------------------------------------------ settings


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M))
    assert {s.name for s in SETTINGS} <= documented


def test_settings_come_from_values_then_environment_then_defaults() -> None:
    s = Settings.from_mapping(
        {"timeout": 5},
        environ={
            "CLAIMGRAPH_TIMEOUT": "9",
            "CLAIMGRAPH_MAX_ROWS": "7",
            "CLAIMGRAPH_VALIDATE_WRITES": "off",
        },
    )
    assert (s.timeout, s.max_rows, s.validate_writes, s.port) == (5.0, 7, False, 8000)
    with pytest.raises(ValueError, match="unknown setting"):
        Settings.from_mapping({"timeuot": 3})
    with pytest.raises(ValueError, match="timeout"):
        Settings.from_mapping({"timeout": 0})


def test_token_file_wins_and_is_masked(tmp_path: Path) -> None:
    f = tmp_path / "token"
    f.write_text("from-file\n")
    s = Settings.from_mapping({"token": "inline", "token_file": str(f)}, environ={})
    assert s.resolved_token() == "from-file"
    assert s.as_dict()["token"] == "***"


# ------------------------------------------------------------------ negotiation


@pytest.mark.parametrize(
    "kind,accept,expected",
    [
        ("tabular", None, "json"),
        ("tabular", "*/*", "json"),
        ("tabular", "text/csv", "csv"),
        ("tabular", "application/xml", "xml"),
        ("tabular", "text/tab-separated-values;q=1, text/csv;q=0.2", "tsv"),
        ("tabular", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "xml"),
        ("rdf", "*/*", "turtle"),
        ("rdf", "application/rdf+xml", "rdfxml"),
        ("rdf", "text/plain", "ntriples"),
        ("rdf", "application/json", "jsonld"),
        # a CONSTRUCT asked for SPARQL results JSON/XML only: the RDF of the same family
        ("rdf", "application/sparql-results+json", "jsonld"),
        ("rdf", "application/sparql-results+xml", "rdfxml"),
        ("rdf", "text/csv", None),
        ("tabular", "image/png", None),
        ("tabular", "text/*", "csv"),  # not SPARQL XML through its text/xml alias
        ("tabular", "text/xml", "xml"),
        ("tabular", "application/sparql-results+json;q=0, text/*;q=0.5", "csv"),
        ("rdf", "text/*", "turtle"),
        ("rdf", "application/*", "ntriples"),
    ],
)
def test_choose(kind: str, accept: str | None, expected: str | None) -> None:
    fmt = choose(kind, accept)
    assert (fmt.name if fmt else None) == expected


def test_format_parameter_overrides_accept() -> None:
    assert choose("tabular", "application/sparql-results+json", "csv").name == "csv"
    assert choose("rdf", None, "ttl").name == "turtle"


@pytest.mark.parametrize(
    "format, select, construct",
    [
        ("json", "json", "jsonld"),
        ("xml", "xml", "rdfxml"),
        ("rdf", "xml", "rdfxml"),
        ("rdf+xml,application/rdf+xml", "xml", "rdfxml"),
        ("json-ld,application/ld+json", "json", "jsonld"),
        ("n3", "json", "turtle"),  # a SELECT has no N3: the Accept header (*/*) decides
        ("turtle", "json", "turtle"),
        ("csv", "csv", "turtle"),  # a CONSTRUCT has no CSV: the Accept header decides
        ("tsv,text/tab-separated-values", "tsv", "turtle"),
        ("application/sparql-results+xml", "xml", "rdfxml"),
        ("NT", "json", "ntriples"),
    ],
)
def test_format_names_mean_the_format_of_the_query_form(
    format: str, select: str, construct: str
) -> None:
    """As on Fuseki and Virtuoso, ``json`` and ``xml`` name a format of either kind; SPARQLWrapper
    sends its return format this way (and its media type too, comma-joined here)."""
    assert choose("tabular", "*/*", format).name == select
    assert choose("rdf", "*/*", format).name == construct


def test_an_unknown_format_name_is_refused() -> None:
    assert choose("tabular", "*/*", "yaml") is None
    assert choose("rdf", "*/*", "yaml,text/yaml") is None
    # among names it knows, one it does not is passed over
    assert choose("rdf", "*/*", "yaml,json").name == "jsonld"


# ------------------------------------------------------------------ update text


def test_inject_using_places_clauses_before_each_modify_where() -> None:
    text = (
        "PREFIX ex: <http://e/> # WHERE in a comment\n"
        'INSERT DATA { <urn:a> <urn:b> "WHERE {" } ;\n'
        "DELETE WHERE { ?s ?p 0 } ;\n"
        "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o FILTER(?o < 3) }"
    )
    out = inject_using(text, ["http://g/1"], ["http://g/2"])
    assert out.count("USING <http://g/1> USING NAMED <http://g/2> WHERE") == 1
    assert out.endswith(
        "USING <http://g/1> USING NAMED <http://g/2> WHERE { ?s ?p ?o FILTER(?o < 3) }"
    )
    checked_update(out)  # still lexes


def test_append_operations_keeps_exactly_one_separator() -> None:
    assert append_operations("CLEAR ALL", "CLEAR DEFAULT") == "CLEAR ALL\n;\nCLEAR DEFAULT"
    assert append_operations("CLEAR ALL ;  ", "CLEAR DEFAULT") == "CLEAR ALL ;  \nCLEAR DEFAULT"
    done = append_operations("CLEAR ALL ; # done", "CLEAR DEFAULT")
    assert done.endswith("# done\nCLEAR DEFAULT")


# ------------------------------------------------------------------ routes (in-memory)


@pytest.fixture
def app(make_app):  # type: ignore[no-untyped-def]
    return make_app(token="t0k3n", max_rows=3)


def warmed(app):  # type: ignore[no-untyped-def]
    """The app's query processes started, as ``claimgraph serve`` starts them before it
    listens: ``/health`` gives a query process 5 s to answer, and on a loaded machine
    starting the first one (a forkserver, then the process) took longer."""
    app.extensions["claimgraph"].pool.warm()
    return app


def test_routes_on_an_in_memory_store(app) -> None:
    client = warmed(app).test_client()
    assert client.get("/health").json["status"] == "ok"
    auth = {"Authorization": "Bearer t0k3n"}
    r = client.post(
        "/update",
        data="INSERT DATA { <https://w3id.org/claimgraph/id/a> rdfs:label 'a', 'b', 'c', 'd' }",
        content_type="application/sparql-update",
        headers=auth,
    )
    assert r.status_code == 200, r.data
    batch = r.json["batches"][0]["graph"]
    r = client.get(
        "/sparql",
        query_string={"query": "SELECT ?l WHERE { ?s rdfs:label ?l }"},
        headers={"Accept": "text/csv"},
    )
    assert r.status_code == 200
    assert r.headers["Claimgraph-Truncated"] == "true"
    assert len(r.data.decode().splitlines()) == 4
    r = client.get("/store", query_string={"graph": batch}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and b"rdfs:label" in r.data


def test_head_of_a_query_and_vary_on_every_negotiated_route(app) -> None:
    client = app.test_client()
    r = client.head("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.data == b""
    assert r.headers["Content-Type"].startswith("text/csv")
    for path in ("/sparql?query=ASK%20%7B%7D", "/void", "/api/queries", "/health"):
        assert "Accept" in client.get(path).headers.get("Vary", ""), path


def test_an_undeclared_prefix_is_named(app) -> None:
    """pyoxigraph's message lists character classes; the analyst is told which prefix."""
    client = app.test_client()
    r = client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { ?s nope:p ?o }"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 400
    detail = r.json["error"]["detail"]
    assert "unknown prefix nope:" in detail and "predeclared prefixes: cameo, cg," in detail
    assert "u{" not in detail
    from claimgraph.cli import main

    result = CliRunner().invoke(
        main, ["--store", ":memory:", "query", "--sparql", "SELECT * WHERE { ?s nope:p ?o }"]
    )
    assert result.exit_code == 2 and "unknown prefix nope:" in result.output


def test_a_query_percent_encoded_in_latin_1_is_refused_not_run_as_caf_percent_e9(app) -> None:
    """``caf%E9`` (Latin-1) used to be run as the text ``caf%E9`` and match nothing."""
    client = app.test_client()
    latin_1 = "query=ASK%20%7B%20%3Fs%20%3Fp%20%22caf%E9%22%20%7D"
    for r in (
        client.get(f"/sparql?{latin_1}"),
        client.post("/sparql", data=latin_1, content_type="application/x-www-form-urlencoded"),
    ):
        assert r.status_code == 400, r.data
        assert b"the query parameter is not UTF-8 (byte 0xe9 at 16)" in r.data
    utf_8 = "query=ASK%20%7B%20%3Fs%20%3Fp%20%22caf%C3%A9%20100%25%22%20%7D"
    assert client.get(f"/sparql?{utf_8}").status_code == 200
    literal_percent = "query=ASK%20%7B%20%3Fs%20%3Fp%20%22caf%25E9%22%20%7D"
    assert client.get(f"/sparql?{literal_percent}").status_code == 200


def test_api_errors_have_one_json_shape(app) -> None:
    client = app.test_client()
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404
    assert set(r.json["error"]) == {"status", "title", "detail"}
    r = client.post(
        "/sparql", data="SELECT ?s WHERE { ?s }", content_type="application/sparql-query"
    )
    assert r.status_code == 400 and r.mimetype == "text/plain"
    r = client.post(
        "/sparql",
        data="SELECT ?s WHERE { ?s }",
        content_type="application/sparql-query",
        headers={"Accept": "application/json"},
    )
    assert r.json["error"]["status"] == 400


def test_writes_need_the_token(app) -> None:
    client = warmed(app).test_client()
    u = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert (
        client.post("/update", data=u, content_type="application/sparql-update").status_code == 401
    )
    assert (
        client.post(
            "/update",
            data=u,
            content_type="application/sparql-update",
            headers={"Authorization": "Bearer nope"},
        ).status_code
        == 403
    )
    assert client.get("/health").json["quads"] == 0


def test_read_only_server_refuses_writes() -> None:
    app = create_app({"store": ":memory:"})
    r = app.test_client().post(
        "/update",
        data="CLEAR ALL",
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer x"},
    )
    assert r.status_code == 403 and b"read-only" in r.data


def test_browser_asking_for_the_endpoint_gets_the_page(app) -> None:
    r = app.test_client().get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/")


def test_serve_help_and_bad_token_file(tmp_path: Path) -> None:
    from claimgraph.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["serve", "--help"])
    assert out.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--token-file",
        "--timeout",
        "--workers",
        "--max-rows",
        "--unvalidated-writes",
    ):
        assert option in out.output
    empty = tmp_path / "empty"
    empty.write_text("")
    out = runner.invoke(main, ["--store", str(tmp_path / "s"), "serve", "--token-file", str(empty)])
    assert out.exit_code == 2
    assert "empty" in out.output


def test_service_description_is_rdf(app) -> None:
    r = app.test_client().get("/sparql", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200
    data = json.loads(r.data)
    assert "sparql-service-description" in json.dumps(data)


def test_gunicorn_is_configured_for_a_shared_machine() -> None:
    """gthread workers (serving a kept-alive connection in one thread while no other waits:
    tests/test_http_worker.py), and no control socket at gunicorn's fixed path in the home
    directory (two instances on one machine would fight over it)."""
    from claimgraph.server.cli import ClaimgraphApplication

    app = ClaimgraphApplication(
        Settings.from_mapping({"store": ":memory:", "port": 8123}, environ={})
    )
    from gunicorn.workers.gthread import ThreadWorker

    assert issubclass(app.cfg.worker_class, ThreadWorker)
    assert app.cfg.bind == ["127.0.0.1:8123"]
    if "control_socket_disable" in app.cfg.settings:
        assert app.cfg.control_socket_disable is True


# ------------------------------------------------------------------ the page's assets


def test_the_vocabulary_the_editor_completes(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.get("/api/vocabulary")
    assert reply.status_code == 200
    terms = {t["name"]: t for t in reply.json}
    agency = terms["cg:NewsAgency"]
    assert agency["kind"] == "class" and agency["label"] == "News agency" and agency["comment"]
    assert "cg:Actor" in agency["superclasses"]
    assert terms["cg:affiliatedWith"]["kind"] == "property"
    assert terms["cg:mediator"]["kind"] == "individual"


def test_the_vendored_editor_is_the_build_of_the_pinned_packages() -> None:
    """server/static/vendor/editor.js is built from web/ (npm ci && npm run build); the
    licences file the build writes names each bundled package with its version, so a version
    changed in web/package.json without a rebuild shows here."""
    import json

    from conftest import REPO

    pins = json.loads((REPO / "web" / "package.json").read_text())["devDependencies"]
    lock = json.loads((REPO / "web" / "package-lock.json").read_text())["packages"]
    bundle = REPO / "server" / "static" / "vendor" / "editor.js"
    licences = (REPO / "server" / "static" / "vendor" / "editor.LICENSES.txt").read_text()
    assert bundle.stat().st_size > 100_000
    for name, version in pins.items():
        assert lock[f"node_modules/{name}"]["version"] == version
        if name != "esbuild":
            assert f"{name} {version} (MIT)" in licences, name


# ------------------------------------------------------------------ /update lands batches as ingest

AUTH = {"Authorization": "Bearer t0k3n"}
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@pytest.fixture
def writer(make_app):  # type: ignore[no-untyped-def]
    """An app on an empty in-memory store, without a row limit to hide types behind."""
    return make_app(token="t0k3n")


def _update(client, text: str):  # type: ignore[no-untyped-def]
    return client.post("/update", data=text, content_type="application/sparql-update", headers=AUTH)


def _types(client, iri: str) -> set[str]:  # type: ignore[no-untyped-def]
    r = client.get(
        "/sparql",
        query_string={"query": f"SELECT ?t WHERE {{ <{iri}> a ?t }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.data
    return {b["t"]["value"] for b in r.json["results"]["bindings"]}


def test_update_without_the_implied_types_and_properties(writer) -> None:
    """/update wrote only what it stated: ``cgi:georgia a cg:State`` was no ``cg:Actor``,
    while the same triples through PUT /store or ingest got every superclass."""
    from claimgraph.rdf import CG as cg
    from claimgraph.rdf import CGI as cgi

    client = writer.test_client()
    r = client.put(
        "/store?graph=urn:g:belarus",
        data=f'<{cgi}belarus> a <{cg}State> ; <{RDFS}label> "Belarus"@en .',
        content_type="text/turtle",
        headers=AUTH,
    )
    assert r.status_code == 201, r.data
    implied = _types(client, cgi + "belarus")
    assert cg + "Actor" in implied and len(implied) > 1
    updates = {
        "georgia": 'INSERT DATA { cgi:georgia a cg:State ; rdfs:label "Georgia"@en }',
        "moldova": "INSERT DATA { GRAPH <urn:g:moldova> { "
        'cgi:moldova a cg:State ; rdfs:label "Moldova"@en } }',
        # an update that also drops a graph is applied as SPARQL, not as data
        "armenia": "DROP SILENT GRAPH <urn:g:empty> ; "
        'INSERT DATA { cgi:armenia a cg:State ; rdfs:label "Armenia"@en }',
    }
    assert _update(client, "CREATE GRAPH <urn:g:empty>").status_code == 200
    for name, text in updates.items():
        r = _update(client, text)
        assert r.status_code == 200, r.data
        assert _types(client, cgi + name) == implied, name
        (batch,) = r.json["batches"]
        assert batch["added"] == r.json["added"] == len(implied) + 1, name
    ask = client.get(
        "/sparql",
        query_string={"query": "ASK { cgi:armenia a cg:Actor . cgi:georgia a cg:Actor }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json["boolean"] is True


def test_a_repeated_update_added_its_batch_again(writer) -> None:
    """The same update a second time answered ``"added": 2`` and wrote the batch's metadata
    again; like ingest of the same content, it is a no-op that names the batch it found."""
    client = writer.test_client()
    store = app_store(writer)
    text = 'INSERT DATA { cgi:georgia a cg:State ; rdfs:label "Georgia"@en }'
    first = _update(client, text)
    assert first.status_code == 200, first.data
    size = len(store)
    again = _update(client, text)
    assert again.status_code == 200, again.data
    assert len(store) == size
    assert again.json["added"] == 0
    assert again.json["batches"] == [
        {"graph": first.json["batches"][0]["graph"], "added": 0, "created": False, "warnings": []}
    ]
    assert first.json["batches"][0]["created"] is True


# ------------------------------------------------------------------ CORS

READ_BY_CLIENTS = re.compile(
    r"(x-)?claimgraph-.*|link|location|content-disposition|retry-after", flags=re.I
)
"""The response headers a client reads beyond CORS's safelisted ones."""


def test_cors_did_not_expose_the_export_counts(client) -> None:  # type: ignore[no-untyped-def]
    """A browser client of another site could not read ``X-Claimgraph-Nodes``/``-Edges``
    of an export: Access-Control-Expose-Headers did not list them.  Every header a client
    reads, on every route that sends one, is exposed."""
    origin = {"Origin": "https://elsewhere.example"}
    asks = [
        ("/api/export/actors.json", {"download": "1"}, {}),
        ("/api/claims", {"limit": "1"}, {}),
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}, {"Accept": "text/csv"}),
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}, {"Accept": "text/csv"}),
        ("/api/queries/actors", {"limit": "1"}, {}),
    ]
    seen: set[str] = set()
    for path, params, headers in asks:
        r = client.get(path, query_string=params, headers={**origin, **headers})
        assert r.status_code == 200, (path, r.data[:300])
        exposed = {
            h.strip().lower() for h in r.headers.get("Access-Control-Expose-Headers", "").split(",")
        }
        sent = {h.lower() for h in r.headers.keys() if READ_BY_CLIENTS.fullmatch(h)}
        assert sent <= exposed, (path, sorted(sent - exposed))
        seen |= sent
    assert {
        "x-claimgraph-nodes",
        "x-claimgraph-edges",
        "content-disposition",
        "claimgraph-total",
        "link",
        "claimgraph-truncated",
        "claimgraph-row-limit",
        "claimgraph-rows",
    } <= seen


def test_drop_of_a_graph_that_does_not_exist_was_a_500(writer) -> None:
    """SPARQL Update's DROP GRAPH fails on a graph the store does not hold; that failure was
    answered as an internal error (500) instead of saying what failed (400)."""
    client = writer.test_client()
    r = _update(client, "DROP GRAPH <urn:g:nothing-here>")
    assert r.status_code == 400, r.data
    assert "SILENT" in r.get_data(as_text=True)
    assert _update(client, "DROP SILENT GRAPH <urn:g:nothing-here>").status_code == 200
