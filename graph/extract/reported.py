"""Reported speech in one sentence: ``X said (that) …``, ``…, X said``, ``according to X, …``,
``X told Reuters …``, ``Sky News, citing a source, reported that …``, ``X wrote on Telegram
…``, cue verbs with a noun object (``Kyiv proposed a meeting``) and leaks (``leaks from X that
…``).  Each finding is a :class:`Found`: a frame and the content it introduces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .frames import Frame, as_hop, cue_tokens, read_after, read_before
from .lexicon.cues import CUE_VERBS, OBJECT_LEMMAS, SAYING_LEMMAS
from .model import Hop, Span, Speaker
from .outlets import news_organisation
from .speakers import body_end, parse_speaker
from .text import CLOCK, Token

_END = re.compile(r"[\s.!?;:,”’\"»)]+$")


@dataclass
class Found:
    """A frame with its content span, before speakers are resolved."""

    frame: Frame
    content: Span
    co_speakers: tuple[Speaker, ...] = ()
    marks: Span | None = None
    """A quote's span with its marks (``content`` is the words between them): the evidence
    holds both marks, never one."""


def _trim(text: str, start: int, end: int) -> Span | None:
    """The span without surrounding spaces, final punctuation and a leading ``that``."""
    while start < end and text[start] in " \t,:;—–-":
        start += 1
    m = re.match(r"that\s+", text[start:end])
    if m:
        start += m.end()
    while end > start and (text[end - 1] in " \t.,;:!?—–-" or text[end - 1] in '”’"»)'):
        if text[end - 1] in '”’"»':
            opener = {"”": "“", "’": "‘", '"': '"', "»": "«"}[text[end - 1]]
            if text.count(opener, start, end - 1) > 0 and opener != text[end - 1]:
                break
            if opener == '"' and text.count('"', start, end - 1) % 2 == 1:
                break
        end -= 1
    if end - start < 3:
        return None
    return Span.of(text, start, end)


def content_end(text: str, start: int, end: int) -> int:
    """Where reported content stops: at a trailing participial clause of the writer's
    (``…, casting doubts over …``), an ``adding that`` or a semicolon."""
    seg = text[start:end]
    for m in re.finditer(r",\s+(?!including\b|according\b)([a-z]+ing)\b|;\s", seg):
        if m.group(0).startswith(";"):
            return start + m.start()
        if m.start() > 10:
            return start + m.start()
    return end


def leaks(text: str, sentence: Span) -> list[Found]:
    """``leaks from the Turkish Foreign Ministry that talks had ended``."""
    out = []
    pattern = (
        r"\b(?P<desc>leak(?:s|ed\s+documents|ed\s+information)?\s+"
        r"(?:from|by|within|inside|in|at)\s+(?P<src>[^,;]+?))\s+"
        r"(?:that|saying|suggesting|indicating)\s+"
    )
    for m in re.finditer(pattern, sentence.text):
        a = sentence.start + m.end()
        b = _clause_end(text, a, sentence.end)
        content = _trim(text, a, b)
        if content is None:
            continue
        src_a = sentence.start + m.start("src")
        src = parse_speaker(text, src_a, sentence.start + m.end("src"))
        affiliation = None
        if src is not None:
            affiliation = src.affiliation if src.anonymous else src.name
        desc = Span.of(text, sentence.start + m.start("desc"), sentence.start + m.end("desc"))
        speaker = Speaker(
            name=desc.text,
            kind="anonymous",
            span=desc,
            anonymous=True,
            descriptor=desc.text,
            affiliation=affiliation,
            group=True,
        )
        frame = Frame(speaker=speaker, cue=m.group(0).split()[0], lemma="leak", pattern="leak")
        frame.channel = desc.text
        frame.span = Span.of(text, desc.start, content.end)
        out.append(Found(frame, content))
    return out


def _clause_end(text: str, start: int, end: int) -> int:
    m = re.search(r",\s|;", text[start:end])
    return start + m.start() if m else end


def according_to(text: str, sentence: Span) -> list[Found]:
    """``According to X, …`` and ``…, according to X``."""
    out = []
    s = sentence.text
    for m in re.finditer(r"\b[Aa]ccording to\s+", s):
        at = sentence.start + m.start()
        src_a = sentence.start + m.end()
        lead = s[: m.start()].strip()
        if not lead or lead.endswith((":", ";")) or re.fullmatch(r"[\w\s]{0,20},", lead):
            # According to X, CONTENT
            source_end = _source_end(text, src_a, sentence.end)
            if source_end is None:
                continue
            comma = src_b = source_end
            cited = _WHICH_CITED.match(text, comma, sentence.end)
            if cited is not None:
                # "According to Axios, which cited two U.S. officials, …"
                comma = cited.end() - 1
            content = _trim(text, comma, content_end(text, comma + 1, sentence.end))
        else:
            cited = None
            source_end = _source_end(text, src_a, sentence.end)
            if source_end is None:
                continue
            src_b = source_end
            start = _clause_start(text, sentence.start, at)
            content = _trim(text, start, at)
        if content is None:
            continue
        frame = Frame(cue="according to", lemma="according", pattern="according-to")
        speaker = _source(text, src_a, src_b, frame)
        if speaker is None:
            continue
        if cited is not None:
            source = parse_speaker(text, cited.start("src"), cited.end("src"))
            if source is not None:
                frame.hops.insert(0, as_hop(speaker, "citing"))
                frame.pattern = "citing"
                speaker = source
        frame.speaker = speaker
        frame.span = Span.of(text, min(at, content.start), max(src_b, content.end))
        passed = None
        if content.end <= at or speaker.kind in ("agency", "outlet") or frame.hops:
            # "According to the delegate, the Russian side insisted …" is the delegate's account
            passed = _passed_on(text, content, frame)
        out.append(passed or Found(frame, content))
    return out


def _passed_on(text: str, clause: Span, frame: Frame) -> Found | None:
    """``He Lifeng said …, according to a readout published by Xinhua``: a clause that opens
    with its own speaker and cue is that speaker's; the source of ``according to`` passed it
    on (a hop, with the carrier of its document after it)."""
    inner = [
        f
        for f in cue_frames(text, clause, [])
        if f.frame.speaker is not None
        and f.frame.speaker.span is not None
        and f.frame.speaker.span.start <= clause.start + 1
        and f.content.start > f.frame.speaker.span.end
    ]
    if not inner or frame.speaker is None or frame.span is None:
        return None
    found = inner[0]
    found.frame.hops += [as_hop(frame.speaker, frame.cue), *frame.hops]
    found.frame.span = frame.span
    return found


_WHICH_CITED = re.compile(r",\s+(?:which|who)\s+(?:cited|quoted)\s+(?P<src>[^,;]+),")
"""``According to Axios, which cited two U.S. officials, …``: the source the outlet cited."""


_LONGEST_SOURCE = 600
"""Most characters the source of ``according to`` may run before its comma: a speaker has at
most 16 words, with its document and carrier.  Reading on to the next comma for each
``according to`` of a sentence would take time quadratic in the sentence's length."""


