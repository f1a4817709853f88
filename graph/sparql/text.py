"""SPARQL request text: one lexer, and the canonical text that every engine receives.

Two SPARQL parsers can disagree on where a comment, a string or an IRI ends (rdflib ends a
comment only at a line feed, pyoxigraph also at a bare carriage return; rdflib expands
``\\u`` escapes everywhere before parsing, pyoxigraph only inside strings and IRIs).  A check
made by one parser and an evaluation made by the other then see two different requests.  So
claimgraph never hands an engine the text it was sent: :func:`canonical` lexes it once, by
the SPARQL 1.1 grammar's terminals, and writes it back with

* every comment removed (the line break that ends it is kept, so line numbers do not move);
* every string literal re-encoded with the value it denotes, using only the escapes ``\\"``,
  ``\\\\``, ``\\n`` and ``\\r`` (a long string keeps its line breaks);
* every IRI written with its ``\\u`` escapes decoded (an escape that denotes a character an IRI
  may not hold is refused);
* no ``\\u`` escape anywhere else (refused: pyoxigraph rejects them, rdflib expands them).

What is left has nothing two lexers could read differently.  The safety checks
(:mod:`claimgraph.sparql.safety`) read the tokens of that same text, and the engine runs it.

>>> canonical('SELECT * WHERE { ?s ?p "a\\\\u0022b" } # SERVICE <http://x/>\\rLIMIT 1')
'SELECT * WHERE { ?s ?p "a\\\\"b" } \\nLIMIT 1'
>>> [t.kind for t in tokens("ASK { ?s a ex:C }") if t.kind != "ws"]
['word', 'punct', 'var', 'word', 'pname', 'punct']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimgraph.errors import QueryError
from claimgraph.limits import current

__all__ = ["Token", "canonical", "tokens"]

# the terminals of the SPARQL 1.1 grammar (section 19.8), as Python regular expressions
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

_TERMINALS = [
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("iri", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"),
    ("var", rf"[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
    ("bnode", rf"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("pname", rf"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*+\-/=!<>|^?$@]"),
]
_TOKEN = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _TERMINALS))
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class Token:
    """One terminal of a SPARQL request: its kind, its text and where it starts."""

    kind: str
    """``ws``, ``comment``, ``string``, ``iri``, ``var``, ``bnode``, ``pname``, ``langtag``,
    ``number``, ``word`` (keywords, function names) or ``punct``."""
    text: str
    start: int
    value: str = ""
    """For a string, the value it denotes; for an IRI, the IRI without ``<>`` and escapes."""

    @property
    def upper(self) -> str:
        """The text in capitals (keywords are case-insensitive)."""
        return self.text.upper()


def _where(text: str, at: int) -> str:
    line = text.count("\n", 0, at) + text.count("\r", 0, at) - text.count("\r\n", 0, at) + 1
    start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    return f"line {line}, column {at - start + 1}"


def _error(kind: str, text: str, at: int, message: str) -> QueryError:
    return QueryError(f"malformed {kind}: {message} at {_where(text, at)}")


def _uchar(text: str, at: int, kind: str) -> tuple[str, int]:
    """Decode the ``\\u``/``\\U`` escape at ``at``; the character and the end."""
    size = 4 if text[at + 1] == "u" else 8
    digits = text[at + 2 : at + 2 + size]
    if len(digits) != size or not re.fullmatch(r"[0-9A-Fa-f]+", digits):
        raise _error(kind, text, at, f"an incomplete escape {text[at : at + 2 + size]!r}")
    code = int(digits, 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise _error(kind, text, at, f"the escape {text[at : at + 2 + size]} is no character")
    return chr(code), at + 2 + size


def _string(text: str, at: int, kind: str) -> tuple[str, int]:
    """Read the string literal starting at ``at``: its value and the end of its text."""
    quote = text[at : at + 3] if text[at : at + 3] in ('"""', "'''") else text[at]
    long = len(quote) == 3
    i, n = at + len(quote), len(text)
    out: list[str] = []
    while True:
        if i >= n:
            raise _error(kind, text, at, "a string that is never closed")
        c = text[i]
        if text.startswith(quote, i):
            if long:  # """a"""" ends with the last three quotes
                while text.startswith(quote, i + 1):
                    out.append(c)
                    i += 1
            return "".join(out), i + len(quote)
        if c == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt in ("u", "U"):
                ch, i = _uchar(text, i, kind)
                out.append(ch)
                continue
            if nxt not in _ESCAPES:
                raise _error(kind, text, i, f"an unknown escape {text[i : i + 2]!r} in a string")
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        if c in "\r\n" and not long:
            raise _error(
                kind,
                text,
                i,
                "a line break inside a '...' or \"...\" string (use "
                '\\n, or a long string """...""")',
            )
        out.append(c)
        i += 1


