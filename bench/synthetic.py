"""Synthetic claimgraph data in the seed's shape, for benchmarks.

Each "article" brings an outlet's article with one revision whose text holds every quoted
span, a handful of actors, events with participations, anonymous sources, and claims with
full reporting chains (utterance -> wire report -> article mention with evidence offsets that
resolve).  Everything is written as N-Triples text, fast, with no rdflib in the way.

    python bench/synthetic.py --triples 100000 -o /tmp/synth.nt
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

CG = "https://w3id.org/claimgraph/ns#"
CGI = "https://w3id.org/claimgraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"

STATES = [f"state-{i}" for i in range(40)]
AGENCIES = [f"agency-{i}" for i in range(12)]
CLAIMS_PER_ARTICLE = 8


def iri(local: str) -> str:
    return f"<{CGI}{local}>"


def cg(term: str) -> str:
    return f"<{CG}{term}>"


def lit(text: str, lang: str | None = "en", dt: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if dt:
        return f'"{esc}"^^<{XSD}{dt}>'
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


def t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def shared_actors() -> Iterator[str]:
    """States and agencies every article draws on."""
    for s in STATES:
        yield t(iri(s), f"<{RDF_TYPE}>", cg("State"))
        yield t(iri(s), f"<{RDFS_LABEL}>", lit(s.replace("-", " ").title()))
        yield t(iri(s), f"<{RDFS_COMMENT}>", lit(f"Synthetic state {s}."))
    for a in AGENCIES:
        yield t(iri(a), f"<{RDF_TYPE}>", cg("NewsAgency"))
        yield t(iri(a), f"<{RDFS_LABEL}>", lit(a.replace("-", " ").title()))
        yield t(iri(a), f"<{RDFS_COMMENT}>", lit(f"Synthetic news agency {a}."))


def article(n: int, rng: random.Random) -> Iterator[str]:
    """One article with its outlet, events, anonymous sources and claims."""
    outlet, art, rev = f"outlet-{n}", f"article-{n}", f"article-{n}-r1"
    a, b, mediator = rng.sample(STATES, 3)
    quotes = [
        f"Sentence {i} of article {n}: {a} and {b} discussed point {rng.randint(0, 999)}."
        for i in range(CLAIMS_PER_ARTICLE)
    ]
    text = "\n\n".join(quotes)
    yield t(iri(outlet), f"<{RDF_TYPE}>", cg("NewsOutlet"))
    yield t(iri(outlet), f"<{RDFS_LABEL}>", lit(f"Outlet {n}"))
    yield t(iri(art), f"<{RDF_TYPE}>", cg("Article"))
    yield t(iri(art), f"<{RDFS_LABEL}>", lit(f"Article {n}"))
    yield t(iri(art), cg("publisher"), iri(outlet))
    yield t(iri(art), cg("hasRevision"), iri(rev))
    yield t(iri(rev), f"<{RDF_TYPE}>", cg("ArticleRevision"))
    yield t(iri(rev), f"<{RDFS_LABEL}>", lit(f"Article {n}, revision 1"))
    yield t(iri(rev), cg("revisionOf"), iri(art))
    yield t(iri(rev), cg("revisionNumber"), lit("1", dt="integer"))
    yield t(iri(rev), cg("text"), lit(text, lang=None))
    day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
    meeting = f"meeting-{n}"
    yield t(iri(meeting), f"<{RDF_TYPE}>", cg("BilateralMeeting"))
    yield t(iri(meeting), f"<{RDFS_LABEL}>", lit(f"Meeting {n}"))
    yield t(iri(meeting), cg("startTime"), lit(day, dt="date"))
    yield t(iri(meeting), cg("duration"), lit(f"PT{1 + n % 5}H", dt="duration"))
    if n:
        yield t(iri(f"meeting-{n - 1}"), cg("precedes"), iri(meeting))
    for k, (actor, role) in enumerate([(a, "party"), (b, "party"), (mediator, "mediator")]):
        part = f"_:p{n}x{k}"
        yield t(iri(meeting), cg("hasParticipation"), part)
        yield t(part, f"<{RDF_TYPE}>", cg("Participation"))
        yield t(part, cg("agent"), iri(actor))
        yield t(part, cg("role"), cg(role))
    anon = f"anon-{n}"
    yield t(iri(anon), f"<{RDF_TYPE}>", cg("AnonymousSource"))
    yield t(iri(anon), f"<{RDFS_LABEL}>", lit(f"Diplomatic source of article {n}"))
    yield t(iri(anon), cg("describedAs"), lit(f"a diplomatic source from {a}"))
    yield t(iri(anon), cg("affiliatedWith"), iri(a))
    yield t(iri(anon), cg("appearsIn"), iri(art))
    yield t(iri(anon), cg("anonymityLevel"), cg("affiliationOnly"))
    offset = 0
    for i, quote in enumerate(quotes):
        claim, utt, wire, men = (f"{kind}-{n}-{i}" for kind in ("claim", "utt", "wire", "mention"))
        speaker = anon if i % 3 == 0 else rng.choice([a, b])
        agency = rng.choice(AGENCIES)
        kind = rng.choice(["Statement", "Assessment", "Proposal"])
        yield t(iri(claim), f"<{RDF_TYPE}>", cg(kind))
        yield t(iri(claim), f"<{RDFS_LABEL}>", lit(f"Claim {i} of article {n}"))
        yield t(iri(claim), cg("claimText"), lit(quote))
        yield t(iri(claim), cg("claimant"), iri(speaker))
        yield t(iri(claim), cg("claimDate"), lit(day, dt="date"))
        yield t(iri(claim), cg("aboutEvent"), iri(meeting))
        if i and i % 4 == 0:
            yield t(iri(claim), cg("supports"), iri(f"claim-{n}-{i - 1}"))
        for node, kind, carrier, role, prev in [
            (utt, "Utterance", speaker, "speaker", None),
            (wire, "WireReport", agency, "agency", utt),
            (men, "ArticleMention", outlet, "outlet", wire),
        ]:
            yield t(iri(node), f"<{RDF_TYPE}>", cg(kind))
            yield t(iri(node), cg("reports"), iri(claim))
            yield t(iri(node), cg("carrier"), iri(carrier))
            yield t(iri(node), cg("hopRole"), cg(role))
            yield t(iri(node), cg("reportedAt"), lit(day, dt="date"))
            yield t(
                iri(node),
                cg("observed"),
                lit("true" if kind == "ArticleMention" else "false", dt="boolean"),
            )
            if prev:
                yield t(iri(node), cg("derivedFrom"), iri(prev))
        span, sel = f"_:s{n}x{i}", f"_:q{n}x{i}"
        yield t(iri(men), cg("inArticle"), iri(rev))
        yield t(iri(men), cg("evidence"), span)
        yield t(span, f"<{RDF_TYPE}>", cg("EvidenceSpan"))
        yield t(span, f"<{OA}hasSource>", iri(rev))
        yield t(span, f"<{OA}hasSelector>", sel)
        yield t(sel, f"<{RDF_TYPE}>", f"<{OA}TextQuoteSelector>")
        yield t(sel, f"<{RDF_TYPE}>", f"<{OA}TextPositionSelector>")
        yield t(sel, f"<{OA}exact>", lit(quote, lang=None))
        yield t(sel, f"<{OA}start>", lit(str(offset), dt="nonNegativeInteger"))
        yield t(sel, f"<{OA}end>", lit(str(offset + len(quote)), dt="nonNegativeInteger"))
        offset += len(quote) + 2


def generate(triples: int, *, seed: int = 7) -> Iterator[str]:
    """N-Triples lines, about ``triples`` of them (whole articles, so slightly more)."""
    rng = random.Random(seed)
    count = 0
    for line in shared_actors():
        count += 1
        yield line
    n = 0
    while count < triples:
        for line in article(n, rng):
            count += 1
            yield line
        n += 1


def write(triples: int, path: Path, *, seed: int = 7, entailed: bool = False) -> int:
    """Write about ``triples`` triples of N-Triples to ``path``; returns the exact count.

    ``entailed`` adds what ingest states from the ontology (superclasses, aligned
    superproperties, symmetric relations; ``claimgraph.ingest.with_entailments``), as a store
    filled through ``claimgraph ingest`` holds it; ``triples`` then counts the stated ones."""
    count = 0
    with path.open("w", encoding="utf-8") as f:
        if not entailed:
            for line in generate(triples, seed=seed):
                f.write(line)
                count += 1
            return count
        import pyoxigraph as ox

        from claimgraph.ingest import with_entailments

        chunk: list[str] = []

        def flush() -> int:
            parsed = [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse("".join(chunk), ox.RdfFormat.N_TRIPLES)
            ]
            out = with_entailments(parsed)
            f.writelines(f"{t} .\n" for t in out)
            chunk.clear()
            return len(out)

        for line in generate(triples, seed=seed):
            chunk.append(line)
            if len(chunk) >= 50_000:
                count += flush()
        count += flush()
    return count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    n = write(args.triples, args.output)
    print(f"wrote {n} triples to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
