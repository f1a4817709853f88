"""Each competency question of PRODUCT.md, answered by its saved query on the seed dataset.

The expected rows are written out from reading the article (../shared/seed/), not from running
the queries: who said what, through whom, in which meeting.  IRIs are the seed dataset's
(``cgi:``); columns a row is compared on are named in each test.

Queries answer from what the article says unless told to include cited background or the
modellers' judgements: where the article is silent (which meeting the exchange was agreed
in, who mediated, the dates) the default answer is silent too, and the test then asks again
with the cited or judged statements included.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from claimgraph.queries import get_query, saved_queries
from claimgraph.rdf import compact
from claimgraph.statements import DEFAULT_STANDINGS
from claimgraph.store import Store

CITED = ("evidenced", "cited")
ALL = ("evidenced", "cited", "judged")


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value


def answer(
    store: Store,
    name: str,
    columns: str,
    include: tuple[str, ...] = DEFAULT_STANDINGS,
    **params: str,
) -> list[tuple[Any, ...]]:
    """The rows of saved query ``name`` answered from the statements of standing ``include``
    (by default what the article says), each cut down to ``columns`` (space-separated), in
    the query's order; IRIs compacted, literals as their lexical form."""
    result = get_query(name).run(store, params, standings=include)
    assert isinstance(result, ox.QuerySolutions)
    names = columns.split()
    known = {v.value for v in result.variables}
    assert set(names) <= known, f"{name} has no column(s) {set(names) - known}"
    return [tuple(_text(row[c]) for c in names) for row in result]


def test_every_competency_question_has_exactly_one_query() -> None:
    tagged: dict[str, list[str]] = {}
    for q in saved_queries().values():
        for tag in q.tags:
            if tag.startswith("cq"):
                tagged.setdefault(tag, []).append(q.name)
    assert sorted(tagged) == [f"cq{i:02d}" for i in range(1, 15)]
    assert all(len(names) == 1 for names in tagged.values()), tagged
    for tag, (name,) in tagged.items():
        assert name.startswith(tag + "-")
        assert saved_queries()[name].summary.startswith(f"CQ{int(tag[2:])}:")


def test_cq01_prisoner_exchange(seed_store: Store) -> None:
    """ "Russia and Ukraine have agreed to exchange 1,000 prisoners of war from each side ...
    in the Istanbul peace talks".  The article does not say in which meeting; the background
    cites the bilateral meeting."""
    columns = "exchange side quantityPerSide persons meeting talks modality meetingStanding"
    exchange = ("cgi:prisoner-exchange",)
    terms = ("1000", "prisoners of war")
    assert sorted(answer(seed_store, "cq01-prisoner-exchange", columns)) == [
        (*exchange, "cgi:russia", *terms, None, "cgi:istanbul-talks", None, None),
        (*exchange, "cgi:ukraine", *terms, None, "cgi:istanbul-talks", None, None),
    ]
    assert sorted(answer(seed_store, "cq01-prisoner-exchange", columns, CITED)) == [
        (*exchange, side, *terms, "cgi:bilateral-meeting", "cgi:istanbul-talks", None, "cited")
        for side in ("cgi:russia", "cgi:ukraine")
    ]


def test_cq02_who_proposed_the_zelensky_putin_meeting(seed_store: Store) -> None:
    """ "Kyiv has also proposed a meeting between ... Zelensky and ... Putin": Ukraine, and the
    meeting is a proposal, not an event that happened."""
    rows = answer(seed_store, "cq02-meeting-proposals", "proposer meeting modality proposal")
    assert rows == [
        (
            "cgi:ukraine",
            "cgi:zelensky-putin-meeting",
            "cg:proposed",
            "cgi:claim-kyiv-proposed-leaders-meeting",
        )
    ]
    # the same question asked the other way round has the same answer
    assert answer(
        seed_store, "cq02-meeting-proposals", "proposer", first="cgi:putin", second="cgi:zelensky"
    ) == [("cgi:ukraine",)]
    # nobody proposed a Zelensky-Erdogan meeting
    assert answer(seed_store, "cq02-meeting-proposals", "proposer", second="cgi:turkey") == []


