"""Screenshot pages of a running portal at phone and desktop width: python bin/screenshot.py URL [URL ...].

Optional env: SHOT_USER / SHOT_PASSWORD to sign in first, SHOT_DIR for the output folder.
"""

import os
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def main(urls):
    out = os.environ.get("SHOT_DIR", "/tmp/shots")
    os.makedirs(out, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=size == "phone")
            page = context.new_page()
            if os.environ.get("SHOT_USER"):
                base = "{0.scheme}://{0.netloc}".format(urlsplit(urls[0]))
                page.goto(base + "/accounts/login/")
                page.fill("input[name=login]", os.environ["SHOT_USER"])
                page.fill("input[name=password]", os.environ.get("SHOT_PASSWORD", "union-demo-2024"))
                page.click("form button[type=submit]")
                page.wait_for_load_state("networkidle")
            for url in urls:
                page.goto(url)
                page.wait_for_load_state("networkidle")
                name = urlsplit(url).path.strip("/").replace("/", "_") or "home"
                path = f"{out}/{name}-{size}.png"
                page.screenshot(path=path, full_page=True)
                print(path)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
