"""The write token: ``Authorization: Bearer <token>``, compared in constant time.

The token is never logged and never accepted in a URL (URLs end up in access logs).
"""

from __future__ import annotations

import hmac

from flask import request

from .engine import current_engine
from .errors import HTTPProblem


def require_token() -> str:
    """Raise 401 (no credentials) or 403 (wrong token, or a read-only server); return a
    short, non-secret agent name for the write's metadata."""
    token = current_engine().token
    if token is None:
        raise HTTPProblem(
            403,
            "this server is read-only: start it with --token-file (or "
            "CLAIMGRAPH_TOKEN) to allow writes",
        )
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPProblem(
            401,
            "writes need a token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="claimgraph"'},
        )
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise HTTPProblem(403, "the token is not valid for this server")
    agent = request.headers.get("X-Claimgraph-Agent", "").strip()
    return agent[:100] if agent else "http-client"
