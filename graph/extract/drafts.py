"""Draft claim records from an extraction: the one module that knows the output layout.

A draft is a record file in the layout of statement graphs (docs/records.md):

- outside any graph (so *cited* to the draft file): the outlet (unless it is a known actor),
  the article, its revision with the text and its sha256, and the extractor as an agent;
- one ``EvidencedStatements`` graph, ``evidenceFrom`` the revision and ``draft: true``: what
  the article says — each new speaker or carrier, each anonymous source, each claim with its
  chain (utterance → intermediary or wire report → article mention) and each passage that
  attributes nothing (the outlet's own statement), every one with ``evidence``: the span of
  the text that says it, its offsets computed here;
- one ``JudgedStatements`` graph per confidence, judged by :data:`EXTRACTOR_AGENT`, also
  ``draft: true``: what the extractor guessed (a claim kind it is unsure of, that two
  sources described alike may be one).

Links of speakers and of anonymous sources' affiliations to known actors, and the candidates
considered, are listed as :class:`Judgement` values and written as comments at the top of the
YAML, for the reviewer; a tie between two actors of the same name is listed as needing review.
Once reviewed, ``claimgraph ingest --accept-drafts draft.yaml`` (or the file with its
``draft: true`` marks removed) ingests it as it is: no offset needs a hand edit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from .actors import ActorIndex, KnownActor, Resolution
from .claim_text import claim_label, claim_sentence, speaker_cue
from .draftfile import ArticleInfo, Draft, Judgement, free_stem, slugify
from .lexicon.names import DEMONYMS, PLACES
from .model import Attribution, Extraction, Hop, Span, Speaker
from .text import dateline_agencies

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


def draft_records(
    extraction: Extraction,
    article: ArticleInfo | None = None,
    *,
    actors: Iterable[KnownActor] = (),
    judged_at: str | None = None,
) -> Draft:
    """Draft claim records for ``extraction``; speakers are linked to ``actors`` by name.

    >>> from claimgraph.extract import extract
    >>> d = draft_records(extract("“No,” Peskov said."), ArticleInfo(slug="x"))
    >>> [r["type"] for r in d.records]
    ['NewsOutlet', 'Article', 'ArticleRevision', 'prov:SoftwareAgent', 'EvidencedStatements']
    >>> [r["type"] for r in d.graph("EvidencedStatements")[0]["@graph"]]
    ['Person', ['Quote', 'Statement'], 'Utterance', 'ArticleMention']
    """
    at = judged_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _Writer(extraction, article or ArticleInfo(), ActorIndex(actors)).draft(at)


class _Writer:
    def __init__(self, extraction: Extraction, article: ArticleInfo, index: ActorIndex) -> None:
        self.x = extraction
        self.article = article
        self.index = index
        text = extraction.text
        self.sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        stem = article.slug or (slugify(article.title) if article.title else self.sha[:12])
        self.slug = free_stem(stem, article.taken)
        self.notes: list[str] = []
        if self.slug != stem:
            self.notes.append(
                f"the store already has cgi:article-{stem} or cgi:{stem}-statements (another "
                f"article with this title): this draft's ids use the stem {self.slug!r}"
            )
        self.article_id = f"cgi:article-{self.slug}"
        self.revision_id = f"{self.article_id}-r1"
        self.cited: list[dict[str, Any]] = []
        self.records: list[dict[str, Any]] = []
        self.actor_ids: dict[str, str] = {}
        self.judged: list[tuple[dict[str, Any], float]] = []
        self.judgements: list[Judgement] = []
        self.review: list[str] = []
        self.datelines = dateline_agencies(text)

    # ------------------------------------------------------------ the whole draft
    def draft(self, judged_at: str) -> Draft:
        outlet = self._outlet()
        self._article(outlet)
        for n, a in enumerate(self.x.attributions, 1):
            self._attribution(n, a, outlet)
        self._own_statements_note(outlet)
        for n, s in enumerate(self.x.statements, 1):
            claim = f"cgi:{self.slug}-statement-{n}"
            self._claim(claim, "Statement", s.span, s.span.text, outlet)
            self._mention(claim, n, None, s.span, "certain", "affirmed", outlet, "statement")
        return Draft(self._graphs(judged_at), self.judgements, self.review, self.notes)

    def _graphs(self, judged_at: str) -> list[dict[str, Any]]:
        """The cited records, the evidenced graph and one judged graph per confidence."""
        self.cited.append(
            {
                "id": EXTRACTOR_AGENT,
                "type": "prov:SoftwareAgent",
                "label": {"en": "claimgraph extract"},
                "comment": {"en": "The rule-based attribution extractor of claimgraph."},
            }
        )
        graphs: list[dict[str, Any]] = [
            *self.cited,
            {
                "id": f"cgi:{self.slug}-statements",
                "type": "EvidencedStatements",
                "label": {"en": f"What {self._title()} says (extracted)"},
                "evidenceFrom": self.revision_id,
                "draft": True,
                "@graph": self.records,
            },
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
                    "rationale": {"en": "Guessed by the extractor's rules; confirm or remove."},
                    "draft": True,
                    "@graph": statements,
                }
            )
        return graphs

    def _judge(self, subject: str, prop: str, value: Any, confidence: float, note: str) -> None:
        self.judged.append(({"id": subject, prop: value}, round(confidence, 2)))
        self.judgements.append(Judgement(subject, prop, value, round(confidence, 2), note))

    def _evidence(self, span: Span) -> dict[str, Any]:
        """The evidence of a statement: ``span`` of the revision, offsets included."""
        return {
            "type": "EvidenceSpan",
            "source": self.revision_id,
            "selector": {
                "type": ["TextQuoteSelector", "TextPositionSelector"],
                "exact": span.text,
                "start": span.start,
                "end": span.end,
            },
        }

    # ------------------------------------------------------------ article and outlet
    def _title(self) -> str:
        return self.article.title or f"article {self.slug}"

    def _outlet(self) -> str:
        name = self.article.outlet
        if name:
            found = self.index.resolve(name)
            if found.iri is not None:
                return found.iri
            iri = _new_iri(name)
            self.cited.append({"id": iri, "type": "NewsOutlet", "label": {"en": name}})
            self.actor_ids[f"new:{iri}"] = iri
            return iri
        iri = f"cgi:{self.slug}-outlet"
        label = f"Publisher of {self._title()}"
        self.cited.append({"id": iri, "type": "NewsOutlet", "label": {"en": label}})
        self.review.append(f"the outlet is not named: {iri} stands for it (give --outlet)")
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
        self.cited += [record, revision]

    # ------------------------------------------------------------ actors
    def _speaker(self, speaker: Speaker, evidence: Span) -> str:
        if speaker.anonymous:
            return self._anonymous(speaker, evidence)
        key = f"{speaker.kind}:{speaker.name}"
        if key in self.actor_ids:
            return self.actor_ids[key]
        found = self.index.resolve(speaker.name)
        if found.iri is not None:
            iri = self._linked(found, "speaker")
        else:
            cls = _CLASS_BY_SPEAKER.get(speaker.kind, "Person")
            iri = self._new_actor(speaker.name, cls, _named_at(speaker, evidence))
            if cls == "Person" and speaker.role:
                self._post(iri, speaker.role, _named_at(speaker, evidence))
            if found.candidates:
                considered = ", ".join(f"{c.iri} {c.score:.2f}" for c in found.candidates)
                self.review.append(f"{iri} proposed as new; candidates considered: {considered}")
        self.actor_ids[key] = iri
        return iri

    def _linked(self, found: Resolution, what: str) -> str:
        """The actor ``found`` links to, listed as a guess with the candidates considered; a
        tie for the best score (two actors with the same label) is listed for review too."""
        assert found.iri is not None
        considered = ", ".join(f"{c.iri} {c.score:.2f}" for c in found.candidates)
        guess = Judgement(
            found.iri, "is", found.name, found.confidence, f"{what} linked by name ({considered})"
        )
        if guess in self.judgements:
            return found.iri
        self.judgements.append(guess)
        tied = [c.iri for c in found.candidates if c.score == found.confidence]
        if len(tied) > 1:
            self.review.append(
                f"{what} {found.name!r} fits {', '.join(tied)} equally; {found.iri} was "
                "picked (the first by IRI): keep the right one"
            )
        return found.iri

    def _new_actor(self, name: str, cls: str, evidence: Span) -> str:
        iri = _new_iri(name)
        if iri in self.actor_ids.values():
            return iri
        self.actor_ids[f"new:{iri}"] = iri
        self.records.append(
            {"id": iri, "type": cls, "label": {"en": name}, "evidence": self._evidence(evidence)}
        )
        return iri

    def _post(self, person: str, title: str, evidence: Span) -> None:
        """The title the article names a new person by, as a ``Post`` the person ``holds``
        (labelled as written: "Turkish Foreign Minister")."""
        post = f"cgi:post-{slugify(title)}"
        record = next((r for r in self.records if r["id"] == person), None)
        if record is None or "holds" in record:
            return
        record["holds"] = post
        if f"post:{post}" not in self.actor_ids:
            self.actor_ids[f"post:{post}"] = post
            self.records.append(
                {
                    "id": post,
                    "type": "Post",
                    "label": {"en": title},
                    "evidence": self._evidence(evidence),
                }
            )

    def _affiliation(self, name: str, evidence: Span) -> str:
        found = self.index.resolve(name)
        if found.iri is not None:
            return self._linked(found, "affiliation")
        known_state = name in DEMONYMS.values() or name in PLACES.values()
        return self._new_actor(name, "State" if known_state else "Organisation", evidence)

    def _anonymous(self, speaker: Speaker, evidence: Span) -> str:
        key = f"anon:{speaker.entity}"
        if key in self.actor_ids:
            return self.actor_ids[key]
        n = sum(1 for k in self.actor_ids if k.startswith("anon:")) + 1
        iri = f"cgi:{self.slug}-anon-{n}"
        self.actor_ids[key] = iri
        descriptor = speaker.descriptor or speaker.name
        named = _named_at(speaker, evidence)
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
            record["affiliatedWith"] = self._affiliation(speaker.affiliation, named)
        else:
            self.review.append(
                f"{iri} ({descriptor!r}): the article states no affiliation, which the shapes "
                "require (add affiliatedWith, or judge one in a judged graph)"
            )
        record["evidence"] = self._evidence(named)
        for other in self.records:
            if other.get("type") == "AnonymousSource" and other.get("describedAs") == descriptor:
                self._judge(iri, "possiblySameAs", other["id"], 0.5, "same words, same article")
        self.records.append(record)
        return iri

    # ------------------------------------------------------------ claims and chains
    def _claim(self, iri: str, cls: Any, evidence: Span, text: str, claimant: str) -> None:
        self.records.append(
            {
                "id": iri,
                "type": cls,
                "label": {"en": claim_label(text)},
                "claimText": claim_sentence(text),
                "claimant": claimant,
                "evidence": self._evidence(evidence),
            }
        )

    def _attribution(self, n: int, a: Attribution, outlet: str) -> None:
        assert a.frame is not None
        claim = f"cgi:{self.slug}-claim-{n}"
        speaker = self._speaker(a.speaker, a.frame)
        cls = _CLASS_BY_KIND[a.kind]
        if a.kind_confidence < SURE:
            self._claim(claim, "Statement", a.frame, a.content.text, speaker)
            self._judge(claim, "type", cls, a.kind_confidence, f"claim kind from the cue {a.cue!r}")
        else:
            self._claim(claim, cls, a.frame, a.content.text, speaker)
        hop = self._hop(f"cgi:{self.slug}-utterance-{n}", claim, speaker, "speaker", a, None)
        if a.verbatim:
            hop["verbatim"] = claim_sentence(a.content.text)
        previous = hop["id"]
        hops = list(a.intermediaries)
        if hops and (self.index.resolve(hops[-1].name).iri or _new_iri(hops[-1].name)) == outlet:
            hops.pop()  # "an official told Reuters" in Reuters' own article: its mention says so
        for k, h in enumerate(hops, 1):
            previous = self._intermediary(n, k, claim, h, a, previous)["id"]
        wire = self._dateline_wire(n, claim, a, speaker, previous, outlet)
        previous = wire or previous
        self._mention(
            claim,
            n,
            previous,
            a.frame,
            a.certainty,
            a.polarity,
            outlet,
            "claim",
            quoted=a.verbatim and not hops,
        )

    def _hop(
        self, iri: str, claim: str, carrier: str, role: str, a: Attribution, derived: str | None
    ) -> dict[str, Any]:
        assert a.frame is not None
        record: dict[str, Any] = {
            "id": iri,
            "type": "Utterance",
            "reports": claim,
            "carrier": carrier,
            "hopRole": role,
        }
        if derived:
            record["derivedFrom"] = derived
        cue = speaker_cue(a)
        if role == "speaker" and cue:
            record["cueVerb"] = cue
        if role == "speaker" and a.channel:
            record["channel"] = a.channel
        record.update({"observed": False, "certainty": a.certainty, "polarity": a.polarity})
        record["evidence"] = self._evidence(a.frame)
        self.records.append(record)
        return record

    def _intermediary(
        self, n: int, k: int, claim: str, h: Hop, a: Attribution, previous: str
    ) -> dict[str, Any]:
        assert a.frame is not None
        named = h.span if h.span is not None else a.frame
        carrier = self._speaker(
            Speaker(name=h.name, kind="agency" if h.role == "agency" else "outlet", span=named),
            named,
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
            record.update({"observed": False, "certainty": a.certainty, "polarity": a.polarity})
            record["evidence"] = self._evidence(a.frame)
            self.records.append(record)
            return record
        record = self._hop(
            f"cgi:{self.slug}-relay-{n}-{k}", claim, carrier, "intermediary", a, previous
        )
        if h.cue:
            record["cueVerb"] = h.cue
        return record

    def _dateline_wire(
        self, n: int, claim: str, a: Attribution, speaker: str, previous: str, outlet: str
    ) -> str | None:
        """The wire report of the agency the last dateline before ``a`` names, when that agency
        is not the outlet (nor the speaker, nor already the last hop): the outlet carries the
        agency's report."""
        assert a.frame is not None
        before = [d for d in self.datelines if d.start <= a.frame.start]
        if not before:
            return None
        agency = before[-1]
        carrier = self._speaker(Speaker(name=agency.text, kind="agency", span=agency), agency)
        last = next(r for r in self.records if r["id"] == previous)
        if carrier in (outlet, speaker, last["carrier"]):
            return None
        record: dict[str, Any] = {
            "id": f"cgi:{self.slug}-dateline-{n}",
            "type": "WireReport",
            "reports": claim,
            "derivedFrom": previous,
            "carrier": carrier,
            "hopRole": "agency",
            "observed": False,
            "certainty": a.certainty,
            "polarity": a.polarity,
            "evidence": self._evidence(agency),
        }
        self.records.append(record)
        return str(record["id"])

    def _own_statements_note(self, outlet: str) -> None:
        """The outlet's own statements under a dateline of another agency are that agency's
        report: a note, since the draft keeps them the outlet's."""
        agencies = sorted({d.text for d in self.datelines})
        named = [n for n in agencies if (self.index.resolve(n).iri or _new_iri(n)) != outlet]
        if named and self.x.statements:
            self.review.append(
                f"the dateline names {', '.join(named)}: the passages no one is cited for are "
                f"drafted as {outlet}'s own statements, though they are the agency's wire "
                "report — make the agency their claimant, or add a WireReport carried by it"
            )

    def _mention(
        self,
        claim: str,
        n: int,
        derived: str | None,
        evidence: Span,
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
        record.update({"observed": True, "certainty": certainty, "polarity": polarity})
        record["inArticle"] = self.revision_id
        record["evidence"] = self._evidence(evidence)
        self.records.append(record)


def _named_at(speaker: Speaker, frame: Span) -> Span:
    """Where the article names ``speaker``: its own span when that is its name (not "he" or
    "the minister"), else the whole passage of the attribution."""
    if speaker.span is not None and speaker.referred_by is None:
        return speaker.span
    return frame


def _new_iri(name: str) -> str:
    """The id a draft gives an actor it names that the store does not know."""
    return f"cgi:{slugify(name)}"


def draft_article(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    actors: Iterable[KnownActor] = (),
    source_file: str | None = None,
    judged_at: str | None = None,
    taken: frozenset[str] = frozenset(),
) -> Draft:
    """Extract ``text`` and draft its records in one call (what ``claimgraph extract`` and
    ``POST /api/extract`` do).

    >>> d = draft_article("Peskov said the talks were over.", published="2025-05-16")
    >>> d.yaml().splitlines()[0]
    '# DRAFT written by claimgraph extract: review every record, then ingest with'
    """
    from .engine import extract

    info = ArticleInfo(
        title=title,
        url=url,
        outlet=outlet,
        published=published,
        source_file=source_file,
        taken=taken,
    )
    return draft_records(extract(text), info, actors=actors, judged_at=judged_at)
