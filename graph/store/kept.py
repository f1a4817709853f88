"""Values computed from a store, kept with the store object until the store changes.

A value read from the store (the ordered claims of a listing, a saved query's whole answer)
holds as long as nothing is written.  :func:`kept` computes it once per store object and
:meth:`~claimgraph.store.Store.generation` (read before the value is, so a value is never kept
under a generation older than the data it read) and gives the same object back until the
generation moves; nothing is kept on a store that cannot tell its generation, nor while the
thread is inside a writing session (its writes share one generation).  Each store object keeps
at most :data:`KEPT_VALUES` values, the least recently used dropped first, and drops them all
when its generation moves.
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

_KEPT: weakref.WeakKeyDictionary[Store, tuple[int, OrderedDict[Hashable, Any]]] = (
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


def kept(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or the value it gave for ``key`` on this store object at this
    generation.

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
            return found[1][key]  # type: ignore[no-any-return]
    value = compute()
    with _LOCK:
        found = _KEPT.get(store)
        if found is None or found[0] != generation:
            found = (generation, OrderedDict())
            _KEPT[store] = found
        found[1][key] = value
        while len(found[1]) > KEPT_VALUES:
            found[1].popitem(last=False)
    return value
