"""Paging of saved queries and listings over HTTP: ``limit``/``offset`` or grlc's ``page``.

Every saved query (``/api/queries/NAME``) and every JSON listing under ``/api`` takes

``limit=N&offset=M``
    at most N rows (items) after the first M;
``page=K``
    page K (from 1) of the query's ``#+ pagination`` size (100 for the shipped queries), or of
    ``limit`` when given - the rows grlc returns for ``?page=K``.

A paged answer says where the neighbouring pages are in a ``Link`` header (``rel="next"``,
``"prev"``, ``"first"``), as grlc does; a listing also says how many items there are in
all (``Claimgraph-Total``).

>>> links("http://h/api/claims?limit=2", Page(2, 0), more=True)
'<http://h/api/claims?limit=2&offset=2>; rel="next", <http://h/api/claims?limit=2>; rel="first"'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import request

from claimgraph.errors import UsageError
from claimgraph.saved_queries import Page

from .errors import HTTPProblem

__all__ = [
    "TOTAL",
    "Page",
    "links",
    "listing_headers",
    "listing_page",
    "requested_page",
    "window",
]

TOTAL = "Claimgraph-Total"
"""The header that gives a listing's whole length."""

T = TypeVar("T")


def _number(name: str) -> int | None:
    given = request.args.getlist(name)
    if not given:
        return None
    if len(given) > 1:
        raise HTTPProblem(400, f"give {name} once, not {len(given)} times")
    try:
        return int(given[0])
    except ValueError:
        raise HTTPProblem(400, f"{name} must be a whole number, not {given[0]!r}") from None


def requested_page(size: int | None = None) -> Page:
    """The window the request asks for (``limit``, ``offset``, ``page``); ``size`` is the page
    size of ``page`` when no ``limit`` is given.  A malformed value is a 400."""
    try:
        return Page.of(
            limit=_number("limit"), offset=_number("offset"), page=_number("page"), size=size
        )
    except UsageError as e:
        raise HTTPProblem(400, str(e)) from e


def links(url: str, page: Page, *, more: bool) -> str | None:
    """The ``Link`` header of a page of ``url`` (the request's URL): next when there are
    ``more`` rows, previous and first when this is not the first page.  Links keep the
    request's own way of paging (``page`` numbers, or ``limit``/``offset``)."""
    if page.whole and not more:
        return None
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    by_page = any(k == "page" for k, _ in query)
    base = [(k, v) for k, v in query if k not in ("page", "offset")]
    size = page.limit

    def at(offset: int) -> str:
        extra: list[tuple[str, str]] = []
        if by_page and size:
            extra = [("page", str(offset // size + 1))]
        elif offset:
            extra = [("offset", str(offset))]
        return urlunsplit(parts._replace(query=urlencode(base + extra)))

    out = []
    if more and size is not None:
        out.append(f'<{at(page.offset + size)}>; rel="next"')
    if page.offset > 0:
        out.append(f'<{at(max(0, page.offset - (size or page.offset)))}>; rel="prev"')
    out.append(f'<{at(0)}>; rel="first"')
    return ", ".join(out)


def window(items: Sequence[T], page: Page) -> list[T]:
    """The items of ``page``.

    >>> window("abcdef", Page(2, 3))
    ['d', 'e']
    """
    end = None if page.limit is None else page.offset + page.limit
    return list(items[page.offset : end])


def listing_page() -> Page:
    """The window a listing request asks for (a listing has no page size of its own, so
    ``page`` needs ``limit``)."""
    return requested_page(None)


def listing_headers(total: int, page: Page) -> dict[str, str]:
    """``Claimgraph-Total`` and the ``Link`` header of a page of a listing of ``total`` items."""
    headers = {TOTAL: str(total)}
    more = page.limit is not None and page.offset + page.limit < total
    link = links(request.url, page, more=more)
    if link:
        headers["Link"] = link
    return headers
