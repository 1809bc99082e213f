#!/usr/bin/env python3
"""Screenshot of the browser UI for the README, taken by Debian's headless Chromium.

Starts `run.py ui`, steps the model STEPS months, saves docs/ui.png (the first screen at
1400x1000, as a newcomer sees it).

    ./dev python scripts/screenshot_ui.py [STEPS]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from jevons_compute.experiments.sweeps.local import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_ui,
    stop,
)

ROOT = Path(__file__).resolve().parent.parent


def main(steps: int) -> None:
    port = free_port()
    server = start_ui(port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/")
            step = page.get_by_role("button", name="Step", exact=True)
            step.wait_for(timeout=60_000)
            for _ in range(steps):
                step.click()
                page.wait_for_timeout(150)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(ROOT / "docs" / "ui.png"))
            browser.close()
    finally:
        stop([server])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 36)
