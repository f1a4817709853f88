"""The interactive graph view (/graph) in a real headless Chromium against a live
``claimgraph serve``: it draws the actor view offline, pans, zooms, and shows a clicked node's
facts and claims; the provenance view of a claim is drawn too.

Set ``CLAIMGRAPH_SCREENSHOTS=DIR`` to keep the screenshots for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fixtures_server import LiveServer

pytest_plugins = ["fixtures_server"]

pytestmark = pytest.mark.browser


def _wait(driver: Any, condition: Any, timeout: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _screenshot(driver: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    keep = os.environ.get("CLAIMGRAPH_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)


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

    return str(driver.find_element(By.ID, "gv-viewport").get_attribute("transform"))


def test_actor_view_pans_zooms_and_shows_facts(
    browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(live_server.url + "/graph")
    _ready(driver, "actors")
    turkey = driver.find_element(By.CSS_SELECTOR, ".gv-node[data-id='cgi:turkey']")
    assert "Turkey" in turkey.text
    took_part = driver.find_elements(
        By.CSS_SELECTOR,
        ".gv-edge[data-target='cgi:trilateral-meeting'][data-label='participant in']",
    )
    assert {e.get_attribute("data-source") for e in took_part} == {
        "cgi:turkey",
        "cgi:united-states",
        "cgi:ukraine",
    }
    # what the article does not say is drawn apart: Turkey mediating is cited background
    (mediated,) = driver.find_elements(
        By.CSS_SELECTOR, ".gv-edge[data-source='cgi:turkey'][data-label='mediator in']"
    )
    assert mediated.get_attribute("data-standing") == "cited"
    assert "cited" in str(mediated.get_attribute("class"))
    assert "dashed" not in str(took_part[0].get_attribute("class"))
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
    turkey = driver.find_element(By.CSS_SELECTOR, ".gv-node[data-id='cgi:turkey']")
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
        driver.find_element(By.CSS_SELECTOR, ".gv-node[data-id='cgi:turkey']").get_attribute(
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
            By.CSS_SELECTOR, ".gv-node[data-id='cgi:wire-reuters-russian-demands-unrealistic']"
        ),
    )
    _ready(driver, "provenance")
    labels = driver.find_element(By.ID, "gv-nodes").text
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