def _source_end(text: str, start: int, end: int) -> int | None:
    """Where the source that starts at ``start`` stops (before a comma, a full stop or a
    semicolon, else at ``end``); None when that is past ``_LONGEST_SOURCE`` characters."""
    window = min(end, start + _LONGEST_SOURCE)
    body = body_end(text, start, window)
    if body is not None and re.match(r"\s*(?:[,.;]|$)", text[body:window]):
        return body  # "According to Norway's Ministry of Trade, Industry and Fisheries, …"
    m = re.search(r",\s|(?<!\b[A-Z])[.;](?:\s|$)|$", text[start:window])  # not "U.S. officials"
    assert m is not None
    if not m.group(0) and window < end:
        return None
    stop = start + m.start()
    while stop > start and text[stop - 1] in " .":
        stop -= 1
    return stop


def _clause_start(text: str, sentence_start: int, at: int) -> int:
    """The start of the clause that ends at ``at``: the sentence's, or after a ``;``."""
    seg = text[sentence_start:at]
    cut = max(seg.rfind(";"), seg.rfind(":"))
    return sentence_start + cut + 1 if cut >= 0 else sentence_start


def _source(text: str, start: int, end: int, frame: Frame) -> Speaker | None:
    """The source of ``according to …``, with ``speaking to TASS`` read as a hop."""
    src = text[start:end]
    m = re.search(
        r",?\s+(?:speaking|talking)\s+to\s+(?P<org>.+)$|,?\s+(?:cited|quoted)\s+by\s+(?P<by>.+)$",
        src,
    )
    document = _document(text, start, end, frame)
    if document is not None:
        return document
    if m:
        org = m.group("org") or m.group("by")
        news = news_organisation(org)
        if news is not None:
            at = start + m.start("org" if m.group("org") else "by")
            role = "agency" if news[1] == "agency" else "intermediary"
            frame.hops.append(Hop(news[0], role, cue="speaking to", span=Span.of(text, at, end)))
            frame.channel = m.group(0).strip(" ,")
        end = start + m.start()
    return parse_speaker(text, start, end)


