"""HTTP errors and the one place they are rendered.

The library raises :class:`claimgraph.errors.ClaimgraphError` subclasses, each with an
``http_status``; the server adds :class:`HTTPProblem` for protocol-level refusals (406, 413,
415, 401, 403, 503).  Every error response has one JSON shape::

    {"error": {"status": 400, "title": "Bad Request", "detail": "what to fix"}}

except on the SPARQL protocol routes (``/sparql``, ``/update``, ``/store``), whose clients
expect plain text: there the body is the same detail as ``text/plain`` (the parser's message
for a malformed query), unless the client asks for JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, cast

import mimeparse
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from claimgraph.errors import ClaimgraphError

PROTOCOL_PREFIXES = ("/sparql", "/update", "/store")
"""Routes whose errors are plain text by default (SPARQL clients print them verbatim)."""


class HTTPProblem(Exception):
    """An error response: status, a short title and a detail that says what to fix."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = headers or {}

    def as_dict(self) -> dict[str, Any]:
        """The JSON error body."""
        return {"error": {"status": self.status, "title": self.title, "detail": self.detail}}


class QueryTimeout(HTTPProblem):
    """A query ran past the time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            503,
            f"the query ran longer than the time limit of {seconds:g} s and was stopped. "
            "Narrow it (add LIMIT, more specific patterns), or ask the operator for a "
            "longer --timeout.",
            title="Query timeout",
            headers={"Retry-After": "1"},
        )


_KINDS: dict[type, str] = {str: "a non-empty string", bool: "true or false", float: "a number"}
"""What a JSON field of each type must be, as :func:`json_body` says it."""


def json_body(
    example: str,
    *,
    required: Mapping[str, type] | None = None,
    optional: Mapping[str, type] | None = None,
) -> dict[str, Any]:
    """The request's JSON object with its fields checked, each ``required`` and ``optional``
    field named with its type (``str``: a non-empty string, ``bool``, ``float``: a number,
    returned as a float); a missing optional field is None, other fields are left out.  A
    400 names the field to fix; a body that is not a JSON object is shown ``example``.

    >>> app = Flask(__name__)
    >>> with app.test_request_context(json={"left": "cgi:x", "score": 1}):
    ...     json_body("{}", required={"left": str}, optional={"score": float, "agent": str})
    {'left': 'cgi:x', 'score': 1.0, 'agent': None}
    >>> with app.test_request_context(json={"right": "cgi:y"}):
    ...     json_body("{}", required={"left": str})
    Traceback (most recent call last):
    ...
    claimgraph.server.errors.HTTPProblem: give 'left': a non-empty string
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise HTTPProblem(400, f"send a JSON object: {example}")
    out: dict[str, Any] = {}
    for fields, needed in ((required or {}, True), (optional or {}, False)):
        for key, kind in fields.items():
            value = body.get(key)
            if value is None and not needed:
                out[key] = None
                continue
            if not _is(value, kind):
                what = _KINDS[kind]
                raise HTTPProblem(
                    400, f"give {key!r}: {what}" if value is None else f"{key!r} must be {what}"
                )
            out[key] = float(cast(float, value)) if kind is float else value
    return out


def _is(value: object, kind: type) -> bool:
    if kind is str:
        return isinstance(value, str) and bool(value.strip())
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, kind)


def problem_from(error: BaseException) -> HTTPProblem:
    """Map any exception onto an :class:`HTTPProblem`."""
    if isinstance(error, HTTPProblem):
        return error
    if isinstance(error, ClaimgraphError):
        detail = str(error)
        report = getattr(error, "report", None)
        if report is not None and hasattr(report, "text"):
            detail = f"{detail}\n\n{report.text()}"
        return HTTPProblem(error.http_status, detail)
    if isinstance(error, HTTPException):
        status = error.code or 500
        detail = error.description or HTTPStatus(status).phrase
        if status == 413 and "nothing was read" not in detail:
            detail = "the request body is larger than the server accepts; send less data"
        return HTTPProblem(status, detail)
    return HTTPProblem(500, "internal error; the server log has the details")


def render(problem: HTTPProblem) -> Response:
    """The response for ``problem``: JSON, or plain text on the protocol routes."""
    plain = request.path.startswith(PROTOCOL_PREFIXES)
    if plain:
        accept = request.headers.get("Accept", "")
        if (
            accept
            and mimeparse.best_match(["text/plain", "application/json"], accept)
            == ("application/json")
            and "application/json" in accept
        ):
            plain = False
    if plain:
        resp = Response(problem.detail + "\n", status=problem.status, mimetype="text/plain")
    else:
        resp = jsonify(problem.as_dict())
        resp.status_code = problem.status
    for key, value in problem.headers.items():
        resp.headers[key] = value
    return resp


def init_app(app: Flask) -> None:
    """Register the one error handler."""

    @app.errorhandler(Exception)
    def _handle(error: Exception) -> Response:
        problem = problem_from(error)
        if problem.status >= 500 and not isinstance(error, (HTTPProblem, ClaimgraphError)):
            app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render(problem)
