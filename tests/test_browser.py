"""The analysts' page in a real headless Chromium (Debian's chromium + chromedriver), driven
by Selenium against a live ``claimgraph serve``: write a query, run it, sort, download,
look at a CONSTRUCT as a graph, read an error, use a saved query.

Chromium comes from ``scripts/install-browser.sh`` (run by the project's setup); without it
these tests are skipped with the command to run, and fail under CI.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

pytestmark = pytest.mark.browser


def _wait(driver: object, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _run(driver, query: str) -> None:
    from selenium.webdriver.common.by import By

    editor = driver.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys(query)
    driver.find_element(By.ID, "status").get_attribute("textContent")
    driver.execute_script("document.getElementById('status').textContent = ''")
    driver.find_element(By.ID, "run").click()
    _wait(
        driver,
        lambda d: (
            "·" in d.find_element(By.ID, "status").text
            or d.find_element(By.ID, "error").is_displayed()
        ),
    )


def _column(driver, index: int) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        td.text
        for td in driver.find_elements(By.CSS_SELECTOR, f"#results tbody tr td:nth-child({index})")
    ]


def test_page_runs_a_query_sorts_and_downloads(
    browser, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    driver.get(live_server.url + "/")
    prefixes = driver.find_element(By.ID, "prefixes").text
    assert "cg:" in prefixes and "prov:" in prefixes
    # the editor highlights keywords, variables and prefixed names
    _run(driver, "SELECT ?s ?label WHERE { ?s a cg:Person ; rdfs:label ?label } ORDER BY ?label")
    assert driver.find_elements(By.CSS_SELECTOR, "#highlight .tok-kw")
    assert driver.find_elements(By.CSS_SELECTOR, "#highlight .tok-var")
    assert driver.find_elements(By.CSS_SELECTOR, "#highlight .tok-pn")
    assert not driver.find_element(By.ID, "error").is_displayed()
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results th")]
    assert headers == ["s", "label"]
    assert not driver.find_element(By.ID, "tabs").is_displayed()  # no graph for a table
    labels = _column(driver, 2)
    assert len(labels) >= 2
    # click the header twice: descending order
    th = driver.find_elements(By.CSS_SELECTOR, "#results th")[1]
    th.click()
    th.click()
    assert _column(driver, 2) == sorted(labels, reverse=True)
    driver.find_element(By.ID, "dl-csv").click()
    target = tmp_path / "results.csv"
    deadline = time.monotonic() + 10
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert target.exists()
    assert target.read_text().splitlines()[0] == "s,label"
    driver.save_screenshot(str(tmp_path / "table.png"))


def test_construct_is_drawn_as_a_graph(browser, live_server: LiveServer, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/")
    _run(driver, "CONSTRUCT { ?d ?p ?o } WHERE { ?d a cg:Delegation ; ?p ?o }")
    assert "triples" in driver.find_element(By.ID, "status").text
    assert driver.find_element(By.ID, "graph-view").is_displayed()
    circles = driver.find_elements(By.CSS_SELECTOR, "#graph .node circle")
    edges = driver.find_elements(By.CSS_SELECTOR, "#graph line.edge")
    assert len(circles) >= 2 and len(edges) >= 1
    names = driver.find_element(By.ID, "graph").text
    assert "delegation" in names.lower()
    # drawn at full size, however large: labels keep their font size (the view scrolls)
    heights = driver.execute_script(
        "return [...document.querySelectorAll('#graph .node text')]"
        ".map((t) => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 10, heights
    driver.save_screenshot(str(tmp_path / "graph.png"))
    driver.find_element(By.CSS_SELECTOR, ".tab[data-tab=table]").click()
    assert [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results th")] == [
        "subject",
        "predicate",
        "object",
    ]


def test_errors_are_shown_clearly(browser, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/")
    _run(driver, "SELECT ?s WHERE { ?s ?p }")
    box = driver.find_element(By.ID, "error")
    assert box.is_displayed()
    assert "400" in box.text and "malformed query" in box.text
    _run(driver, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert "403" in box.text and "SERVICE is refused" in box.text


def test_row_limit_is_announced(browser, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/")
    _run(driver, "SELECT * WHERE { ?s ?p ?o }")
    notice = driver.find_element(By.ID, "notice")
    assert notice.is_displayed() and "50" in notice.text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 50


def test_saved_queries_are_one_click_away(browser, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/")
    listing = live_server.get("/api/queries")
    assert listing.status == 200
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#saved button"))
    buttons = driver.find_elements(By.CSS_SELECTOR, "#saved button")
    assert len(buttons) >= 5
    first = buttons[0]
    title = first.find_element(By.CSS_SELECTOR, ".title").text
    first.click()
    assert driver.find_element(By.ID, "saved-title").text == title
    assert "SELECT" in driver.find_element(By.ID, "query").get_attribute("value").upper()
    driver.execute_script("document.getElementById('status').textContent = ''")
    driver.find_element(By.ID, "run").click()
    _wait(
        driver,
        lambda d: (
            "·" in d.find_element(By.ID, "status").text
            or d.find_element(By.ID, "error").is_displayed()
        ),
    )
    assert not driver.find_element(By.ID, "error").is_displayed(), driver.find_element(
        By.ID, "error"
    ).text
    assert driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")


def test_a_saved_query_with_parameters_shows_its_answer_not_its_parameters(
    browser,
    live_server: LiveServer,
) -> None:
    """CQ5 projects its parameter (?_word, pyoxigraph binds only projected variables); the
    table shows the answer's columns, the form holds the parameter."""
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/")
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#saved button"))
    cq5 = next(
        b
        for b in driver.find_elements(By.CSS_SELECTOR, "#saved button")
        if b.find_element(By.CSS_SELECTOR, ".title").text.startswith("CQ5")
    )
    cq5.click()
    word = driver.find_element(By.CSS_SELECTOR, "#param-form input[name='word']")
    assert word.get_attribute("value") == "unrealistic"
    driver.execute_script("document.getElementById('status').textContent = ''")
    driver.find_element(By.ID, "run").click()
    _wait(
        driver,
        lambda d: (
            "·" in d.find_element(By.ID, "status").text
            or d.find_element(By.ID, "error").is_displayed()
        ),
    )
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")]
    assert "claim" in headers
    assert not [h for h in headers if h.startswith("_")], headers
    cells = " ".join(td.text for td in driver.find_elements(By.CSS_SELECTOR, "#results td"))
    assert "anon-ua-diplomatic-source-1" in cells