_DOCUMENT = re.compile(
    r"(?:an?|the|its|his|her|their)\s+(?P<mod>(?:[\w’'.-]+\s+){0,4}?)"
    r"(?P<noun>statement|readout|transcript|communiqu[eé]|report|summary|account|letter|note)"
    r"(?:\s+(?:from|by|of)\s+(?P<owner>.+?))?"
    r"\s+(?P<verb>published|carried|released|issued|posted|distributed|broadcast|run|cited|quoted)"
    r"\s+(?:by|on|in)\s+(?P<carrier>.+)"
)
"""``a statement carried by QNA``, ``a Kremlin readout published by TASS``, ``a readout from the
Chinese side released by Xinhua``: a document, who it is from, and who carried it."""


def _document(text: str, start: int, end: int, frame: Frame) -> Speaker | None:
    """The speaker of ``according to <a document carried by …>``: its owner (named after
    ``from`` or before the noun), with the news organisation that carried it as a hop; a
    document that names no owner is its carrier's (``a readout published by the White
    House``; ``a statement carried by Armenpress``)."""
    m = _DOCUMENT.fullmatch(text, start, end)
    if m is None:
        return None
    carrier = parse_speaker(text, m.start("carrier"), m.end("carrier"))
    owner = None
    if m.group("owner"):
        owner = parse_speaker(text, m.start("owner"), m.end("owner"))
    elif m.group("mod").strip():
        mod = m.group("mod").strip()
        owner = parse_speaker(text, m.start("mod"), m.start("mod") + len(mod))
        if owner is not None and owner.kind not in ("organisation", "person", "state", "group"):
            owner = None  # "a joint statement", "a brief readout"
    frame.channel = m.group(0)
    if owner is None or carrier is None:
        return owner or carrier
    if carrier.kind in ("agency", "outlet"):
        role = "agency" if carrier.kind == "agency" else "intermediary"
        frame.hops.append(Hop(carrier.name, role, cue=m.group("verb"), span=carrier.span))
    return owner


def cue_frames(text: str, sentence: Span, blocked: list[tuple[int, int]]) -> list[Found]:
    """Every ``X said …`` / ``…, X said`` / ``X proposed …`` frame of a sentence whose cue verb
    is not inside ``blocked`` (quotations, frames already read)."""
    out: list[Found] = []
    taken: list[tuple[int, int]] = list(blocked)
    for cue, lemma in cue_tokens(text, sentence.start, sentence.end):
        if any(a <= cue.start < b for a, b in taken):
            continue
        found = _frame_at(text, sentence, cue, lemma)
        if found is None:
            continue
        out.append(found)
        assert found.frame.span is not None
        taken.append((found.frame.span.start, found.frame.span.end))
    return out