def test_cq03_mediators_and_who_else_took_part(seed_store: Store) -> None:
    """The article names no mediator: "a separate meeting involving representatives from
    Turkey, the United States, and Ukraine" says who took part, not in what role.  The cited
    background has Turkey mediating the bilateral meeting of the two delegations."""
    columns = "meeting actor role roleStanding"
    assert answer(seed_store, "cq03-mediators", columns) == []
    rows = answer(seed_store, "cq03-mediators", columns, CITED)
    assert rows == [
        ("cgi:bilateral-meeting", "cgi:turkey", "cg:mediator", "cited"),
        ("cgi:bilateral-meeting", "cgi:russian-delegation", "cg:party", "evidenced"),
        ("cgi:bilateral-meeting", "cgi:ukrainian-delegation", "cg:party", "evidenced"),
    ]
    # the trilateral meeting's participants are there, as the article gives them
    trilateral = [
        r[1:3]
        for r in answer(seed_store, "participants", "event actor role")
        if r[0] == "cgi:trilateral-meeting"
    ]
    assert sorted(trilateral) == [
        ("cgi:turkey", "cg:participant"),
        ("cgi:ukraine", "cg:participant"),
        ("cgi:united-states", "cg:participant"),
    ]


def test_cq04_what_each_delegation_presented(seed_store: Store) -> None:
    """ "According to statements from both delegations, each side presented its proposals for
    a potential ceasefire during the talks."  The topic is the modellers' judgement."""
    columns = "delegation state claim event topic channel"
    channel = "according to statements from both delegations"
    russia = (
        "cgi:russian-delegation",
        "cgi:russia",
        "cgi:claim-russia-presented-ceasefire-proposals",
    )
    ukraine = (
        "cgi:ukrainian-delegation",
        "cgi:ukraine",
        "cgi:claim-ukraine-presented-ceasefire-proposals",
    )
    assert sorted(answer(seed_store, "cq04-delegation-proposals", columns)) == [
        (*russia, "cgi:istanbul-talks", None, channel),
        (*ukraine, "cgi:istanbul-talks", None, channel),
    ]
    assert sorted(answer(seed_store, "cq04-delegation-proposals", columns, ALL)) == [
        (*russia, "cgi:istanbul-talks", "cgi:topic-ceasefire", channel),
        (*ukraine, "cgi:istanbul-talks", "cgi:topic-ceasefire", channel),
    ]


def test_cq05_who_called_the_demands_unrealistic_and_through_whom(seed_store: Store) -> None:
    """ "a Ukrainian diplomatic source telling Reuters that Russia's demands ... were
    'unrealistic'" - an anonymous Ukrainian source, through Reuters, in the seed article."""
    rows = answer(
        seed_store,
        "cq05-unrealistic-demands",
        "claim speaker describedAs affiliation channel agency outlet article evidence",
    )
    assert rows == [
        (
            "cgi:claim-russian-demands-unrealistic",
            "cgi:anon-ua-diplomatic-source-1",
            "a Ukrainian diplomatic source",
            "cgi:ukraine",
            "telling Reuters",
            "cgi:reuters",
            "cgi:seed-outlet",
            "cgi:article-istanbul",
            "a Ukrainian diplomatic source telling Reuters that Russia’s demands during the "
            "negotiations were “unrealistic” and went far beyond anything previously discussed "
            "between the two sides",
        )
    ]


def test_cq06_contradicting_claims_about_the_state_of_the_talks(seed_store: Store) -> None:
    """ "Despite leaks from the Turkish Foreign Ministry that talks had ended, sources from both
    the Ukrainian side and the Russian news agency TASS suggest the delegations have paused",
    and the article's own "The Istanbul peace talks ... have paused"."""
    rows = answer(seed_store, "cq06-contradictions", "claim otherClaim basis backer judgedBy")
    paused, ended, talks_paused = (
        "cgi:claim-delegations-paused",
        "cgi:claim-talks-ended",
        "cgi:claim-talks-paused",
    )
    expected = [
        (paused, ended, "asserted", "cgi:anon-ua-side-sources", None),
        (paused, ended, "asserted", "cgi:tass", None),
        (ended, paused, "asserted", "cgi:anon-turkish-mfa-leak", None),
        (talks_paused, ended, "conflicting values", "cgi:seed-outlet", None),
        (ended, talks_paused, "conflicting values", "cgi:anon-turkish-mfa-leak", None),
    ]
    assert sorted(rows, key=str) == sorted(expected, key=str)
    # by a (judged) topic, the same pairs; no claim on the ceasefire contradicts another
    by_topic = answer(
        seed_store,
        "cq06-contradictions",
        "claim otherClaim basis backer judgedBy",
        ALL,
        topic="cgi:topic-state-of-talks",
    )
    assert sorted(by_topic, key=str) == sorted(expected, key=str)
    assert (
        answer(seed_store, "cq06-contradictions", "claim", ALL, topic="cgi:topic-ceasefire") == []
    )


