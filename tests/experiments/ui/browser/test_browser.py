"""End to end in a real headless Chromium (Debian's package, driven by Playwright): the
test starts `jevons-compute ui` itself and loads the page offline, as a newcomer would at
1024x768 and on a phone: the answer and the plots are there from month 0, nothing is cut
off, each tab has its own model, Play stops at the horizon, the CSV export is the file
`jevons-compute run` writes; no error in the page, the browser console, the network log or
the server log."""

import re
import shlex
from pathlib import Path

import pytest
from helpers import cli
from playwright.sync_api import expect, sync_playwright

from jevons_compute.experiments.sweeps.local import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_ui,
    stop,
)
from jevons_compute.experiments.ui.controls import BY_CONTROL, CONTROLS, GROUPS
from jevons_compute.world.parameters import BY_NAME
from jevons_compute.world.presets import PRESETS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `./dev test` installs it"
    port = free_port()
    folder = tmp_path_factory.mktemp("ui")
    log = folder / "server.log"
    with pytest.MonkeyPatch.context() as env:  # no ensemble band, whatever results/ holds
        env.setenv("JEVONS_UI_BAND", str(folder / "no-band.csv"))
        proc = start_ui(port, log)
    yield f"http://127.0.0.1:{port}/", log
    stop([proc])
    text = log.read_text()
    assert "Traceback" not in text and "ERROR" not in text, text[-3000:]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page in its own browser context, with every failure it logs."""

    def __init__(self, browser, url, width, height):
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        self.page = page = self.context.new_page()
        self.problems = []
        page.on(
            "response",
            lambda r: self.problems.append((r.status, r.url)) if r.status >= 400 else None,
        )
        page.on("requestfailed", lambda r: self.problems.append(("failed", r.url)))
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.goto(url)
        self.step = page.get_by_role("button", name="Step", exact=True)
        self.step.wait_for(timeout=60_000)

    def at_month(self, n: int, timeout=30_000):
        expect(self.page.locator(".jv-month")).to_have_text(
            re.compile(rf": month {n} of 144$"), timeout=timeout
        )

    def plots_drawn(self) -> list[dict]:
        """The box of each chart Vega has drawn (a canvas with coloured pixels), once at
        least three have."""
        script = """() => [...document.querySelectorAll('.jv-plot .vega-embed')]
            .map(e => [e, e.querySelector('canvas')])
            .filter(([e, c]) => c && c.width > 0 && c.height > 0 &&
                c.getContext('2d').getImageData(0, 0, c.width, c.height).data
                    .some((v, i) => i % 4 !== 3 && v < 200))
            .map(([e, c]) => { const r = e.getBoundingClientRect();
                return {left: r.left, right: r.right, width: r.width, height: r.height}; })"""
        self.page.wait_for_function(f"({script})().length >= 3", timeout=30_000)
        self.page.wait_for_timeout(1500)  # the rest of the charts
        return self.page.evaluate(script)

    def sideways_scrollers(self) -> list[str]:
        """Elements that scroll sideways (the page's content scrolls in an inner element,
        so the document's own width is not enough)."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('*')]
                .filter(e => e.scrollWidth > e.clientWidth + 1 &&
                             ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
                .map(e => e.className)"""
        )

    def close(self):
        self.page.wait_for_load_state("networkidle")
        self.context.close()
        assert not self.problems, self.problems


def test_first_view_answers_fits_1024_and_each_tab_has_its_own_model(server, browser):
    url, _ = server
    first = Watched(browser, url, 1024, 768)
    page = first.page
    expect(page).to_have_title(re.compile("Jevons compute market"))
    first.at_month(0)
    # the calibrated preset's values sit between the sliders' steps: drawing the sliders
    # changes nothing, so nothing waits to be applied
    expect(page.locator(".jv-pending")).to_have_count(0)
    answer = page.locator(".jv-answer-text")
    expect(answer).to_contain_text("start equal (compute x1 against the twin)")
    boxes = first.plots_drawn()
    assert len(boxes) >= 3 and all(b["width"] > 200 and b["height"] > 150 for b in boxes)
    assert all(b["left"] >= 0 and b["right"] <= 1024 for b in boxes), boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert not first.sideways_scrollers()
    assert page.locator(".jv-answer-card").bounding_box()["y"] < 100  # the answer comes first
    assert "nan" not in page.inner_text("body").lower()
    sliders = page.locator(".jv-control-slider")
    assert sliders.count() == sum(c.kind == "slider" for c in CONTROLS)
    assert page.locator(".jv-group").count() == len(GROUPS)
    expect(page.locator(".jv-input-band input")).to_be_disabled()  # no band file here
    for i in range(sliders.count()):  # every slider shows its value without being touched
        expect(sliders.nth(i).locator(".jv-value")).to_have_text(re.compile(r"\d"))
    page.locator(".jv-c-price_elasticity .jv-label").hover()  # help from the parameter table
    expect(page.locator(".v-tooltip__content", has_text="Source: assumption")).to_contain_text(
        "Price elasticity of token demand"
    )
    for _ in range(3):
        first.step.click()
        page.wait_for_timeout(300)
    first.at_month(3)
    expect(answer).to_contain_text(re.compile(r"efficiency \*?\*?(raised|lowered)"))

    second = Watched(browser, url, 1400, 1000)  # another visitor: a model of its own
    second.at_month(0)
    second.step.click()
    second.at_month(1)
    first.at_month(3)
    second.close()

    # a change waits for Reset, and says so
    gain = BY_CONTROL["algo_efficiency_gain"]
    # the page starts from the default preset (the calibrated member where installed)
    old = PRESETS["default"].get("algo_efficiency_gain", BY_NAME["algo_efficiency_gain"].default)
    new = gain.snapped(old + 4 * gain.step)  # four steps right of the default
    slider = page.locator(".jv-c-algo_efficiency_gain [role=slider]")
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.locator(".jv-c-algo_efficiency_gain .jv-value")).to_have_text(gain.shown(new))
    expect(page.locator(".jv-pending")).to_contain_text(f"{gain.shown(old)} -> {gain.shown(new)}")
    first.at_month(3)
    page.get_by_role("button", name="Apply and reset").click()
    first.at_month(0)
    expect(page.locator(".jv-pending")).to_have_count(0)
    expect(page.locator(".jv-command")).to_contain_text(f"algo_efficiency_gain={new:g}")
    first.close()


def test_play_stops_at_the_horizon(server, browser):
    url, _ = server
    tab = Watched(browser, url, 1400, 1000)
    tab.page.get_by_role("button", name="Play", exact=True).click()
    tab.at_month(144, timeout=120_000)
    tab.page.wait_for_timeout(1500)
    tab.at_month(144)
    expect(tab.page.get_by_role("button", name="Play", exact=True)).to_be_disabled()
    expect(tab.step).to_be_disabled()
    assert "nan" not in tab.page.inner_text("body").lower()
    tab.close()


def test_csv_export_is_the_run_commands_file_and_phone_layout_fits(server, browser, tmp_path):
    url, _ = server
    tab = Watched(browser, url, 390, 844)
    page = tab.page
    boxes = tab.plots_drawn()
    assert all(b["left"] >= 0 and b["right"] <= 390 for b in boxes), boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not tab.sideways_scrollers()
    card = page.locator(".jv-answer-card").bounding_box()
    assert card["y"] < 50 and card["x"] >= 0 and card["x"] + card["width"] <= 390
    for _ in range(3):
        tab.step.click()
        page.wait_for_timeout(300)
    tab.at_month(3)
    command = page.locator(".jv-command").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Time series (timeseries.csv)").click()
    shown = Path(download.value.path()).read_text()
    words = shlex.split(command)
    assert words[:2] == ["jevons-compute", "run"] and "--steps" in words
    out = tmp_path / "run"
    done = cli(*words[1:], "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert shown == (out / "timeseries.csv").read_text()
    assert len(shown.splitlines()) == 1 + 4  # header and months 0-3
    tab.close()
