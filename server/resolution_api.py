"""Resolution over HTTP: the candidates for one thing described twice, and the links a person
(or a tool) decides on (``docs/resolution.md``).

* ``GET /api/candidates`` — pairs that may be one thing, highest score first, each with its
  reasons and the command that links them; ``?kind=person`` (repeatable) keeps some kinds,
  ``?min_score=0.8`` raises the bar; ``limit``/``offset`` page the list
  (:mod:`claimgraph.server.paging`).
* ``GET /api/links`` — the linked pairs: ``same`` (``owl:sameAs``) and ``possibly``
  (``cg:possiblySameAs``, anonymous sources).
* ``POST /api/links`` — link two things (token required): a JSON body ``{"left": …,
  "right": …, "possibly": false, "score": 0.9, "because": "…", "agent": "…"}``.  The link is
  a judged batch of its own, by ``agent`` (default: the token's agent); 201 with the batch in
  ``Location``, 200 when the two were already linked; the refusals of
  :func:`claimgraph.resolution.link` are 400.
* ``DELETE /api/links?left=…&right=…`` — retract the link batches between the two (token
  required); 404 when they are not linked.

Reads run in a query process under the server's time limit; a link or an unlink runs under the
write time limit, validated like every batch.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .auth import require_token
from .engine import current_engine
from .errors import HTTPProblem, json_body
from .messages import TaskContext
from .paging import listing_headers, listing_page, window

bp = Blueprint("resolution_api", __name__)

KINDS = ("person", "organisation", "state", "place", "event", "claim", "anonymous")


@bp.get("/api/candidates")
def candidates() -> Response:
    """Pairs that may be one thing (``kind``, ``min_score``, ``limit``/``offset``)."""
    kinds = request.args.getlist("kind")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise HTTPProblem(400, f"kind={unknown[0]!r}: give one of {', '.join(KINDS)}")
    min_score = _score(request.args.get("min_score"), "min_score")
    page = listing_page()
    every = current_engine().call(candidates_task, kinds=kinds or None, min_score=min_score)
    resp = jsonify(window(every, page))
    resp.headers.update(listing_headers(len(every), page))
    return resp


def candidates_task(
    ctx: TaskContext, *, kinds: list[str] | None, min_score: float | None
) -> list[dict[str, Any]]:
    """The candidates as JSON (for ``/api/candidates``)."""
    from claimgraph.resolution import candidates as find

    with ctx.store.reading() as store:
        return [c.as_dict() for c in find(store, kinds=kinds, min_score=min_score)]


@bp.get("/api/links")
def links() -> Response:
    """The linked pairs, ``same`` and ``possibly``."""
    return jsonify(current_engine().call(links_task))


def links_task(ctx: TaskContext) -> dict[str, list[list[str]]]:
    """The store's linked pairs, each as a sorted pair of IRIs."""
    from claimgraph.resolution import linked_pairs

    with ctx.store.reading() as store:
        pairs = linked_pairs(store)
    return {kind: sorted(sorted(p) for p in pairs[kind]) for kind in ("same", "possibly")}


@bp.post("/api/links")
def add_link() -> Response:
    """Link two things as one (token required)."""
    token_agent = require_token()
    body = json_body(
        '{"left": "cgi:zelensky", "right": "cgi:zelenskyy", "score": 0.95, '
        '"because": "the same president, spelt two ways"}',
        required={"left": str, "right": str},
        optional={"possibly": bool, "score": float, "because": str, "agent": str},
    )
    result = current_engine().write(
        link_task,
        left=body["left"].strip(),
        right=body["right"].strip(),
        possibly=bool(body["possibly"]),
        score=body["score"],
        because=body["because"],
        agent=body["agent"] or token_agent,
    )
    resp = jsonify(result)
    resp.status_code = 201 if result["created"] else 200
    if result["created"]:
        resp.headers["Location"] = result["batch"]
    return resp


def link_task(
    ctx: TaskContext,
    *,
    left: str,
    right: str,
    possibly: bool,
    score: float | None,
    because: str | None,
    agent: str,
) -> dict[str, Any]:
    """Write the link as its own judged batch."""
    from claimgraph.resolution import link

    result = link(
        ctx.store, left, right, possibly=possibly, score=score, because=because, agent=agent
    )
    return asdict(result)


@bp.delete("/api/links")
def remove_link() -> Response:
    """Retract the links between ``left`` and ``right`` (token required)."""
    require_token()
    left, right = _ref(request.args, "left"), _ref(request.args, "right")
    return jsonify({"retracted": current_engine().write(unlink_task, left=left, right=right)})


def unlink_task(ctx: TaskContext, *, left: str, right: str) -> list[str]:
    """Retract every link batch between the two."""
    from claimgraph.resolution import unlink

    return unlink(ctx.store, left, right)


def _ref(source: Any, key: str) -> str:
    value = source.get(key)
    if not isinstance(value, str) or not value.strip():
        raise HTTPProblem(400, f"give {key!r}: an IRI, a cgi: id or a bare id")
    return value.strip()


def _score(text: str | None, name: str) -> float | None:
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise HTTPProblem(400, f"{name}={text!r}: give a number between 0 and 1")
    return value
