"""The words of how something is said: cue verbs and what each says about the claim, hedges,
modal and evaluative words, platforms, nouns of something said, and the words around a cue
that belong to neither speaker nor content.

Everything here is data; the rules that use it live in :mod:`claimgraph.extract.frames`,
:mod:`~claimgraph.extract.quotes` and :mod:`~claimgraph.extract.reported`.  A new verb is one
line here.
"""

from __future__ import annotations


def _forms(*groups: str) -> dict[str, str]:
    """``"say said says saying"`` → every form mapped to the first (its lemma)."""
    out: dict[str, str] = {}
    for group in groups:
        lemma, *_ = group.split()
        for form in group.split():
            out[form] = lemma
    return out


CUE_VERBS: dict[str, str] = _forms(
    "say said says saying",
    "tell told tells telling",
    "quote quoted quotes",
    "cite cited cites",
    "add added adds adding",
    "note noted notes noting",
    "stress stressed stresses stressing",
    "emphasize emphasized emphasizes emphasizing emphasised emphasises emphasising",
    "underline underlined underlines",
    "underscore underscored underscores",
    "insist insisted insists insisting",
    "claim claimed claims claiming",
    "announce announced announces announcing",
    "confirm confirmed confirms confirming",
    "deny denied denies denying",
    "warn warned warns warning",
    "propose proposed proposes proposing",
    "suggest suggested suggests suggesting",
    "explain explained explains",
    "state stated",
    "declare declared declares",
    "argue argued argues",
    "acknowledge acknowledged acknowledges",
    "admit admitted admits",
    "assert asserted asserts",
    "assure assured assures",
    "reiterate reiterated reiterates",
    "repeat repeated repeats",
    "remark remarked",
    "reply replied replies",
    "respond responded responds",
    "comment commented",
    "write wrote writes writing",
    "post posted posts",
    "tweet tweeted tweets",
    "report reported reports reporting",
    "reveal revealed reveals",
    "disclose disclosed discloses",
    "predict predicted predicts",
    "estimate estimated estimates",
    "demand demanded demands",
    "urge urged urges",
    "pledge pledged pledges",
    "promise promised promises",
    "vow vowed vows",
    "reject rejected rejects",
    "dismiss dismissed dismisses",
    "refute refuted refutes",
    "concede conceded concedes",
    "complain complained complains",
    "allege alleged alleges",
    "accuse accused accuses",
    "blame blamed blames",
    "indicate indicated indicates",
    "signal signalled signaled signals",
    "hint hinted hints",
    "inform informed informs",
    "brief briefed briefs",
    "maintain maintained maintains",
    "contend contended contends",
    "believe believes believed",
    "think thinks thought",
    "offer offered offers",
    "recall recalled recalls",
    "caution cautioned cautions",
    "describe described describes",
    "call called calls",
)
del CUE_VERBS["state"]  # a noun in news copy: "state media", "state television"
"""Every form of every cue verb, mapped to its lemma."""

SAYING_LEMMAS = frozenset(CUE_VERBS.values()) - {
    "report",
    "offer",
    "propose",
    "demand",
    "quote",
    "cite",
}
"""Lemmas that introduce a clause of what was said (``X said that …``); the others need an
object (``X proposed a meeting``) or are reports of others (``Reuters reported``)."""

OBJECT_LEMMAS = frozenset(
    {"propose", "offer", "demand", "deny", "reject", "dismiss", "announce", "confirm", "suggest"}
)
"""Lemmas whose object may be a noun phrase rather than a clause (``Kyiv proposed a meeting``)."""

REPORTING_LEMMAS = frozenset({"report", "say", "write", "quote", "cite", "claim"})
"""Lemmas by which an outlet or agency passes on what someone else said (``…, TASS reported``)."""

