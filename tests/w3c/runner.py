"""A runner for the W3C SPARQL 1.1 Protocol and Graph Store Protocol test manifests.

The manifests describe each test as HTTP requests and expected responses in the HTTP-in-RDF
vocabulary (``ht:``); this module reads them with rdflib and replays them against a live
server.  Paths are mapped onto claimgraph's routes: ``/sparql/…`` goes to ``/sparql`` for
queries and to ``/update`` for updates (the manifest allows separate endpoints), and
``/gsp…`` to ``/store…``.  Datasets named by ``ut:graphData`` are PUT into the store under
the IRIs the tests use before a test runs, so the server never fetches them.

Run it by hand against a server started with ``--unvalidated-writes``::

    python tests/w3c/runner.py http://127.0.0.1:8000 TOKEN
"""

from __future__ import annotations

import http.client
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "w3c"
PROTOCOL = SHARED / "protocol" / "manifest.ttl"
GRAPH_STORE = [
    SHARED / "graph-store-protocol" / "manifest-direct.ttl",
    SHARED / "graph-store-protocol" / "manifest-indirect.ttl",
]

STATUS_NAMES = {
    "OK": 200,
    "Created": 201,
    "NoContent": 204,
    "NotFound": 404,
    "BadRequest": 400,
    "Unauthorized": 401,
    "Forbidden": 403,
    "MethodNotAllowed": 405,
    "NotAcceptable": 406,
    "Conflict": 409,
    "UnsupportedMediaType": 415,
}

RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass
class Expect:
    statuses: list[str] = field(default_factory=list)
    format: str | None = None
    boolean: bool | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    location: str | None = None


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    encoding: str
    expect: Expect


@dataclass
class Case:
    """One manifest entry."""

    id: str
    name: str
    kind: str
    requests: list[Request]
    graph_data: list[tuple[Path, str]]
    requires: list[str]


def _headers(g: rdflib.Graph, node: rdflib.term.Node | None) -> dict[str, str]:
    if node is None:
        return {}
    out = {}
    for h in Collection(g, node):
        out[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return out


def load_cases(manifest: Path) -> list[Case]:
    """Every test of a manifest, in manifest order."""
    g = rdflib.Graph().parse(manifest, format="turtle")
    root = next(g.subjects(RDF.type, MF.Manifest))
    cases = []
    for test in Collection(g, g.value(root, MF.entries)):
        action = g.value(test, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            resp = g.value(req, HT.resp)
            body_node = g.value(req, HT.body)
            expect = Expect(
                statuses=sorted(
                    str(s).rsplit("#", 1)[1] for s in g.objects(resp, MF.expectedStatus)
                ),
                format=str(f) if (f := g.value(resp, MF.expectedFormat)) is not None else None,
                boolean=(
                    b.toPython() if (b := g.value(resp, MF.expectedBoolean)) is not None else None
                ),
                headers=_headers(g, g.value(resp, HT.headers)),
                body=(
                    str(g.value(rb, CNT.chars))
                    if (rb := g.value(resp, HT.body)) is not None
                    else None
                ),
                location=(
                    str(loc) if (loc := g.value(resp, MF.expectedLocation)) is not None else None
                ),
            )
            requests.append(
                Request(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)),
                    headers=_headers(g, g.value(req, HT.headers)),
                    body=str(g.value(body_node, CNT.chars)) if body_node is not None else None,
                    encoding=str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                    if body_node is not None
                    else "UTF-8",
                    expect=expect,
                )
            )
        graph_data = []
        for gd in g.objects(test, UT.graphData):
            file = Path(str(g.value(gd, UT.graph)).removeprefix("file://"))
            graph_data.append((manifest.parent / file.name, str(g.value(gd, RDFS.label))))
        cases.append(
            Case(
                id=str(test).rsplit("#", 1)[1],
                name=str(g.value(test, MF.name)),
                kind=str(g.value(test, RDF.type)).rsplit("#", 1)[1],
                requests=requests,
                graph_data=graph_data,
                requires=[str(r).rsplit("#", 1)[1] for r in g.objects(test, MF.requires)],
            )
        )
    return cases


def _is_update(req: Request) -> bool:
    ctype = req.headers.get("content-type", "")
    if ctype.startswith("application/sparql-update"):
        return True
    if "update=" in req.path:
        return True
    return bool(
        ctype.startswith("application/x-www-form-urlencoded")
        and req.body
        and req.body.startswith("update=")
    )


def map_path(req: Request) -> str:
    """The manifest's path on claimgraph's routes."""
    path = req.path
    if path.startswith("/sparql"):
        rest = path[len("/sparql") :].lstrip("/")
        return ("/update" if _is_update(req) else "/sparql") + rest
    if path.startswith("/gsp"):
        return "/store" + path[len("/gsp") :]
    return path


@dataclass
class Outcome:
    """What happened to one test: passed, or why not."""

    case: str
    passed: bool
    detail: str = ""


