"""What crosses between a request thread and a query process: the call, the context a task
works in, and the typed messages it sends back.

A **task** is a module-level function ``task(ctx, **kwargs)`` whose first parameter is a
:class:`TaskContext`; it is sent to a query process as a :class:`TaskCall` (functions pickle
by reference: the process imports the module and finds the function by name).  Through the
context it reads and writes the store (``ctx.store``, a :class:`~claimgraph.store.Store`),
sends the response's status, content type and headers (``ctx.meta(...)``) and writes the body
(``ctx.output``).  What it sends arrives as messages, in this order: at most one :class:`Meta`
before any :class:`Data`, then exactly one :class:`End` (its return value) or
:class:`Failure` (what it raised).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, cast

from claimgraph.errors import ClaimgraphError
from claimgraph.store import Store

from .errors import HTTPProblem, problem_from

CHUNK = 64 * 1024
"""Body bytes gathered into one :class:`Data` message."""


@dataclass(frozen=True)
class TaskCall:
    """A task and its arguments, as sent to a query process."""

    task: Callable[..., object]
    args: tuple[object, ...] = ()
    kwargs: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Meta:
    """The response's content type, headers and (if not 200) status."""

    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None


@dataclass(frozen=True)
class Data:
    """A piece of the response body."""

    chunk: bytes


@dataclass(frozen=True)
class End:
    """The task returned ``value`` (picklable); nothing follows."""

    value: object = None


@dataclass(frozen=True)
class Failure:
    """The task raised; ``traceback`` is set for an unexpected error (a bug), which the
    client sees only as a 500."""

    status: int
    title: str
    detail: str
    headers: dict[str, str] = field(default_factory=dict)
    traceback: str | None = None


@dataclass(frozen=True)
class Batch:
    """Several messages sent as one, in order: a small answer's held :class:`Meta`, its body
    and its :class:`End` cross the pipe in one write (:meth:`TaskContext.meta` with
    ``hold``)."""

    messages: tuple[Meta | Data | End | Failure, ...]


Message = Meta | Data | End | Failure | Batch


class Body:
    """A binary file-like object that sends what is written to it as :class:`Data`."""

    def __init__(self, send: Callable[[Message], None]) -> None:
        self._send = send
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, b: bytes) -> int:
        """Keep ``b``; send what is kept once it reaches :data:`CHUNK`."""
        if b:
            self._parts.append(bytes(b))
            self._size += len(b)
            if self._size >= CHUNK:
                self.flush()
        return len(b)

    def flush(self) -> None:
        """Send what is kept."""
        if self._parts:
            self._send(Data(b"".join(self._parts)))
            self._parts, self._size = [], 0

    def discard(self) -> None:
        """Forget what is kept (the task failed)."""
        self._parts, self._size = [], 0

    def take(self) -> list[Data]:
        """What is kept, as a message to send (none if nothing is), and forget it."""
        data = [Data(b"".join(self._parts))] if self._parts else []
        self._parts, self._size = [], 0
        return data


class TaskContext:
    """What a task gets: the store, and the way back to the request."""

    def __init__(self, store: Store, send: Callable[[Message], None]) -> None:
        self.store = store
        self._send = send
        self._held: list[Meta] = []
        self.body = Body(self.send)

    def send(self, message: Message) -> None:
        """Send ``message`` (with a held :class:`Meta` before it, as one :class:`Batch`)."""
        if self._held:
            held, self._held = self._held, []
            self._send(Batch((*held, *_flat(message))))
        else:
            self._send(message)

    def finish(self, value: object) -> None:
        """Send what is left of the body and :class:`End` (``value``), as one message."""
        parts: list[Meta | Data | End | Failure] = [*self._held, *self.body.take(), End(value)]
        self._held = []
        self._send(parts[0] if len(parts) == 1 else Batch(tuple(parts)))

    def fail(self, error: BaseException) -> None:
        """Drop what is held and kept of the body; send the :class:`Failure`."""
        self._held = []
        self.body.discard()
        self._send(failure_from(error))

    @property
    def output(self) -> IO[bytes]:
        """The response body, for serialisers that take a binary file."""
        return cast(IO[bytes], self.body)

    def meta(
        self,
        *,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        status: int | None = None,
        hold: bool = False,
    ) -> None:
        """Send the response's content type, headers and status; before any body.  With
        ``hold``, it goes with the first piece of the body or the end, whichever is first
        (one message instead of three for a small answer); without, at once (a task that
        announces it has begun)."""
        meta = Meta(content_type, dict(headers or {}), status)
        if hold:
            self._held.append(meta)
        else:
            self.send(meta)


def failure_from(error: BaseException) -> Failure:
    """The :class:`Failure` message for an exception raised by a task."""
    if isinstance(error, HTTPProblem | ClaimgraphError):
        p = problem_from(error)
        return Failure(p.status, p.title, p.detail, dict(p.headers))
    return Failure(
        500,
        "Internal Server Error",
        f"{type(error).__name__}: {error}",
        traceback=traceback.format_exc(),
    )


def run_task(ctx: TaskContext, call: TaskCall) -> None:
    """Run one task, sending its messages through ``ctx.send``; always ends with
    :class:`End` or :class:`Failure`."""
    try:
        value = call.task(ctx, *call.args, **call.kwargs)
    except BaseException as e:  # noqa: BLE001 - every failure becomes a message
        ctx.fail(e)
        return
    ctx.finish(value)


def _flat(message: Message) -> tuple[Meta | Data | End | Failure, ...]:
    return message.messages if isinstance(message, Batch) else (message,)


def unpacked(message: Message) -> list[Meta | Data | End | Failure]:
    """The messages ``message`` carries, in order (itself unless it is a :class:`Batch`).

    >>> unpacked(Batch((Meta("text/plain"), End(1))))
    [Meta(content_type='text/plain', headers={}, status=None), End(value=1)]
    """
    return list(_flat(message))
