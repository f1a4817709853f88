"""Provenance over HTTP, and the trace page.

* ``GET /api/trace?claim=…`` — a claim's trace (:func:`claimgraph.provenance.trace`): JSON
  (the structure in ``docs/provenance.md``) by default, PROV-O Turtle for
  ``Accept: text/turtle`` (or ``?format=turtle``), the readable tree for ``text/plain``
  (``?format=text``).  ``?texts=1`` adds the text of every article revision a hop points at
  (``"revision_texts": {iri: text}``), for highlighting the evidence.
* ``GET /api/claims`` — every claim with its independent sources and flags, in IRI order.
  This listing, ``/api/contradictions`` and the claims of ``/api/flags`` take
  ``limit``/``offset`` (:mod:`claimgraph.server.paging`); a page of ``/api/claims`` reads only
  its own claims.
* ``GET /api/claims/<claim>/corroboration`` (or ``/api/corroboration?claim=…`` for full IRIs)
  — independent sources with the reasoning.
* ``GET /api/contradictions`` — asserted and detected contradictions (``?all=1`` also
  retracted claims and superseded pairs).
* ``GET /api/flags`` — flagged claims (a page of them with ``?limit=&offset=``) and circular
  reporting.
* ``POST /api/claims/<claim>/reviews`` — record a review (JSON body ``rating``, ``author``,
  optional ``normalized``, ``note``, ``date``); needs the write token; validated, its own batch.
* ``GET /trace`` — the page: a claim's chain drawn hop by hop, the evidence highlighted in the
  article text.

Reads run in a query process under the server's time limit; a review runs under the write
time limit with the store opened for writing.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import mimeparse
from flask import Blueprint, Response, jsonify, render_template, request

from claimgraph.statements import parse_standings

from .auth import require_token
from .engine import current_engine
from .errors import HTTPProblem, json_body
from .messages import TaskContext
from .paging import listing_headers, listing_page, window

bp = Blueprint("provenance_api", __name__)

TRACE_FORMATS = {"json": "application/json", "turtle": "text/turtle", "text": "text/plain"}
_FORMAT_ALIASES = {"ttl": "turtle", "txt": "text", "prov": "turtle"}


def _standings() -> tuple[str, ...]:
    """``?include=cited,judged`` (or ``all``): the standings whose chains count; always
    evidenced (what articles say)."""
    standings: tuple[str, ...] = parse_standings(request.args.get("include"))
    return standings


def _truthy(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def _trace_format() -> str:
    wanted = request.args.get("format")
    if wanted:
        name = _FORMAT_ALIASES.get(wanted.lower(), wanted.lower())
        if name not in TRACE_FORMATS:
            raise HTTPProblem(400, f"format={wanted!r}: use json, turtle or text")
        return name
    accept = request.headers.get("Accept", "").strip() or "*/*"
    # mimeparse prefers the last of equally good candidates: JSON last, so */* gets JSON
    offers = [
        "text/plain",
        "application/x-turtle",
        "text/turtle",
        "application/ld+json",
        "application/json",
    ]
    try:
        best = mimeparse.best_match(offers, accept)
    except (ValueError, IndexError):
        best = "application/json"
    if not best:
        raise HTTPProblem(
            406,
            f"cannot serve a trace as {accept}; available: "
            "application/json, text/turtle, text/plain",
        )
    return {"text/plain": "text", "text/turtle": "turtle", "application/x-turtle": "turtle"}.get(
        best, "json"
    )


def _claim_arg() -> str:
    claim = request.args.get("claim", "").strip()
    if not claim:
        raise HTTPProblem(
            400,
            "give ?claim= with a claim's IRI, cgi: id, part of its id or "
            "words of its label, e.g. ?claim=unrealistic",
        )
    return claim


@bp.get("/api/trace")
def trace() -> Response:
    """A claim's trace as JSON, PROV-O Turtle or a text tree."""
    fmt = _trace_format()
    body = current_engine().call(
        trace_task,
        claim=_claim_arg(),
        format=fmt,
        texts=_truthy("texts"),
        standings=_standings(),
    )
    if fmt == "json":
        return jsonify(body)
    return Response(
        body, mimetype=TRACE_FORMATS[fmt], content_type=(f"{TRACE_FORMATS[fmt]}; charset=utf-8")
    )


def trace_task(
    ctx: TaskContext,
    *,
    claim: str,
    format: str,
    texts: bool = False,
    standings: tuple[str, ...] = ("evidenced",),
) -> str | dict[str, Any]:
    """A claim's trace as PROV-O Turtle, a text tree or the JSON structure (with the text of
    every revision it points at, with ``texts``)."""
    from claimgraph.provenance import revision_text
    from claimgraph.provenance import trace as trace_claim

    with ctx.store.reading() as store:
        result = trace_claim(store, claim, standings=standings)
        if format in ("turtle", "text"):
            rendered: str = result.turtle() if format == "turtle" else result.text()
            return rendered
        data: dict[str, Any] = result.as_dict()
        if texts:
            revisions = sorted(
                {h.revision.iri for c in result.chains for h in c.hops if h.revision is not None}
                | {
                    e.revision
                    for c in result.chains
                    for h in c.hops
                    for e in h.evidence
                    if e.revision
                }
            )
            data["revision_texts"] = {r: revision_text(store, r) for r in revisions}
        return data


