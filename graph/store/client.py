"""HTTP for remote stores: one pooled client per store, time limits, credentials, and the
checks that turn a cut, partial or cancelled answer into an error instead of a result.

What servers do when they stop a query, measured (see ``docs/scale-out.md``):

* ``oxigraph serve --timeout-s N`` answers **200** and ends the body with the text "The SPARQL
  operation has been cancelled" — JSON, TSV or N-Triples cut in the middle;
* Virtuoso's "anytime" queries (its ``timeout`` parameter, ``MaxQueryExecutionTime``) answer
  200 (206 in some set-ups) with what they had, and say so only in ``X-SQL-State: S1TAT``; a
  SELECT cut at ``ResultSetMaxRows`` carries ``X-SPARQL-MaxRows``;
* a connection closed before the end of a ``Content-Length`` or chunked body.

:class:`Client` raises :class:`~claimgraph.errors.StoreError` for each, naming the server and
what to change.  A request that takes longer than the store's time limit in all (connecting,
sending, waiting, reading) is abandoned with an error saying so; credentials are sent, never
shown: messages name the URL without them, and :class:`Credentials` hides itself.
"""

from __future__ import annotations

import functools
import re
import ssl
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from .. import __version__
from ..errors import QueryError, StoreError, UsageError

CANCELLED = (b"The SPARQL operation has been cancelled",)
"""What servers write at the end of a body they stopped sending (Oxigraph server)."""

INCOMPLETE_STATES = ("S1TAT",)
"""Virtuoso's ``X-SQL-State`` for an "anytime" answer cut at the time limit."""


@dataclass(frozen=True, repr=False)
class Credentials:
    """How to sign in to a SPARQL server: a user name and password (HTTP Basic or Digest, as
    the server asks) or a bearer token.  Its ``repr`` never shows them.

    >>> Credentials.parse("ann:s3cret:x")
    Credentials(user='ann', <hidden>)
    >>> Credentials.parse(None, "tok").token
    'tok'
    """

    user: str | None = None
    password: str | None = field(default=None, compare=False)
    token: str | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, auth: str | None, token: str | None = None) -> Credentials | None:
        """From ``USER:PASSWORD`` (the password may hold colons) and/or a bearer token;
        None when neither is given.  A value without a colon is an error that does not
        repeat it."""
        if auth:
            user, sep, password = auth.partition(":")
            if not sep or not user:
                raise UsageError(
                    "--auth (or CLAIMGRAPH_STORE_AUTH) must be USER:PASSWORD; for a token use "
                    "--bearer-token (or CLAIMGRAPH_STORE_TOKEN)"
                )
            return cls(user, password, token or None)
        if token:
            return cls(token=token)
        return None

    def __repr__(self) -> str:
        who = f"user={self.user!r}, " if self.user else ""
        return f"Credentials({who}<hidden>)"

    def auth(self) -> httpx.Auth | None:
        """The httpx authentication these credentials make."""
        if self.user is not None:
            return _Login(self.user, self.password or "")
        if self.token:
            return _Bearer(self.token)
        return None


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class _Login(httpx.Auth):
    """User and password, in the scheme the server asks for: the first request goes without
    them; a 401 says Basic or Digest, which is then used for every request (Digest reuses its
    challenge, so later requests take one round trip)."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is None:
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("WWW-Authenticate", "").lower()
            self._scheme = "digest" if challenge.startswith("digest") else "basic"
            if self._scheme == "digest":
                # answer the challenge already received, without asking for it again
                flow = self._digest.auth_flow(request)
                next(flow)
                try:
                    signed = flow.send(response)
                except StopIteration:
                    return
                response = yield signed
                try:
                    flow.send(response)
                except StopIteration:
                    pass
                return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
        else:
            yield from self._basic.auth_flow(request)


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """``url`` without the ``user:password@`` it may hold, and those credentials.

    >>> split_credentials("http://ann:pw@127.0.0.1:8890/sparql")
    ('http://127.0.0.1:8890/sparql', Credentials(user='ann', <hidden>))
    """
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, Credentials(parts.username, parts.password or "")


@dataclass
class Reply:
    """A response read whole: its status, headers and body."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, without parameters, in lower case."""
        media: str = self.headers.get("content-type", "")
        return media.split(";")[0].strip().lower()


