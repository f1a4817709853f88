"""Values computed from a store, kept with the store object until the store changes.

A value read from the store (the ordered claims of a listing, a saved query's whole answer)
holds as long as nothing is written.  :func:`kept` computes it once per store object and
:meth:`~claimgraph.store.Store.generation` (read before the value is, so a value is never kept
under a generation older than the data it read) and gives the same object back until the
generation moves; nothing is kept on a store that cannot tell its generation, nor while the
thread is inside a writing session (its writes share one generation).  Each store object keeps
at most :data:`KEPT_VALUES` values taking at most :data:`KEPT_BYTES` in all (as the caller
measures them), the least recently used dropped first, and drops them all when its generation
moves.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .interface import Store

T = TypeVar("T")

KEPT_VALUES = 64
"""Values kept per store object (the least recently used dropped first)."""

KEPT_BYTES = 128 * 1024 * 1024
"""Bytes of kept values per store object (as ``size`` measures them): a query process may
keep many answers, each under its own bound, and must still have room to answer queries."""

_KEPT: weakref.WeakKeyDictionary[Store, tuple[int, OrderedDict[Hashable, tuple[Any, int]]]] = (
    weakref.WeakKeyDictionary()
)
"""Each store object's kept values, with the generation they were read at."""
_LOCK = threading.Lock()


def keeps(store: Store) -> bool:
    """Whether :func:`kept` would keep a value computed from ``store`` now.

    >>> from claimgraph.store import open_store
    >>> keeps(open_store(":memory:"))
    True
    """
    return store.generation() is not None and not store.writing_now()


def kept(
    store: Store, key: Hashable, compute: Callable[[], T], size: Callable[[T], int] | None = None
) -> T:
    """``compute()``, or the value it gave for ``key`` on this store object at this
    generation; ``size`` tells the bytes a value takes (else it counts as none), and a value
    larger than :data:`KEPT_BYTES` is given but not kept.

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> calls = []
    >>> def count() -> int:
    ...     calls.append(1)
    ...     return len(store)
    >>> kept(store, "size", count), kept(store, "size", count), len(calls)
    (0, 0, 1)
    >>> store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    >>> kept(store, "size", count), len(calls)
    (1, 2)
    """
    generation = store.generation()  # read before the value is
    if generation is None or store.writing_now():
        return compute()
    with _LOCK:
        found = _KEPT.get(store)
        if found is not None and found[0] == generation and key in found[1]:
            found[1].move_to_end(key)
            return found[1][key][0]  # type: ignore[no-any-return]
    value = compute()
    weight = size(value) if size is not None else 0
    if weight > KEPT_BYTES:
        return value
    with _LOCK:
        found = _KEPT.get(store)
        if found is None or found[0] != generation:
            found = (generation, OrderedDict())
            _KEPT[store] = found
        values = found[1]
        values[key] = (value, weight)
        values.move_to_end(key)
        while len(values) > KEPT_VALUES or sum(w for _, w in values.values()) > KEPT_BYTES:
            values.popitem(last=False)
    return value
