"""Name keys: each batch writes the keys its things are compared under (docs/resolution.md,
"Name keys"), an incoming batch is compared only with the things sharing one, and the answers
are those of comparing it with the whole store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from test_resolution import CHECKER, CORPUS, STEPS

from claimgraph.batches import retract
from claimgraph.bulk import ingest_large
from claimgraph.ingest import ingest_bytes, ingest_file, ingest_seed
from claimgraph.rdf import CG, CGI, META_GRAPH
from claimgraph.resolution import candidates, incoming_duplicates, link
from claimgraph.resolution.entities import load_entities
from claimgraph.resolution.incoming import all_keyed, batch_things, neighbourhood
from claimgraph.store import Store, open_store

PERSON = b"""@prefix cg: <https://w3id.org/claimgraph/ns#> .
<https://w3id.org/claimgraph/id/x-umerov> a cg:Person ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Defence Minister Rustem Umerov"@en ."""


def _forget_keys(store: Store) -> None:
    """Make every batch look as if ingested before keys were written."""
    store.update(
        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?b <{CG}nameKeyCount> ?n }} }}",
    )


def _answers(store: Store, batch: str) -> tuple[list[dict[str, object]], list[tuple[str, ...]]]:
    found, linked = incoming_duplicates(store, batch, auto_link=True)
    return [c.as_dict() for c in found], [(x.left, x.right, x.kind, str(x.created)) for x in linked]


def test_keyed_comparison_gives_the_full_scans_answers_on_the_corpus() -> None:
    """The seed and the eight articles, with the person's links after each, in two stores:
    one whose batches wrote their keys (read only candidates), one whose keys were removed
    (the whole store): the same candidates, scores, reasons and automatic links at every
    step; and in the keyed store, comparing among the neighbourhood gives the full scan's
    candidates for the batch."""
    keyed, full = open_store(":memory:"), open_store(":memory:")
    for store in (keyed, full):
        ingest_seed(store)
    _forget_keys(full)
    compared = 0
    for step in STEPS:
        answers = []
        for store in (keyed, full):
            batch = ingest_file(store, CORPUS / step.file).batch
            if store is full:
                _forget_keys(full)
            assert all_keyed(store) is (store is keyed)
            answers.append(_answers(store, batch))
        assert answers[0] == answers[1], step.file
        things = batch_things(keyed, batch)
        near = neighbourhood(keyed, things)
        assert len(near.entities) < len(load_entities(keyed))
        whole = [c.as_dict() for c in candidates(keyed, among=things)]
        assert [
            c.as_dict()
            for c in candidates(keyed, among=things, entities=near.entities, crowded=near.crowded)
        ] == whole
        compared += len(whole) + len(answers[0][1])
        for store in (keyed, full):
            for a, b, _ in step.proposed:
                link(store, a, b, agent=CHECKER)
            for a, b in step.linked:
                link(store, a, b, agent=CHECKER, because="the same proposition")
            if store is full:
                _forget_keys(full)
    assert compared > 10  # the corpus has candidates to compare, not only empty answers


def _meta(store: Store) -> set[ox.Quad]:
    return set(store.quads(META_GRAPH))


def test_retracting_a_batch_leaves_none_of_its_keys_behind() -> None:
    store = open_store(":memory:")
    ingest_seed(store)
    before = _meta(store)
    batch = ingest_bytes(store, PERSON, format="turtle", source="umerov.ttl").batch
    keys = store.select(
        f"""SELECT ?n ?k WHERE {{ GRAPH <{META_GRAPH}> {{ <{batch}> cg:nameKeyCount 1 .
            ?n cg:keyOf <{CGI}x-umerov> ; cg:nameKey ?k }} }}"""
    )
    assert {r["k"].value for r in keys} >= {"key:umer", "key:mrv", "key:rust", "key:mini"}
    assert all(r["n"].value.startswith(batch + "#keys-") for r in keys)
    retract(store, batch)
    assert _meta(store) == before
    assert not store.ask(f"ASK {{ GRAPH <{META_GRAPH}> {{ ?n cg:keyOf <{CGI}x-umerov> }} }}")


def test_a_graph_without_keys_makes_the_incoming_check_read_the_whole_store() -> None:
    """Umerov written as a plain graph (no batch, no keys): the keys alone miss him, so the
    check falls back to comparing with the whole store and finds him."""
    store = open_store(":memory:")
    ingest_seed(store)
    person = ox.NamedNode(CGI + "y-umerov")
    store.write_graph(
        "urn:x:plain",
        [
            ox.Triple(
                person,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(CG + "Person"),
            ),
            ox.Triple(
                person,
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal("Rustem Umerovv", language="en"),
            ),
        ],
        replace=True,
    )
    batch = ingest_bytes(store, PERSON, format="turtle", source="umerov.ttl").batch
    assert not all_keyed(store)
    things = batch_things(store, batch)
    assert person.value not in neighbourhood(store, things).entities
    found, _ = incoming_duplicates(store, batch)
    assert person.value in {c.right.iri for c in found}


def test_batches_ingested_before_keys_make_the_check_read_the_whole_store() -> None:
    store = open_store(":memory:")
    ingest_seed(store)
    assert all_keyed(store)
    _forget_keys(store)
    assert not all_keyed(store)
    batch = ingest_bytes(store, PERSON, format="turtle", source="umerov.ttl").batch
    found, _ = incoming_duplicates(store, batch)
    assert (CGI + "umerov") in {c.right.iri for c in found}