def test_cq07_claims_resting_only_on_anonymous_sources(seed_store: Store) -> None:
    """Every anonymous-only claim of the article with its source's affiliation; the "paused"
    account is not among them because TASS, a named agency, backs it too."""
    rows = answer(
        seed_store, "cq07-anonymous-only-claims", "claim source describedAs affiliation side"
    )
    ua, tfm = "cgi:ukraine", "cgi:turkish-foreign-ministry"
    assert sorted(rows) == [
        (
            "cgi:claim-kyiv-prioritises-ceasefire",
            "cgi:anon-ua-diplomatic-source-2",
            "a Ukrainian diplomatic source",
            ua,
            ua,
        ),
        (
            "cgi:claim-russian-demands-unrealistic",
            "cgi:anon-ua-diplomatic-source-1",
            "a Ukrainian diplomatic source",
            ua,
            ua,
        ),
        (
            "cgi:claim-talks-ended",
            "cgi:anon-turkish-mfa-leak",
            "leaks from the Turkish Foreign Ministry",
            tfm,
            "cgi:turkey",
        ),
        (
            "cgi:claim-trilateral-over-an-hour",
            "cgi:anon-turkish-mfa-sources",
            "sources from the Turkish Foreign Ministry",
            tfm,
            "cgi:turkey",
        ),
        (
            "cgi:claim-trilateral-preceded-bilateral",
            "cgi:anon-turkish-mfa-sources",
            "sources from the Turkish Foreign Ministry",
            tfm,
            "cgi:turkey",
        ),
    ]


def test_cq08_how_long_each_meeting_lasted_and_according_to_whom(seed_store: Store) -> None:
    """ "The meeting lasted approximately two hours" (the article itself) and the trilateral
    one "lasted just over an hour, according to sources from the Turkish Foreign Ministry
    speaking to TASS"."""
    rows = answer(
        seed_store, "cq08-meeting-durations", "meeting duration qualifier claim accordingTo via"
    )
    assert rows == [
        (
            "cgi:bilateral-meeting",
            "PT2H",
            "approximately",
            "cgi:claim-bilateral-two-hours",
            "cgi:seed-outlet",
            None,
        ),
        (
            "cgi:trilateral-meeting",
            "PT1H",
            "just over",
            "cgi:claim-trilateral-over-an-hour",
            "cgi:anon-turkish-mfa-sources",
            "cgi:tass",
        ),
    ]


def test_cq09_what_zelensky_said_where_and_in_reply_to_what(seed_store: Store) -> None:
    """Zelensky's two quotes, said "during a European summit in Albania and addressing the
    ongoing Istanbul peace talks", in the article's order: one row per proposition each
    quote carries (the first gives two, the second three)."""
    rows = answer(
        seed_store, "cq09-zelensky-remarks", "claim words cueVerb occasion place inReplyTo"
    )
    where = ("said", "cgi:european-summit-albania", "cgi:albania", "cgi:istanbul-talks")
    first = (
        "Russia has sent almost the same people it sent back in 2022. This shows that it has "
        "not changed its fundamental approach"
    )
    second = (
        "They make a lot of statements, they issue many threats, but there is no substantive "
        "outcome."
    )
    assert rows == [
        ("cgi:claim-zelensky-same-people", first, *where),
        ("cgi:claim-zelensky-approach-unchanged", first, *where),
        ("cgi:claim-zelensky-many-statements", second, *where),
        ("cgi:claim-zelensky-many-threats", second, *where),
        ("cgi:claim-zelensky-no-substantive-outcome", second, *where),
    ]
    assert answer(seed_store, "cq09-zelensky-remarks", "words", speaker="cgi:putin") == []


