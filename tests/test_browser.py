"""The analysts' page, a query workbench, in a real headless Chromium (Debian's chromium +
chromedriver) driven by Selenium against a live ``claimgraph serve``: the CodeMirror editor
(line numbers, bracket matching, completion of prefixes and of the ontology's terms), saved
queries searchable and grouped by tag, permalinks and back/forward, a history kept in the
browser, results paged and filtered, values shown as values, downloads of exactly the rows
shown, a CONSTRUCT drawn as a graph with zoom and readable labels, and a 100,000-row result.

Set ``CLAIMGRAPH_SCREENSHOTS=DIR`` to keep the screenshots for a person to look at.
Chromium comes from the project's setup (``scripts/run``); without it these tests are skipped
with the command to run, and fail under CI.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

pytestmark = pytest.mark.browser


# ------------------------------------------------------------------------------- helpers


def _wait(driver: Any, condition: Any, timeout: float = 20) -> Any:
    from fixtures_server import wait_for

    return wait_for(driver, condition, timeout)


def _screenshot(driver: Any, tmp_path: Path, name: str) -> None:
    from fixtures_server import screenshot

    screenshot(driver, tmp_path, name)


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    _wait(driver, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))


def _finished(driver: Any) -> bool:
    from selenium.webdriver.common.by import By

    status = driver.find_element(By.ID, "status").text
    return "·" in status or driver.find_element(By.ID, "error").is_displayed()


def _after_run(driver: Any, timeout: float = 30) -> None:
    _wait(driver, _finished, timeout)


def _start_run(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.execute_script("document.getElementById('status').textContent = ''")
    driver.find_element(By.ID, "run").click()


def _run(driver: Any, query: str, timeout: float = 30) -> None:
    driver.execute_script("window.claimgraphWorkbench.query = arguments[0]", query)
    _start_run(driver)
    _after_run(driver, timeout)


def _headers(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")]


def _table(driver: Any) -> list[list[str]]:
    """The cells of the page of rows the table shows, as text."""
    return list(
        driver.execute_script(
            "return [...document.querySelectorAll('#results tbody tr')]"
            ".map(tr => [...tr.cells].map(td => td.textContent))"
        )
    )


def _shown(driver: Any) -> list[dict[str, Any]]:
    """Every row the table shows, on all its pages (filtered and sorted), as terms."""
    return list(driver.execute_script("return window.claimgraphWorkbench.shown"))


def _rdflib_term(term: dict[str, str]) -> Any:
    """A SPARQL JSON term as rdflib's (the delegations' evidence spans are blank nodes)."""
    if term["type"] == "uri":
        return rdflib.URIRef(term["value"])
    if term["type"] == "bnode":
        return rdflib.BNode(term["value"])
    return rdflib.Literal(term["value"], lang=term.get("xml:lang"), datatype=term.get("datatype"))


def _download(driver: Any, folder: Path, fmt: str, name: str) -> bytes:
    from selenium.webdriver.common.by import By

    target = folder / name
    if target.exists():
        target.unlink()
    driver.find_element(By.CSS_SELECTOR, f"button.download[data-format='{fmt}']").click()
    deadline = time.monotonic() + 15
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert target.exists(), f"no {name} in {sorted(p.name for p in folder.iterdir())}"
    time.sleep(0.2)
    return target.read_bytes()


def _allow_downloads(driver: Any, folder: Path) -> None:
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )


def _term(t: dict[str, Any] | None) -> Any:
    """A SPARQL results JSON term as a pyoxigraph term (None for unbound)."""
    if t is None:
        return None
    if t["type"] == "uri":
        return ox.NamedNode(t["value"])
    if t["type"] == "bnode":
        return ("bnode", t["value"])
    if "xml:lang" in t:
        return ox.Literal(t["value"], language=t["xml:lang"])
    if t.get("datatype"):
        return ox.Literal(t["value"], datatype=ox.NamedNode(t["datatype"]))
    return ox.Literal(t["value"])


def _parsed(data: bytes, fmt: ox.QueryResultsFormat) -> tuple[list[str], list[list[Any]]]:
    result = ox.parse_query_results(data, fmt)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]

    def one(t: Any) -> Any:
        return ("bnode", t.value) if isinstance(t, ox.BlankNode) else t

    return names, [[one(row[n]) for n in names] for row in result]


# ------------------------------------------------------------------------------- the editor


def test_editor_numbers_lines_matches_brackets_and_completes_terms(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    _open(driver, live_server.url + "/")
    driver.execute_script("window.claimgraphWorkbench.query = ''")
    content = driver.find_element(By.CSS_SELECTOR, "#editor .cm-content")
    content.click()
    content.send_keys("SELECT ?agency ?name ?side WHERE {\n?agency a cg:NewsAg")
    # the ontology's terms complete after their prefix, with their label beside them
    option = _wait(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, ".cm-tooltip-autocomplete li[aria-selected]"),
    )
    assert "cg:NewsAgency" in option.text and "News agency" in option.text
    content.send_keys(Keys.ENTER)
    # words of a label find a term too: "affiliated" -> cg:affiliatedWith
    content.send_keys(" ; rdfs:label ?name .\n?agency affiliated")
    choice = _wait(
        driver,
        lambda d: [
            li
            for li in d.find_elements(By.CSS_SELECTOR, ".cm-tooltip-autocomplete li")
            if li.text.startswith("cg:affiliatedWith")
        ],
    )[0]
    choice.click()
    content.send_keys(" ?side")
    text = driver.execute_script("return window.claimgraphWorkbench.query")
    assert "?agency a cg:NewsAgency ; rdfs:label ?name ." in text, text
    assert "?agency cg:affiliatedWith ?side" in text, text
    # the brace was closed as it was opened
    assert text.count("{") == text.count("}") == 1 and text.rstrip().endswith("}"), text
    numbers = driver.find_elements(By.CSS_SELECTOR, ".cm-lineNumbers .cm-gutterElement")
    assert [n.text for n in numbers if n.text][:3] == ["1", "2", "3"]
    # the cursor just after "{": the brace and its partner are marked
    driver.execute_script(
        "const v = window.claimgraphWorkbench.editor.view;"
        "const at = v.state.doc.toString().indexOf('{') + 1;"
        "v.dispatch({selection: {anchor: at}}); v.focus();"
    )
    matched = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-matchingBracket"))
    assert {m.text for m in matched} == {"{", "}"}
    _start_run(driver)
    _after_run(driver)
    assert not driver.find_element(By.ID, "error").is_displayed()
    assert _headers(driver) == ["agency", "name", "side"]
    assert any("TASS" in cell for row in _table(driver) for cell in row)
    _screenshot(driver, tmp_path, "workbench-editor.png")


def test_prefixes_complete_and_a_misspelt_query_is_explained(
    browser: Any, live_server: LiveServer
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    _open(driver, live_server.url + "/")
    driver.execute_script("window.claimgraphWorkbench.query = ''")
    content = driver.find_element(By.CSS_SELECTOR, "#editor .cm-content")
    content.click()
    content.send_keys("SELECT * WHERE { ?s a pro")
    tip = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".cm-tooltip-autocomplete"))
    assert "prov:" in tip.text
    _run(driver, "SELEC ?s WHERE { ?s ?p ?o }")
    box = driver.find_element(By.ID, "error")
    assert box.is_displayed() and "400" in box.text and "did you mean SELECT?" in box.text
    _run(driver, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert "403" in box.text and "SERVICE is refused" in box.text


# ------------------------------------------------------------------------------- saved queries


def test_saved_queries_are_grouped_by_tag_and_searchable(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    _open(driver, live_server.url + "/")
    # the list is filled once /api/queries answers: wait for it, not for the page
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#saved button.query"))
    groups = {
        g.get_attribute("data-tag"): len(g.find_elements(By.CSS_SELECTOR, "button.query"))
        for g in driver.find_elements(By.CSS_SELECTOR, "#saved details.saved-group")
    }
    listing = json.loads(live_server.get("/api/queries").body)
    assert sum(groups.values()) == len(listing)  # each query once, in its group
    assert groups["competency"] == 14 and {"claims", "actors"} <= set(groups)
    search = driver.find_element(By.ID, "saved-search")
    search.send_keys("outlet unrealistic")  # words of the title and description
    visible = driver.find_elements(By.CSS_SELECTOR, "#saved button.query")
    assert [b.get_attribute("data-name") for b in visible] == ["cq05-unrealistic-demands"]
    search.clear()
    search.send_keys("provenance")  # a tag
    names = {
        b.get_attribute("data-name")
        for b in driver.find_elements(By.CSS_SELECTOR, "#saved button.query")
    }
    assert "cq10-reporting-chain" in names and "cq13-sides" not in names
    _screenshot(driver, tmp_path, "workbench-saved-search.png")
    search.clear()
    search.send_keys("no such thing at all")
    assert driver.find_element(By.ID, "saved-empty").text == "No saved query matches."


@pytest.mark.parametrize(
    "name, value, param",
    [("claims-by-actor", "cgi:putin", "actor"), ("cq05-unrealistic-demands", "ended", "word")],
)
def test_downloads_are_the_rows_the_table_shows(
    browser: Any, live_server: LiveServer, tmp_path: Path, name: str, value: str, param: str
) -> None:
    """Regression (issue 16): after a saved query ran with parameters, "Download CSV" re-sent
    the editor text without them (actor=cgi:putin: the table showed 0 rows, the CSV 23) and
    the files carried the hidden parameter columns."""
    from selenium.webdriver.common.by import By

    driver = browser
    _allow_downloads(driver, tmp_path)
    _open(driver, live_server.url + f"/#saved={name}")
    _after_run(driver)
    field = driver.find_element(By.CSS_SELECTOR, f"#param-form input[name='{param}']")
    field.clear()
    field.send_keys(value)
    _start_run(driver)
    _after_run(driver)
    assert not driver.find_element(By.ID, "error").is_displayed()
    api = json.loads(live_server.get(f"/api/queries/{name}", {param: value, "format": "json"}).body)
    shown = _shown(driver)
    vars_ = _headers(driver)
    assert vars_ == api["head"]["vars"] and not [v for v in vars_ if v.startswith("_")]
    assert shown == api["results"]["bindings"]
    expected = [[_term(row.get(v)) for v in vars_] for row in shown]

    got_json = json.loads(_download(driver, tmp_path, "json", f"{name}.srj"))
    assert got_json == {"head": {"vars": vars_}, "results": {"bindings": shown}}
    assert _parsed(
        _download(driver, tmp_path, "xml", f"{name}.srx"), ox.QueryResultsFormat.XML
    ) == (
        vars_,
        expected,
    )
    assert _parsed(
        _download(driver, tmp_path, "tsv", f"{name}.tsv"), ox.QueryResultsFormat.TSV
    ) == (
        vars_,
        expected,
    )
    rows = list(csv.reader(io.StringIO(_download(driver, tmp_path, "csv", f"{name}.csv").decode())))
    assert rows[0] == vars_
    assert rows[1:] == [[(row.get(v) or {}).get("value", "") for v in vars_] for row in shown]


# ------------------------------------------------------------------------------- the URL


def test_a_permalink_opens_the_same_query_and_results_in_a_fresh_browser(
    browser: Any, fresh_browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    _open(driver, live_server.url + "/#saved=claims-by-actor")
    _after_run(driver)
    field = driver.find_element(By.CSS_SELECTOR, "#param-form input[name='actor']")
    field.clear()
    field.send_keys("turkey")  # a bare id
    driver.find_element(By.CSS_SELECTOR, "#param-form input[name='includeAffiliated']").send_keys(
        "true"
    )
    _start_run(driver)
    _after_run(driver)
    driver.find_element(By.ID, "share").click()
    link = driver.current_url
    assert (
        "saved=claims-by-actor" in link
        and "actor=turkey" in link
        and "includeAffiliated=true" in link
    )
    table = _table(driver)
    assert len(table) == 3

    other = fresh_browser
    _open(other, link)
    _after_run(other)
    assert (
        other.find_element(By.ID, "saved-title").text
        == driver.find_element(By.ID, "saved-title").text
    )
    assert (
        other.find_element(By.CSS_SELECTOR, "#param-form input[name='actor']").get_attribute(
            "value"
        )
        == "turkey"
    )
    assert _table(other) == table
    assert other.execute_script("return window.claimgraphWorkbench.query") == driver.execute_script(
        "return window.claimgraphWorkbench.query"
    )
    # a free query's link, as other tools write it (?query=) and as this page does (#query=)
    text = "SELECT ?s WHERE { ?s a cg:Delegation } ORDER BY ?s"
    for url in (
        f"{live_server.url}/?query={text.replace(' ', '%20')}",
        f"{live_server.url}/#query={text.replace(' ', '+')}",
    ):
        _open(other, url)
        _after_run(other)
        assert other.execute_script("return window.claimgraphWorkbench.query") == text
        assert [r[0] for r in _table(other)] == [
            "cgi:russian-delegation",
            "cgi:russian-delegation-2022",
            "cgi:ukrainian-delegation",
        ]
    _screenshot(other, tmp_path, "workbench-permalink.png")


def test_back_and_forward_go_through_the_queries_run(browser: Any, live_server: LiveServer) -> None:
    driver = browser
    _open(driver, live_server.url + "/")
    first = "SELECT ?s WHERE { ?s a cg:State } ORDER BY ?s"
    second = "SELECT ?s WHERE { ?s a cg:Delegation } ORDER BY ?s"
    _run(driver, first)
    states = _table(driver)
    _run(driver, second)
    delegations = _table(driver)
    assert states != delegations
    driver.execute_script("document.getElementById('status').textContent = ''")
    driver.back()
    _after_run(driver)
    assert driver.execute_script("return window.claimgraphWorkbench.query") == first
    assert _table(driver) == states
    driver.execute_script("document.getElementById('status').textContent = ''")
    driver.forward()
    _after_run(driver)
    assert driver.execute_script("return window.claimgraphWorkbench.query") == second
    assert _table(driver) == delegations


def test_history_and_the_editor_survive_a_reload(browser: Any, live_server: LiveServer) -> None:
    """Regression (issue 16): a reload lost the editor, and nothing kept past queries."""
    from selenium.webdriver.common.by import By

    driver = browser
    _open(driver, live_server.url + "/")
    driver.execute_script("localStorage.clear()")
    _open(driver, live_server.url + "/")
    _run(driver, "SELECT ?p WHERE { ?p a cg:Person } ORDER BY ?p")
    _run(driver, "ASK { ?s a cg:Delegation }")
    content = driver.find_element(By.CSS_SELECTOR, "#editor .cm-content")
    content.click()
    content.send_keys(" # unsaved work")
    _open(driver, live_server.url + "/")  # no query in the URL: the draft comes back
    assert driver.execute_script("return window.claimgraphWorkbench.query").endswith(
        "# unsaved work"
    )
    entries = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#history .history-entry")]
    assert entries[:2] == [
        "ASK { ?s a cg:Delegation }",
        "SELECT ?p WHERE { ?p a cg:Person } ORDER BY ?p",
    ]
    driver.execute_script("document.getElementById('status').textContent = ''")
    driver.find_elements(By.CSS_SELECTOR, "#history .history-entry")[1].click()
    _after_run(driver)
    assert driver.execute_script("return window.claimgraphWorkbench.query").startswith("SELECT ?p")
    assert "cgi:zelensky" in {r[0] for r in _table(driver)}


# ------------------------------------------------------------------------------- results


def test_values_show_as_values_and_the_filter_narrows_the_rows(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    """Regression (issue 16): numbers showed ``^^xsd:integer``."""
    from selenium.webdriver.common.by import By

    driver = browser
    _allow_downloads(driver, tmp_path)
    _open(driver, live_server.url + "/")
    _run(
        driver,
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    )
    cells = driver.find_elements(By.CSS_SELECTOR, "#results tbody td:nth-child(2)")
    assert cells and all(c.text.isdigit() for c in cells)
    assert "^^" not in driver.find_element(By.ID, "results").text
    assert "num" in (cells[0].get_attribute("class") or "")
    assert cells[0].get_attribute("title") == "xsd:integer"
    every = len(_shown(driver))
    driver.find_element(By.ID, "filter").send_keys("Meeting")
    _wait(driver, lambda d: len(_shown(d)) < every)
    shown = _shown(driver)
    assert shown and all("Meeting" in row["class"]["value"] for row in shown)
    assert "rows match" in driver.find_element(By.ID, "row-count").text
    # sorting by a column sorts every row, not only the page
    driver.find_element(By.CSS_SELECTOR, "#results th[data-var='n']").click()
    counts = [int(r["n"]["value"]) for r in _shown(driver)]
    assert counts == sorted(counts)
    rows = list(csv.reader(io.StringIO(_download(driver, tmp_path, "csv", "results.csv").decode())))
    assert rows[1:] == [[r["class"]["value"], r["n"]["value"]] for r in _shown(driver)]
    _screenshot(driver, tmp_path, "workbench-filter.png")


def test_row_limit_is_announced_and_the_table_is_paged(
    browser: Any, live_server: LiveServer
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    _open(driver, live_server.url + "/")
    _run(driver, "SELECT * WHERE { ?s ?p ?o }")
    notice = driver.find_element(By.ID, "notice")
    assert notice.is_displayed() and "50" in notice.text  # the live server's row limit
    Select = __import__("selenium.webdriver.support.select", fromlist=["Select"]).Select
    Select(driver.find_element(By.ID, "page-size")).select_by_visible_text("25")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 25
    assert driver.find_element(By.ID, "page-info").text == "page 1 of 2"
    first = _table(driver)
    driver.find_element(By.ID, "page-next").click()
    assert driver.find_element(By.ID, "page-info").text == "page 2 of 2"
    assert _table(driver) != first and len(_table(driver)) == 25
    assert "page=2" in driver.current_url and "size=25" in driver.current_url


def test_a_saved_query_pages_as_grlc_and_the_api_do(browser: Any, live_server: LiveServer) -> None:
    """Page N of a saved query on the page holds the rows of ``/api/queries/NAME?page=N``
    (and grlc's ``?page=N``) of the same size, in a link that says so."""
    driver = browser
    _open(driver, live_server.url + "/#saved=claims&size=5&page=2")
    _after_run(driver)
    api = json.loads(
        live_server.get("/api/queries/claims", {"page": "2", "limit": "5", "format": "json"}).body
    )
    page = [[cell.strip() for cell in row] for row in _table(driver)]
    expected = [
        [
            (
                t["value"].replace("https://w3id.org/claimgraph/id/", "cgi:")
                if t.get("type") == "uri"
                else t["value"]
            )
            if t
            else ""
            for t in (row.get(v) for v in api["head"]["vars"])
        ]
        for row in api["results"]["bindings"]
    ]
    assert len(page) == 5 and [r[0] for r in page] == [r[0] for r in expected]
    assert "page=2" in driver.current_url and "size=5" in driver.current_url


def test_a_construct_is_drawn_with_zoom_readable_labels_and_a_legend(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    """Regression (issue 16): the CONSTRUCT graph overlapped and cut labels and could not zoom."""
    from selenium.webdriver.common.by import By

    driver = browser
    _allow_downloads(driver, tmp_path)
    _open(driver, live_server.url + "/")
    _run(driver, "CONSTRUCT { ?d ?p ?o } WHERE { ?d a cg:Delegation ; ?p ?o }")
    assert "triples" in driver.find_element(By.ID, "status").text
    assert driver.find_element(By.ID, "graph-view").is_displayed()
    nodes = driver.find_elements(By.CSS_SELECTOR, "#graph .cg-node")
    assert len(nodes) >= 4 and driver.find_elements(By.CSS_SELECTOR, "#graph .cg-edge line")
    assert "Russian delegation" in driver.find_element(By.ID, "graph").text
    boxes = driver.execute_script(
        """return [...document.querySelectorAll('#graph .cg-node:not(.cg-culled)')].map(g => {
             const r = g.querySelector('rect').getBoundingClientRect();
             const t = [...g.querySelectorAll('text')].map(x => x.getBoundingClientRect().height);
             return [r.left, r.top, r.right, r.bottom, Math.min(...t)]; })"""
    )
    assert len(boxes) == len(nodes)  # every label shown at Fit on this small graph
    assert min(b[4] for b in boxes) >= 10, "labels readable at Fit"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = (
                min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1
            )
            assert not overlap, (a, b)
    legend = driver.find_element(By.ID, "graph-legend").text
    assert "cg:Delegation" in legend and "literal value" in legend and "arrow" in legend
    driver.execute_script("document.getElementById('graph-view').scrollIntoView()")
    _screenshot(driver, tmp_path, "workbench-graph.png")
    scale = float(driver.find_element(By.ID, "graph").get_attribute("data-scale"))
    driver.find_element(By.ID, "graph-zoom-in").click()
    assert float(driver.find_element(By.ID, "graph").get_attribute("data-scale")) > scale
    for _ in range(8):
        driver.find_element(By.ID, "graph-zoom-out").click()
    far = float(driver.find_element(By.ID, "graph").get_attribute("data-scale"))
    assert far < scale / 3
    # zoomed far out, the labels still shown are drawn large enough to read
    heights = driver.execute_script(
        "return [...document.querySelectorAll('#graph .cg-node:not(.cg-culled) text')]"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 10
    driver.execute_script("document.getElementById('graph-view').scrollIntoView()")
    _screenshot(driver, tmp_path, "workbench-graph-far.png")
    # the graph downloads are the triples shown
    triples = _shown(driver)
    expected = rdflib.Graph()
    for t in triples:
        expected.add(
            (
                _rdflib_term(t["subject"]),
                rdflib.URIRef(t["predicate"]["value"]),
                _rdflib_term(t["object"]),
            )
        )
    for fmt, name, parser in (
        ("turtle", "results.ttl", "turtle"),
        ("ntriples", "results.nt", "nt"),
        ("jsonld", "results.jsonld", "json-ld"),
    ):
        got = rdflib.Graph().parse(data=_download(driver, tmp_path, fmt, name), format=parser)
        assert isomorphic(got, expected), fmt
    driver.find_element(By.CSS_SELECTOR, ".tab[data-tab=table]").click()
    assert _headers(driver) == ["subject", "predicate", "object"]


# ------------------------------------------------------------------------------- scale


@pytest.fixture(scope="module")
def big_server(
    seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The seed served with the default row limit (100,000) and time limit."""
    from fixtures_server import serve_copy, stop_server

    tmp = tmp_path_factory.mktemp("big")
    server = serve_copy(seed_store_dir, tmp, "--workers", "1", "--query-workers", "2")
    yield server
    stop_server(server.process)


def test_a_100000_row_result_pages_without_freezing(
    browser: Any, big_server: LiveServer, tmp_path: Path
) -> None:
    """The DOM never holds more than a page: 100,000 rows arrive, 100 are drawn, and paging,
    filtering and sorting them keep the page responsive (the figures are printed)."""
    from selenium.webdriver.common.by import By

    driver = browser
    _open(driver, big_server.url + "/")
    digits = " ".join(str(i) for i in range(10))
    values = " ".join(f"VALUES ?{v} {{ {digits} }}" for v in "abcde")
    started = time.monotonic()
    _run(driver, f"SELECT ?a ?b ?c ?d ?e WHERE {{ {values} }}", timeout=120)
    loaded = time.monotonic() - started
    assert not driver.find_element(By.ID, "error").is_displayed()
    assert driver.find_element(By.ID, "status").get_attribute("data-rows") == "100000"
    assert not driver.find_element(By.ID, "notice").is_displayed()
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 100
    assert driver.find_element(By.ID, "page-info").text == "page 1 of 1000"
    timings = {}
    for action, selector in (("next page", "page-next"), ("last page", "page-last")):
        t0 = time.monotonic()
        driver.find_element(By.ID, selector).click()
        timings[action] = (
            driver.execute_script("return performance.now()") and time.monotonic() - t0
        )
    assert driver.find_element(By.ID, "page-info").text == "page 1000 of 1000"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 100
    t0 = time.monotonic()
    driver.find_element(By.CSS_SELECTOR, "#results th[data-var='e']").click()
    timings["sort 100,000 rows"] = time.monotonic() - t0
    t0 = time.monotonic()
    driver.find_element(By.ID, "filter").send_keys("7")
    _wait(driver, lambda d: "rows match" in d.find_element(By.ID, "row-count").text)
    timings["filter 100,000 rows"] = time.monotonic() - t0
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 100
    # a script still answers at once: the page is not frozen
    t0 = time.monotonic()
    assert driver.execute_script("return 1 + 1") == 2
    timings["a script's answer"] = time.monotonic() - t0
    rows_in_dom = driver.execute_script("return document.querySelectorAll('tr').length")
    assert rows_in_dom <= 101
    print(
        f"\n100,000 rows: fetched and drawn in {loaded:.2f} s; "
        + "; ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items())
    )
    _screenshot(driver, tmp_path, "workbench-100k.png")


def test_the_page_fetches_nothing_from_elsewhere(browser: Any, live_server: LiveServer) -> None:
    driver = browser
    driver.get_log("browser")  # what earlier tests logged (a refused query's 403)
    _open(driver, live_server.url + "/#saved=cq13-sides")
    _after_run(driver)
    origin = live_server.url
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources and all(
        r.startswith(origin) or r.startswith(("data:", "blob:")) for r in resources
    )
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
