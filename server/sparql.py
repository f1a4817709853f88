"""The SPARQL 1.1 Protocol: ``/sparql`` (query) and ``/update`` (update).

Query: ``GET ?query=``, ``POST`` form-encoded (``query=``) and ``POST`` direct
(``application/sparql-query``), with ``default-graph-uri`` / ``named-graph-uri``.  A GET
without a query returns the SPARQL 1.1 Service Description (content-negotiated; a browser
asking for HTML is sent to the page at ``/``).  Update: ``POST`` form-encoded (``update=``) or
direct (``application/sparql-update``) with ``using-graph-uri`` / ``using-named-graph-uri``,
and a token.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

import mimeparse
import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, redirect, request

from claimgraph.rdf import DCTERMS, PREFIXES, RDF_TYPE, RDFS

from . import tasks, updates
from .auth import require_token
from .engine import current_engine
from .errors import HTTPProblem
from .negotiation import choose, format_param, offered
from .result_cache import HIT, WIRE, ResultCache, results_of

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


def _params(name: str) -> list[str]:
    """A parameter's values from the URL and, for form posts, the body; 400 when one is
    not percent-encoded UTF-8 (Werkzeug would keep its bytes as ``%E9``, and a query for
    ``"café"`` sent in Latin-1 would quietly match nothing)."""
    values = _utf8_checked(name, request.args.getlist(name), request.query_string)
    if request.method == "POST" and request.mimetype == FORM:
        raw = request.get_data()  # first: the form is then parsed from these cached bytes
        values += _utf8_checked(name, request.form.getlist(name), raw)
    return values


def _utf8_checked(name: str, values: list[str], raw: bytes) -> list[str]:
    if not any("%" in v for v in values):  # what an undecodable byte becomes
        return values
    key = name.encode()
    for pair in raw.split(b"&"):
        k, _, v = pair.partition(b"=")
        if unquote_to_bytes(k.replace(b"+", b" ")) != key:
            continue
        try:
            unquote_to_bytes(v.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as e:
            raise HTTPProblem(
                400,
                f"the {name} parameter is not UTF-8 (byte 0x{e.object[e.start]:02x} at "
                f"{e.start}): percent-encode the UTF-8 bytes of the text",
            ) from e
    return values


def _one(name: str, values: list[str]) -> str:
    if len(values) > 1:
        raise HTTPProblem(400, f"give exactly one {name} parameter, not {len(values)}")
    return values[0]


def _utf8_body(kind: str) -> str:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise HTTPProblem(415, f"the {kind} must be sent as UTF-8, not {charset}")
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPProblem(400, f"the {kind} is not valid UTF-8: {e}") from e


def _posted_text(kind: str, direct: str, *, other: str, wrong: str) -> str:
    """The query or update of a POST, form-encoded (``kind=...``) or sent directly as
    ``direct``; a form carrying the ``other`` parameter is refused with ``wrong``."""
    if request.mimetype == FORM:
        if _params(other):
            raise HTTPProblem(400, wrong)
        values = _params(kind)
        if not values:
            raise HTTPProblem(400, f"the form has no {kind} parameter")
        return _one(kind, values)
    if request.mimetype == direct:
        return _utf8_body(kind)
    raise _content_type_problem(kind, direct)


def _content_type_problem(kind: str, direct: str) -> HTTPProblem:
    given = request.mimetype or "none"
    return HTTPProblem(
        415,
        f"POST a {kind} as {FORM} ({kind}=...) or as {direct}; the Content-Type was {given}",
    )


def _dataset(names: tuple[str, str]) -> tuple[list[str] | None, list[str] | None]:
    default, named = _params(names[0]), _params(names[1])
    if not default and not named:
        return None, None
    return default, named


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def query() -> Response:
    """Answer a SPARQL query, or describe the service."""
    engine = current_engine()
    if request.method in ("GET", "HEAD"):
        queries = _params("query")
        if not queries:
            if request.args.getlist("update"):
                raise HTTPProblem(405, "updates are POSTed to /update", headers={"Allow": "POST"})
            return service_description()
        text = _one("query", queries)
    else:
        text = _posted_text(
            "query",
            QUERY_TYPE,
            other="update",
            wrong="this is the query endpoint; POST updates to /update",
        )
    default_graphs, named_graphs = _dataset(("default-graph-uri", "named-graph-uri"))
    settings = engine.settings
    wanted = format_param(_params("format") + _params("output"))  # in the URL or the form
    cache = results()
    wire = WIRE in request.environ  # a GET: kept whole, in front of the app (KeptAnswers)
    key = (
        None
        if wire
        else cache.key(
            text,
            base_iri=request.base_url,
            dataset=(default_graphs, named_graphs),
            accept=request.headers.get("Accept"),
            format=wanted,
            max_rows=settings.max_rows,
            union=settings.union_default_graph,
        )
    )
    if key is not None:
        kept = cache.get(key)
        if kept is not None:
            with engine.client_slot():  # a kept answer is still one of the client's requests
                return kept
    resp = engine.stream(
        tasks.run_query,
        query=text,
        base_iri=request.base_url,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        accept=request.headers.get("Accept"),
        format=wanted,
        max_rows=settings.max_rows,
        union=settings.union_default_graph,
    )
    if wire:
        request.environ[WIRE] = True
        resp.headers[HIT] = "miss"
        return resp
    return cache.offer(key, resp) if key is not None else resp


def results() -> ResultCache:
    """This worker process's cache of answers (made on first use, after gunicorn forks)."""
    return results_of(current_app)