class Client:
    """The HTTP side of one remote store: a pooled ``httpx.Client`` with a time limit of
    ``timeout`` seconds per request, in all.  ``mounts`` route origins through other
    transports (a query process reaches the server through a Unix socket relay); ``tls``
    False skips loading the system's certificates for a store reached by plain http."""

    def __init__(
        self,
        *,
        timeout: float,
        credentials: Credentials | None = None,
        mounts: Mapping[str, httpx.BaseTransport] | None = None,
        tls: bool = True,
    ) -> None:
        self.timeout = timeout
        self.tls = tls
        """Whether it may speak https (certificates are checked; False: plain http only)."""
        self.requests = 0
        """How many requests this client has sent."""
        self.bytes_received = 0
        """How many body bytes it has read."""
        self._auth = credentials.auth() if credentials is not None else None
        self._mounts = dict(mounts) if mounts else None
        self._client: httpx.Client | None = None

    @property
    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                verify=tls_context() if self.tls else False,
                auth=self._auth,
                headers={"User-Agent": f"claimgraph/{__version__}"},
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                limits=httpx.Limits(
                    max_connections=32, max_keepalive_connections=8, keepalive_expiry=4.0
                ),
                follow_redirects=False,
                mounts=self._mounts,
            )
        return self._client

    def close(self) -> None:
        """Close the pooled connections; a later request opens new ones."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        ok: frozenset[int] = frozenset(),
        retry: bool = False,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Reply:
        """Send a request and read its answer whole.  An error status raises (see
        :func:`failure`) unless it is in ``ok``; ``retry`` sends it once more when a kept-alive
        connection turns out closed (only for requests that may be repeated)."""
        chunks: list[bytes] = []
        stream = self.stream(method, url, what=what, ok=ok, retry=retry, timeout=timeout, **kwargs)
        reply = next(stream)
        for chunk in stream:
            chunks.append(chunk)
        assert isinstance(reply, Reply)
        reply.body = b"".join(chunks)
        return reply

    def stream(
        self,
        method: str,
        url: str,
        *,
        what: str,
        ok: frozenset[int] = frozenset(),
        retry: bool = False,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Generator[Any, None, None]:
        """Send a request; yield its :class:`Reply` (headers checked, body empty), then the
        body's chunks.  Raises :class:`StoreError` when the server cannot be reached, answers
        with an error, takes longer than the time limit in all, or cuts the body short."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        where = _shown(url)
        attempts = 2 if retry else 1
        for attempt in range(attempts):
            reply: Reply | None = None
            try:
                with self._http.stream(
                    method, url, timeout=httpx.Timeout(limit, connect=min(limit, 10.0)), **kwargs
                ) as response:
                    self.requests += 1
                    reply = Reply(response.status_code, response.headers, b"")
                    if response.status_code >= 300 and response.status_code not in ok:
                        response.read()
                        self.bytes_received += len(response.content)
                        reply.body = response.content
                        raise failure(reply, what=what, url=where)
                    _check_headers(reply, what=what, url=where)
                    yield reply
                    tail = b""
                    for chunk in response.iter_bytes():
                        self.bytes_received += len(chunk)
                        if time.monotonic() > deadline:
                            raise StoreError(
                                f"the SPARQL server at {where} took longer than {limit:g} s "
                                f"to send the answer to the {what}; nothing was read. Narrow "
                                "the request or raise --store-timeout"
                            )
                        tail = (tail + chunk)[-64:]
                        yield chunk
                    if any(marker in tail for marker in CANCELLED):
                        raise StoreError(
                            f"the SPARQL server at {where} cancelled the {what} (its time "
                            "limit) and sent a cut answer, which was not used. Narrow the "
                            "query, or raise the server's limit (oxigraph serve --timeout-s)"
                        )
                    return
            except httpx.ConnectError as e:
                raise StoreError(
                    f"cannot reach the SPARQL server at {where} ({_reason(e)}): is it running? "
                    "Check --store (and --update-url, --gsp-url)"
                ) from None
            except httpx.TimeoutException:
                raise StoreError(
                    f"the SPARQL server at {where} did not answer the {what} within "
                    f"{limit:g} s; nothing was read. Narrow the request, check the server, or "
                    "raise --store-timeout (CLAIMGRAPH_STORE_TIMEOUT)"
                ) from None
            except (httpx.ReadError, httpx.WriteError) as e:
                if attempt + 1 < attempts and reply is None:
                    continue  # a kept-alive connection the server had closed: reset on reuse
                raise StoreError(
                    f"talking to the SPARQL server at {where} failed ({_reason(e)})"
                ) from None
            except httpx.RemoteProtocolError as e:
                if attempt + 1 < attempts and reply is None and "without sending" in str(e):
                    continue  # a kept-alive connection the server had closed
                raise StoreError(
                    f"the answer of the SPARQL server at {where} to the {what} was cut off "
                    f"({_reason(e)}); it was not used"
                ) from None
            except httpx.HTTPError as e:
                raise StoreError(
                    f"talking to the SPARQL server at {where} failed ({_reason(e)})"
                ) from None


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context per process, trusting the system's certificates (building one takes
    ~0.1 s; a client per store would pay it each time)."""
    return ssl.create_default_context()


def _check_headers(reply: Reply, *, what: str, url: str) -> None:
    """Refuse an answer the server marks as partial before its body is read."""
    if reply.status == 206:
        raise StoreError(
            f"the SPARQL server at {url} sent a partial answer to the {what} (HTTP 206, most "
            "likely cut at its time limit); it was not used. Narrow the query or raise the "
            "server's limit"
        )
    state = reply.headers.get("X-SQL-State", "")
    if state in INCOMPLETE_STATES:
        message = reply.headers.get("X-SQL-Message", "").split("Activity:")[0].strip()
        raise StoreError(
            f"the SPARQL server at {url} stopped the {what} at its time limit and sent an "
            f"incomplete answer ({state}: {message}); it was not used. Narrow the query, or "
            "raise --store-timeout and the server's MaxQueryExecutionTime"
        )
    if "X-SPARQL-MaxRows" in reply.headers:
        raise StoreError(
            f"the SPARQL server at {url} cut the answer to the {what} at its row limit "
            f"({reply.headers['X-SPARQL-MaxRows']} rows, Virtuoso's ResultSetMaxRows); it was "
            "not used. Narrow the query (LIMIT) or raise ResultSetMaxRows in the [SPARQL] "
            "section of virtuoso.ini"
        )


def failure(reply: Reply, *, what: str, url: str) -> Exception:
    """The error an error status means: :class:`QueryError` when the server refused a
    request it found malformed (4xx), else :class:`StoreError`."""
    message = server_message(reply.body)
    status = reply.status
    if status in (401, 403):
        return StoreError(
            f"the SPARQL server at {url} refused the {what} (HTTP {status}: {message}): give "
            "credentials with a right to it, with --auth USER:PASSWORD or --bearer-token "
            "(better: CLAIMGRAPH_STORE_AUTH or CLAIMGRAPH_STORE_TOKEN)"
        )
    if 300 <= status < 400:
        target = _shown(reply.headers.get("Location", "?"))
        return StoreError(
            f"the SPARQL server at {url} redirects the {what} to {target}: use that URL"
        )
    if status == 404:
        return StoreError(
            f"nothing answers at {url} (HTTP 404): check the endpoint URLs "
            "(--store, --update-url, --gsp-url)"
        )
    if status in (400, 413, 414, 415, 422) or (status == 500 and _is_malformed(message)):
        return QueryError(f"the SPARQL server refused the {what}: {message}")
    return StoreError(f"the SPARQL server at {url} failed on the {what} (HTTP {status}): {message}")


def _is_malformed(message: str) -> bool:
    low = message.lower()
    return "syntax" in low or "parse error" in low or "sparql compiler" in low


def server_message(body: bytes) -> str:
    """What a server's error body says, on one line, without the request text Virtuoso
    repeats after it.

    >>> server_message(b"Virtuoso 37000 Error SP030: bad\\n\\nSPARQL query:\\nSELECT ...")
    'Virtuoso 37000 Error SP030: bad'
    >>> server_message(b"<sparql><results>...Virtuoso S1TAT Error RC...: incomplete results")
    'Virtuoso S1TAT Error RC...: incomplete results'
    """
    text = body.decode("utf-8", "replace")
    virtuoso = re.search(r"Virtuoso \w+ Error .*", text)
    if virtuoso is not None:  # after the part of an answer it had sent, if any
        text = text[virtuoso.start() :]
    text = text.split("\nSPARQL query:")[0].split("\nSPARQL update:")[0]
    text = " ".join(text.split())
    return (text[:497] + "...") if len(text) > 500 else (text or "no message")


def _shown(url: str) -> str:
    """A URL as messages show it: never with credentials, nor its query string."""
    clean, _ = split_credentials(url)
    return clean.split("?")[0]


def _reason(e: Exception) -> str:
    text = str(e) or type(e).__name__
    return text[:200]