def _send(
    base: str, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _status_ok(status: int, expected: list[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and name.endswith("xx"):
            if status // 100 == int(name[len("StatusCode")]):
                return True
        elif STATUS_NAMES.get(name) == status:
            return True
    return not expected


def _boolean(ctype: str, body: bytes) -> bool | None:
    if ctype == "application/sparql-results+json":
        value = json.loads(body).get("boolean")
        return value if isinstance(value, bool) else None
    if ctype == "application/sparql-results+xml":
        text = body.decode("utf-8")
        if "<boolean>true</boolean>" in text:
            return True
        if "<boolean>false</boolean>" in text:
            return False
    return None


def load_graph_data(base: str, auth: dict[str, str], data: list[tuple[Path, str]]) -> None:
    """PUT each data file into the graph the test names (the server never fetches it)."""
    for file, iri in data:
        status, _, body = _send(
            base,
            "PUT",
            f"/store?graph={quote(iri, safe='')}",
            {"Content-Type": "application/n-triples", **auth},
            file.read_bytes(),
        )
        if status not in (200, 201, 204):
            raise RuntimeError(f"loading {file.name} into <{iri}> failed: {status} {body!r}")


def reset(base: str, auth: dict[str, str]) -> None:
    """Empty the store (``DROP ALL``): every test starts from an empty graph store."""
    status, _, body = _send(
        base, "POST", "/update", {"Content-Type": "application/sparql-update", **auth}, b"DROP ALL"
    )
    if status != 200:
        raise RuntimeError(f"DROP ALL failed: {status} {body!r}")


def run_case(base: str, case: Case, auth: dict[str, str]) -> Outcome:
    """Empty the store, load the test's data, replay its requests; the first unmet
    expectation fails it."""
    reset(base, auth)
    load_graph_data(base, auth, case.graph_data)
    variables: dict[str, str] = {}
    for i, req in enumerate(case.requests, 1):
        path = map_path(req)
        body_text = req.body
        for var, value in variables.items():
            path = path.replace(var, value)
            body_text = body_text.replace(var, value) if body_text is not None else None
        body = body_text.encode(req.encoding.lower()) if body_text is not None else None
        headers = {**{k: v for k, v in req.headers.items()}, **auth}
        status, rheaders, rbody = _send(base, req.method, path, headers, body)
        e = req.expect
        where = f"request {i} ({req.method} {path})"
        if not _status_ok(status, e.statuses):
            return Outcome(
                case.id,
                False,
                f"{where}: status {status}, expected {'/'.join(e.statuses)}: {rbody[:300]!r}",
            )
        ctype = rheaders.get("content-type", "").split(";")[0].strip()
        if e.format == "boolean" and ctype not in BOOLEAN_TYPES:
            return Outcome(case.id, False, f"{where}: content type {ctype} is not boolean")
        if e.format == "tabular" and ctype not in RESULT_TYPES:
            return Outcome(case.id, False, f"{where}: content type {ctype} is not tabular")
        if e.format == "RDF" and ctype not in RDF_TYPES:
            return Outcome(case.id, False, f"{where}: content type {ctype} is not RDF")
        if e.boolean is not None and _boolean(ctype, rbody) is not e.boolean:
            return Outcome(
                case.id, False, f"{where}: expected boolean {e.boolean}, got {rbody[:200]!r}"
            )
        for name, value in e.headers.items():
            got = rheaders.get(name, "")
            if name == "content-type":
                if got.split(";")[0].strip() != value.split(";")[0].strip():
                    return Outcome(case.id, False, f"{where}: {name} {got!r}, expected {value!r}")
            elif got != value:
                return Outcome(case.id, False, f"{where}: {name} {got!r}, expected {value!r}")
        if e.body is not None and req.method != "HEAD":
            fmt = RDF_TYPES.get(ctype)
            if fmt is None:
                return Outcome(case.id, False, f"{where}: body of type {ctype} is not RDF")
            got_graph = rdflib.Graph().parse(data=rbody, format=fmt)
            want = rdflib.Graph().parse(data=e.body, format="turtle")
            if not isomorphic(got_graph, want):
                return Outcome(
                    case.id,
                    False,
                    f"{where}: body not isomorphic to the expected graph:\n{rbody.decode()}",
                )
        if e.location is not None:
            location = rheaders.get("location")
            if not location:
                return Outcome(case.id, False, f"{where}: no Location header")
            variables[e.location] = location
    return Outcome(case.id, True)


def main(argv: list[str]) -> int:
    """Run every manifest against ``argv[1]`` with token ``argv[2]``; print a summary."""
    base, token = argv[1], argv[2]
    auth = {"Authorization": f"Bearer {token}"}
    passed = failed = 0
    for manifest in [PROTOCOL, *GRAPH_STORE]:
        for case in load_cases(manifest):
            outcome = run_case(base, case, auth)
            passed += outcome.passed
            failed += not outcome.passed
            print(
                ("PASS " if outcome.passed else "FAIL ") + case.id,
                "" if outcome.passed else outcome.detail,
            )
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
