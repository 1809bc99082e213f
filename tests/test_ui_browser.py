"""End to end in a real headless Chromium (Debian's package, driven by Playwright): the
test starts `run.py ui` itself, loads the page offline, steps, moves a slider, resets, and
finds no error in the page, the browser console, the network log or the server log."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOT = os.environ.get("JEVONS_UI_SCREENSHOT")  # where to save the page (README's image)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(root, tmp_path_factory):
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `./dev test` installs it"
    port = free_port()
    log = tmp_path_factory.mktemp("ui") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "run.py", "ui", "--port", str(port)],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"the UI server did not answer: {log.read_text()[-2000:]}")
    yield url, log
    proc.terminate()
    proc.wait(timeout=20)


def test_page_steps_resets_and_shows_no_error(server):
    url, log = server
    failures, console_errors, page_errors = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
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
        headline = page.get_by_text(re.compile(r"Headline, \d{4}-\d\d \(step \d+\)"))
        expect(headline).to_contain_text("(step 0)", timeout=30_000)
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
        if SCREENSHOT:
            page.screenshot(path=SCREENSHOT, full_page=True)
        browser.close()
    assert not failures, failures
    assert not page_errors, page_errors
    assert not console_errors, console_errors
    server_log = log.read_text()
    assert "Traceback" not in server_log and "ERROR" not in server_log, server_log[-3000:]