KIND_BY_LEMMA: dict[str, tuple[str, float]] = {
    "deny": ("denial", 0.9),
    "reject": ("denial", 0.8),
    "dismiss": ("denial", 0.8),
    "refute": ("denial", 0.9),
    "propose": ("proposal", 0.9),
    "offer": ("proposal", 0.8),
    "demand": ("demand", 0.9),
    "urge": ("demand", 0.8),
    "warn": ("assessment", 0.7),
    "predict": ("assessment", 0.7),
    "estimate": ("assessment", 0.7),
    "believe": ("assessment", 0.7),
    "think": ("assessment", 0.7),
    "argue": ("assessment", 0.6),
    "accuse": ("assessment", 0.6),
    "blame": ("assessment", 0.6),
    "complain": ("assessment", 0.6),
    "allege": ("assessment", 0.6),
    "describe": ("assessment", 0.7),
    "call": ("assessment", 0.6),
}
"""The claim kind a cue verb makes, with how sure the extractor is of it; other verbs make a
statement (quotes are quotes)."""

HEDGE_LEMMAS = frozenset({"suggest", "believe", "think", "hint", "indicate", "signal", "allege"})
"""Cue verbs that report a claim as probable rather than certain."""

HEDGE_WORDS = frozenset(
    {
        "may",
        "might",
        "could",
        "reportedly",
        "apparently",
        "likely",
        "possibly",
        "probably",
        "perhaps",
        "allegedly",
        "seemingly",
    }
)
"""Words in an attribution that make its certainty probable."""

DEMAND_WORDS = frozenset({"must", "should", "has to", "have to", "needs to", "need to"})
"""Modal words that turn an insisting or calling statement into a demand."""

EVALUATIVE_WORDS = frozenset(
    {
        "unrealistic",
        "unacceptable",
        "constructive",
        "productive",
        "positive",
        "negative",
        "absurd",
        "ridiculous",
        "useless",
        "pointless",
        "disappointing",
        "encouraging",
        "difficult",
        "serious",
        "failure",
        "success",
        "ultimatum",
        "non-starter",
        "theatre",
        "theater",
        "premature",
        "unlikely",
    }
)
"""Words that make a statement an assessment (a judgement rather than a report of fact)."""

PLATFORMS = (
    "Telegram",
    "Truth Social",
    "X",
    "Twitter",
    "Facebook",
    "Instagram",
    "YouTube",
    "VKontakte",
    "Threads",
    "social media",
)
"""Where people post: ``wrote on Telegram``, ``in a post on X``."""

SPEECH_NOUNS = frozenset(
    {
        "statement",
        "statements",
        "readout",
        "transcript",
        "remarks",
        "comments",
        "report",
        "reports",
        "account",
        "accounts",
        "briefing",
        "communique",
        "communiqué",
        "message",
        "post",
        "letter",
        "note",
        "interview",
        "words",
        "data",
        "leaks",
        "leak",
        "documents",
    }
)
"""Nouns of something said, whose author is the speaker (``according to statements from both
delegations``, ``a statement from the Kremlin said``)."""

TIME_WORDS = frozenset(
    {
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "yesterday",
        "today",
        "tonight",
        "earlier",
        "later",
        "again",
        "also",
        "previously",
        "repeatedly",
        "then",
        "now",
        "once",
        "already",
        "has",
        "have",
        "had",
        "would",
        "will",
        "was",
        "were",
        "is",
        "are",
        "did",
        "does",
        "do",
        "publicly",
        "privately",
        "separately",
        "reportedly",
        "openly",
        "firmly",
        "flatly",
        "categorically",
        "bluntly",
        "quickly",
        "swiftly",
        "immediately",
        "subsequently",
        "recently",
        "not",
    }
)
"""Words between a speaker and the cue verb that belong to neither (``Kyiv has also proposed``)."""

LEADING_WORDS = frozenset(
    {
        "but",
        "and",
        "however",
        "meanwhile",
        "still",
        "separately",
        "earlier",
        "later",
        "yet",
        "so",
        "also",
        "instead",
        "then",
        "now",
        "while",
        "as",
        "though",
        "although",
        "with",
    }
)
"""Words that open a clause before its subject (``Meanwhile, Peskov said …``)."""