@bp.get("/api/claims")
def claims() -> Response:
    """Every claim: id, label, independent sources, chains and flags (``limit``/``offset``
    page the list, in IRI order, reading only the page's claims; ``include`` adds the claims
    of cited or judged statements)."""
    page = listing_page()
    found = current_engine().call(
        claims_task, limit=page.limit, offset=page.offset, standings=_standings()
    )
    resp = jsonify(found["claims"])
    resp.headers.update(listing_headers(found["total"], page))
    return resp


def claims_task(
    ctx: TaskContext,
    *,
    limit: int | None = None,
    offset: int = 0,
    standings: tuple[str, ...] = ("evidenced",),
) -> dict[str, Any]:
    """A page of the claims' summaries and how many claims there are (for ``/api/claims``)."""
    from claimgraph.provenance import claim_count, claim_page

    with ctx.store.reading() as store:
        rows = claim_page(store, limit=limit, offset=offset, standings=standings)
        return {
            "claims": [asdict(s) for s in rows],
            "total": claim_count(store, standings=standings),
        }


@bp.get("/api/claims/<path:claim>/corroboration")
def corroboration(claim: str) -> Response:
    """Independent sources behind a claim, with the reasoning."""
    return jsonify(current_engine().call(corroboration_task, claim=claim, standings=_standings()))


@bp.get("/api/corroboration")
def corroboration_by_query() -> Response:
    """The same, with the claim in ``?claim=`` (for full IRIs)."""
    return jsonify(
        current_engine().call(corroboration_task, claim=_claim_arg(), standings=_standings())
    )


def corroboration_task(
    ctx: TaskContext, *, claim: str, standings: tuple[str, ...] = ("evidenced",)
) -> dict[str, Any]:
    """A claim's independent sources with the reasoning."""
    from claimgraph.provenance import corroboration as corroborate

    with ctx.store.reading() as store:
        result: dict[str, Any] = corroborate(store, claim, standings=standings).as_dict()
    return result


@bp.get("/api/contradictions")
def contradictions() -> Response:
    """Asserted and detected contradictions, each side with who stands behind it
    (``limit``/``offset`` page the list)."""
    page = listing_page()
    every = current_engine().call(
        contradictions_task, include_hidden=_truthy("all"), standings=_standings()
    )
    resp = jsonify(window(every, page))
    resp.headers.update(listing_headers(len(every), page))
    return resp


def contradictions_task(
    ctx: TaskContext, *, include_hidden: bool, standings: tuple[str, ...] = ("evidenced",)
) -> list[dict[str, Any]]:
    """Asserted and detected contradictions (for ``/api/contradictions``)."""
    from claimgraph.provenance import contradictions as find

    with ctx.store.reading() as store:
        found = find(store, include_hidden=include_hidden, standings=standings)
        return [c.as_dict() for c in found]


@bp.get("/api/flags")
def flags() -> Response:
    """Claims with a warning flag (``?all=1``: every claim) and circular reporting
    (``limit``/``offset`` page the claims)."""
    page = listing_page()
    found = current_engine().call(flags_task, show_all=_truthy("all"), standings=_standings())
    every = found["claims"]
    resp = jsonify({**found, "claims": window(every, page)})
    resp.headers.update(listing_headers(len(every), page))
    return resp


def flags_task(
    ctx: TaskContext,
    *,
    show_all: bool,
    limit: int | None = None,
    offset: int = 0,
    standings: tuple[str, ...] = ("evidenced",),
) -> dict[str, Any]:
    """Flagged claims (a page of them) and circular reporting (for ``/api/flags``)."""
    from claimgraph.provenance import circular_reporting, claim_page

    with ctx.store.reading() as store:
        rows = claim_page(
            store, limit=limit, offset=offset, warnings_only=not show_all, standings=standings
        )
        return {
            "claims": [asdict(r) for r in rows],
            "circular_reporting": [asdict(c) for c in circular_reporting(store)],
        }


@bp.post("/api/claims/<path:claim>/reviews")
def add_review(claim: str) -> Response:
    """Record a review of a claim (token required); 201 with the review, 200 if the same
    review was already there."""
    agent = require_token()
    body = json_body(
        '{"rating": "False", "author": "Name", "normalized": "false", "note": "…", '
        '"date": "2025-05-20"}',
        required={"rating": str, "author": str},
        optional={"normalized": str, "note": str, "date": str},
    )
    result = current_engine().write(
        review_task,
        claim=claim,
        agent=agent,
        rating=body["rating"],
        author=body["author"],
        normalized=body["normalized"],
        note=body["note"],
        date=body["date"],
    )
    resp = jsonify(result)
    resp.status_code = 201 if result["created"] else 200
    if result["created"]:
        resp.headers["Location"] = result["review"]
    return resp


def review_task(
    ctx: TaskContext,
    *,
    claim: str,
    rating: str,
    author: str,
    normalized: str | None,
    note: str | None,
    date: str | None,
    agent: str,
) -> dict[str, Any]:
    """Record a review of a claim as its own batch: validated outside the store's write lock,
    which only the commit takes (``ingest_bytes`` judges it again if another writer came in
    between; a claim retracted meanwhile fails that validation)."""
    from claimgraph.provenance import record_review

    return asdict(
        record_review(
            ctx.store,
            claim,
            rating=rating,
            author=author,
            note=note,
            review_date=date,
            normalized=normalized,
            agent=agent,
        )
    )


@bp.get("/trace")
def trace_page() -> str:
    """The provenance view: pick a claim, see its chains and the evidence in the article."""
    return render_template("trace.html", claim=request.args.get("claim", ""))
