"""Screenshots of the rating page and the Write view (06_evaluate.py --serve) for the README, taken by the
system's Chromium as the tests drive it: the Rate view at desktop and phone width (390 px), and the Write view
with the tuned and base answers to one request, and the Summary of the votes so far. Starts its own server on a
free port; nothing is voted.

    python scripts/screenshot_pages.py --config configs/demo.yaml [--out docs]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
from pathlib import Path

from brandtone.config_schema import ScrapeConfig
from brandtone.scrape.web.browser import Chromium, find_browser

REPO = Path(__file__).resolve().parent.parent

REQUEST = "An Instagram caption for our monsoon pakora and chai offer, about 40 words."


async def shoot(url: str, out: Path, rater: str) -> list[Path]:
    browser = Chromium(find_browser(None), ScrapeConfig())
    await browser.start()
    try:
        page = await browser.browser.newPage()
        await page.setViewport({"width": 1280, "height": 860})
        await page.goto(url, waitUntil="networkidle0")
        await page.waitForSelector("body[data-ready]")
        await page.type("#rater", rater)
        await page.click("#start")
        await page.waitForFunction("() => !document.getElementById('pair-card').hidden")
        await page.screenshot(path=str(out / "rate.png"))
        await page.setViewport({"width": 390, "height": 844})
        await page.screenshot(path=str(out / "rate-phone.png"), fullPage=True)
        await page.setViewport({"width": 1280, "height": 700})
        await page.goto(url + "#write", waitUntil="networkidle0")
        await page.type("#request", REQUEST)
        await page.click("#compare")
        await page.click("#write-button")
        every_answer_done = (
            "() => { const w = [...document.querySelectorAll('.written')]; return w.length && w.every(e => e.dataset.done !== undefined); }"
        )
        await page.waitForFunction(every_answer_done, timeout=600_000)  # every system the Write view offers
        await page.screenshot(path=str(out / "write.png"))
        await page.goto(url + "#summary", waitUntil="networkidle0")
        await page.waitForFunction(
            "() => document.getElementById('summary').childElementCount || document.getElementById('summary').textContent"
        )
        await page.screenshot(path=str(out / "summary.png"), fullPage=True)
    finally:
        await browser.close()
    return [out / name for name in ("rate.png", "rate-phone.png", "write.png", "summary.png")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="configs/demo.yaml")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--rater", default="Amina")
    parser.add_argument("overrides", nargs="*", metavar="section.key=value")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "06_evaluate.py"),
            "--config",
            args.config,
            "--serve",
            *args.overrides,
            "evaluate.serve_port=0",
            "evaluate.serve_host=127.0.0.1",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if not found:
            print(f"the server did not start: {line}", file=sys.stderr)
            return 1
        for path in asyncio.run(shoot(found.group(0), args.out, args.rater)):
            print(f"{path} ({path.stat().st_size // 1024} KB)")
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