_CALLED = re.compile(r"\s+(?:for\b|on\b|[^,.;]{0,60}?[“\"‘«])")
"""What makes ``called`` a cue: ``called for …``, ``called on …``, ``called X “…”``
(not ``a meeting called by``, ``so-called``)."""


def _frame_at(text: str, sentence: Span, cue: Token, lemma: str) -> Found | None:
    if lemma == "call" and (
        not _CALLED.match(text, cue.end, sentence.end) or text[cue.start - 1 : cue.start] == "-"
    ):
        return None
    if lemma in ("brief", "inform") and re.match(r"\s+(?:on|about)\b", text[cue.end :]):
        return None  # "two diplomats briefed on the talks said": a descriptor, not a cue
    if lemma in ("respond", "reply", "comment") and re.search(
        r"\b(?:not|n[’']t|declined\s+to|refused\s+to)\s+(?:immediately\s+)?$", text[: cue.start]
    ):
        return None  # "did not respond to a request for comment": nothing was said
    if cue.lower.endswith("ed") and re.search(r"\b(?:an?|the|well-)\s*$", text[: cue.start]):
        return None  # "an informed source", "the stated aim": an adjective
    frame = Frame(cue=cue.text, lemma=lemma)
    clause = _clause_start(text, sentence.start, cue.start)
    if cue.lower in ("quoted", "cited"):
        return _quoted_as_saying(text, sentence, cue, clause)
    if read_before(text, clause, cue, frame) and frame.speaker is not None:
        after = read_after(text, cue, lemma, sentence.end, frame)
        rest = text[after : sentence.end]
        # "…, the Financial Times reported, citing two people …": the content ends before
        # whoever comes first, the speaker or a carrier
        spans = [frame.speaker.span, *(h.span for h in frame.hops)]
        speaker_start = min([cue.start] + [x.start for x in spans if x is not None])
        # read_after took the comma: "…, X said on Friday, though …" leaves "though …"
        trailing = re.match(
            r",?\s*(?:though|although|while|but|as|after|before|when|because|even|despite|"
            r"adding|noting|stressing|warning|insisting)\b",
            rest,
        )
        if _END.fullmatch(rest) or not rest.strip() or trailing:
            # "…, X said." — the content is before the speaker
            start = _clause_start(text, sentence.start, speaker_start)
            comma = text.rfind(",", start, speaker_start)
            lead = _leading_source(text, start, comma)
            if comma <= start:
                return None
            content = _trim(text, lead, comma)
        elif (
            lemma in SAYING_LEMMAS
            or lemma in OBJECT_LEMMAS
            or frame.pattern == "citing"
            or lemma == "report"
            and frame.speaker.kind in ("agency", "outlet")
            and re.match(r"\s*that\b", text[cue.end : after])
        ):
            # "Kan reported that …": an outlet's own report
            content = _trim(text, after, content_end(text, after, sentence.end))
        else:
            return None
        if content is None:
            return None
        first = min(speaker_start, content.start)
        frame.span = Span.of(text, first, max(content.end, after))
        frame.content_start = content.start
        return Found(frame, content, _co_speakers(text, frame.speaker))
    return _inverted(text, sentence, cue, lemma)


def _leading_source(text: str, start: int, comma: int) -> int:
    """Skip a leading ``citing X,`` when the content comes first."""
    return start


def _inverted(text: str, sentence: Span, cue: Token, lemma: str) -> Found | None:
    """``…, said X.`` — the speaker after the cue, the content before it."""
    before = text[sentence.start : cue.start].rstrip()
    if not before.endswith(",") or lemma not in SAYING_LEMMAS:
        return None
    m = re.match(r"\s+(?P<np>[^.;“”\"]+?)\s*[.;!?]?[”’\"»)]*\s*$", text[cue.end : sentence.end])
    if not m:
        return None
    np_a = cue.end + m.start("np")
    np_b = cue.end + m.end("np")
    frame = Frame(cue=cue.text, lemma=lemma)
    frame.speaker = parse_speaker(text, np_a, np_b)
    if frame.speaker is None:
        return None
    start = _clause_start(text, sentence.start, cue.start)
    content = _trim(text, start, cue.start)
    if content is None:
        return None
    frame.span = Span.of(text, content.start, np_b)
    return Found(frame, content)


