"""What the campaign page costs a phone: requests, bytes and hosts on first load, in each
language, through the production web server (`altavoz-web`) with production-like settings,
in headless Debian Chromium.

    .venv/bin/python bench/pageweight.py [--port 8130]

Prints one row per language and viewport: requests, bytes transferred (bodies as sent, plus
headers), the hosts asked, and the bytes once the person starts on the form (when the
proof-of-work widget is fetched).
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _server import bench_env, prepare_database, running_server

from browser import CHROMIUM, CHROMIUM_ARGS, PHONE

PAGES = {"en": "/act/miami-287g/", "es": "/es/act/miami-287g/", "ht": "/ht/act/miami-287g/"}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def _transferred(requests) -> int:
    sizes = [request.sizes() for request in requests]
    return sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)


def measure(browser, base: str, path: str, options: dict) -> dict:
    context = browser.new_context(base_url=base, **options)
    page = context.new_page()
    seen = []
    page.on("requestfinished", lambda request: seen.append(request))
    page.goto(path, wait_until="networkidle")
    first = {"requests": len(seen), "bytes": _transferred(seen)}
    first["hosts"] = sorted({urlsplit(request.url).netloc for request in seen})
    page.focus("[name=first_name]")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    first["bytes_with_form"] = _transferred(seen)
    context.close()
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8130)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = bench_env(PROOF_OF_WORK="adaptive")
    prepare_database(env)
    with running_server(env, port=args.port) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print("language viewport requests bytes bytes_after_form_focus hosts")
        for language, path in PAGES.items():
            for name, options in (("desktop", DESKTOP), ("phone", PHONE)):
                row = measure(browser, server.url, path, options)
                print(language, name, row["requests"], row["bytes"], row["bytes_with_form"],
                      ",".join(row["hosts"]))  # fmt: skip
        browser.close()


if __name__ == "__main__":
    main()
