"""The views of the graph, one module each, and :func:`build_graph`, which builds one by name."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ...errors import UsageError
from ...store import Store
from ..identity import merge_linked
from .actors import actors_view
from .claims import claims_view
from .full import full_view
from .provenance import provenance_view

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["VIEWS", "build_graph"]

VIEWS: tuple[str, ...] = ("full", "actors", "claims", "provenance")
"""The views :func:`build_graph` builds."""


def build_graph(
    store: Store,
    view: str,
    *,
    claim: str | None = None,
    lang: str = "en",
) -> nx.MultiDiGraph:
    """Build one view of ``store`` as a networkx MultiDiGraph (see :mod:`claimgraph.export`).

    ``claim`` (an IRI, ``cgi:…`` or bare id) is required for the ``provenance`` view.
    ``lang`` picks the language of labels and texts.  Things linked as one
    (``owl:sameAs``, ``claimgraph link``) are one node
    (:func:`~claimgraph.export.identity.merge_linked`).

    >>> from claimgraph.export import example_triples
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> g = build_graph(store, "full")
    >>> g.nodes["cgi:turkey"]["rdfs:comment"]
    'A state.'
    >>> build_graph(store, "provenance")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    claimgraph.errors.UsageError: the provenance view needs a claim: ...
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")
    with _collector_paused():
        return _build(store, view, claim, lang)


def _build(store: Store, view: str, claim: str | None, lang: str) -> nx.MultiDiGraph:
    if view == "provenance":
        if not claim:
            raise UsageError(
                "the provenance view needs a claim: give --claim (or ?claim=) with a claim's "
                "IRI, e.g. cgi:claim-…"
            )
        return provenance_view(store, claim, lang)
    build_view: Callable[[Store, str], nx.MultiDiGraph] = {
        "full": full_view,
        "actors": actors_view,
        "claims": claims_view,
    }[view]
    return merge_linked(build_view(store, lang), store)


class _Pauses:
    """How many builds have paused the cyclic garbage collector, and whether it ran before."""

    lock = threading.Lock()
    count = 0
    was_enabled = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a view is built: a build allocates a
    few million dicts, tuples and strings and frees none of them, and each of the collector's
    passes walks them all (a third of a 100k build's CPU, more at 1M).  Their memory is still
    freed by reference counting; the collector runs again when the last build in the process
    ends, if it ran before the first began.

    >>> with _collector_paused():
    ...     gc.isenabled()
    False
    """
    with _Pauses.lock:
        if _Pauses.count == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.count += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.count -= 1
            if _Pauses.count == 0 and _Pauses.was_enabled:
                gc.enable()