def _iri(text: str, token: str, at: int, kind: str) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        if body[i] == "\\":
            ch, i = _uchar(body, i, kind)
            if _IRI_FORBIDDEN.match(ch):
                raise _error(
                    kind, text, at, f"the IRI {token} escapes {ch!r}, which an IRI may not hold"
                )
            out.append(ch)
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


_CACHED = 64 * 1024
"""Requests up to this size are lexed once and remembered (saved queries, repeated queries)."""


def _lex(text: str, kind: str) -> tuple[Token, ...]:
    return _lex_cached(text, kind) if len(text) <= _CACHED else _lex_text(text, kind)


@lru_cache(maxsize=512)
def _lex_cached(text: str, kind: str) -> tuple[Token, ...]:
    return _lex_text(text, kind)


def _lex_text(text: str, kind: str) -> tuple[Token, ...]:
    limits = current()
    out: list[Token] = []
    depth = terms = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            value, end = _string(text, i, kind)
            out.append(Token("string", text[i:end], i, value))
            i = end
            terms += 1
            if terms > limits.max_query_terms:
                raise limits.refuse("max_query_terms", f"the {kind} holds more terms")
            continue
        m = _TOKEN.match(text, i)
        if m is None or m.end() == i:
            if c == "\\":
                raise _error(
                    kind,
                    text,
                    i,
                    "a \\u escape outside a string or an IRI (write the character itself)",
                )
            raise _error(kind, text, i, f"an unexpected character {c!r}")
        name = m.lastgroup
        assert name is not None
        tok = m.group()
        value = _iri(text, tok, i, kind) if name == "iri" else ""
        out.append(Token(name, tok, i, value))
        if name == "punct" and tok in "{([":
            depth += 1
            if depth > limits.max_nesting:
                raise limits.refuse(
                    "max_nesting",
                    f"the {kind} nests braces, brackets or parentheses deeper at {_where(text, i)}",
                )
        elif name == "punct" and tok in "})]":
            depth -= 1
        if name not in ("ws", "comment"):
            terms += 1
            if terms > limits.max_query_terms:
                raise limits.refuse("max_query_terms", f"the {kind} holds more terms")
        i = m.end()
    return tuple(out)


def tokens(text: str, *, kind: str = "query") -> list[Token]:
    """The terminals of a SPARQL query or update, comments and whitespace included; raise
    :class:`~claimgraph.errors.QueryError` (with line and column) on text no SPARQL lexer
    accepts."""
    return list(_lex(text, kind))


def _string_text(value: str, long: bool) -> str:
    body = value.replace("\\", "\\\\").replace('"', '\\"')
    if long:
        return '"""' + body + '"""'
    return '"' + body.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _canonical_token(tok: Token) -> str:
    if tok.kind == "comment":
        return ""
    if tok.kind == "ws":
        return tok.text.replace("\r\n", "\n").replace("\r", "\n")
    if tok.kind == "string":
        return _string_text(tok.value, tok.text[:3] in ('"""', "'''"))
    if tok.kind == "iri":
        return f"<{tok.value}>"
    return tok.text


def canonical(text: str, *, kind: str = "query") -> str:
    """The request ``text`` as every engine receives it: comments removed, strings and IRIs
    re-encoded (see the module doc).  Lexing the result gives the same tokens, less the
    comments; line numbers are kept."""
    return "".join(_canonical_token(t) for t in _lex(text, kind))


def is_absolute_iri(value: str) -> bool:
    """Whether an IRI starts with a scheme (``http:``, ``urn:`` ...).

    >>> is_absolute_iri("http://example.org/"), is_absolute_iri("?b&&x")
    (True, False)
    """
    return _SCHEME.match(value) is not None