def test_cq10_chain_from_the_article_back_to_the_original_speaker(seed_store: Store) -> None:
    """Article -> Reuters -> the anonymous Ukrainian diplomat, each hop with its evidence: the
    sentence that names all three, so every hop rests on the span that says it."""
    rows = answer(
        seed_store,
        "cq10-reporting-chain",
        "step hop hopType hopRole carrier observed revision evidenceStart evidenceEnd",
    )
    assert rows == [
        (
            "0",
            "cgi:mention-russian-demands-unrealistic",
            "cg:ArticleMention",
            "cg:outlet",
            "cgi:seed-outlet",
            "true",
            "cgi:article-istanbul-r2",
            "731",
            "913",
        ),
        (
            "1",
            "cgi:wire-reuters-russian-demands-unrealistic",
            "cg:WireReport",
            "cg:agency",
            "cgi:reuters",
            "false",
            None,
            "731",
            "913",
        ),
        (
            "2",
            "cgi:utterance-russian-demands-unrealistic",
            "cg:Utterance",
            "cg:speaker",
            "cgi:anon-ua-diplomatic-source-1",
            "false",
            None,
            "731",
            "913",
        ),
    ]
    speaker = answer(seed_store, "cq10-reporting-chain", "describedAs affiliation channel")[-1]
    assert speaker == ("a Ukrainian diplomatic source", "cgi:ukraine", "telling Reuters")


def test_cq10_a_claim_with_two_chains_and_a_claim_of_the_outlet(seed_store: Store) -> None:
    """ "sources from both the Ukrainian side and the Russian news agency TASS suggest ...":
    two chains; "The meeting lasted approximately two hours": the article's own claim."""
    rows = answer(
        seed_store,
        "cq10-reporting-chain",
        "mention step carrier",
        claim="cgi:claim-delegations-paused",
    )
    assert rows == [
        ("cgi:mention-delegations-paused-tass", "0", "cgi:seed-outlet"),
        ("cgi:mention-delegations-paused-tass", "1", "cgi:tass"),
        ("cgi:mention-delegations-paused-ua", "0", "cgi:seed-outlet"),
        ("cgi:mention-delegations-paused-ua", "1", "cgi:anon-ua-side-sources"),
    ]
    assert answer(
        seed_store, "cq10-reporting-chain", "step carrier", claim="cgi:claim-bilateral-two-hours"
    ) == [("0", "cgi:seed-outlet")]


def test_cq11_order_of_events(seed_store: Store) -> None:
    """The article dates only the 2022 talks; it orders the rest.  The 2022 talks before the
    Istanbul talks ("the same people it sent back in 2022"), the trilateral meeting and the
    last-minute breakthrough before the bilateral meeting ("were preceded by", "just before
    the meeting was set to begin"), the next round after it, still unscheduled.  The proposed
    Zelensky-Putin meeting did not happen.  With the cited background every 2025 event is
    dated 16 May 2025 and the exchange was agreed in the bilateral meeting."""
    stated_order = [
        ("cgi:talks-2022", "cgi:istanbul-talks"),
        ("cgi:istanbul-talks", "cgi:bilateral-meeting"),
        ("cgi:trilateral-meeting", "cgi:bilateral-meeting"),
        ("cgi:last-minute-breakthrough", "cgi:bilateral-meeting"),
        ("cgi:bilateral-meeting", "cgi:next-round"),
    ]
    events = [
        "cgi:talks-2022",
        "cgi:istanbul-talks",
        "cgi:trilateral-meeting",
        "cgi:last-minute-breakthrough",
        "cgi:bilateral-meeting",
        "cgi:prisoner-exchange",
        "cgi:next-round",
        "cgi:european-summit-albania",
    ]
    for include, extra_order in [
        (DEFAULT_STANDINGS, []),
        (CITED, [("cgi:bilateral-meeting", "cgi:prisoner-exchange")]),
    ]:
        rows = answer(seed_store, "cq11-timeline", "event start startStanding modality", include)
        order = [r[0] for r in rows]
        assert sorted(order) == sorted(events)
        for earlier, later in stated_order + extra_order:
            assert order.index(earlier) < order.index(later), (earlier, later, order, include)
        assert rows[-1][0] == "cgi:next-round" and rows[-1][3] == "cg:planned"
        starts = {r[0]: (r[1], r[2]) for r in rows}
        assert starts["cgi:talks-2022"] == ("2022", "evidenced")
    default = {r[0]: r[1] for r in answer(seed_store, "cq11-timeline", "event start")}
    assert [e for e, start in default.items() if start] == ["cgi:talks-2022"]
    cited = {
        r[0]: r[1:] for r in answer(seed_store, "cq11-timeline", "event start startStanding", CITED)
    }
    assert cited["cgi:bilateral-meeting"] == ("2025-05-16", "cited")
    # an undated event is placed after the dated events stated to come before it
    not_before = {r[0]: r[1] for r in answer(seed_store, "cq11-timeline", "event notBefore", CITED)}
    assert not_before["cgi:next-round"] == "2025-05-16"
    with_proposed = answer(seed_store, "cq11-timeline", "event modality", includeProposed="true")
    assert ("cgi:zelensky-putin-meeting", "cg:proposed") in with_proposed
    within = [
        r[0] for r in answer(seed_store, "cq11-timeline", "event", within="cgi:istanbul-talks")
    ]
    assert sorted(within) == [
        "cgi:bilateral-meeting",
        "cgi:last-minute-breakthrough",
        "cgi:next-round",
        "cgi:prisoner-exchange",
    ]
    # the trilateral meeting is part of the talks only by the cited background
    assert "cgi:trilateral-meeting" in [
        r[0]
        for r in answer(seed_store, "cq11-timeline", "event", CITED, within="cgi:istanbul-talks")
    ]


