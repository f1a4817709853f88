"""Draft claim records from an extraction: the one module that knows the output layout.

Today's layout (the default) is claim records as ``claimgraph ingest`` takes them now
(docs/records.md): the outlet, the article and its revision with its text and sha256, one
claim per attribution with its chain (utterance → intermediary or wire report → article
mention with the evidence span), anonymous sources local to the article, proposed actors, and
one outlet statement per passage that attributes nothing.  What the tool guessed (links to
known actors, claim kinds it is unsure of) is listed as :class:`Judgement` values and written
as comments at the top of the YAML.

``statement_graphs=True`` switches on the layout of issue 12: the article's statements in a
named graph ``{type: EvidencedStatements, evidenceFrom: <revision>, draft: true}`` and the
guesses in ``{type: JudgedStatements, judgedBy: cgi:agent-claimgraph-extract, judgedAt,
confidence}`` graphs, one per confidence.  Ingest refuses that layout until the ontology
defines those terms.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yaml

from ..records import CONTEXT_URL
from .actors import ActorIndex, KnownActor
from .lexicon import DEMONYMS, PLACES
from .model import Attribution, Extraction, Hop, Speaker

EXTRACTOR_AGENT = "cgi:agent-claimgraph-extract"
"""Who judges what the extractor guessed."""

_CLASS_BY_KIND = {
    "quote": ["Quote", "Statement"],
    "statement": "Statement",
    "proposal": "Proposal",
    "demand": "Demand",
    "denial": "Statement",
    "assessment": "Assessment",
    "leak report": "LeakReport",
}
_CLASS_BY_SPEAKER = {
    "person": "Person",
    "organisation": "Organisation",
    "group": "Organisation",
    "state": "State",
    "agency": "NewsAgency",
    "outlet": "NewsOutlet",
}
SURE = 0.8
"""Below this confidence a claim kind is a guess to review."""


@dataclass(frozen=True)
class ArticleInfo:
    """What the caller knows of the article beyond its text."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    """The publication date, ``YYYY-MM-DD``: it dates the claims and reports."""
    slug: str | None = None
    """The stem of every record id (default: from the title, else the text's hash)."""
    source_file: str | None = None


@dataclass(frozen=True)
class Judgement:
    """Something the extractor guessed: a statement about ``subject`` with its confidence."""

    subject: str
    property: str
    value: Any
    confidence: float
    note: str


@dataclass
class Draft:
    """Draft records for one article, and what in them a person should review."""

    records: list[dict[str, Any]]
    judgements: list[Judgement] = field(default_factory=list)
    needs_review: list[str] = field(default_factory=list)
    statement_graphs: bool = False

    def document(self) -> dict[str, Any]:
        """The JSON-LD document: ``{"@context": …, "@graph": […]}``."""
        return {"@context": CONTEXT_URL, "@graph": self.records}

    def yaml(self) -> str:
        """The records as YAML, with the review notes as comments at the top."""
        lines = ["# DRAFT written by claimgraph extract: review every record before ingest."]
        for note in self.needs_review:
            lines.append(f"# needs review: {note}")
        for j in self.judgements:
            lines.append(
                f"# guessed ({j.confidence:.2f}): {j.subject} {j.property} {j.value} — {j.note}"
            )
        body = yaml.safe_dump(self.document(), allow_unicode=True, sort_keys=False, width=100)
        return "\n".join(lines) + "\n" + body


def slugify(words: str) -> str:
    """An id-safe stem.

    >>> slugify("Istanbul talks: Day 1!")
    'istanbul-talks-day-1'
    """
    import unicodedata

    s = unicodedata.normalize("NFKD", words)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60] or "x"


def draft_records(
    extraction: Extraction,
    article: ArticleInfo | None = None,
    *,
    actors: Iterable[KnownActor] = (),
    statement_graphs: bool = False,
    judged_at: str | None = None,
) -> Draft:
    """Draft claim records for ``extraction``; speakers are linked to ``actors`` by name.

    >>> from claimgraph.extract import extract
    >>> d = draft_records(extract("“No,” Peskov said."), ArticleInfo(slug="x"))
    >>> sorted({r["type"] if isinstance(r["type"], str) else r["type"][0] for r in d.records})
    ['Article', 'ArticleMention', 'ArticleRevision', 'NewsOutlet', 'Person', 'Quote', 'Utterance']
    """
    return _Writer(extraction, article or ArticleInfo(), ActorIndex(actors)).draft(
        statement_graphs=statement_graphs, judged_at=judged_at
    )


