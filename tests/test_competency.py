"""Each competency question of PRODUCT.md, answered by its saved query on the seed dataset.

The expected rows are written out from reading the article (../shared/seed/), not from running
the queries: who said what, through whom, in which meeting.  IRIs are the seed dataset's
(``cgi:``); columns a row is compared on are named in each test.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from claimgraph.queries import get_query, saved_queries
from claimgraph.rdf import compact
from claimgraph.store import Store


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value


def answer(store: Store, name: str, columns: str, **params: str) -> list[tuple[Any, ...]]:
    """The rows of saved query ``name``, each cut down to ``columns`` (space-separated), in
    the query's order; IRIs compacted, literals as their lexical form."""
    result = get_query(name).run(store, params)
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
    in the Istanbul peace talks" - reached in the bilateral meeting."""
    rows = answer(
        seed_store,
        "cq01-prisoner-exchange",
        "exchange side quantityPerSide persons meeting talks modality",
    )
    assert sorted(rows) == [
        (
            "cgi:prisoner-exchange",
            "cgi:russia",
            "1000",
            "prisoners of war",
            "cgi:bilateral-meeting",
            "cgi:istanbul-talks",
            None,
        ),
        (
            "cgi:prisoner-exchange",
            "cgi:ukraine",
            "1000",
            "prisoners of war",
            "cgi:bilateral-meeting",
            "cgi:istanbul-talks",
            None,
        ),
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
    """ "a separate meeting involving representatives from Turkey, the United States, and
    Ukraine": Turkey and the US mediate, Ukraine is the party.  Turkey only hosts the talks as
    a whole, so the talks are not listed."""
    rows = answer(seed_store, "cq03-mediators", "meeting actor role")
    assert sorted(rows) == [
        ("cgi:trilateral-meeting", "cgi:turkey", "cg:mediator"),
        ("cgi:trilateral-meeting", "cgi:ukraine", "cg:party"),
        ("cgi:trilateral-meeting", "cgi:united-states", "cg:mediator"),
    ]
    assert [r[2] for r in rows] == ["cg:mediator", "cg:mediator", "cg:party"]


def test_cq04_what_each_delegation_presented(seed_store: Store) -> None:
    """ "According to statements from both delegations, each side presented its proposals for
    a potential ceasefire during the talks.\""""
    rows = answer(
        seed_store, "cq04-delegation-proposals", "delegation state claim event topic channel"
    )
    channel = "according to statements from both delegations"
    assert sorted(rows) == [
        (
            "cgi:russian-delegation",
            "cgi:russia",
            "cgi:claim-russia-presented-ceasefire-proposals",
            "cgi:bilateral-meeting",
            "cgi:topic-ceasefire",
            channel,
        ),
        (
            "cgi:ukrainian-delegation",
            "cgi:ukraine",
            "cgi:claim-ukraine-presented-ceasefire-proposals",
            "cgi:bilateral-meeting",
            "cgi:topic-ceasefire",
            channel,
        ),
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
    assert sorted(rows, key=str) == sorted(
        [
            (paused, ended, "asserted", "cgi:anon-ua-side-sources", "cgi:seed-outlet"),
            (paused, ended, "asserted", "cgi:tass", "cgi:seed-outlet"),
            (ended, paused, "asserted", "cgi:anon-turkish-mfa-leak", "cgi:seed-outlet"),
            (talks_paused, ended, "conflicting values", "cgi:seed-outlet", None),
            (ended, talks_paused, "conflicting values", "cgi:anon-turkish-mfa-leak", None),
        ],
        key=str,
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
    """The three sentences Zelensky said "during a European summit in Albania and addressing
    the ongoing Istanbul peace talks", in the article's order."""
    rows = answer(seed_store, "cq09-zelensky-remarks", "words cueVerb occasion place inReplyTo")
    where = ("cgi:european-summit-albania", "cgi:albania", "cgi:istanbul-talks")
    assert rows == [
        ("Russia has sent almost the same people it sent back in 2022.", "said", *where),
        ("This shows that it has not changed its fundamental approach", "said", *where),
        (
            "They make a lot of statements, they issue many threats, but there is no "
            "substantive outcome.",
            "said",
            *where,
        ),
    ]
    assert answer(seed_store, "cq09-zelensky-remarks", "words", speaker="cgi:putin") == []


def test_cq10_chain_from_the_article_back_to_the_original_speaker(seed_store: Store) -> None:
    """Article -> Reuters -> the anonymous Ukrainian diplomat, each hop with its evidence."""
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
            None,
            None,
        ),
        (
            "2",
            "cgi:utterance-russian-demands-unrealistic",
            "cg:Utterance",
            "cg:speaker",
            "cgi:anon-ua-diplomatic-source-1",
            "false",
            None,
            None,
            None,
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
    """2022 talks before the Istanbul talks; the trilateral meeting and the last-minute
    breakthrough before the bilateral meeting; the exchange agreed in it; the next round
    after it, still unscheduled.  The proposed Zelensky-Putin meeting did not happen."""
    rows = answer(seed_store, "cq11-timeline", "event start modality")
    order = [r[0] for r in rows]
    assert sorted(order) == sorted(
        [
            "cgi:talks-2022",
            "cgi:istanbul-talks",
            "cgi:trilateral-meeting",
            "cgi:impasse-breakthrough",
            "cgi:bilateral-meeting",
            "cgi:prisoner-exchange",
            "cgi:next-round",
            "cgi:european-summit-albania",
        ]
    )
    for earlier, later in [
        ("cgi:talks-2022", "cgi:istanbul-talks"),
        ("cgi:istanbul-talks", "cgi:trilateral-meeting"),
        ("cgi:trilateral-meeting", "cgi:bilateral-meeting"),
        ("cgi:impasse-breakthrough", "cgi:bilateral-meeting"),
        ("cgi:bilateral-meeting", "cgi:prisoner-exchange"),
        ("cgi:bilateral-meeting", "cgi:next-round"),
    ]:
        assert order.index(earlier) < order.index(later), (earlier, later, order)
    assert order[0] == "cgi:talks-2022" and order[-1] == "cgi:next-round"
    assert rows[-1] == ("cgi:next-round", None, "cg:planned")
    assert rows[0][1] == "2022"
    with_proposed = answer(seed_store, "cq11-timeline", "event modality", includeProposed="true")
    assert ("cgi:zelensky-putin-meeting", "cg:proposed") in with_proposed
    within = [
        r[0] for r in answer(seed_store, "cq11-timeline", "event", within="cgi:istanbul-talks")
    ]
    assert sorted(within) == sorted(
        [
            "cgi:trilateral-meeting",
            "cgi:impasse-breakthrough",
            "cgi:bilateral-meeting",
            "cgi:prisoner-exchange",
            "cgi:next-round",
        ]
    )


def test_cq12_claims_corroborated_by_independent_sources(seed_store: Store) -> None:
    """Only the "paused" account has two independent sources (the Ukrainian side and TASS).
    The Reuters story counts once, for its speaker."""
    rows = answer(seed_store, "cq12-corroborated-claims", "claim independentSources sources")
    assert [(c, n, set(s.split(" | "))) for c, n, s in rows] == [
        ("cgi:claim-delegations-paused", "2", {"Sources from the Ukrainian side", "TASS"}),
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
            ("cgi:tass", "cgi:russia", None),
            ("cgi:turkish-foreign-ministry", "cgi:turkey", None),
            ("cgi:anon-turkish-mfa-leak", "cgi:turkey", tfm),
            ("cgi:anon-turkish-mfa-sources", "cgi:turkey", tfm),
        ],
        key=str,
    )


def test_cq14_what_kyiv_said_it_prioritised_and_who_said_so(seed_store: Store) -> None:
    """ "Following those discussions, a Ukrainian diplomatic source emphasized that Kyiv
    continues to prioritize securing a ceasefire\""""
    rows = answer(
        seed_store,
        "cq14-kyiv-priorities",
        "claim topic speaker describedAs affiliation cueVerb after",
    )
    assert rows == [
        (
            "cgi:claim-kyiv-prioritises-ceasefire",
            "cgi:topic-ceasefire",
            "cgi:anon-ua-diplomatic-source-2",
            "a Ukrainian diplomatic source",
            "cgi:ukraine",
            "emphasized",
            "cgi:trilateral-meeting",
        )
    ]
    # Russia's side said nothing about its priorities
    assert answer(seed_store, "cq14-kyiv-priorities", "claim", side="cgi:russia") == []
