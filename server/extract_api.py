"""Extraction over HTTP: ``POST /api/extract`` turns an article's text into draft records.

The body is the article: ``text/plain`` (UTF-8) with what else is known in the query string
(``?title=&url=&outlet=&published=YYYY-MM-DD``), or a JSON object ``{"text": …, "title": …,
"url": …, "outlet": …, "published": …}``.  ``?link=false`` (``"link": false``) leaves
speakers unlinked to the store's actors.

The answer is the draft — the same file ``claimgraph extract`` writes — as JSON
(``{"draft": "<YAML>", "claims": n, "needs_review": […], "guesses": […]}``) or, for
``Accept: application/yaml`` or ``?format=yaml``, the YAML itself.  Nothing is written: the
draft goes back to the client to review and ingest (``POST /store?acceptDrafts=true`` or
``claimgraph ingest --accept-drafts``).  Extraction costs the server work, so it needs the
write token like every other request that may take a while on someone's behalf; it runs in a
query process under the server's time limit (503 past it), on a text no longer than a
revision's text may be (``max_literal_bytes``, 413 past it).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from .auth import require_token
from .engine import current_engine
from .errors import HTTPProblem
from .messages import TaskContext

bp = Blueprint("extract_api", __name__)

_FIELDS = ("title", "url", "outlet", "published")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")


@bp.post("/api/extract")
def extract() -> Response:
    """Draft records for the article in the body (token required; nothing is written)."""
    require_token()
    fields, link, data = _article()
    result = current_engine().call(extract_task, data=data, link=link, **fields)
    if _wants_yaml():
        return Response(result["draft"], content_type="application/yaml; charset=utf-8")
    return jsonify(result)


def _article() -> tuple[dict[str, str | None], bool, bytes]:
    """The metadata, whether to link speakers, and the article's bytes from the request."""
    if request.mimetype == "application/json":
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise HTTPProblem(
                400,
                'send the article as text/plain, or a JSON object {"text": "…", "title": "…", '
                '"url": "…", "outlet": "…", "published": "YYYY-MM-DD"}',
            )
        fields: dict[str, str | None] = {}
        for key in _FIELDS:
            value = body.get(key)
            if value is not None and not isinstance(value, str):
                raise HTTPProblem(400, f"{key!r} must be a string")
            fields[key] = value
        link = body.get("link", True)
        if not isinstance(link, bool):
            raise HTTPProblem(400, "'link' must be true or false")
        return fields, link, body["text"].encode("utf-8")
    if request.mimetype not in ("text/plain", ""):
        raise HTTPProblem(
            415,
            f"cannot extract from {request.mimetype}: send the article's text as text/plain "
            "(UTF-8) or as the 'text' of a JSON object",
        )
    fields = {key: request.args.get(key) for key in _FIELDS}
    link = request.args.get("link", "true").lower() not in ("0", "false", "no")
    return fields, link, request.get_data(cache=False)


def _wants_yaml() -> bool:
    wanted = request.args.get("format", "").lower()
    if wanted:
        if wanted not in ("json", "yaml"):
            raise HTTPProblem(400, f"format={wanted!r}: use json or yaml")
        return wanted == "yaml"
    accept = request.accept_mimetypes
    best = accept.best_match(["application/json", *YAML_TYPES], default="application/json")
    return best in YAML_TYPES


def extract_task(
    ctx: TaskContext,
    *,
    data: bytes,
    link: bool,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> dict[str, Any]:
    """Extract the article in ``data`` and draft its records, speakers linked to the
    store's actors when ``link``."""
    from claimgraph.extract import article_text, draft_article, known_to

    text = article_text(data, source="the request body")
    actors, taken = known_to(ctx.store) if link else ([], frozenset[str]())
    draft = draft_article(
        text,
        title=title,
        url=url,
        outlet=outlet,
        published=published,
        actors=actors,
        taken=taken,
    )
    (evidenced,) = draft.graph("EvidencedStatements")
    return {
        "draft": draft.yaml(),
        "claims": sum(1 for r in evidenced["@graph"] if "claimText" in r),
        "needs_review": draft.needs_review,
        "notes": draft.notes,
        "guesses": [
            {
                "subject": j.subject,
                "property": j.property,
                "value": str(j.value),
                "confidence": j.confidence,
                "note": j.note,
            }
            for j in draft.judgements
        ],
    }
