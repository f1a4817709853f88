"""The well-formed-values rule, checked in Python beside the defined-terms rule: every literal
typed with an XSD datatype is a value of that datatype, and no IRI has a scheme claimgraph
never wants (``javascript:``, ``data:``, ``file:``, …), in every namespace.

Why a rule of its own: pyoxigraph and rdflib store ``"abc"^^xsd:integer`` and
``"2025-13-45"^^xsd:date`` as they are, and the shapes only check the datatypes of the
properties they constrain.  An ill-typed literal then sorts, compares and sums wrongly in
every query (``FILTER(?d > "2025-01-01"^^xsd:date)`` is an error for it, so the row silently
drops out); a ``javascript:`` IRI is a link the web pages would render.

What is judged is the *lexical form* against the datatype, not whether a property should
carry that datatype: ``rdfs:label 5`` (an ``xsd:integer``) is a well-formed literal, and
RDFS gives ``rdfs:label`` the range ``rdfs:Literal``, so it is accepted unless a shape of the
node's class asks for a string (see docs/security.md).

>>> ex = ox.NamedNode("http://example.org/a")
>>> [r.message for r in ill_formed_values([
...     ox.Triple(ex, ex, ox.Literal("abc", datatype=ox.NamedNode(XSD + "integer")))])]
['"abc" is not a valid xsd:integer (a whole number such as 42 or -7)']
>>> unwanted_scheme("javascript:alert(1)"), unwanted_scheme("https://example.org/")
('javascript', None)
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH

from ..rdf import XSD, compact
from .report import ValidationResult
from .shapes import SHAPES

WELL_FORMED_VALUES_RULE = URIRef(SHAPES + "WellFormedValuesRule")
"""The rule (checked in Python, not by a shape) that every XSD-typed literal is a value of its
datatype and that no IRI uses an unwanted scheme (:data:`UNWANTED_SCHEMES`)."""

UNWANTED_SCHEMES = frozenset(
    {
        "javascript",
        "vbscript",
        "livescript",
        "data",
        "file",
        "blob",
        "filesystem",
        "jar",
        "view-source",
        "about",
        "chrome",
        "chrome-extension",
        "resource",
        "ms-its",
        "mhtml",
    }
)
"""IRI schemes refused in data and as graph names: they run script when a page renders them
as links (``javascript:``, ``vbscript:``, ``data:``), or name the reader's own files and
browser internals (``file:``, ``jar:``, ``blob:``, ``about:``, …).  Nothing in a knowledge
graph of news needs them."""

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def unwanted_scheme(iri: str) -> str | None:
    """The scheme of ``iri`` (lower case) if it is one of :data:`UNWANTED_SCHEMES`, else None.

    >>> unwanted_scheme("FILE:///etc/passwd"), unwanted_scheme("urn:isbn:1")
    ('file', None)
    """
    match = _SCHEME.match(iri)
    if match is None:
        return None
    scheme = match.group(1).lower()
    return scheme if scheme in UNWANTED_SCHEMES else None


# ------------------------------------------------------------------ XSD lexical forms

_TZ = r"(?:Z|[+-](?P<tzh>\d\d):(?P<tzm>\d\d))"
_YEAR = r"-?(?P<year>[1-9]\d{4,}|\d{4})"
_SECONDS = r"(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d)(?P<fraction>\.\d+)?"
_DATE_RE = re.compile(rf"{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d){_TZ}?")
_DATETIME_RE = re.compile(rf"{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d)T{_SECONDS}{_TZ}?")
_TIME_RE = re.compile(rf"{_SECONDS}{_TZ}?")
_GYEAR_RE = re.compile(rf"{_YEAR}{_TZ}?")
_GYEARMONTH_RE = re.compile(rf"{_YEAR}-(?P<month>\d\d){_TZ}?")
_GMONTH_RE = re.compile(rf"--(?P<month>\d\d){_TZ}?")
_GDAY_RE = re.compile(rf"---(?P<day>\d\d){_TZ}?")
_GMONTHDAY_RE = re.compile(rf"--(?P<month>\d\d)-(?P<day>\d\d){_TZ}?")
_DURATION_RE = re.compile(
    r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
)
_DAYTIME_RE = re.compile(r"-?P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?")
_YEARMONTH_RE = re.compile(r"-?P(?=\d)(?:\d+Y)?(?:\d+M)?")
_INTEGER_RE = re.compile(r"[+-]?\d+")
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_FLOAT_RE = re.compile(r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF)|NaN")
_LANGUAGE_RE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_NAME_RE = re.compile(r"[^\W\d.-][\w.:-]*")
_NCNAME_RE = re.compile(r"[^\W\d.-][\w.-]*")
_NMTOKEN_RE = re.compile(r"[\w.:-]+")
_HEX_RE = re.compile(r"(?:[0-9a-fA-F]{2})*")


def _days_in(month: int, year: int | None) -> int:
    if month == 2:
        if year is None:
            return 29
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _calendar(match: re.Match[str] | None) -> bool:
    """Whether the fields a date/time pattern matched are a real moment of the calendar."""
    if match is None:
        return False
    found = match.groupdict()
    year = int(found["year"]) if found.get("year") else None
    if found.get("month") is not None and not 1 <= int(found["month"]) <= 12:
        return False
    if found.get("day") is not None:
        month = int(found["month"]) if found.get("month") is not None else 1
        if not 1 <= int(found["day"]) <= _days_in(month, year):
            return False
    if found.get("hour") is not None:
        hour, minute, second = (int(found[k]) for k in ("hour", "minute", "second"))
        fraction = (found.get("fraction") or ".0")[1:]
        if hour == 24:  # 24:00:00 is midnight at the end of the day, nothing later
            if minute or second or fraction.strip("0"):
                return False
        elif hour > 23 or minute > 59 or second > 59:
            return False
    if found.get("tzh") is not None:
        tzh, tzm = int(found["tzh"]), int(found["tzm"])
        if tzm > 59 or tzh > 14 or (tzh == 14 and tzm):
            return False
    return True


def _range(low: int | None, high: int | None) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        if not _INTEGER_RE.fullmatch(text):
            return False
        value = int(text)
        return (low is None or value >= low) and (high is None or value <= high)

    return check


def _base64(text: str) -> bool:
    squeezed = re.sub(r"[ \t\r\n]", "", text)
    try:
        base64.b64decode(squeezed, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _pattern(regex: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: regex.fullmatch(text) is not None


def _dated(regex: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: _calendar(regex.fullmatch(text))


_CHECKS: dict[str, tuple[Callable[[str], bool], str]] = {
    "string": (lambda _: True, "a string"),
    "normalizedString": (
        lambda t: not re.search(r"[\t\r\n]", t),
        "a string without tabs or line breaks",
    ),
    "token": (
        lambda t: not re.search(r"[\t\r\n]|  |^ | $", t),
        "a string without tabs, line breaks, or leading, trailing or double spaces",
    ),
    "language": (_pattern(_LANGUAGE_RE), "a language tag such as en or pt-BR"),
    "Name": (_pattern(_NAME_RE), "an XML name"),
    "NCName": (_pattern(_NCNAME_RE), "an XML name without a colon"),
    "ID": (_pattern(_NCNAME_RE), "an XML name without a colon"),
    "IDREF": (_pattern(_NCNAME_RE), "an XML name without a colon"),
    "ENTITY": (_pattern(_NCNAME_RE), "an XML name without a colon"),
    "NMTOKEN": (_pattern(_NMTOKEN_RE), "an XML name token"),
    "anyURI": (lambda _: True, "an IRI"),
    "QName": (lambda _: True, "a qualified name"),
    "NOTATION": (lambda _: True, "a notation name"),
    "boolean": (lambda t: t in ("true", "false", "1", "0"), "true, false, 1 or 0"),
    "decimal": (_pattern(_DECIMAL_RE), "a decimal number such as 3.14"),
    "float": (_pattern(_FLOAT_RE), "a floating-point number such as 1.5e3, INF or NaN"),
    "double": (_pattern(_FLOAT_RE), "a floating-point number such as 1.5e3, INF or NaN"),
    "integer": (_range(None, None), "a whole number such as 42 or -7"),
    "nonPositiveInteger": (_range(None, 0), "a whole number at most 0"),
    "negativeInteger": (_range(None, -1), "a whole number at most -1"),
    "nonNegativeInteger": (_range(0, None), "a whole number at least 0"),
    "positiveInteger": (_range(1, None), "a whole number at least 1"),
    "long": (_range(-(2**63), 2**63 - 1), "a whole number that fits in 64 bits"),
    "int": (_range(-(2**31), 2**31 - 1), "a whole number that fits in 32 bits"),
    "short": (_range(-(2**15), 2**15 - 1), "a whole number from -32768 to 32767"),
    "byte": (_range(-128, 127), "a whole number from -128 to 127"),
    "unsignedLong": (_range(0, 2**64 - 1), "a whole number from 0 to 2^64-1"),
    "unsignedInt": (_range(0, 2**32 - 1), "a whole number from 0 to 2^32-1"),
    "unsignedShort": (_range(0, 2**16 - 1), "a whole number from 0 to 65535"),
    "unsignedByte": (_range(0, 255), "a whole number from 0 to 255"),
    "date": (_dated(_DATE_RE), "a calendar date such as 2025-05-16"),
    "dateTime": (_dated(_DATETIME_RE), "a date and time such as 2025-05-16T09:30:00Z"),
    "dateTimeStamp": (
        lambda t: (
            _calendar(_DATETIME_RE.fullmatch(t)) and re.search(r"(Z|[+-]\d\d:\d\d)$", t) is not None
        ),
        "a date and time with a time zone such as 2025-05-16T09:30:00Z",
    ),
    "time": (_dated(_TIME_RE), "a time of day such as 09:30:00"),
    "gYear": (_dated(_GYEAR_RE), "a year such as 2025"),
    "gYearMonth": (_dated(_GYEARMONTH_RE), "a year and month such as 2025-05"),
    "gMonth": (_dated(_GMONTH_RE), "a month such as --05"),
    "gDay": (_dated(_GDAY_RE), "a day of the month such as ---16"),
    "gMonthDay": (_dated(_GMONTHDAY_RE), "a month and day such as --05-16"),
    "duration": (_pattern(_DURATION_RE), "a duration such as P1Y2M or PT36H"),
    "dayTimeDuration": (_pattern(_DAYTIME_RE), "a duration in days and time such as P2DT3H"),
    "yearMonthDuration": (_pattern(_YEARMONTH_RE), "a duration in years and months such as P1Y2M"),
    "hexBinary": (_pattern(_HEX_RE), "hexadecimal octets such as 0fb7"),
    "base64Binary": (_base64, "base64 text"),
}
"""Each XSD datatype (local name) → the test of its lexical form, and how it reads."""


def xsd_problem(literal: ox.Literal) -> str | None:
    """Why ``literal`` is not a value of its XSD datatype (None if it is, or if its datatype is
    not in the XSD namespace).

    >>> xsd = lambda name: ox.NamedNode(XSD + name)
    >>> xsd_problem(ox.Literal("2025-13-45", datatype=xsd("date")))
    'is not a valid xsd:date (a calendar date such as 2025-05-16)'
    >>> xsd_problem(ox.Literal("2024-02-29", datatype=xsd("date"))) is None
    True
    >>> xsd_problem(ox.Literal("300", datatype=xsd("byte")))
    'is not a valid xsd:byte (a whole number from -128 to 127)'
    >>> xsd_problem(ox.Literal("1", datatype=xsd("integr")))
    'has the datatype xsd:integr, which XSD does not define'
    """
    datatype = literal.datatype.value
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD) :]
    check = _CHECKS.get(name)
    if check is None:
        return f"has the datatype xsd:{name}, which XSD does not define"
    test, reads = check
    if test(literal.value):
        return None
    return f"is not a valid xsd:{name} ({reads})"


def _shown(literal: ox.Literal) -> str:
    text = literal.value
    return json.dumps(text[:60] + "…" if len(text) > 60 else text, ensure_ascii=False)


def _ill_typed(role: str, literal: ox.Literal) -> str | None:
    problem = xsd_problem(literal)
    return None if problem is None else f"{_shown(literal)} {problem}"


def _unwanted_iri(role: str, iri: ox.NamedNode) -> str | None:
    scheme = unwanted_scheme(iri.value)
    if scheme is None:
        return None
    return (
        f"the {role} {_short(iri.value)} is a {scheme}: IRI; claimgraph refuses IRIs of the "
        f"schemes {', '.join(sorted(UNWANTED_SCHEMES))} (name things with http(s), urn or "
        "another scheme)"
    )


_SCANS: tuple[tuple[type, Callable[[str, Any], str | None], Callable[[Any], URIRef | Literal]], ...]
_SCANS = (
    (ox.Literal, _ill_typed, lambda t: Literal(t.value, datatype=URIRef(t.datatype.value))),
    (ox.NamedNode, _unwanted_iri, lambda t: URIRef(t.value)),
)
"""What the rule checks: the terms of a type, why one is ill-formed (None when it is fine,
given its role in the triple), and the term as the report names it."""


def ill_formed_values(triples: Iterable[ox.Triple]) -> list[ValidationResult]:
    """One violation per ill-typed XSD literal and per IRI with an unwanted scheme in
    ``triples``, naming the node, the property and the value."""
    found: dict[tuple[str, str, str], ValidationResult] = {}
    fine: set[object] = set()  # terms already seen to be well formed (most recur)
    for t in triples:
        for role, term in (("node", t.subject), ("property", t.predicate), ("value", t.object)):
            if term in fine:
                continue
            for kind, problem_of, reported in _SCANS:
                if not isinstance(term, kind):
                    continue
                problem = problem_of(role, term)
                if problem is None:
                    fine.add(term)
                    continue
                key = (str(t.subject), t.predicate.value, str(term))
                if key not in found:
                    found[key] = _result(t, reported(term), problem)
    return list(found.values())


def _short(iri: str) -> str:
    shown = compact(iri)
    return f"<{shown[:60]}…>" if len(shown) > 60 else f"<{shown}>"


def _result(t: ox.Triple, value: URIRef | Literal, message: str) -> ValidationResult:
    subject = t.subject
    return ValidationResult(
        focus_node=(
            URIRef(subject.value) if isinstance(subject, ox.NamedNode) else BNode(str(subject))
        ),
        result_path=URIRef(t.predicate.value),
        value=value,
        source_shape=WELL_FORMED_VALUES_RULE,
        constraint_component=WELL_FORMED_VALUES_RULE,
        severity=SH.Violation,
        message=message,
    )