class _Writer:
    def __init__(self, extraction: Extraction, article: ArticleInfo, index: ActorIndex) -> None:
        self.x = extraction
        self.article = article
        self.index = index
        text = extraction.text
        self.sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.slug = article.slug or (slugify(article.title) if article.title else self.sha[:12])
        self.article_id = f"cgi:article-{self.slug}"
        self.revision_id = f"{self.article_id}-r1"
        self.records: list[dict[str, Any]] = []
        self.actor_ids: dict[str, str] = {}
        self.judged: list[tuple[dict[str, Any], float]] = []
        self.judgements: list[Judgement] = []
        self.review: list[str] = []

    # ------------------------------------------------------------ the whole draft
    def draft(self, *, statement_graphs: bool, judged_at: str | None) -> Draft:
        outlet = self._outlet()
        self._article(outlet)
        for n, a in enumerate(self.x.attributions, 1):
            self._attribution(n, a, outlet)
        for n, s in enumerate(self.x.statements, 1):
            claim = f"cgi:{self.slug}-statement-{n}"
            self._claim(claim, "Statement", s.span.text, outlet)
            self._mention(
                claim, n, None, s.span.start, s.span.end, "certain", "affirmed", outlet, "statement"
            )
        if self.article.published is None:
            self.review.append(
                "no publication date given: claims have no claimDate, which today's shapes require"
            )
        records = self.records
        if statement_graphs:
            records = self._wrapped(judged_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        else:
            for statement, _ in self.judged:
                self._merge(statement)
        return Draft(records, self.judgements, self.review, statement_graphs)

    def _merge(self, statement: dict[str, Any]) -> None:
        """Today's layout: a guessed statement goes into its record."""
        for record in self.records:
            if record["id"] == statement["id"]:
                for key, value in statement.items():
                    if key != "id":
                        record[key] = value
                return

    def _wrapped(self, judged_at: str) -> list[dict[str, Any]]:
        """Issue 12's layout: evidenced statements and judged statements in named graphs."""
        graphs: list[dict[str, Any]] = [
            {
                "id": f"cgi:{self.slug}-statements",
                "type": "EvidencedStatements",
                "evidenceFrom": self.revision_id,
                "draft": True,
                "@graph": self.records,
            }
        ]
        by_confidence: dict[float, list[dict[str, Any]]] = {}
        for statement, confidence in self.judged:
            by_confidence.setdefault(confidence, []).append(statement)
        for k, (confidence, statements) in enumerate(
            sorted(by_confidence.items(), reverse=True), 1
        ):
            graphs.append(
                {
                    "id": f"cgi:{self.slug}-judged-{k}",
                    "type": "JudgedStatements",
                    "judgedBy": EXTRACTOR_AGENT,
                    "judgedAt": judged_at,
                    "confidence": f"{confidence:.2f}",
                    "draft": True,
                    "@graph": statements,
                }
            )
        return graphs

    def _judge(self, subject: str, prop: str, value: Any, confidence: float, note: str) -> None:
        self.judged.append(({"id": subject, prop: value}, round(confidence, 2)))
        self.judgements.append(Judgement(subject, prop, value, round(confidence, 2), note))

    # ------------------------------------------------------------ article and outlet
    def _outlet(self) -> str:
        name = self.article.outlet
        if name:
            found = self.index.resolve(name)
            if found.iri is not None:
                return found.iri
            return self._new_actor(name, "NewsOutlet")
        iri = f"cgi:{self.slug}-outlet"
        label = f"Publisher of {self.article.title or 'article ' + self.slug}"
        self.records.append({"id": iri, "type": "NewsOutlet", "label": {"en": label}})
        self.review.append(f"the outlet is not named: {iri} stands for it")
        return iri

    def _article(self, outlet: str) -> None:
        a = self.article
        title = a.title or f"Article {self.slug}"
        record: dict[str, Any] = {
            "id": self.article_id,
            "type": "Article",
            "label": {"en": title},
            "publisher": outlet,
            "hasRevision": [self.revision_id],
        }
        if a.title:
            record["headline"] = a.title
        if a.url:
            record["url"] = a.url
        if a.published:
            record["published"] = a.published
        if a.source_file:
            record["sourceFile"] = a.source_file
        revision: dict[str, Any] = {
            "id": self.revision_id,
            "type": "ArticleRevision",
            "label": {"en": f"{title} (as extracted)"},
            "revisionOf": self.article_id,
            "revisionNumber": 1,
            "textAvailable": True,
            "sha256": self.sha,
            "text": self.x.text,
        }
        if a.published:
            revision["published"] = a.published
        self.records += [record, revision]

    # ------------------------------------------------------------ actors
    def _speaker(self, speaker: Speaker) -> str:
        if speaker.anonymous:
            return self._anonymous(speaker)
        key = f"{speaker.kind}:{speaker.name}"
        if key in self.actor_ids:
            return self.actor_ids[key]
        found = self.index.resolve(speaker.name)
        if found.iri is not None:
            iri = found.iri
            considered = ", ".join(f"{c.iri} {c.score:.2f}" for c in found.candidates)
            self.judgements.append(
                Judgement(
                    iri,
                    "is",
                    speaker.name,
                    found.confidence,
                    f"speaker linked by name ({considered})",
                )
            )
        else:
            iri = self._new_actor(speaker.name, _CLASS_BY_SPEAKER.get(speaker.kind, "Person"))
            if found.candidates:
                considered = ", ".join(f"{c.iri} {c.score:.2f}" for c in found.candidates)
                self.review.append(f"{iri} proposed as new; candidates considered: {considered}")
        self.actor_ids[key] = iri
        return iri

    def _new_actor(self, name: str, cls: str) -> str:
        iri = f"cgi:{slugify(name)}"
        if iri in self.actor_ids.values():
            return iri
        self.actor_ids[f"new:{iri}"] = iri
        self.records.append({"id": iri, "type": cls, "label": {"en": name}})
        return iri

    def _affiliation(self, name: str) -> str:
        found = self.index.resolve(name)
        if found.iri is not None:
            return found.iri
        known_state = name in DEMONYMS.values() or name in PLACES.values()
        return self._new_actor(name, "State" if known_state else "Organisation")

    def _anonymous(self, speaker: Speaker) -> str:
        key = f"anon:{speaker.entity}"
        if key in self.actor_ids:
            return self.actor_ids[key]
        n = sum(1 for k in self.actor_ids if k.startswith("anon:")) + 1
        iri = f"cgi:{self.slug}-anon-{n}"
        self.actor_ids[key] = iri
        descriptor = speaker.descriptor or speaker.name
        record: dict[str, Any] = {
            "id": iri,
            "type": "AnonymousSource",
            "label": {"en": descriptor},
            "describedAs": descriptor,
            "appearsIn": self.article_id,
            "isGroup": speaker.group,
            "anonymityLevel": "affiliationOnly" if speaker.affiliation else "unattributed",
        }
        if speaker.affiliation:
            record["affiliatedWith"] = self._affiliation(speaker.affiliation)
        else:
            self.review.append(
                f"{iri} ({descriptor!r}): the article states no affiliation, which today's "
                "shapes require"
            )
        for other in self.records:
            if other.get("type") == "AnonymousSource" and other.get("describedAs") == descriptor:
                self._judge(iri, "possiblySameAs", other["id"], 0.5, "same words, same article")
        self.records.append(record)
        return iri

    # ------------------------------------------------------------ claims and chains
    def _claim(self, iri: str, cls: Any, text: str, claimant: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": iri,
            "type": cls,
            "label": {"en": _label(text)},
            "claimText": _sentence(text),
            "claimant": claimant,
        }
        if self.article.published:
            record["claimDate"] = self.article.published
        self.records.append(record)
        return record

    def _attribution(self, n: int, a: Attribution, outlet: str) -> None:
        claim = f"cgi:{self.slug}-claim-{n}"
        speaker = self._speaker(a.speaker)
        cls = _CLASS_BY_KIND[a.kind]
        if a.kind_confidence < SURE:
            self._claim(claim, "Statement", a.content.text, speaker)
            self._judge(claim, "type", cls, a.kind_confidence, f"claim kind from the cue {a.cue!r}")
        else:
            self._claim(claim, cls, a.content.text, speaker)
        hop = self._hop(f"cgi:{self.slug}-utterance-{n}", claim, speaker, "speaker", a, None)
        if a.verbatim:
            hop["verbatim"] = _sentence(a.content.text)
        previous = hop["id"]
        for k, h in enumerate(a.intermediaries, 1):
            previous = self._intermediary(n, k, claim, h, a, previous)["id"]
        assert a.frame is not None
        self._mention(
            claim,
            n,
            previous,
            a.frame.start,
            a.frame.end,
            a.certainty,
            a.polarity,
            outlet,
            "claim",
            quoted=a.verbatim and not a.intermediaries,
        )

    def _hop(
        self, iri: str, claim: str, carrier: str, role: str, a: Attribution, derived: str | None
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": iri,
            "type": "Utterance",
            "reports": claim,
            "carrier": carrier,
            "hopRole": role,
        }
        if derived:
            record["derivedFrom"] = derived
        if role == "speaker" and a.cue:
            record["cueVerb"] = a.cue
        if role == "speaker" and a.channel:
            record["channel"] = a.channel
        record.update(self._when(a.certainty, a.polarity, observed=False))
        self.records.append(record)
        return record

    def _intermediary(
        self, n: int, k: int, claim: str, h: Hop, a: Attribution, previous: str
    ) -> dict[str, Any]:
        carrier = self._speaker(
            Speaker(name=h.name, kind="agency" if h.role == "agency" else "outlet")
        )
        if h.role == "agency":
            record: dict[str, Any] = {
                "id": f"cgi:{self.slug}-wire-{n}-{k}",
                "type": "WireReport",
                "reports": claim,
                "derivedFrom": previous,
                "carrier": carrier,
                "hopRole": "agency",
            }
            if h.cue:
                record["cueVerb"] = h.cue
            record.update(self._when(a.certainty, a.polarity, observed=False))
            self.records.append(record)
            return record
        record = self._hop(
            f"cgi:{self.slug}-relay-{n}-{k}", claim, carrier, "intermediary", a, previous
        )
        if h.cue:
            record["cueVerb"] = h.cue
        return record

    def _mention(
        self,
        claim: str,
        n: int,
        derived: str | None,
        start: int,
        end: int,
        certainty: str,
        polarity: str,
        outlet: str,
        what: str,
        *,
        quoted: bool = False,
    ) -> None:
        record: dict[str, Any] = {
            "id": f"cgi:{self.slug}-mention-{what}-{n}",
            "type": "ArticleMention",
            "reports": claim,
            "carrier": outlet,
            "hopRole": "outlet",
        }
        if derived:
            record["derivedFrom"] = derived
            if quoted:
                record["quotedFrom"] = derived
        record.update(self._when(certainty, polarity, observed=True))
        record["inArticle"] = self.revision_id
        record["evidence"] = {
            "type": "EvidenceSpan",
            "source": self.revision_id,
            "selector": {
                "type": ["TextQuoteSelector", "TextPositionSelector"],
                "exact": self.x.text[start:end],
                "start": start,
                "end": end,
            },
        }
        self.records.append(record)

    def _when(self, certainty: str, polarity: str, *, observed: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.article.published:
            out["reportedAt"] = self.article.published
        out.update({"observed": observed, "certainty": certainty, "polarity": polarity})
        return out


def _label(text: str) -> str:
    words = text.strip(' “”"«»‘’,.').split()
    return " ".join(words[:10]) + ("…" if len(words) > 10 else "")


def _sentence(text: str) -> str:
    return text.strip(' “”"«»,')


def draft_article(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    actors: Iterable[KnownActor] = (),
    statement_graphs: bool = False,
) -> Draft:
    """Extract ``text`` and draft its records in one call (what ``claimgraph extract`` and
    ``POST /api/extract`` do).

    >>> d = draft_article("Peskov said the talks were over.", published="2025-05-16")
    >>> d.yaml().splitlines()[0]
    '# DRAFT written by claimgraph extract: review every record before ingest.'
    """
    from .engine import extract

    info = ArticleInfo(title=title, url=url, outlet=outlet, published=published)
    return draft_records(extract(text), info, actors=actors, statement_graphs=statement_graphs)
