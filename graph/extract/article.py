"""An article's text and what the caller says of it, checked before extraction.

The text is what the draft's revision will hold, so it is held to what ingest accepts of a
literal (``max_literal_bytes``), and it must be UTF-8 text: not empty, no NUL or other
control characters than tabs and line breaks.  A byte-order mark is dropped; nothing else
is changed, so the offsets the extractor computes are offsets into exactly this text.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import ParseError, UsageError
from ..limits import Limits, current
from ..untrusted import BOM

__all__ = ["article_text", "check_date", "check_url"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def article_text(data: bytes, *, source: str, limits: Limits | None = None) -> str:
    """The text of an article given as bytes; raise :class:`~claimgraph.errors.ParseError`
    (naming ``source``) when it is not plain UTF-8 text with words in it.

    >>> article_text("“No,” Peskov said.".encode(), source="a.txt")
    '“No,” Peskov said.'
    >>> article_text(b"\\xff\\xfe", source="a.txt")
    Traceback (most recent call last):
    ...
    claimgraph.errors.ParseError: a.txt: is not UTF-8 text (byte 0xff at 0): save the article ...
    """
    limits = limits or current()
    if len(data) > limits.max_literal_bytes:
        raise limits.refuse(
            "max_literal_bytes",
            f"the article holds {len(data):,} bytes, more than a revision's text may",
            source=source,
        )
    data = data.removeprefix(BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ParseError(
            f"is not UTF-8 text (byte 0x{data[e.start]:02x} at {e.start}): save the article as "
            "UTF-8 plain text",
            source=source,
        ) from e
    bad = _CONTROL.search(text)
    if bad is not None:
        raise ParseError(
            f"holds the control character U+{ord(bad.group()):04X} at {bad.start()}: it is not "
            "plain text (a binary file, or a PDF or word-processor file?); give the article's "
            "text",
            source=source,
        )
    if not re.search(r"\w", text):
        raise ParseError("holds no text to extract from", source=source)
    return text


def check_date(value: str | None, *, what: str = "the publication date") -> str | None:
    """``value`` if it is a date (``YYYY-MM-DD``) or None; else a
    :class:`~claimgraph.errors.UsageError` saying what to write.

    >>> check_date("2025-05-16")
    '2025-05-16'
    >>> check_date("16 May")
    Traceback (most recent call last):
    ...
    claimgraph.errors.UsageError: the publication date '16 May' is not a date: write YYYY-MM-DD, ...
    """
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{what} {value!r} is not a date: write YYYY-MM-DD, e.g. 2025-05-16"
        ) from None
    return value


def check_url(value: str | None) -> str | None:
    """``value`` if it is an http(s) URL without spaces, or None; else a
    :class:`~claimgraph.errors.UsageError`.  The URL is stored, never fetched.

    >>> check_url("https://example.org/a")
    'https://example.org/a'
    >>> check_url("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    claimgraph.errors.UsageError: the URL 'file:///etc/passwd' is not an http or https address
    """
    if value is None:
        return None
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        raise UsageError(f"the URL {value!r} is not an http or https address")
    return value