def test_cq12_claims_corroborated_by_independent_sources(seed_store: Store) -> None:
    """Two accounts have two independent sources: the "paused" account (the Ukrainian side and
    TASS), and what "statements from both delegations" said - each delegation is a source of
    the joint statement.  The Reuters story counts once, for its speaker."""
    rows = answer(seed_store, "cq12-corroborated-claims", "claim independentSources sources")
    both = {"Russian delegation", "Ukrainian delegation"}
    assert [(c, n, set(s.split(" | "))) for c, n, s in rows] == [
        ("cgi:claim-delegations-paused", "2", {"Sources from the Ukrainian side", "TASS"}),
        ("cgi:claim-each-side-presented-ceasefire-proposals", "2", both),
        ("cgi:claim-russia-presented-ceasefire-proposals", "2", both),
        ("cgi:claim-ukraine-presented-ceasefire-proposals", "2", both),
    ]
    every = {
        r[0]: (r[1], r[2])
        for r in answer(
            seed_store,
            "cq12-corroborated-claims",
            "claim independentSources sources",
            minSources="1",
        )
    }
    assert every["cgi:claim-russian-demands-unrealistic"] == (
        "1",
        "Ukrainian diplomatic source (told Reuters)",
    )
    assert every["cgi:claim-trilateral-over-an-hour"][0] == "1"


def test_cq13_who_is_on_which_side(seed_store: Store) -> None:
    rows = answer(seed_store, "cq13-sides", "actor side through")
    tfm = "Turkish Foreign Ministry"
    assert sorted(rows) == sorted(
        [
            ("cgi:zelensky", "cgi:ukraine", None),
            ("cgi:ukrainian-delegation", "cgi:ukraine", None),
            ("cgi:anon-ua-diplomatic-source-1", "cgi:ukraine", None),
            ("cgi:anon-ua-diplomatic-source-2", "cgi:ukraine", None),
            ("cgi:anon-ua-side-sources", "cgi:ukraine", None),
            ("cgi:putin", "cgi:russia", None),
            ("cgi:russian-delegation", "cgi:russia", None),
            ("cgi:russian-delegation-2022", "cgi:russia", None),
            ("cgi:tass", "cgi:russia", None),
            ("cgi:turkish-foreign-ministry", "cgi:turkey", None),
            ("cgi:anon-turkish-mfa-leak", "cgi:turkey", tfm),
            ("cgi:anon-turkish-mfa-sources", "cgi:turkey", tfm),
        ],
        key=str,
    )


def test_cq14_what_kyiv_said_it_prioritised_and_who_said_so(seed_store: Store) -> None:
    """ "Following those discussions, a Ukrainian diplomatic source emphasized that Kyiv
    continues to prioritize securing a ceasefire".  The topic is the modellers' judgement."""
    columns = "claim topic speaker describedAs affiliation cueVerb after"
    source = ("cgi:anon-ua-diplomatic-source-2", "a Ukrainian diplomatic source", "cgi:ukraine")
    claim = "cgi:claim-kyiv-prioritises-ceasefire"
    assert answer(seed_store, "cq14-kyiv-priorities", columns) == [
        (claim, None, *source, "emphasized", "cgi:trilateral-meeting")
    ]
    assert answer(seed_store, "cq14-kyiv-priorities", columns, ALL) == [
        (claim, "cgi:topic-ceasefire", *source, "emphasized", "cgi:trilateral-meeting")
    ]
    # Russia's side said nothing about its priorities
    assert answer(seed_store, "cq14-kyiv-priorities", "claim", ALL, side="cgi:russia") == []
