"""The attribution extractor: one case per pattern (exact offsets, speakers, chains), the
scoring harness on a tiny folder, the round trip on the seed article, and seed drafts that
ingest without a hand edit."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from claimgraph.errors import UsageError
from claimgraph.extract import (
    ActorIndex,
    KnownActor,
    actors_from_store,
    draft_article,
    evaluate,
    extract,
    load_folder,
    locate,
)
from claimgraph.extract.seed_agreement import seed_agreement
from claimgraph.ingest import ingest_bytes, ingest_seed
from claimgraph.store import open_store

REPO = Path(__file__).resolve().parents[1]
SEED = files("claimgraph.seed").joinpath("000_6e98255791d8cd18.txt").read_text("utf-8")


def one(text: str):
    (a,) = extract(text).attributions
    assert text[a.content.start : a.content.end] == a.content.text
    return a


def test_quote_with_speaker_after() -> None:
    a = one("“We are ready to talk,” Kremlin spokesman Dmitry Peskov said.")
    assert (a.content.start, a.content.end) == (1, 22)
    assert (a.speaker.name, a.speaker.role, a.pattern, a.cue) == (
        "Dmitry Peskov",
        "Kremlin spokesman",
        "quote",
        "said",
    )
    assert a.verbatim and a.kind == "quote"


@pytest.mark.parametrize("marks", [("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’"), ("„", "“")])
def test_every_quote_style(marks: tuple[str, str]) -> None:
    o, c = marks
    a = one(f"{o}Nothing is agreed yet,{c} Lavrov said.")
    assert a.content.text == "Nothing is agreed yet," and a.speaker.name == "Lavrov"


def test_quote_split_across_sentences() -> None:
    text = "“A deal is close,” Umerov said. “But not today.”"
    first, second = extract(text).attributions
    assert second.content.text == "But not today." and second.pattern == "quote-split"
    assert second.speaker.name == first.speaker.name == "Umerov"


def test_quote_with_speaker_in_previous_sentence() -> None:
    text = "Foreign Minister Andrii Sybiha spoke in Kyiv on Friday. “We will not give up land.”"
    (a,) = extract(text).attributions
    assert (a.speaker.name, a.pattern) == ("Andrii Sybiha", "quote-adjacent")


def test_reported_speech_that_clause() -> None:
    a = one("Kremlin spokesman Dmitry Peskov told reporters on Friday that the talks would resume.")
    assert a.content.text == "the talks would resume"
    assert (a.speaker.name, a.cue, a.channel) == ("Dmitry Peskov", "told", "told reporters")


def test_reported_speech_speaker_after() -> None:
    a = one("The talks will resume on Monday, a Turkish official said.")
    assert a.content.text == "The talks will resume on Monday"
    assert a.speaker.anonymous and a.speaker.affiliation == "Turkey"


def test_according_to_with_a_hop() -> None:
    text = (
        "The meeting lasted an hour, according to sources from the Turkish Foreign Ministry"
        " speaking to TASS."
    )
    a = one(text)
    assert a.content.text == "The meeting lasted an hour"
    assert a.pattern == "according-to" and a.speaker.group
    assert a.speaker.affiliation == "Turkish Foreign Ministry"
    assert [(h.name, h.role) for h in a.intermediaries] == [("TASS", "agency")]


def test_told_a_news_agency() -> None:
    a = one("A Ukrainian diplomatic source told Reuters that Russia’s demands were unrealistic.")
    assert (a.pattern, [h.name for h in a.intermediaries]) == ("told", ["Reuters"])
    assert a.kind == "assessment" and a.kind_confidence < 0.8


def test_nested_citing_chain() -> None:
    text = (
        "Sky News, citing a source in Ukrainian diplomatic circles, reported that Kyiv had "
        "proposed a ceasefire."
    )
    a = one(text)
    assert a.content.text == "Kyiv had proposed a ceasefire"
    assert a.speaker.anonymous and a.speaker.affiliation == "Ukraine"
    assert [h.name for h in a.intermediaries] == ["Sky News"] and a.pattern == "citing"


def test_wrote_on_telegram() -> None:
    a = one("Maria Zakharova wrote on Telegram that the West was sabotaging the talks.")
    assert (a.pattern, a.channel) == ("wrote-on", "on Telegram")


def test_leak_and_hedged_cue_in_the_seed() -> None:
    x = extract(SEED)
    leak = next(a for a in x.attributions if a.pattern == "leak")
    assert (leak.content.start, leak.content.end) == (1022, 1037)
    assert leak.kind == "leak report" and leak.speaker.affiliation == "Turkish Foreign Ministry"
    paused = [a for a in x.attributions if a.cue == "suggest"]
    assert {a.speaker.name for a in paused} == {"sources from both the Ukrainian side", "TASS"}
    assert {a.certainty for a in paused} == {"probable"}


def test_cue_verbs_make_kinds() -> None:
    assert one("Kyiv has also proposed a meeting of the leaders.").kind == "proposal"
    denial = one("The Kremlin denied that Putin would travel to Istanbul.")
    assert (denial.kind, denial.polarity, denial.speaker.name) == ("denial", "denied", "Kremlin")


def test_pronoun_and_role_resolved_to_the_speaker() -> None:
    text = (
        "Russian Foreign Minister Sergei Lavrov said the talks were useful. "
        "The minister added that Moscow was in no hurry. “We have time,” he said."
    )
    speakers = [a.speaker for a in extract(text).attributions]
    assert [s.name for s in speakers] == ["Sergei Lavrov"] * 3
    assert [s.referred_by for s in speakers[1:]] == ["The minister", "he"]
    assert len({s.entity for s in speakers}) == 1


def test_anonymous_descriptors() -> None:
    a = one("Two people familiar with the discussions said no date had been set.")
    assert a.speaker.anonymous and a.speaker.group and a.speaker.affiliation is None
    b = one("A senior official, speaking on condition of anonymity, said no date had been set.")
    assert b.speaker.anonymous and not b.speaker.group


def test_outlet_statements_are_what_attributes_nothing() -> None:
    x = extract(SEED)
    assert x.statements[0].span.text.startswith("Russia and Ukraine have agreed")
    assert all(SEED[s.span.start : s.span.end] == s.span.text for s in x.statements)


def test_locate_names_the_candidates() -> None:
    assert locate(SEED, "talks had ended") == (1022, 1037)
    with pytest.raises(UsageError, match="occurs 2 times"):
        locate("a b a", "a")


def test_resolver_links_by_label_and_alias_and_proposes_otherwise() -> None:
    index = ActorIndex([KnownActor("cgi:ukraine", ("Ukraine", "Kyiv"))])
    assert index.resolve("Kyiv").iri == "cgi:ukraine"
    assert index.resolve("Ukrainian").iri == "cgi:ukraine"
    assert index.resolve("Dmitry Peskov").proposed


def test_harness_on_a_tiny_folder() -> None:
    result = evaluate(load_folder(REPO / "tests" / "data" / "extract"))
    assert result.documents == 1 and result.overall.gold == 7
    assert result.overall.precision >= 0.8 and result.overall.recall >= 0.8


def test_bench_script_prints_the_table() -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "extract_eval.py"), str(REPO / "tests/data/extract")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "overall" in out and "speaker" in out


def test_evaluation_set_meets_its_targets() -> None:
    result = evaluate(load_folder(REPO / "bench" / "extract" / "tuning"))
    assert result.overall.gold >= 80
    assert result.overall.precision >= 0.90 and result.overall.recall >= 0.85
    assert result.overall.accuracy("speaker") >= 0.90
    assert result.overall.accuracy("chain") >= 0.85


def test_round_trip_on_the_seed() -> None:
    agreement = seed_agreement()
    print(agreement.text())
    # 12 chains: the joint statement of both delegations is one chain with two speakers
    assert agreement.attributed == 12 and agreement.found >= 12
    assert agreement.speaker >= 9 and agreement.chain >= 12
    assert agreement.own_found == agreement.own == 10


@pytest.mark.parametrize("with_seed", [False, True])
def test_seed_draft_ingests_without_a_hand_edit(with_seed: bool) -> None:
    store = open_store(":memory:")
    actors = []
    if with_seed:
        ingest_seed(store)
        actors = actors_from_store(store)
    draft = draft_article(SEED, title="Istanbul talks", published="2025-05-16", actors=actors)
    result = ingest_bytes(store, draft.yaml().encode(), format="records", source="draft.yaml")
    assert result.created
    text = draft.yaml()
    assert ("cgi:zelensky" in text) == with_seed


def test_statement_graph_layout_is_one_switch() -> None:
    draft = draft_article(SEED, published="2025-05-16", statement_graphs=True)
    evidenced, *judged = draft.records
    assert evidenced["type"] == "EvidencedStatements" and evidenced["draft"] is True
    assert judged and all(g["type"] == "JudgedStatements" for g in judged)
    assert {g["judgedBy"] for g in judged} == {"cgi:agent-claimgraph-extract"}