@bp.route("/update", methods=["POST"])
@bp.route("/update/", methods=["POST"])
def update() -> Response:
    """Apply a SPARQL update (token required; validated and landed as batches)."""
    agent = require_token()
    engine = current_engine()
    text = _posted_text(
        "update",
        UPDATE_TYPE,
        other="query",
        wrong="this is the update endpoint; send queries to /sparql",
    )
    using, using_named = _dataset(("using-graph-uri", "using-named-graph-uri"))
    result = engine.write(
        updates.run_update,
        update=text,
        base_iri=request.base_url,
        using=using,
        using_named=using_named,
        validate=engine.settings.validate_writes,
        agent=agent,
    )
    return jsonify({"status": "ok", **result})


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_TYPE = ox.NamedNode(RDF_TYPE)


def service_description() -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, content-negotiated."""
    accept = request.headers.get("Accept", "")
    if (
        accept
        and mimeparse.best_match(["text/turtle", "text/html"], accept) == "text/html"
        and "text/html" in accept
    ):
        return redirect("/")  # type: ignore[return-value]
    fmt = choose("rdf", accept, request.args.get("format"))
    if fmt is None:
        raise HTTPProblem(406, f"the service description is RDF; available: {offered('rdf')}")
    engine = current_engine()
    endpoint = ox.NamedNode(request.base_url.rstrip("/"))
    root = request.url_root

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    svc = endpoint
    triples = [
        ox.Triple(svc, _TYPE, n(SD + "Service")),
        ox.Triple(svc, n(SD + "endpoint"), endpoint),
        ox.Triple(svc, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
        ox.Triple(
            svc,
            n(DCTERMS + "title"),
            ox.Literal("claimgraph SPARQL endpoint", language="en"),
        ),
        ox.Triple(
            svc, n(SD + "defaultEntailmentRegime"), n("http://www.w3.org/ns/entailment/Simple")
        ),
    ]
    if engine.token is not None:
        triples.append(ox.Triple(svc, n(SD + "supportedLanguage"), n(SD + "SPARQL11Update")))
    if engine.settings.union_default_graph:
        triples.append(ox.Triple(svc, n(SD + "feature"), n(SD + "UnionDefaultGraph")))
    triples.append(ox.Triple(svc, n(SD + "feature"), n(SD + "EmptyGraphs")))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
        "N-Quads",
        "TriG",
    ):
        triples.append(ox.Triple(svc, n(SD + "resultFormat"), n(FORMATS + name)))
    for name in ("Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG"):
        triples.append(ox.Triple(svc, n(SD + "inputFormat"), n(FORMATS + name)))
    dataset = n(root + "void#dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples += [
        ox.Triple(svc, n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, _TYPE, n(SD + "Dataset")),
        ox.Triple(dataset, n(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, _TYPE, n(SD + "Graph")),
        ox.Triple(dataset, n(RDFS + "seeAlso"), n(root + "void")),
    ]
    oxformat = fmt.rdf_format
    data: list[ox.Triple] | list[ox.Quad] = triples
    if oxformat.supports_datasets:
        data = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    body = ox.serialize(data, format=oxformat, prefixes={"sd": SD, "formats": FORMATS, **PREFIXES})
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})
