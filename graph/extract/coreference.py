"""Who "he", "the minister", "the source" and a bare surname refer to within one article, and
which attributions share a speaker.

The article's people are gathered first (every attribution's speaker, every sentence's subject,
every full name with its title); a reference is then resolved to the nearest fitting one
before it: a pronoun to the last singular (or, for "they", plural) speaker, "the minister" to
the last speaker whose role says minister, "Peskov" to the Dmitry Peskov named earlier.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from .lexicon.cues import PLATFORMS
from .lexicon.names import ANONYMOUS_HEADS, NAME_PARTICLES, OUTLET_NOUNS, ROLE_WORDS
from .model import Span, Speaker
from .speakers import DOCUMENT_NOUNS, ONE_OF, parse_speaker
from .text import tokens

_NAME = re.compile(
    r"(?:[A-Z][\w’'-]+\s+(?:(?:" + "|".join(sorted(NAME_PARTICLES)) + r")\s+)?){1,5}[A-Z][\w’'-]+"
)
"""A capitalised name of two to six words, lowercase particles between them included."""


def sentence_subject(text: str, sentence: Span) -> Speaker | None:
    """The speaker-like subject a sentence opens with (after any introductory clause):
    ``Speaking in Albania, Ukrainian President Volodymyr Zelensky made a remark`` → Zelensky.

    >>> t = "Speaking in Tirana, Foreign Minister Andrii Sybiha made a point."
    >>> sentence_subject(t, Span.of(t, 0, len(t))).name
    'Andrii Sybiha'
    """
    if sentence.text[:1] in "“”\"«»‘'„":
        return None
    parts = [p for p in re.split(r",\s+", sentence.text)]
    offset = sentence.start
    for part in parts:
        low = part.lower()
        if re.match(
            r"(?:speaking|addressing|asked|after|following|during|in|on|at|despite)\b", low
        ):
            offset += len(part) + 2
            continue
        words = tokens(text, offset, offset + len(part))
        for n in range(min(len(words), 10), 0, -1):
            speaker = parse_speaker(text, words[0].start, words[n - 1].end)
            if speaker is not None and speaker.kind not in ("definite",):
                return speaker
        return None
    return None


class Resolver:
    """Resolves references to speakers and numbers the article's speakers (entities)."""

    def __init__(self, text: str, sentences: list[Span]) -> None:
        self.text = text
        self.mentions: list[tuple[int, Speaker]] = []
        self.entities: dict[str, int] = {}
        self.count = 0
        self.groups: list[tuple[int, Speaker]] = []
        surnames: dict[str, Speaker] = {}  # the full name last named with each surname
        for sentence in sentences:
            subject = sentence_subject(text, sentence)
            if subject is not None and subject.span is not None and subject.kind == "person":
                # "Mirzoyan also spoke about the border": a surname subject is the full name
                # named before, and "he" after it is them
                full = subject if _named_person(subject) else surnames.get(subject.name)
                if full is not None:
                    self.mentions.append((subject.span.start, full))
            if subject is not None and subject.group and subject.span is not None:
                self.groups.append((subject.span.start, subject))
            for m in _NAME.finditer(sentence.text):
                at = sentence.start + m.start()
                person = parse_speaker(text, at, at + len(m.group(0)))
                if person is not None and _named_person(person) and not _place(text, at, person):
                    self.mentions.append((at, person))
                    surnames[person.name.split()[-1]] = person
        self.mentions.sort(key=lambda m: m[0])
        self.positions = [p for p, _ in self.mentions]
        self.ends = [s.end for s in sentences]
        self.spoken: list[tuple[int, Speaker]] = []
        self.documents: list[tuple[int, str, Speaker]] = []
        self.carriers: list[tuple[int, Speaker]] = []
        """News organisations that passed words on, where they did (``the newspaper`` later
        may be one of them)."""

    def remember(self, speaker: Speaker, position: int, frame: str = "") -> None:
        """Record that ``speaker`` spoke at ``position`` (later references may point at it), in
        the words of ``frame`` (a document named there speaks for them later)."""
        self.spoken.append((position, speaker))
        for noun in set(re.findall(r"\w+", frame.lower())) & DOCUMENT_NOUNS:
            if speaker.kind != "definite":
                self.documents.append((position, noun, speaker))

    def carried(self, name: str, kind: str, position: int) -> None:
        """Record that the news organisation ``name`` (``outlet`` or ``agency``) carried words
        at ``position``."""
        self.carriers.append((position, Speaker(name=name, kind=kind)))

    def resolve(self, speaker: Speaker, position: int) -> Speaker:
        """The speaker ``speaker`` refers to, numbered as an entity of the article."""
        if speaker.kind == "pronoun":
            found = self._pronoun(speaker, position)
        elif speaker.kind == "definite":
            found = self._definite(speaker, position)
            if found is None and speaker.name in ROLE_WORDS:
                found = self._named_after(speaker, position)
        elif speaker.kind == "person" and " " not in speaker.name:
            found = self._surname(speaker, position)
        else:
            found = None
        if found is not None:
            return replace(
                found,
                span=speaker.span,
                referred_by=speaker.referred_by or (speaker.span.text if speaker.span else None),
            )
        if speaker.kind == "definite" and speaker.name in DOCUMENT_NOUNS:
            return replace(speaker, kind="document")  # a document of no one named: dropped
        if speaker.kind == "definite":
            words = speaker.referred_by or speaker.name
            if speaker.name in ANONYMOUS_HEADS:
                speaker = replace(
                    speaker, kind="anonymous", anonymous=True, descriptor=words, name=_bare(words)
                )
            else:
                speaker = replace(speaker, kind="person", name=_bare(words), role=_bare(words))
        if speaker.name == ONE_OF and speaker.span is not None:
            # no group before it: "one of the officials" is an unnamed member of its own
            m = re.match(r"(?i)one\s+of\s+(?:the\s+)?", speaker.span.text)
            at = speaker.span.start + (m.end() if m else 0)
            rest = parse_speaker(self.text, at, speaker.span.end)
            speaker = rest if rest is not None else speaker
        if speaker.kind == "pronoun":
            return replace(speaker, entity=self._entity(f"?{speaker.name}"))
        key = f"anon#{self.count}" if speaker.anonymous else speaker.name.lower()
        if speaker.anonymous:
            self.count += 1
        return replace(speaker, entity=self._entity(key))

    def _entity(self, key: str) -> int:
        return self.entities.setdefault(key, len(self.entities))

    def _candidates(self, position: int) -> list[Speaker]:
        """Speakers and named people before ``position``, nearest first."""
        spoken = [(p, s) for p, s in self.spoken if p < position]
        named = [(p, self._numbered(s)) for p, s in self.mentions if p < position]
        merged = sorted(spoken + named, key=lambda m: m[0], reverse=True)
        return [s for _, s in merged]

    def _numbered(self, s: Speaker) -> Speaker:
        return replace(s, entity=self._entity(s.name.lower()))

    def _pronoun(self, speaker: Speaker, position: int) -> Speaker | None:
        plural = speaker.name in ("they", "them")
        if speaker.name == ONE_OF:
            # a group that spoke, or a group that is a sentence's subject ("Two of his
            # colleagues agree. One of them …")
            groups = [s for s in self._candidates(position) if s.group]
            before = [(p, s) for p, s in self.groups if p < position]
            if before and (not groups or _nearer(before[-1], groups[0], self.spoken)):
                return self._numbered(before[-1][1])
            return groups[0] if groups else None
        for s in self._candidates(position):
            if plural and (s.group or s.kind in ("group", "organisation", "state")):
                return s
            if (
                not plural
                and speaker.name == "it"
                and s.kind in ("organisation", "state", "agency")
            ):
                return s
            if (
                not plural
                and speaker.name not in ("it", "its")
                and (s.kind == "person" or s.anonymous and not s.group)
            ):
                return s
        return None

    def _definite(self, speaker: Speaker, position: int) -> Speaker | None:
        head = speaker.name
        if head in OUTLET_NOUNS:
            # "The newspaper said": the news organisation that spoke or carried words last
            news = [
                (p, s)
                for p, s in self.spoken + self.carriers
                if p < position and s.kind in ("outlet", "agency")
            ]
            return self._numbered(max(news, key=lambda m: m[0])[1]) if news else None
        if head in DOCUMENT_NOUNS:
            # "The readout said": whoever's readout (or other document) was named last
            before = [(p, n, s) for p, n, s in self.documents if p < position]
            same = [(p, s) for p, n, s in before if n == head] or [(p, s) for p, _, s in before]
            return max(same, key=lambda m: m[0])[1] if same else None
        for s in self._candidates(position):
            described = " ".join(x for x in (s.role, s.descriptor, s.name) if x).lower()
            if re.search(rf"\b{re.escape(head)}", described):
                return s
        return None

    def _named_after(self, speaker: Speaker, position: int) -> Speaker | None:
        """``Armenia's foreign minister says …`` (a headline) then ``Ararat Mirzoyan believes``:
        a title nobody before fits is the person named next, within two sentences, who has no
        other role; the title becomes their role.  Not someone named later in the title's own
        sentence: ``Turkey's defence minister urged Russian President Vladimir Putin …`` is
        not Putin."""
        title = speaker.referred_by or speaker.name
        at = bisect.bisect_right(self.ends, position)
        end = self.ends[at] if at < len(self.ends) else position
        first = bisect.bisect_right(self.positions, end)
        for p, s in self.mentions[first:]:
            if p > position + 300:
                break
            if s.role is None or speaker.name in s.role.lower():
                return replace(self._numbered(s), role=s.role or _bare(title))
        return None

    def _surname(self, speaker: Speaker, position: int) -> Speaker | None:
        for _, s in sorted(self.mentions + self.spoken, key=lambda m: abs(m[0] - position)):
            if s.kind == "person" and " " in s.name and s.name.split()[-1] == speaker.name:
                return replace(s, entity=self._entity(s.name.lower()))
        return None


def _nearer(
    subject: tuple[int, Speaker], speaker: Speaker, spoken: list[tuple[int, Speaker]]
) -> bool:
    """Whether a group subject comes after the group that last spoke."""
    at = max((p for p, s in spoken if s is speaker), default=-1)
    return subject[0] > at


def _place(text: str, at: int, person: Speaker) -> bool:
    """Whether a capitalised name read as a person is a place or thing: ``the Black Sea``,
    ``the Istanbul Canal`` (a person's name takes no article unless a title comes first:
    ``the Foreign Minister Ararat Mirzoyan``)."""
    return person.role is None and re.search(r"\bthe\s+$", text[max(0, at - 5) : at]) is not None


def _named_person(s: Speaker) -> bool:
    return s.kind == "person" and " " in s.name and s.name not in PLATFORMS


def _bare(words: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.IGNORECASE)
