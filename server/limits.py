"""Request and response hygiene for every route: the size bound for bodies sent without a
``Content-Length`` (chunked uploads), and ``Vary: Accept``.

Werkzeug checks a declared length against ``MAX_CONTENT_LENGTH``, but a chunked body is only
*cut* at that length: the first bytes of an oversized update would be applied as if they were
all of it.  Before any route reads the body, :func:`init_app`'s hook reads a chunked body up
to one byte past the bound: more than the bound is a 413, anything else becomes the request's
body with its length declared, so forms, queries and uploads see the whole of it.  A body
declared too long is read and dropped (up to 64 MiB) before the 413, so the client, still
sending, gets the answer rather than a reset connection.
"""

from __future__ import annotations

import io

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

_CHUNK = 64 * 1024


def init_app(app: Flask, max_bytes: int) -> None:
    """Refuse (413) a chunked body over ``max_bytes``; buffer a smaller one.  Also mark every
    response ``Vary: Accept``: most routes negotiate their format, and a cache must not hand
    one client's Turtle to another that asked for JSON."""

    @app.after_request
    def _vary_on_accept(response: Response) -> Response:
        response.vary.add("Accept")
        return response

    @app.before_request
    def _bounded_chunked_body() -> None:
        environ = request.environ
        declared = request.content_length
        if declared is not None and declared > max_bytes:
            _drain(environ["wsgi.input"], declared)
            raise RequestEntityTooLarge()
        if (
            environ.get("CONTENT_LENGTH")
            or "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        ):
            return
        raw = environ["wsgi.input"]
        body = bytearray()
        while len(body) <= max_bytes:
            chunk = raw.read(min(_CHUNK, max_bytes + 1 - len(body)))
            if not chunk:
                break
            body += chunk
        if len(body) > max_bytes:
            raise RequestEntityTooLarge(
                f"the request body is larger than the server accepts ({max_bytes} bytes, "
                "sent chunked); nothing was read or applied: send less data"
            )
        environ["wsgi.input"] = io.BytesIO(bytes(body))
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ.pop("wsgi.input_terminated", None)


_DRAIN_LIMIT = 64 * 1024 * 1024


def _drain(stream: object, declared: int) -> None:
    """Read and drop an oversized body (up to 64 MiB) before answering 413: a client still
    sending when the server closes the connection sees "connection reset", not the 413."""
    if declared > _DRAIN_LIMIT:
        return
    read = getattr(stream, "read", None)
    left = declared
    while read is not None and left > 0:
        chunk = read(min(_CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
