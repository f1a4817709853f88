"""Speaker phrases: who a noun phrase names — a person with a role, an organisation, a state,
a news organisation (:mod:`.outlets`), an anonymous source with its stated affiliation, or a
word that refers back (a pronoun, "the minister", "the source").
"""

from __future__ import annotations

import re

from .lexicon.cues import CUE_VERBS, LEADING_WORDS, SPEECH_NOUNS, TIME_WORDS
from .lexicon.names import (
    ANONYMOUS_HEADS,
    COUNT_WORDS,
    DEMONYMS,
    GROUP_WORDS,
    NAME_PARTICLES,
    ORGANISATION_WORDS,
    OUTLET_NOUNS,
    PLACES,
    PRONOUNS,
    ROLE_WORDS,
)
from .model import Span, Speaker
from .outlets import STATE_MEDIA, news_organisation
from .text import Token, tokens

_TITLE_WORDS = frozenset(
    """Foreign Affairs Defence Defense Prime Deputy Vice Chief General Special Presidential First
    Senior State Interior Press National Security Secretary Minister President Spokesman
    Spokeswoman Spokesperson Ambassador Envoy Adviser Advisor Negotiator Chancellor Premier
    Leader Head Commander Aide Mr Mrs Ms Dr Gen Lt Col Sen Rep Former former Acting
    Water Energy Resources Irrigation Finance Economy Trade Justice Health Agriculture Education
    Transport Industry Environment Fisheries Labour Culture Information Commerce Planning
    Development Oil Petroleum Mines Communications Tourism Treasury Immigration Refugees
    Reconstruction Reintegration Cooperation Relations Displaced Minorities Secretary-General
    Director-General Under-Secretary-General Commissioner High Representative Rapporteur Mediator
    Coordinator Chair Co-Chair Chairman Chairwoman UN U.N. EU AU""".split()
)
"""Words of a title, a ministry's portfolio included (``Minister of Water and Energy``)."""
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "his", "her", "their"})
_NAME_PARTICLES = NAME_PARTICLES | {"of"}  # and in an outlet's name: "Times of Israel"
_ORG_HEADS = frozenset(
    {
        "delegation",
        "delegations",
        "side",
        "sides",
        "ministry",
        "government",
        "kremlin",
        "presidency",
        "office",
        "administration",
        "team",
        "embassy",
        "authorities",
        "mediators",
        "negotiators",
    }
)
DOCUMENT_NOUNS = frozenset(
    {"statement", "readout", "communique", "communiqué", "transcript", "letter", "report"}
)
"""Documents that speak for their owner: ``The readout said …`` is the owner's."""
ONE_OF = "one of"
"""The pronoun name of ``one of them`` / ``one of the officials``: it refers to a group."""
_POSTMODIFIERS = frozenset(
    """in from at within inside close near with of on to for familiar briefed involved
    speaking who which knowledgeable aware said told who, based linked""".split()
)
"""Words that may follow the head of an unnamed source's descriptor."""
_PARTITIVE = frozenset({"them", "the", "those", "these"})
_PREPOSITIONS = ("in", "from", "at", "within", "inside", "close to", "near", "with", "of")


def _strip(words: list[Token]) -> list[Token]:
    """Drop clause openers before a phrase and auxiliaries/adverbs after it."""
    while words and (
        words[0].lower in LEADING_WORDS
        or words[0].text in ",;:—–-“”\"'‘’«»("
        or words[0].lower == "both"
        and len(words) > 1
        and words[1].lower in ("the",)
    ):
        words = words[1:]
    while words and (
        words[-1].text in TIME_WORDS
        or words[-1].lower in TIME_WORDS
        or words[-1].text in ",;:—–-“”\"'‘’«»)"
    ):
        if (
            len(words) >= 2
            and words[-2].lower in ("on", "last", "this", "late", "early")
            and (words[-1].text in TIME_WORDS)
        ):
            words = words[:-2]
            continue
        words = words[:-1]
    while (
        len(words) >= 2
        and words[-2].lower in ("on", "late", "last", "this")
        and (words[-1].text in TIME_WORDS or words[-1].lower in ("week", "month", "night", "year"))
    ):
        words = words[:-2]
    return words


