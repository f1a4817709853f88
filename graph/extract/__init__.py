"""Extraction of attributions from article text into draft claim records (issue 13).

>>> from claimgraph.extract import extract
>>> [a.speaker.name for a in extract("“No,” Peskov said.").attributions]
['Peskov']

The public API: :func:`extract` (text → :class:`Extraction`), :func:`draft_article` /
:func:`draft_records` (→ :class:`Draft`, whose ``yaml()`` is the draft file),
:func:`article_text` (bytes → the checked text), :func:`actors_from_store` and
:class:`ActorIndex` (linking speakers to known actors), :func:`ids_in_store` (the ids a draft
must not reuse), :func:`known_to` (both, in one reading session),
:mod:`.evaluation`.  Offsets from quotes are computed by :mod:`claimgraph.offsets` (at
ingest, and for gold annotations without offsets).
"""

from __future__ import annotations

from .actors import (
    ActorIndex,
    Candidate,
    KnownActor,
    Resolution,
    actors_from_store,
    ids_in_store,
    known_to,
    normalise_name,
)
from .article import article_text, check_date, check_url
from .draftfile import ArticleInfo, Draft, Judgement
from .drafts import draft_article, draft_records
from .engine import extract
from .evaluation import Evaluation, evaluate, format_evaluation, load_folder
from .model import KINDS, PATTERNS, Attribution, Extraction, Hop, OwnStatement, Span, Speaker

__all__ = [
    "KINDS",
    "PATTERNS",
    "ActorIndex",
    "ArticleInfo",
    "Attribution",
    "Candidate",
    "Draft",
    "Evaluation",
    "Extraction",
    "Hop",
    "Judgement",
    "KnownActor",
    "OwnStatement",
    "Resolution",
    "Span",
    "Speaker",
    "actors_from_store",
    "article_text",
    "check_date",
    "check_url",
    "draft_article",
    "draft_records",
    "evaluate",
    "extract",
    "format_evaluation",
    "ids_in_store",
    "known_to",
    "load_folder",
    "normalise_name",
]