def test_the_neighbourhood_holds_the_claims_of_its_events_and_the_sides_scoring_reads() -> None:
    """Every claim about the events of a batch's claim (a full comparison pairs them, one
    event block, whatever their words), and the sides a Ukrainian anonymous source's scoring
    reads (Ukraine)."""
    store = open_store(":memory:")
    ingest_seed(store)
    claim = CGI + "claim-bilateral-two-hours"
    about = {
        r["x"].value
        for r in store.select(f"SELECT ?x WHERE {{ ?x cg:aboutEvent <{CGI}bilateral-meeting> }}")
    }
    assert len(about) >= 3
    assert about <= set(neighbourhood(store, {claim}).entities)
    anonymous = CGI + "anon-ua-side-sources"
    assert CGI + "ukraine" in neighbourhood(store, {anonymous}).entities


def test_a_bulk_ingest_writes_the_same_keys_as_an_ingest(tmp_path: Path) -> None:
    data = tmp_path / "umerov.ttl"
    data.write_bytes(PERSON)
    stores = [open_store(":memory:"), open_store(":memory:")]
    batches = [
        ingest_bytes(stores[0], PERSON, format="turtle", source="umerov.ttl").batch,
        ingest_large(stores[1], data, format="turtle", source="umerov.ttl").batch,
    ]
    keys = [
        {
            r["k"].value
            for r in store.select(
                f"""SELECT ?k WHERE {{ GRAPH <{META_GRAPH}> {{ <{batch}> cg:nameKeyCount 1 .
                    ?n cg:keyOf <{CGI}x-umerov> ; cg:nameKey ?k }} }}"""
            )
        }
        for store, batch in zip(stores, batches, strict=True)
    ]
    assert keys[0] == keys[1] and "key:umer" in keys[0]
    assert all_keyed(stores[1])


def test_keys_held_by_more_things_than_a_block_takes_are_not_read_whole() -> None:
    """Sixty Ivan Petrenkos share "ivan" and "petr" (blocks over MAX_BLOCK, not compared on):
    an incoming Ivan Petrenko7 reads the one that shares its other keys, not the sixty, and
    gets the whole store's answer."""
    store = open_store(":memory:")
    people = "".join(
        f'<{CGI}p{i}> a cg:Person ; rdfs:label "Ivan Petrenko{i}"@en .\n' for i in range(60)
    )
    prefixes = (
        "@prefix cg: <https://w3id.org/claimgraph/ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    )
    ingest_bytes(store, (prefixes + people).encode(), format="turtle", source="many.ttl")
    new = prefixes + f'<{CGI}q7> a cg:Person ; rdfs:label "Minister Ivan Petrenko7"@en .'
    batch = ingest_bytes(store, new.encode(), format="turtle", source="one.ttl").batch
    things = batch_things(store, batch)
    near = neighbourhood(store, things)
    assert CGI + "p7" in near.entities and len(near.entities) < 10
    assert ("person", "key:ivan") in near.crowded
    keyed = [
        c.as_dict()
        for c in candidates(store, among=things, entities=near.entities, crowded=near.crowded)
    ]
    assert keyed == [c.as_dict() for c in candidates(store, among=things)]
    assert [c["right"]["iri"] for c in keyed] == [CGI + "p7"]  # type: ignore[index]


def test_a_name_is_keyed_once_with_the_keys_of_its_title_stripped_form() -> None:
    """``name_keys`` normalises a name once: a person's form (leading title words left out)
    has a subset of its words, so its keys are among the name's own."""
    from claimgraph.resolution.names import block_keys, name_keys, normalise

    names = [
        "Defence Minister Rustem Umerov",
        "President Volodymyr Zelensky",
        "Mr Smith",
        "Minister",
        "The Kremlin",
        "Зеленський",
        "Prime Minister's office of the aide",
        "two people familiar with the talks",
    ]
    names += [t.object.value for t in _corpus_names()]
    for name in names:
        both = block_keys(normalise(name)) | block_keys(normalise(name, person=True))
        assert name_keys(name) == both, name


def _corpus_names() -> list[ox.Triple]:
    store = open_store(":memory:")
    ingest_seed(store)
    return [
        q.triple
        for q in store.raw.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, None
        )
        if isinstance(q.object, ox.Literal)
    ]


def test_name_keys_written_as_text_keep_every_character_of_a_key() -> None:
    """The bulk path writes the keys as N-Triples text: a Wikidata value with quotes,
    backslashes, line breaks, control characters and non-ASCII letters reads back as it was."""
    from claimgraph.batches import name_key_triples

    odd = 'wd:Q1 "quoted" \\ back\nline\ttab \x01 é 語 \U0001f600'
    keys = {"https://w3id.org/claimgraph/id/x": {odd, "key:umer"}}
    written = name_key_triples("https://w3id.org/claimgraph/batch/ab", keys)
    assert written[0].object.value == "1"
    assert {t.object.value for t in written[2:]} == {odd, "key:umer"}
    assert written[1].object == ox.NamedNode("https://w3id.org/claimgraph/id/x")
