"""The words the extractor reads attribution by: cue verbs and what each says about the claim,
hedges, channels, news organisations, anonymous descriptors, roles and demonyms.

Everything here is data; the rules that use it live in :mod:`claimgraph.extract.speakers`,
:mod:`~claimgraph.extract.quotes` and :mod:`~claimgraph.extract.reported`.  Extending the
extractor to a new outlet, verb or country is one line here.
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
"""Every form of every cue verb, mapped to its lemma."""

SAYING_LEMMAS = frozenset(CUE_VERBS.values()) - {"report", "offer", "propose", "demand"}
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
)
"""Where people post: ``wrote on Telegram``, ``in a post on X``."""

NEWS_AGENCIES = (
    "Reuters",
    "Agence France-Presse",
    "AFP",
    "Associated Press",
    "AP",
    "TASS",
    "RIA Novosti",
    "RIA",
    "Interfax-Ukraine",
    "Interfax",
    "Ukrinform",
    "UNIAN",
    "Anadolu Agency",
    "Anadolu",
    "Xinhua",
    "Bloomberg",
    "dpa",
    "EFE",
    "ANSA",
    "Kyodo",
    "Yonhap",
    "Sputnik",
    "BelTA",
    "PAP",
    "QNA",
    "IRNA",
    "Tasnim",
)
"""News agencies by name (longest first where one name contains another)."""

NEWS_OUTLETS = (
    "Sky News",
    "CNN",
    "BBC",
    "The Guardian",
    "The New York Times",
    "The Washington Post",
    "The Wall Street Journal",
    "Wall Street Journal",
    "Financial Times",
    "The Economist",
    "Axios",
    "Politico",
    "Kommersant",
    "Izvestia",
    "RBC",
    "Vedomosti",
    "Kyiv Independent",
    "The Kyiv Independent",
    "Ukrainska Pravda",
    "Hurriyet",
    "TRT",
    "NTV",
    "Al Jazeera",
    "Le Monde",
    "Der Spiegel",
    "Spiegel",
    "Bild",
    "Fox News",
    "NBC News",
    "NBC",
    "CBS News",
    "CBS",
    "ABC News",
    "Rossiya 1",
    "Channel One",
    "Meduza",
    "Novaya Gazeta",
    "The Times",
    "The Telegraph",
    "NHK",
    "Suspilne",
    "Radio Liberty",
    "Radio Free Europe",
    "Corriere della Sera",
    "Die Welt",
    "Zvezda",
    "RT",
)
"""Newspapers and broadcasters by name."""

ANONYMOUS_HEADS = frozenset(
    {
        "source",
        "sources",
        "official",
        "officials",
        "diplomat",
        "diplomats",
        "people",
        "person",
        "insider",
        "insiders",
        "aide",
        "aides",
        "member",
        "members",
        "figure",
        "figures",
        "negotiator",
        "negotiators",
        "representative",
        "representatives",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "officer",
        "officers",
        "adviser",
        "advisers",
        "advisor",
        "advisors",
        "leaks",
        "leak",
        "participant",
        "participants",
        "envoy",
        "delegate",
        "delegates",
        "colleagues",
        "counterparts",
    }
)
"""Head nouns of an unnamed source (``a senior official``, ``two people familiar with …``)."""

GROUP_WORDS = frozenset(
    {
        "two",
        "three",
        "four",
        "five",
        "several",
        "some",
        "multiple",
        "many",
        "both",
        "other",
        "various",
    }
)
"""Determiners of an unnamed group of sources."""

COUNT_WORDS = frozenset({"a", "an", "one", "another"} | GROUP_WORDS)
"""Determiners that introduce an unnamed source (rather than refer back to one)."""

ROLE_WORDS = frozenset(
    {
        "minister",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "president",
        "premier",
        "chancellor",
        "negotiator",
        "envoy",
        "ambassador",
        "secretary",
        "adviser",
        "advisor",
        "aide",
        "chief",
        "head",
        "leader",
        "commander",
        "mediator",
        "diplomat",
        "official",
        "source",
        "senator",
        "lawmaker",
        "deputy",
        "general",
        "mayor",
        "governor",
        "director",
        "representative",
        "ombudsman",
        "commissioner",
        "king",
        "emir",
        "prince",
        "pope",
        "cardinal",
    }
)
"""Nouns of a post or role: ``Foreign Minister Sergei Lavrov``, ``the minister said``."""

ORGANISATION_WORDS = frozenset(
    {
        "Ministry",
        "ministry",
        "Kremlin",
        "Office",
        "office",
        "Council",
        "Committee",
        "Department",
        "House",
        "Government",
        "government",
        "Cabinet",
        "Parliament",
        "Duma",
        "Rada",
        "Union",
        "Nations",
        "Federation",
        "Republic",
        "Delegation",
        "delegation",
        "delegations",
        "Army",
        "Forces",
        "Service",
        "Staff",
        "Agency",
        "agency",
        "Commission",
        "Secretariat",
        "Embassy",
        "embassy",
        "NATO",
        "Pentagon",
        "Bank",
        "Fund",
        "Organisation",
        "Organization",
        "Assembly",
        "Presidency",
        "presidency",
        "Administration",
        "administration",
        "Headquarters",
        "side",
        "team",
        "Directorate",
        "Intelligence",
        "Quai",
        "Élysée",
        "Elysee",
        "Vatican",
        "Holy",
        "Community",
        "Summit",
        "Conference",
        "Forum",
        "Party",
        "Court",
        "Street",
    }
)
"""Words that make a name an organisation's rather than a person's."""

PLACES: dict[str, str] = {
    "Kyiv": "Ukraine",
    "Kiev": "Ukraine",
    "Moscow": "Russia",
    "Ankara": "Turkey",
    "Istanbul": "Turkey",
    "Washington": "United States",
    "Beijing": "China",
    "Doha": "Qatar",
    "Riyadh": "Saudi Arabia",
    "Jeddah": "Saudi Arabia",
    "London": "United Kingdom",
    "Paris": "France",
    "Berlin": "Germany",
    "Brussels": "European Union",
    "Minsk": "Belarus",
    "Tehran": "Iran",
    "Warsaw": "Poland",
    "Rome": "Italy",
    "Geneva": "Switzerland",
    "Abu Dhabi": "United Arab Emirates",
    "Budapest": "Hungary",
    "Tirana": "Albania",
}
"""Capitals and host cities, and the state they stand for (``Kyiv proposed …``)."""

DEMONYMS: dict[str, str] = {
    "Ukrainian": "Ukraine",
    "Russian": "Russia",
    "Turkish": "Turkey",
    "American": "United States",
    "U.S.": "United States",
    "US": "United States",
    "Chinese": "China",
    "Qatari": "Qatar",
    "Saudi": "Saudi Arabia",
    "Emirati": "United Arab Emirates",
    "British": "United Kingdom",
    "French": "France",
    "German": "Germany",
    "Italian": "Italy",
    "Polish": "Poland",
    "Belarusian": "Belarus",
    "Iranian": "Iran",
    "Hungarian": "Hungary",
    "Swiss": "Switzerland",
    "European": "European Union",
    "EU": "European Union",
    "Western": "the West",
    "Kremlin": "Kremlin",
    "Vatican": "Vatican",
    "Israeli": "Israel",
    "Palestinian": "Palestine",
    "Egyptian": "Egypt",
    "Indian": "India",
    "Brazilian": "Brazil",
    "Norwegian": "Norway",
    "Finnish": "Finland",
}
"""Adjectives of a side, and the actor they name (``a Ukrainian diplomatic source``)."""

PRONOUNS: dict[str, str] = {
    "he": "singular",
    "she": "singular",
    "they": "plural",
    "it": "organisation",
    "him": "singular",
    "her": "singular",
    "them": "plural",
}
"""Pronouns that can stand for a speaker, and what they can refer back to."""

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
