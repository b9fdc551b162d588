"""Browser benchmark (headless Debian Chromium, Playwright's Python API) on the built site.

Prints, side by side in one run:
* bytes the article transfers before any interaction (each response gzip-compressed, level 6, as the
  nginx config serves them) vs a plain Material page (one-page site, same theme), and Pyodide bytes;
* time for one stepper step (click → layout done), median and max over many steps;
* live console time to first reply (click → the frame that paints the greeting), cold and warm, vs a
  bare page that only loads the same Pyodide (cold and warm); versioned /pyodide/ files are served
  immutable, as in prod;
* longest main-thread task while the console starts (Long Tasks API; also long animation frames and
  the largest gap between timer turns);
* the same cold/warm starts (bare page and live console) with the site served by Debian's nginx with
  deploy/nginx.conf (tests/support/publish.start_nginx, precompressed like a deploy): real cache
  headers, ETag/Last-Modified revalidation and gzip; warm = 2nd and 3rd load in the same browser
  context (HTTP cache, and Chromium's WebAssembly code cache once the module has been used);
* /diagnose/ with a 1 MB paste and a 1 MB `#text=` link: the longest main-thread task by CPU and wall
  time (trace), 'longtask' entries, time to the answer (issue 21 #1: no task over 50 ms);
* warm starts restore the interpreter snapshot the first (full) start saved in Cache Storage; a third
  start per round clears that storage first, to show a warm HTTP cache without a snapshot.
Targets (issue 4): ≤ +30 KB gzip and 0 Pyodide bytes; < 16 ms; ≤ bare + 300 ms cold, ≤ 1.0 s warm;
< 50 ms. Figures only: nothing here asserts a speed.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from browser_console import (
    BARE_HTML,
    BARE_JS,
    IDLE_PROBE,
    REPEAT,
    START_CONSOLE,
    CachingHandler,
    bare_start,
    console_start,
    main_thread,
    median_run,
    paired,
    serve,
    traced_console_start,
    transferred,
)
from browser_long_paste import long_text_timings
from browser_nginx import nginx_starts
from site_modules import every_page_modules

from support.browser import ARTICLE
from support.site_build import CHROMIUM, CHROMIUM_ARGS, build_and_serve

ROOT = Path(__file__).resolve().parent.parent

STEPS = 60
PLAIN_MKDOCS = """site_name: Plain
site_url: https://plain.example/
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.sections, navigation.top, search.highlight, search.suggest]
plugins: [search]
"""
STEP_TIMES = """(n) => {
  const root = document.querySelector("[data-smtp-dialogue]");
  const next = root.querySelector("[data-smtp-action=next]");
  const restart = root.querySelector("[data-smtp-action=restart]");
  const times = [];
  for (let i = 0; i < n; i++) {
    if (next.disabled) { restart.click(); }
    const t0 = performance.now();
    next.click();
    root.getBoundingClientRect(); document.body.offsetHeight;  // force style + layout
    times.push(performance.now() - t0);
  }
  return times;
}"""


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    except OSError:
        return "n/a"


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp_name:
        tmp = Path(tmp_name)
        site = tmp / "site"
        server, url, proc = build_and_serve(site, CachingHandler)  # site_url = served URL: instant navigation
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return 1
        version = next(p.name for p in (site / "pyodide").iterdir() if p.name[0].isdigit())
        (site / "bare.html").write_text(BARE_HTML, encoding="utf-8")
        lock = json.loads((site / "assets" / "smtp" / "console.json").read_text(encoding="utf-8"))["lock_url"]
        (site / "bare.mjs").write_text(BARE_JS % (version, version, lock), encoding="utf-8")
        plain = tmp / "plain"
        (plain / "docs").mkdir(parents=True)
        (plain / "mkdocs.yml").write_text(PLAIN_MKDOCS, encoding="utf-8")
        (plain / "docs" / "index.md").write_text("# Plain page\n\nA plain Material page.\n", encoding="utf-8")
        subprocess.run(
            [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d", str(plain / "site")],
            cwd=plain,
            check=True,
            capture_output=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        plain_server, plain_url = serve(plain / "site")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                ctx = browser.new_context()
                article_bytes, pyodide_bytes, _ = transferred(ctx.new_page(), url + ARTICLE)
                ctx.close()
                ctx = browser.new_context()
                plain_bytes, _, _ = transferred(ctx.new_page(), plain_url + "/")
                ctx.close()
                own = sum(
                    len(gzip.compress(body, 6))
                    for body in (
                        *every_page_modules(site / "assets" / "js").values(),
                        *(
                            (site / "assets" / rel).read_bytes()
                            for rel in ("js/stepper.js", "js/console.js", "css/help.css")
                        ),
                    )
                )
                html = (site / ARTICLE.strip("/") / "index.html").read_text(encoding="utf-8")
                bare_html = re.sub(
                    r'<section[^>]*class="smtp-(dialogue|console)".*?</section>', "", html, flags=re.DOTALL
                )
                markup = len(gzip.compress(html.encode(), 6)) - len(gzip.compress(bare_html.encode(), 6))
                print(
                    f"article before interaction: {article_bytes / 1024:.1f} KB gzip "
                    f"(plain Material page {plain_bytes / 1024:.1f} KB, "
                    f"+{(article_bytes - plain_bytes) / 1024:.1f} KB"
                    f" incl. the article's own text)"
                )
                print(
                    f"  of which stepper + console: JS/CSS {own / 1024:.1f} KB gzip + pre-rendered dialogue "
                    "markup "
                    f"{markup / 1024:.1f} KB gzip = +{(own + markup) / 1024:.1f} KB (target ≤ +30 KB); "
                    f"Pyodide bytes before interaction: {pyodide_bytes} (target 0)"
                )

                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(url + ARTICLE, wait_until="networkidle")
                times = page.evaluate(STEP_TIMES, STEPS)
                ctx.close()
                print(
                    f"stepper step: median {statistics.median(times):.2f} ms, "
                    f"p95 {statistics.quantiles(times, n=20)[-1]:.2f} ms, max {max(times):.2f} ms "
                    f"over {STEPS} steps (target < 16 ms)"
                )

                runs: dict[str, list] = {
                    "bare_cold": [],
                    "bare_warm": [],
                    "cold": [],
                    "warm": [],
                    "unsaved": [],
                }
                for _ in range(REPEAT):  # interleaved, fresh context (empty cache) for each cold start
                    ctx = browser.new_context()
                    runs["bare_cold"].append(bare_start(ctx, url))
                    runs["bare_warm"].append(bare_start(ctx, url))
                    ctx.close()
                    ctx = browser.new_context()
                    runs["cold"].append(console_start(ctx, url))
                    runs["warm"].append(console_start(ctx, url))
                    runs["unsaved"].append(console_start(ctx, url, forget_snapshot=True))
                    ctx.close()
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(url + ARTICLE, wait_until="networkidle")
                page.evaluate(START_CONSOLE)
                page.evaluate("() => { window.__benchSameDocument = true; }")
                page.locator("a[href$='tips/']").first.click()
                page.wait_for_url("**/tips/")
                page.go_back()
                page.wait_for_url(f"**{ARTICLE}")
                page.locator("[data-smtp-console-start]").wait_for()
                same_tab = page.evaluate(START_CONSOLE)
                same_document = page.evaluate("() => window.__benchSameDocument === true")
                ctx.close()
                bare_cold = statistics.median(runs["bare_cold"])
                bare_warm = statistics.median(runs["bare_warm"])
                cold = median_run(runs["cold"])
                warm = median_run(runs["warm"])
                unsaved = median_run(runs["unsaved"])
                print(
                    f"bare Pyodide page: cold {bare_cold:.0f} ms, warm {bare_warm:.0f} ms (navigation → "
                    "ready; "
                    f"median of {REPEAT})"
                )
                print(
                    f"live console, click → first reply: cold {cold['elapsed']:.0f} ms "
                    f"(bare + {cold['elapsed'] - bare_cold:.0f} ms; "
                    f"{paired(runs['cold'], runs['bare_cold'])}), "
                    f"warm {warm['elapsed']:.0f} ms "
                    f"(targets: ≤ bare + 300 ms cold, ≤ 1000 ms warm); Python started from: cold "
                    f"{'/'.join(r['boot'] for r in runs['cold'])}, warm "
                    f"{'/'.join(r['boot'] for r in runs['warm'])}"
                )
                print(
                    f"live console, warm HTTP cache but no saved snapshot (storage cleared, full start): "
                    f"{unsaved['elapsed']:.0f} ms (bare warm + {unsaved['elapsed'] - bare_warm:.0f} ms)"
                )
                print(
                    f"live console started again in the same tab after instant navigation away and back "
                    f"(Python still running in the worker): {same_tab['elapsed']:.0f} ms"
                    + ("" if same_document else " [full reload happened]")
                )
                for name, r in (("cold", cold), ("warm", warm), ("warm, no snapshot", unsaved)):
                    print(f"  {name} stages (ms after click): {r['marks']}, first reply @{r['elapsed']:.0f}")
                    print(
                        f"main thread during console start ({name}): {main_thread(r)}, worst of {REPEAT} "
                        f"(target: no task ≥ 50 ms)"
                    )
                ctx = browser.new_context()
                for _ in range(2):  # cold, then warm
                    t = traced_console_start(browser, ctx, url)
                    print(
                        f"main thread under a trace ({t['boot']} start, first reply @{t['elapsed']:.0f}): "
                        "longest "
                        f"task {t['wall']:.0f} ms of wall time, of which {t['cpu']:.0f} ms on a CPU; most "
                        "CPU in "
                        f"any task {t['max_cpu']:.0f} ms (the rest of a wall time is waiting for a core); "
                        f"scripts in that task: {t['scripts']}"
                    )
                ctx.close()
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(url + ARTICLE, wait_until="networkidle")
                idle = page.evaluate(IDLE_PROBE, int(cold["elapsed"]))
                ctx.close()
                print(f"control, same page idle for as long (nothing started): {main_thread(idle)}")
                long_text_timings(browser, url)
                nginx_starts(browser, site, tmp / "nginx")
                browser.close()
                print(f"(load average {load_average()} on {os.cpu_count()} CPUs: timings stretch with load)")
        finally:
            server.shutdown()
            plain_server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