def parse_speaker(text: str, start: int, end: int) -> Speaker | None:
    """The speaker that ``text[start:end]`` names, or None when it names none.

    >>> t = "Kremlin spokesman Dmitry Peskov"
    >>> s = parse_speaker(t, 0, len(t)); (s.name, s.role, s.kind)
    ('Dmitry Peskov', 'Kremlin spokesman', 'person')
    >>> t = "two people familiar with the discussions"
    >>> s = parse_speaker(t, 0, len(t)); (s.anonymous, s.group, s.affiliation)
    (True, True, None)
    >>> t = "a Ukrainian diplomatic source"
    >>> s = parse_speaker(t, 0, len(t)); (s.name, s.affiliation, s.group)
    ('Ukrainian diplomatic source', 'Ukraine', False)
    >>> parse_speaker("no breakthrough", 0, 15) is None
    True
    """
    words = _strip(tokens(text, start, end))
    if not words or len(words) > 16:
        return None
    if any(w.text in ';:“”"«»' for w in words):
        return None
    parts = _comma_parts(words)
    if len(parts) > 1:
        whole = _span(text, words[0], words[-1])
        if _BODY_OF.fullmatch(whole.text):  # "Ministry of Trade, Industry and Fisheries"
            return Speaker(name=_clean(whole.text), kind="organisation", span=whole)
        return _appositive(text, parts)
    return _phrase(text, words)


