"""Attribution frames: the words around a cue verb that say who spoke, to whom, how and through
whom (``Peskov told Reuters on Friday that``, ``Sky News, citing a source, reported that``,
``…, the ministry said in a statement``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .lexicon.cues import CUE_VERBS, PLATFORMS
from .lexicon.names import OUTLET_NOUNS
from .model import Hop, Span, Speaker
from .outlets import news_organisation, outlet_before, told_outlet
from .speakers import parse_speaker
from .text import Token, tokens

_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_AUDIENCE = (
    r"reporters|journalists|the press|the media|lawmakers|parliament|the Rada|the Duma|"
    r"state television|state TV|(?:a|the) (?:news|press) conference|(?:a|the) briefing|"
    r"(?:a|the) (?:group of )?(?:reporters|journalists)|(?:a|the) (?:UN )?Security Council|"
    r"(?:a|the) summit|(?:a|the) meeting|(?:a|the) forum|the audience|his cabinet|her cabinet|"
    r"(?:a|the) (?:[\w-]+ ){0,2}?(?:(?:briefing |conference |news conference |press conference )?"
    r"call|briefing|news conference|press conference)(?: (?:with|for) (?:reporters|journalists))?"
)


_CARRIED = r"published|carried|released|issued|posted|distributed|broadcast|aired|run"
"""How a statement reaches an outlet: ``a statement carried by the Qatar News Agency``."""

_KIND_THEN_NAME = re.compile(
    r"\s+(?P<obj>the\s+(?:[\w-]+\s+){0,2}?(?:broadcaster|newspaper|daily|weekly|channel|"
    r"agency|news\s+agency|website|outlet|station|radio|television|magazine)"
    r"\s+[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*)"
)
"""``told the broadcaster IRIB``, ``told the German weekly Die Zeit``: an outlet named with what
it is, before its name."""

_TO_OUTLET = (
    "speaking to ",
    "talking to ",
    "in an interview with ",
    "in an interview to ",
    "in comments to ",
    "in remarks to ",
)
"""How a leading phrase names the outlet a speaker talked to (``In comments to Reuters, …``)."""

_OUTLET_BACK = r"\s+the\s+(?:" + "|".join(sorted(OUTLET_NOUNS)) + r")\b"


@cache
def _platforms() -> str:
    return "|".join(re.escape(p) for p in sorted(PLATFORMS, key=len, reverse=True))


@cache
def _modifier() -> re.Pattern[str]:
    """One modifier after a cue verb: a time, a place, a channel or a platform."""
    p = _platforms()
    return re.compile(
        rf"""^,?\s+(?:
          (?P<time>(?:late\s+|early\s+)?(?:on|last|this)\s+(?:{_WEEKDAYS}|week|night|month|morning|evening)
             (?:\s+(?:morning|evening|night))?
           |on\s+(?:{_MONTHS})\s+\d+|in\s+(?:{_MONTHS})|earlier|later|again|also|today|yesterday
           |publicly|privately|repeatedly|separately|late|bluntly|flatly|firmly|once\s+again
           |on\s+condition\s+of\s+anonymity
           |without\s+(?:elaborating|giving|providing|offering)(?:\s+(?:further\s+)?(?:details|evidence))?)
         |(?P<post>(?:in|on)\s+(?:(?:a|an|his|her|its|their)\s+)?(?:(?:{p})\s+)?
             (?:(?:televised|nightly|weekly|daily|brief|joint|written|video|evening|
                 separate|short|lengthy|rare|official|emailed|e-mailed|emailed)\s+){{0,2}}
             (?:post|message|video|statement|readout|update|address|video\s+address|speech|
                briefing|interview|op-ed|column|letter|comments?|remarks|e-?mail)
             (?:\s+(?:on|to|with|(?P<carried>{_CARRIED})\s+(?:by|on|in))
                \s+(?P<via>(?:the\s+(?:(?!that\b)[a-z][\w-]*\s+){{0,3}}?)?[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*)
              |\s+(?:{_CARRIED})\s+(?:on|in)\s+(?:its|his|her|their|the)\s+(?:official\s+)?
               (?:website|site|channel|account|page)
              |\s+(?:{_CARRIED})\s+(?:on|by)\s+(?:state|national|public)\s+
               (?:television|TV|radio|media))?
             (?:,?\s+(?:published|broadcast|aired|released))?
             (?:\s+(?:on|late\s+on)\s+(?:{_WEEKDAYS}))?)
         |(?P<platform>on\s+(?:{p})(?![\w-]))
         |(?P<place>(?:at|in|during|after|on)\s+(?:a|an|the)\s+
             (?:(?!that\b|which\b|who\b)[\w’'-]+\s+){{0,4}}?
             (?:conference\s+call|briefing\s+call|conference|briefing|summit|meeting|session|
                forum|visit|talks|hearing|call)
             (?:\s+with\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)?
             (?:\s+in\s+[A-Z]\w+)?)
         |(?P<quoted>as\s+(?:quoted|cited)\s+by\s+(?P<by>(?:the\s+)?[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*))
         |(?P<city>in\s+(?:[A-Z][\w-]+)(?:\s+[A-Z][\w-]+)?(?=[\s,.]))
        )""",
        re.VERBOSE,
    )


@dataclass
class Frame:
    """What a frame says: the speaker (as written), the cue, channel, hops and pattern."""

    speaker: Speaker | None = None
    cue: str | None = None
    lemma: str | None = None
    channel: str | None = None
    hops: list[Hop] = field(default_factory=list)
    pattern: str = "reported"
    span: Span | None = None
    content_start: int | None = None


def cue_tokens(text: str, start: int, end: int) -> list[tuple[Token, str]]:
    """Cue verbs between two offsets, with their lemmas."""
    return [(t, CUE_VERBS[t.lower]) for t in tokens(text, start, end) if t.lower in CUE_VERBS]


def read_after(text: str, cue: Token, lemma: str, end: int, frame: Frame) -> int:
    """Consume what follows a cue verb — its object (``told Reuters``), modifiers (``on Friday``,
    ``in a statement``, ``on Telegram``), ``citing X``, ``as saying``, ``that`` — into
    ``frame``; the offset where what was said begins."""
    i = cue.end
    channels: list[str] = []
    if lemma in ("tell", "inform", "brief", "assure"):
        m = _KIND_THEN_NAME.match(text, i, end)
        if m is not None and told_outlet(m.group("obj")) is not None:
            m = re.match(rf"\s+(?P<obj>{re.escape(m.group('obj'))})", text[i:end])
        else:
            m = None
        m = m or re.match(
            rf"\s+(?P<obj>(?:{_AUDIENCE})|(?:the\s+)?[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*)",
            text[i:end],
        )
        if m:
            obj = m.group("obj")
            channels.append(f"{cue.text} {obj}")
            news = told_outlet(obj) if lemma == "tell" else news_organisation(obj)
            if news is not None:
                frame.hops.append(_hop(news, text, i + m.start("obj"), i + m.end("obj"), cue.text))
                frame.pattern = "told"
            i += m.end()
        elif m := re.match(_OUTLET_BACK, text[i:end]):
            # "he told the newspaper": the outlet the article named last
            name = outlet_before(cue.start)
            if name is not None:
                frame.hops.append(_hop((name, "outlet"), text, i + 1, i + m.end(), cue.text))
                channels.append(f"{cue.text} {m.group(0).strip()}")
                i += m.end()
    elif lemma == "quote" or cue.lower == "quoted":
        pass
    while True:
        m = _modifier().match(text[i:end])
        if not m:
            break
        if m.group("post") or m.group("platform"):
            channels.append(m.group(0).strip(" ,"))
            if m.group("platform") or re.search(_platforms(), m.group(0)):
                frame.pattern = "wrote-on" if frame.pattern == "reported" else frame.pattern
            via = m.group("via")
            news = news_organisation(via) if via else None
            if news is not None and via is not None:
                at = i + m.start("via")
                carried = m.group("carried")
                frame.hops.append(_hop(news, text, at, at + len(via), carried or "interview"))
                if not carried:
                    frame.pattern = "told"
        elif m.group("place"):
            channels.append(m.group(0).strip(" ,"))
        elif m.group("quoted"):
            # "…, Lavrov said, as quoted by Interfax": the agency passed it on
            news = news_organisation(m.group("by"))
            if news is not None:
                at = i + m.start("by")
                frame.hops.append(_hop(news, text, at, at + len(m.group("by")), "quoted"))
        i += m.end()
    m = re.match(
        r",?\s+(?:citing|quoting)\s+(?P<src>[^,;]+?)"
        r"(?:,\s*|\s+(?=that\b)|(?<!\b[A-Z])(?=[.;](?:\s|$))|(?=[.;]?$))",  # not "U.S. officials"
        text[i:end],
    )
    if m:
        cited = parse_speaker(text, i + m.start("src"), i + m.end("src"))
        if cited is not None:
            if frame.speaker is not None:
                frame.hops.insert(0, as_hop(frame.speaker, cue.text))
            frame.speaker = cited
            frame.pattern = "citing"
            i += m.end()
    m = re.match(r",?\s*(?:as\s+saying|as\s+telling\s+\S+)?\s*(?:that\b)?\s*:?\s*", text[i:end])
    if m:
        i += m.end()
    if channels:
        frame.channel = "; ".join(channels)
    return i


def _hop(news: tuple[str, str], text: str, start: int, end: int, cue: str | None) -> Hop:
    return Hop(
        name=news[0],
        role=news[1] == "agency" and "agency" or "intermediary",
        cue=cue,
        span=Span.of(text, start, end),
    )


def as_hop(speaker: Speaker, cue: str | None) -> Hop:
    """A speaker as a carrier of someone else's words: an agency, or an intermediary.

    >>> as_hop(Speaker("TASS", kind="agency"), "according to").role
    'agency'
    """
    role = "agency" if speaker.kind == "agency" else "intermediary"
    return Hop(name=speaker.name, role=role, cue=cue, span=speaker.span)


def read_before(text: str, start: int, cue: Token, frame: Frame) -> bool:
    """Read the subject before a cue verb, from ``start`` (the clause's start): the speaker, with
    participial parts read as channel (``speaking to TASS``) or source (``citing X``).
    False when no speaker is there."""
    parts = _split_parts(text, start, cue.start)
    speaker: Speaker | None = None
    for a, b in reversed(parts):
        piece = text[a:b].strip()
        low = piece.lower()
        if low.startswith(("citing ", "quoting ")):
            # "Axios, quoting a senior U.S. official, reported": quoting is citing
            cited = parse_speaker(text, a + len(piece.split()[0]) + 1, b)
            if cited is not None:
                frame.pattern = "citing"
                frame.speaker = cited
            continue
        if low.startswith(_TO_OUTLET):
            _interview(text, a, b, frame)
            continue
        if low.startswith(("quoted by ", "cited by ")):
            # "Lavrov, quoted by Interfax, said": the agency passed it on
            news = news_organisation(piece.split(" ", 2)[2])
            if news is not None:
                frame.hops.append(_hop(news, text, a, b, piece.split(" ")[0].lower()))
                frame.pattern = "citing"
            continue
        if re.match(r"(?:who|which)\s", low):
            continue  # "A Ukrainian official, who asked not to be named because …, said"
        if low.startswith(("speaking ", "addressing ", "writing ", "asked ")):
            frame.channel = frame.channel or piece
            continue
        if low.startswith(
            ("in a post", "in a statement", "in a video", "in a message", "on telegram")
        ):
            frame.channel = piece
            if re.search(_platforms(), piece):
                frame.pattern = "wrote-on"
            carried = re.search(r"\b(carried|published|released|run|distributed)\s+by\s+", piece)
            news = news_organisation(piece[carried.end() :]) if carried else None
            if carried is not None and news is not None:
                # "in a statement carried by the state-run MENA news agency": it passed it on
                frame.hops.append(_hop(news, text, a + carried.end(), b, carried.group(1)))
            continue
        if speaker is None:
            speaker = _subject(text, parts, (a, b))
            if speaker is None:
                return False
            break
    if speaker is None:
        return False
    subject_part = parts.index((a, b))
    for a, b in parts[:subject_part]:
        # "In an interview with the Swiss daily Le Temps, published on Thursday, the minister
        # said": a channel before the subject
        if text[a:b].lower().startswith(_TO_OUTLET):
            _interview(text, a, b, frame)
    if frame.speaker is not None and frame.pattern == "citing":
        frame.hops.insert(0, as_hop(speaker, cue.text))
    else:
        frame.speaker = speaker
    return True


def _interview(text: str, a: int, b: int, frame: Frame) -> None:
    """``speaking to TASS`` / ``in an interview with the daily Le Temps``: the channel, and the
    news organisation as a hop."""
    piece = text[a:b]
    m = re.match(
        r"(?i)(?:in\s+an\s+interview\s+(?:with|to)|speaking\s+to|talking\s+to|"
        r"in\s+(?:comments|remarks)\s+to)\s+",
        piece,
    )
    assert m is not None
    # "speaking to the private broadcaster NTV on Wednesday evening": the time is not the name
    named = re.sub(
        r",?\s+(?:(?:late|early)\s+)?(?:on|last|this|earlier|later|published|broadcast|aired)\s.*$",
        "",
        piece[m.end() :],
    )
    news = told_outlet(named.strip())
    if news is not None and all(h.name != news[0] for h in frame.hops):
        frame.hops.append(_hop(news, text, a, b, piece.split(" ")[0].lower()))
        frame.pattern = "told"
    frame.channel = piece


def _subject(text: str, parts: list[tuple[int, int]], last: tuple[int, int]) -> Speaker | None:
    """The speaker of the last comma part, joined with the part before it when they are a name
    and its apposition (``Dmitry Peskov, the Kremlin spokesman,``)."""
    k = parts.index(last)
    speaker = parse_speaker(text, last[0], last[1])
    if k > 0:
        joined = parse_speaker(text, parts[k - 1][0], last[1])
        if joined is not None and (
            speaker is None
            or joined.kind == "person"
            and (speaker.kind != "person" or joined.name == speaker.name and not speaker.role)
        ):
            # "Armenia's foreign minister, Ararat Mirzoyan, said": the title is the role
            return joined
    if speaker is None and k > 0:
        # "a senior official, speaking on condition of anonymity," — skip participles
        return None
    return speaker


def _split_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma parts of a segment (outside quotations), trimmed."""
    out = []
    a = start
    for m in re.finditer(r",", text[start:end]):
        b = start + m.start()
        out.append((a, b))
        a = b + 1
    out.append((a, end))
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed
