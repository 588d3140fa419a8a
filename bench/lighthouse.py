"""Lighthouse's SEO and best-practices audits on the campaign page, in each language, through
the production web server (`altavoz-web`) with production-like settings, in Debian's
headless Chromium.

    (cd bench/lighthouse && npm ci)       # Lighthouse 12.2.3 from npm, pinned by the lock
    .venv/bin/python bench/lighthouse.py [--port 8140]

Prints each category's score per language and every audit that failed (score below 1;
"not applicable" and informative audits are not failures). Exits 1 when one failed.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from _server import bench_env, prepare_database, running_server

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = {"en": "/act/miami-287g/", "es": "/es/act/miami-287g/", "ht": "/ht/act/miami-287g/"}
CATEGORIES = ("seo", "best-practices")


def audit(url: str) -> dict:
    """Lighthouse's report (JSON) for one page."""
    command = [
        str(LIGHTHOUSE), url, "--output=json", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}", "--chrome-path=/usr/bin/chromium",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout)


def failures(report: dict) -> list[str]:
    """Each audit of the categories that scored below 1, with Lighthouse's title."""
    failed = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            result = report["audits"][ref["id"]]
            mode = result.get("scoreDisplayMode")
            if mode in ("binary", "numeric", "metricSavings") and (result["score"] or 0) < 1:
                failed.append(f"{category}: {ref['id']} ({result['title']})")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8140)
    args = parser.parse_args()
    env = bench_env()
    prepare_database(env)
    problems = []
    with running_server(env, port=args.port) as server:
        for language, path in PAGES.items():
            report = audit(server.url + path)
            scores = {c: round(100 * report["categories"][c]["score"]) for c in CATEGORIES}
            print(f"{language}  {path:24}  " + "  ".join(f"{c} {s}" for c, s in scores.items()))
            for failure in failures(report):
                print(f"    failed: {failure}")
                problems.append(failure)
        print(f"Lighthouse {report['lighthouseVersion']}, {report['environment']['hostUserAgent']}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