def _comma_parts(words: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for w in words:
        if w.text == ",":
            parts.append([])
        else:
            parts[-1].append(w)
    return [p for p in parts if p]


def _appositive(text: str, parts: list[list[Token]]) -> Speaker | None:
    """``Dmitry Peskov, the Kremlin spokesman`` or ``a senior official, speaking on condition of
    anonymity``: the part that names, with the other as role."""
    if len(parts) > 3:
        return None
    parsed = [(p, _phrase(text, p)) for p in parts if not p[0].lower.endswith("ing")]
    named = [(p, s) for p, s in parsed if s is not None]
    if not named:
        return None
    people = [(p, s) for p, s in named if s.kind == "person"]
    if len(people) == 1 and len(named) == 1 and not people[0][1].role:
        # "the head of Iran's Atomic Energy Organization, Mohammad Eslami": a title that
        # names no speaker of its own is the person's role
        titles = [p for p in parts if p is not people[0][0] and _is_title(p)]
        if titles:
            words, person = people[0]
            first = min(titles[0][0], words[0], key=lambda w: w.start)
            last = max(titles[0][-1], words[-1], key=lambda w: w.end)
            role = _clean(_words(text, titles[0]))
            return _with(person, role=role, span=_span(text, first, last))
    if people and len(named) > 1:
        words, person = people[0]
        others = [p for p, s in named if s is not person]
        role = person.role or _words(text, others[0])
        first = min(named[0][0][0], words[0], key=lambda w: w.start)
        last = max(named[-1][0][-1], words[-1], key=lambda w: w.end)
        return _with(person, role=role, span=_span(text, first, last))
    return named[0][1]


def _is_title(words: list[Token]) -> bool:
    """A post, as a phrase: a role noun heads it or comes before ``of`` (``the head of the
    International Atomic Energy Agency``, ``EU foreign policy chief``)."""
    lowered = [w.lower for w in words]
    cut = lowered.index("of") if "of" in lowered else len(lowered)
    return 0 < cut <= 5 and lowered[cut - 1] in ROLE_WORDS


def _with(s: Speaker, **changes: object) -> Speaker:
    from dataclasses import replace

    return replace(s, **changes)  # type: ignore[arg-type]


def _words(text: str, words: list[Token]) -> str:
    return text[words[0].start : words[-1].end]


def _span(text: str, first: Token, last: Token) -> Span:
    return Span.of(text, first.start, last.end)


def _capitalised(w: Token) -> bool:
    return (
        w.text[:1].isupper()
        or w.text in ("U.S.", "U.K.")
        or bool(re.match(r"(?:al|el|bin|ibn|de|van|von|ben)-[A-Z]", w.text))
    )


def _phrase(text: str, words: list[Token]) -> Speaker | None:
    """One noun phrase without commas."""
    words = _strip(words)
    if not words:
        return None
    span = _span(text, words[0], words[-1])
    phrase = span.text
    lowered = [w.lower for w in words]
    if len(words) == 1 and lowered[0] in PRONOUNS:
        return Speaker(name=lowered[0], kind="pronoun", span=span, referred_by=phrase)
    if lowered[:2] == ["one", "of"] and len(words) > 2 and lowered[2] in _PARTITIVE:
        # "one of them", "one of the officials": a member of a group named before
        return Speaker(name=ONE_OF, kind="pronoun", span=span, referred_by=phrase)
    news = news_organisation(phrase)
    if news is not None:
        return Speaker(name=news[0], kind=news[1], span=span)
    # "statements from both delegations", "a statement from the Kremlin": the author speaks
    for i, w in enumerate(lowered[:-2]):
        if w in SPEECH_NOUNS and lowered[i + 1] in ("from", "by", "of") and i <= 3:
            author = _phrase(text, words[i + 2 :])
            if author is not None and author.kind != "pronoun":
                return author
    if STATE_MEDIA.fullmatch(phrase):
        # "Iranian state media reported", "State media quoted X as saying": the outlets
        return Speaker(name=_clean(phrase), kind="outlet", span=span, group=True)
    if len(words) > 3 and lowered[-2] == "in" and words[-1].text in PLACES:
        # "the foreign ministry in Tehran": an organisation placed by its capital
        body = _phrase(text, words[:-2])
        if body is not None and body.kind in ("organisation", "group"):
            return _with(body, name=_clean(phrase), span=span)
    if len(words) == 2 and lowered[0] == "the" and lowered[1] in OUTLET_NOUNS:
        # "The newspaper said …": the outlet named before
        return Speaker(name=lowered[1], kind="definite", span=span, referred_by=phrase)
    if len(words) == 2 and lowered[0] == "the" and lowered[1] in DOCUMENT_NOUNS:
        # "The readout said …": the owner of the document named before
        return Speaker(name=lowered[1], kind="definite", span=span, referred_by=phrase)
    if _BODY_OF.fullmatch(phrase):
        return Speaker(name=_clean(phrase), kind="organisation", span=span)
    person = _person(text, words)
    if person is not None:
        return Speaker(name=person[0], kind="person", span=span, role=person[1])
    heads = [i for i, w in enumerate(lowered) if w in ANONYMOUS_HEADS]
    if heads and heads[0] + 1 < len(words) and lowered[heads[0] + 1] not in _POSTMODIFIERS:
        heads = []  # "two of his colleagues agree": a verb after the head, not a descriptor
    if heads and heads[0] <= 5:
        if lowered[0] in ("the", "this", "that"):
            return Speaker(name=lowered[heads[0]], kind="definite", span=span, referred_by=phrase)
        if (
            lowered[0] in COUNT_WORDS
            or lowered[0] in DEMONYMS_LOWER
            or all(
                w.lower in _MODIFIERS
                or w.text in DEMONYMS
                or w.text in PLACES
                or not _capitalised(w)
                for w in words[: heads[0]]
            )
        ):
            return _anonymous(text, words, heads[0], span)
    bare = [w for w in words if w.lower not in _DETERMINERS and w.lower != "both"]
    if not bare:
        return None
    name = _words(text, bare)
    if name in PLACES or name in PLACES.values():
        return Speaker(name=name, kind="state", span=span)
    last = bare[-1]
    if last.lower in _ORG_HEADS or last.text in ORGANISATION_WORDS:
        if len(words) <= 6:
            group = last.lower.endswith("s") and last.lower not in ("authorities",)
            kind = "group" if group or lowered[0] == "both" else "organisation"
            name = _clean(_words(text, [w for w in words if w.lower not in _DETERMINERS]))
            return Speaker(name=name, kind=kind, span=span, group=kind == "group")
    if last.lower in ROLE_WORDS and len(words) <= 6:
        return Speaker(name=last.lower, kind="definite", span=span, referred_by=phrase)
    if all(_capitalised(w) for w in bare) and len(bare) <= 4:
        return Speaker(name=name, kind="organisation", span=span)
    return None


_MODIFIERS = frozenset(
    """senior top chief deputy former foreign presidential veteran lead head acting high-ranking
    high-level western european military diplomatic government security intelligence defence
    defense kremlin ministry administration other unnamed anonymous informed well-placed
    knowledgeable""".split()
)


_WORDS = r"[A-Z][\w-]*(?:\s+(?:(?:of|for|the)\s+)*[A-Z][\w-]*){0,4}"
_BODY_OF = re.compile(
    r"(?:(?:the|The|[A-Z][\w-]*(?:’s|'s))\s+)?(?:[A-Z][\w-]*\s+){0,2}"
    r"(?:Ministry|Department|Office|Council|Commission|Committee|Secretariat|Directorate|"
    r"Agency|Authority|Bank|Fund|Court|Assembly|Embassy|Mission)"
    rf"\s+(?:of|for)\s+(?:the\s+)?{_WORDS}(?:(?:,\s+{_WORDS})*,?\s+and\s+{_WORDS})?"
)
"""A public body named by what it does (``Egypt's Ministry of Water Resources and
Irrigation``, ``Norway's Ministry of Trade, Industry and Fisheries``)."""


def body_end(text: str, start: int, end: int) -> int | None:
    """Where the name of a public body that starts at ``start`` ends, commas of its list of
    duties included (``Ministry of Trade, Industry and Fisheries``); None if none starts
    there."""
    m = _BODY_OF.match(text, start, end)
    return m.end() if m is not None else None


def _person(text: str, words: list[Token]) -> tuple[str, str | None] | None:
    """A person's name ending the phrase, and the role words before it."""
    run = _name_run(words)
    if run is None:
        return None
    first, last = run
    if last != len(words) - 1:
        return None
    names = words[first : last + 1]
    if any(w.text in ORGANISATION_WORDS for w in names):
        return None
    name = _words(text, names)
    if name in PLACES or name in PLACES.values() or name in DEMONYMS:
        return None
    before = [w for w in words[:first] if w.lower not in _DETERMINERS]
    titled = _title_words(before)
    for k, w in enumerate(before):
        if not (
            w in titled
            or _portfolio_and(before, k)
            or _capitalised(w)
            or w.lower in ROLE_WORDS
            or w.lower in _MODIFIERS
            or w.text.endswith(("’s", "'s"))
            or w.lower in ("of", "for", "to", "-")
            or w.lower in _ORG_HEADS
            or w.text in ORGANISATION_WORDS
        ):
            return None
    return name, (_words(text, before) if before else None)


def _portfolio_and(words: list[Token], k: int) -> bool:
    """Whether ``words[k]`` is the ``and`` of a title's portfolio (``Minister of Water and
    Energy``), not one joining two people."""
    return (
        words[k].lower == "and"
        and 0 < k < len(words) - 1
        and words[k - 1].text in _TITLE_WORDS
        and words[k + 1].text in _TITLE_WORDS
    )


def _title_words(before: list[Token]) -> set[Token]:
    """The lowercase words of a title that ends in a role: ``deputy prime minister``, ``top
    nuclear negotiator``, ``foreign policy chief`` (up to four words before the role noun)."""
    roles = [i for i, w in enumerate(before) if w.lower in ROLE_WORDS]
    if not roles:
        return set()
    lead = before[: roles[-1]]
    loose = [w for w in lead if w.text.isalpha() and w.text.islower()]
    if len(loose) > 4 or any(w.lower in CUE_VERBS for w in loose):
        return set()
    return set(loose)


DEMONYMS_LOWER = frozenset(d.lower() for d in DEMONYMS)


def _name_run(words: list[Token]) -> tuple[int, int] | None:
    """The last run of capitalised words, with title words at its start left out: the name."""
    best: tuple[int, int] | None = None
    i = 0
    while i < len(words):
        if (
            _capitalised(words[i])
            and words[i].lower not in _DETERMINERS
            and words[i].lower not in ANONYMOUS_HEADS
        ):
            j = i
            while j + 1 < len(words) and (
                _capitalised(words[j + 1])
                or (
                    words[j + 1].lower in _NAME_PARTICLES
                    and j + 2 < len(words)
                    and _capitalised(words[j + 2])
                )
                or words[j + 1].text in ("-",)
                or _portfolio_and(words, j + 1)
            ):
                j += 1
            best = (i, j)
            i = j + 1
        else:
            i += 1
    if best is None:
        return None
    first, last = best
    run = words[first : last + 1]
    cut = 0
    for k, w in enumerate(run):
        if (
            w.text in _TITLE_WORDS
            or w.text in DEMONYMS
            or w.lower in ROLE_WORDS
            or w.text in ORGANISATION_WORDS
        ):
            cut = k + 1
    while cut < len(run) and run[cut].lower in ("of", "and"):
        cut += 1  # "Minister of Water Habtamu Itefa": the portfolio is the title's
    if cut >= len(run):
        return None  # titles only ("Foreign Minister"), or an organisation's name
    return first + cut, last


def _clean(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name).strip()


def _anonymous(text: str, words: list[Token], head: int, span: Span) -> Speaker:
    """An unnamed source: group or single, with the affiliation its descriptor states."""
    lowered = [w.lower for w in words]
    group = (
        lowered[0] in GROUP_WORDS
        or lowered[head].endswith("s")
        and lowered[head] not in ("leaks",)
        or lowered[head] in ("people", "leaks")
    )
    if lowered[head] == "leaks":
        group = True
    affiliation = _affiliation(text, words, head)
    descriptor = span.text
    name_words = words[1:] if lowered[0] in COUNT_WORDS else words
    if len(name_words) > 2 and name_words[0].lower == "of" and name_words[1].lower in _DETERMINERS:
        name_words = name_words[2:]  # "two of his colleagues"
    return Speaker(
        name=_words(text, name_words) if name_words else descriptor,
        kind="anonymous",
        span=span,
        anonymous=True,
        descriptor=descriptor,
        affiliation=affiliation,
        group=group,
    )


def _affiliation(text: str, words: list[Token], head: int) -> str | None:
    """``sources from the Turkish Foreign Ministry`` → Turkish Foreign Ministry; ``a Ukrainian
    diplomatic source`` → Ukraine; ``two people familiar with the talks`` → None."""
    lowered = [w.lower for w in words]
    for i in range(head + 1, len(words)):
        if lowered[i] in ("familiar", "briefed", "involved", "speaking", "who", "knowledgeable"):
            break
        two = " ".join(lowered[i : i + 2])
        if lowered[i] in _PREPOSITIONS or two in _PREPOSITIONS:
            rest = words[i + (2 if two in _PREPOSITIONS else 1) :]
            rest = [w for w in rest if w.lower not in ("both", "the")]
            if not rest:
                break
            caps = [w for w in rest if _capitalised(w) and w.text not in DEMONYMS]
            if caps or rest[-1].lower in (
                "delegation",
                "ministry",
                "government",
                "presidency",
                "office",
                "administration",
            ):
                return _clean(_words(text, rest))
            for w in rest:
                if w.text in DEMONYMS:
                    return DEMONYMS[w.text]
    for w in words[:head]:
        if w.text in DEMONYMS:
            return DEMONYMS[w.text]
        if w.text in PLACES:
            return PLACES[w.text]
    return None
