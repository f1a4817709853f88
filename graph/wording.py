"""How the library words things for people: plurals, and IRIs shortened inside messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sized

from .rdf import compact

_IRI_IN_TEXT = re.compile(r"https?://[^\s\"<>{}|\\^`]+")


def plural(count: int | Sized, word: str, words: str | None = None) -> str:
    """``word`` for one, ``words`` (default ``word + "s"``) for any other count.

    >>> plural(1, "chain"), plural([1, 2], "chain"), plural(0, "info", "infos")
    ('chain', 'chains', 'infos')
    """
    n = count if isinstance(count, int) else len(count)
    return word if n == 1 else (words or word + "s")


def compact_text(message: str, *, extra: Mapping[str, str] | None = None) -> str:
    """``message`` with every ``http(s)`` IRI in it shortened with the known prefixes (and
    ``extra`` ones, prefix → namespace); punctuation after an IRI stays outside it.

    >>> compact_text("see https://w3id.org/claimgraph/id/zelensky.")
    'see cgi:zelensky.'
    """

    def shorten(match: re.Match[str]) -> str:
        iri = match.group(0)
        tail = ""
        while iri and iri[-1] in ".,;:)":
            iri, tail = iri[:-1], iri[-1] + tail
        for prefix, ns in (extra or {}).items():
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns) :]}{tail}"
        return compact(iri) + tail

    return _IRI_IN_TEXT.sub(shorten, message)
