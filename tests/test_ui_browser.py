"""End to end in a real headless Chromium (Debian's package, driven by Playwright): the
test starts `run.py ui` itself, loads the page offline, steps, moves a slider, resets, and
finds no error in the page, the browser console, the network log or the server log."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from experiments.local import CHROMIUM, CHROMIUM_ARGS, free_port, start_ui, stop

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `./dev test` installs it"
    port = free_port()
    log = tmp_path_factory.mktemp("ui") / "server.log"
    proc = start_ui(port, log)
    yield f"http://127.0.0.1:{port}/", log
    stop([proc])


def test_page_steps_resets_and_shows_no_error(server):
    url, log = server
    failures, console_errors, page_errors = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1250})
        page.on(
            "response", lambda r: failures.append((r.status, r.url)) if r.status >= 400 else None
        )
        page.on("requestfailed", lambda r: failures.append(("failed", r.url)))
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.goto(url)
        step = page.get_by_role("button", name="Step", exact=True)
        step.wait_for(timeout=60_000)
        headline = page.get_by_text(
            re.compile(r"Does cheaper AI use less compute, or more\? \d{4}-\d\d \(step \d+\)")
        )
        expect(headline).to_contain_text("(step 0)", timeout=30_000)
        answer = page.get_by_text(re.compile(r"Since 2023-01: compute x"))
        expect(answer).to_contain_text("twin without")
        plots = page.locator(".vega-embed").last
        plots.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        before = plots.screenshot()
        for _ in range(3):
            step.click()
            page.wait_for_timeout(700)
        expect(page.get_by_text("Time: 3.0")).to_be_visible(timeout=30_000)
        expect(headline).to_contain_text("2023-04 (step 3)")
        page.wait_for_timeout(1500)
        assert plots.screenshot() != before, "the plots did not change after stepping"

        # move the elasticity slider with the keyboard, then Reset applies it
        slider = page.locator(".v-input__slider", has_text="Price elasticity").locator(
            "[role=slider]"
        )
        slider.focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        page.get_by_role("button", name="Reset", exact=True).click()
        expect(headline).to_contain_text("(step 0)", timeout=30_000)
        expect(page.get_by_text(re.compile(r"elasticity 1\.3"))).to_be_visible(timeout=30_000)
        step.click()
        expect(headline).to_contain_text("(step 1)", timeout=30_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)
        browser.close()
    assert not failures, failures
    assert not page_errors, page_errors
    assert not console_errors, console_errors
    server_log = log.read_text()
    assert "Traceback" not in server_log and "ERROR" not in server_log, server_log[-3000:]