def _quoted_as_saying(text: str, sentence: Span, cue: Token, clause: int) -> Found | None:
    """``Interfax quoted X as saying …`` and ``X was quoted by RIA Novosti as saying …``."""
    tail = text[cue.end : sentence.end]
    m = re.match(r"\s+by\s+(?P<by>[^,]+?)\s+as\s+saying\s+(?:that\s+)?", tail)
    frame = Frame(cue=cue.text, lemma=CUE_VERBS[cue.lower], pattern="citing")
    if m:
        news = news_organisation(m.group("by"))
        subject = text[clause : cue.start]
        subject = re.sub(r"\s+(?:was|were|has been|had been)\s*$", "", subject)
        speaker = parse_speaker(text, clause, clause + len(subject))
        if news is None or speaker is None:
            return None
        at = cue.end + m.start("by")
        frame.hops.append(
            Hop(
                news[0],
                "agency" if news[1] == "agency" else "intermediary",
                cue=cue.text,
                span=Span.of(text, at, at + len(m.group("by"))),
            )
        )
        frame.speaker = speaker
        after = cue.end + m.end()
    else:
        m = re.match(r"\s+(?P<who>[^,]+?)\s+as\s+saying\s+(?:that\s+)?", tail)
        org = parse_speaker(text, clause, cue.start)
        if not m or org is None or org.kind not in ("agency", "outlet"):
            return None
        speaker = parse_speaker(text, cue.end + m.start("who"), cue.end + m.end("who"))
        if speaker is None:
            return None
        frame.hops.append(
            Hop(
                org.name,
                "agency" if org.kind == "agency" else "intermediary",
                cue=cue.text,
                span=org.span,
            )
        )
        frame.speaker = speaker
        after = cue.end + m.end()
    content = _trim(text, after, content_end(text, after, sentence.end))
    if content is None:
        return None
    frame.span = Span.of(text, clause, content.end)
    return Found(frame, content)


def _co_speakers(text: str, speaker: Speaker) -> tuple[Speaker, ...]:
    """``sources from both the Ukrainian side and the Russian news agency TASS``: the second
    speaker of a coordination whose parts are both speakers."""
    if speaker.span is None or " and " not in speaker.span.text:
        return ()
    if " and " in speaker.name or " and " in (speaker.role or ""):
        return ()  # "Ethiopia's Ministry of Water and Energy": one body, one title
    span = speaker.span
    cut = span.text.rfind(" and ")
    left = parse_speaker(text, span.start, span.start + cut)
    right = parse_speaker(text, span.start + cut + 5, span.end)
    if left is None or right is None or {left.kind, right.kind} & {"pronoun", "definite"}:
        return ()  # "Qatar's prime minister and foreign minister, Sheikh …": one person
    return (left, right)


_GOING_ON = re.compile(
    r",\s+(?P<cue>adding|noting|saying|stressing|insisting|warning|arguing|explaining)"
    r"\s+(?:that\s+)?"
)


def continuations(text: str, sentence: Span, found: list[Found]) -> list[Found]:
    """``“…,” the official said, adding that …``: the speaker of the frame before goes on, with
    its chain; what follows the participle is a claim of its own."""
    out: list[Found] = []
    for m in _GOING_ON.finditer(sentence.text):
        at = sentence.start + m.start("cue")
        before = [
            f
            for f in found
            if f.frame.speaker is not None and f.frame.span is not None and f.frame.span.start < at
        ]
        if not before or any(f.content.start <= at < f.content.end for f in found):
            continue
        previous = max(before, key=lambda f: f.content.end)
        assert previous.frame.span is not None
        a = sentence.start + m.end()
        content = _trim(text, a, content_end(text, a, sentence.end))
        if content is None:
            continue
        cue = m.group("cue")
        frame = Frame(
            speaker=previous.frame.speaker,
            cue=cue,
            lemma=CUE_VERBS[cue],
            hops=list(previous.frame.hops),
            span=Span.of(text, previous.frame.span.start, content.end),
        )
        out.append(Found(frame, content))
    return out


_AND_CUE = re.compile(r"(?:,\s*|\s+)(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?P<cue>[a-z]+)\b")


def _tense(form: str) -> str:
    """``past``, ``present`` (third person) or ``other`` — how a cue verb's form agrees."""
    if form.endswith("ed") or form in ("said", "told", "wrote", "thought", "put"):
        return "past"
    if form.endswith("s") and not form.endswith("ss"):
        return "present"
    return "other"


def coordinated(text: str, sentence: Span, found: list[Found]) -> list[Found]:
    """``Araqchi told state television that … and accused Washington of …`` (or ``…, but
    warned that …``): a second cue verb joined by ``and`` or ``but`` to a frame's content, in
    the same tense as the frame's cue, has the same speaker and chain; the first content
    stops before ``and``."""
    out: list[Found] = []
    for f in found:
        frame = f.frame
        if frame.speaker is None or frame.cue is None or frame.pattern.startswith("quote"):
            continue
        if frame.pattern in ("according-to", "leak"):
            continue
        content = f.content
        for m in _AND_CUE.finditer(text, content.start, content.end):
            form = m.group("cue")
            if form not in CUE_VERBS or _tense(form) != _tense(frame.cue.lower()):
                continue
            if _inside_quotes(text, content.start, m.start()):
                continue
            lemma = CUE_VERBS[form]
            cue = Token(m.start("cue"), m.end("cue"), form)
            second = Frame(speaker=frame.speaker, cue=form, lemma=lemma, hops=list(frame.hops))
            after = read_after(text, cue, lemma, sentence.end, second)
            rest = _trim(text, after, content_end(text, after, sentence.end))
            first = _trim(text, content.start, m.start())
            if rest is None or first is None:
                continue
            f.content = first
            assert frame.span is not None
            second.span = Span.of(text, frame.span.start, rest.end)
            out.append(Found(second, rest, f.co_speakers))
            break
    return out


def _inside_quotes(text: str, start: int, end: int) -> bool:
    """Whether ``end`` is inside a quotation opened after ``start``."""
    seg = text[start:end]
    return (
        seg.count("“") > seg.count("”")
        or seg.count('"') % 2 == 1
        or seg.count("«") > seg.count("»")
    )


_HEADLINE = re.compile(
    r"(?:" + CLOCK + r"[-–—]\s*)?"
    r"(?P<who>[A-Z][^:.!?“”\"]{1,60}?):\s+(?P<what>\S.*)"
)


def headline(text: str, line: Span) -> Found | None:
    """A headline or live-blog line that gives its source first: ``14:20 - Kremlin: no plans
    for Putin to travel``.  The source must read as an organisation, an anonymous source, or a
    person named by more than one word or named elsewhere in the article (so ``Update:`` and
    ``Analysis:`` are not speakers)."""
    m = _HEADLINE.fullmatch(line.text)
    if m is None or m.group("who").isupper() or re.search(r"[.!?]\s+[A-Z]", m.group("what")):
        return None
    a, b = line.start + m.start("who"), line.start + m.end("who")
    speaker = parse_speaker(text, a, b)
    if speaker is None or speaker.kind in ("state", "pronoun", "definite"):
        return None
    if speaker.kind == "person" and " " not in speaker.name:
        elsewhere = text[: line.start] + text[line.end :]
        if not re.search(rf"[A-Z][\w’'-]+\s+{re.escape(speaker.name)}\b", elsewhere):
            return None
    start = line.start + m.start("what")
    content = _trim(text, start, line.end)
    if content is None:
        return None
    frame = Frame(speaker=speaker, pattern="reported", span=Span.of(text, a, content.end))
    return Found(frame, content)
