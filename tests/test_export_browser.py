"""The interactive graph view (/graph) in a real headless Chromium against a live
``claimgraph serve``: it draws the actor view offline, pans, zooms, and shows a clicked node's
facts and claims; the provenance view of a claim is drawn too; its labels are readable at Fit
and its legend says what every colour, border and line means.

Set ``CLAIMGRAPH_SCREENSHOTS=DIR`` to keep the screenshots for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

pytestmark = pytest.mark.browser


def _wait(driver: Any, condition: Any, timeout: float = 20) -> Any:
    from fixtures_server import wait_for

    return wait_for(driver, condition, timeout)


def _screenshot(driver: Any, tmp_path: Path, name: str) -> None:
    from fixtures_server import screenshot

    screenshot(driver, tmp_path, name)


def _ready(driver: Any, view: str) -> None:
    from selenium.webdriver.common.by import By

    _wait(
        driver,
        lambda d: (
            d.find_element(By.ID, "gv-svg").get_attribute("data-ready") == "true"
            and d.find_element(By.ID, "gv-svg").get_attribute("data-view") == view
        ),
    )


def _transform(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(
        driver.find_element(By.CSS_SELECTOR, "#gv-svg .cg-viewport").get_attribute("transform")
    )


def test_actor_view_pans_zooms_and_shows_facts(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/graph")
    _ready(driver, "actors")
    turkey = driver.find_element(By.CSS_SELECTOR, ".cg-node[data-id='cgi:turkey']")
    assert "Turkey" in turkey.text
    took_part = driver.find_elements(
        By.CSS_SELECTOR,
        ".cg-edge[data-target='cgi:trilateral-meeting'][data-label='participant in']",
    )
    assert {e.get_attribute("data-source") for e in took_part} == {
        "cgi:turkey",
        "cgi:united-states",
        "cgi:ukraine",
    }
    # what the article does not say is drawn apart: Turkey mediating is cited background
    (mediated,) = driver.find_elements(
        By.CSS_SELECTOR, ".cg-edge.cited[data-source='cgi:turkey'][data-label='mediator in']"
    )
    title = mediated.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    assert str(title).endswith("(cited)")
    assert "cited" not in str(took_part[0].get_attribute("class"))
    assert "cited background" in driver.find_element(By.ID, "gv-legend").text
    assert "nodes" in driver.find_element(By.ID, "gv-status").text
    _screenshot(driver, tmp_path, "graphview-actors.png")

    before = _transform(driver)
    driver.find_element(By.ID, "gv-zoom-in").click()
    zoomed = _transform(driver)
    assert zoomed != before and "scale" in zoomed
    canvas = driver.find_element(By.ID, "gv-svg")
    # grab the background, not a node: the first empty spot on a coarse grid
    spot = driver.execute_script(
        """
        const r = arguments[0].getBoundingClientRect();
        for (let y = 10; y < r.height; y += 25) for (let x = 10; x < r.width; x += 25) {
          const e = document.elementFromPoint(r.left + x, r.top + y);
          if (e === arguments[0]) return [x - r.width / 2, y - r.height / 2];
        }
        return null;""",
        canvas,
    )
    assert spot is not None
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(spot[0]), int(spot[1])
    ).click_and_hold().move_by_offset(120, 60).release().perform()
    assert _transform(driver) != zoomed  # panned

    driver.find_element(By.ID, "gv-fit").click()
    turkey = driver.find_element(By.CSS_SELECTOR, ".cg-node[data-id='cgi:turkey']")
    driver.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", turkey
    )
    _wait(
        driver,
        lambda d: (
            d.find_element(By.ID, "gv-title").text == "Turkey"
            and d.find_elements(By.CSS_SELECTOR, "#gv-claims li a")
        ),
    )
    assert driver.find_element(By.ID, "gv-type").text == "cg:State"
    claims = driver.find_element(By.ID, "gv-claims").text
    assert "A trilateral meeting preceded the bilateral talks" in claims
    facts = driver.find_element(By.ID, "gv-facts").text
    assert "Q43" in facts and "cited" in facts  # the Wikidata item, marked as cited
    assert "mediator in" in facts
    assert "selected" in str(
        driver.find_element(By.CSS_SELECTOR, ".cg-node[data-id='cgi:turkey']").get_attribute(
            "class"
        )
    )
    _screenshot(driver, tmp_path, "graphview-turkey.png")


def test_provenance_view_of_a_claim(browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(
        live_server.url + "/graph?view=provenance&claim=cgi:claim-russian-demands-unrealistic"
    )
    _wait(
        driver,
        lambda d: d.find_elements(
            By.CSS_SELECTOR, ".cg-node[data-id='cgi:wire-reuters-russian-demands-unrealistic']"
        ),
    )
    _ready(driver, "provenance")
    labels = driver.find_element(By.CSS_SELECTOR, "#gv-svg .cg-nodes").text
    assert "Reuters" in labels and "Russia's demands" in labels
    _screenshot(driver, tmp_path, "graphview-provenance.png")


def test_the_page_fetches_nothing_from_elsewhere(browser: Any, live_server: LiveServer) -> None:
    driver = browser
    driver.get(live_server.url + "/graph")
    _ready(driver, "actors")
    origin = live_server.url
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources and all(r.startswith(origin) or r.startswith("data:") for r in resources)
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def test_labels_are_readable_at_fit_and_the_legend_explains_the_drawing(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    """Regression (issue 16): labels were ~7 px at Fit, and the legend named node kinds but
    not what the edge colours and the dashed borders mean."""
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/graph")
    _ready(driver, "actors")
    driver.find_element(By.ID, "gv-fit").click()
    heights = driver.execute_script(
        "return [...document.querySelectorAll('#gv-svg .cg-node:not(.cg-culled) text')]"
        ".map(t => t.getBoundingClientRect().height)"
    )
    shown = driver.find_elements(By.CSS_SELECTOR, "#gv-svg .cg-node:not(.cg-culled)")
    every = driver.find_elements(By.CSS_SELECTOR, "#gv-svg .cg-node")
    assert len(shown) == len(every)  # on the seed's actor view every label fits
    assert heights and min(heights) >= 10, min(heights)
    legend = driver.find_element(By.ID, "gv-legend").text
    for meaning in (
        "actor:",
        "event:",
        "dashed border: an anonymous source",
        "thick blue border",
        "red line: mediated",
        "blue line: party to",
        "green line",
        "grey line",
    ):
        assert meaning in legend, meaning
    # every colour drawn is in the legend
    fills = set(
        driver.execute_script(
            "return [...document.querySelectorAll('#gv-svg .cg-node rect')]"
            ".map(r => r.getAttribute('fill'))"
        )
    )
    swatches = set(
        driver.execute_script(
            "return [...document.querySelectorAll('#gv-legend .cg-legend-box')]"
            ".map(i => getComputedStyle(i).backgroundColor)"
        )
    )

    def rgb(hex_colour: str) -> str:
        h = hex_colour.lstrip("#")
        return f"rgb({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)})"

    assert {rgb(f) for f in fills} <= swatches
    # zoomed far out, the labels still drawn are as large as at scale 1 and do not overlap
    for _ in range(6):
        driver.find_element(By.ID, "gv-zoom-out").click()
    boxes = driver.execute_script(
        """return [...document.querySelectorAll('#gv-svg .cg-node:not(.cg-culled) rect')]
             .map(r => r.getBoundingClientRect()).map(b => [b.left, b.top, b.right, b.bottom])"""
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) - max(a[0], b[0]) <= 1 or min(a[3], b[3]) - max(a[1], b[1]) <= 1
    texts = driver.execute_script(
        "return [...document.querySelectorAll('#gv-svg .cg-node:not(.cg-culled) text')]"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert texts and min(texts) >= 10
    _screenshot(driver, tmp_path, "graphview-far.png")
