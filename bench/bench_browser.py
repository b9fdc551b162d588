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

import functools
import gzip
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from playwright.sync_api import Browser, BrowserContext, Page, Response
from playwright.sync_api import Error as PlaywrightError

from support.browser import ARTICLE
from support.main_thread import Task, traced
from support.publish import start_nginx
from support.site_build import CHROMIUM, CHROMIUM_ARGS, QuietHandler, build_and_serve

ROOT = Path(__file__).resolve().parent.parent

T = TypeVar("T")
STEPS = 60
#: The help centre's own modules every page loads (help.js and its parts).
EVERY_PAGE_JS = (
    "js/help.js",
    "js/help-dom.js",
    "js/help-portal.js",
    "js/help-feedback.js",
    "js/help-handover.js",
)
REPEAT = 5  # console and bare-page starts: the median of five runs is printed (run-to-run noise is ±0.5 s)
BARE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide</title>
<script type="module" src="bare.mjs"></script></head><body><p id="out">loading</p></body></html>
"""
BARE_JS = """import { loadPyodide } from "./pyodide/%s/pyodide.mjs";
try {
  const py = await loadPyodide({ indexURL: new URL("./pyodide/%s/", location.href).href,
                                 lockFileURL: new URL("./%s", location.href).href });
  document.getElementById("out").textContent = "ready " + py.runPython("1 + 1");
} catch (error) {
  document.getElementById("out").textContent = "failed " + error;
} finally {
  document.getElementById("out").dataset.done = "";  // waited for by selector: no eval, works under the CSP
}
"""
PLAIN_MKDOCS = """site_name: Plain
site_url: https://plain.example/
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.sections, navigation.top, search.highlight, search.suggest]
plugins: [search]
"""
# Main-thread probes: long tasks and long animation frames (≥ 50 ms, PerformanceObserver; a frame also
# counts style, layout and paint) and the largest gap between timer turns. The gap
# probe is a setTimeout chain (clamped to ~4 ms): a MessageChannel ping-pong would keep a whole core
# busy and, on a 2-core machine, slow the very worker it is measuring.
MAIN_THREAD_PROBES = """
  const longTasks = [], longFrames = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  try { observer.observe({ type: "longtask", buffered: false }); } catch (e) {}
  const frames = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longFrames.push(e.duration);
  });
  try { frames.observe({ type: "long-animation-frame", buffered: false }); } catch (e) {}
  let maxGap = 0, last = performance.now(), probing = true;
  const tick = () => {
    const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now;
    if (probing) { setTimeout(tick, 0); }
  };
  setTimeout(tick, 0);
"""
# Installs the probes, clicks "Start live console" and resolves at the first server line.
START_CONSOLE = (
    """async () => {"""
    + MAIN_THREAD_PROBES
    + """  const log = document.querySelector("[data-smtp-console-log]");
  const stages = [];
  const stage = document.querySelector("[data-smtp-console-stage]");
  const stageObserver = new MutationObserver(() => stages.push([stage.textContent, performance.now()]));
  stageObserver.observe(stage, { childList: true, characterData: true, subtree: true });
  const t0 = performance.now();
  document.querySelector("[data-smtp-console-start]").click();
  await new Promise((resolve) => {  // the first server line in the DOM, then the frame that paints it
    const painted = () => requestAnimationFrame(() => setTimeout(resolve, 0));
    const seen = new MutationObserver(() => {
      if (log.querySelector(".smtp-console__line--server")) { seen.disconnect(); painted(); }
    });
    seen.observe(log, { childList: true, subtree: true });
  });
  const elapsed = performance.now() - t0;
  probing = false; observer.disconnect(); frames.disconnect(); stageObserver.disconnect();
  const marks = stages.map(([text, t]) => text.replace(/…$/, "") + " @" + Math.round(t - t0));
  return { elapsed, longest: longTasks.length ? Math.max(...longTasks) : 0,
           longestFrame: longFrames.length ? Math.max(...longFrames) : 0, maxGap, marks: marks.join(", ") };
}"""
)
# The same probes on the article while nothing is started: what the machine's load alone does.
IDLE_PROBE = (
    """async (ms) => {"""
    + MAIN_THREAD_PROBES
    + """  await new Promise((resolve) => setTimeout(resolve, ms));
  probing = false; observer.disconnect(); frames.disconnect();
  return { longest: longTasks.length ? Math.max(...longTasks) : 0,
           longestFrame: longFrames.length ? Math.max(...longFrames) : 0, maxGap };
}"""
)
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


class _Handler(QuietHandler):
    def end_headers(self) -> None:
        # as deploy/nginx.conf: versioned Pyodide and hashed wheel paths are immutable, HTML revalidates
        if self.path.startswith("/pyodide/"):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def transferred(page: Page, url: str) -> tuple[int, int, list[str]]:
    """Load *url*; return (gzip bytes of all responses, Pyodide bytes, URLs)."""
    responses: list[Response] = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)  # # late, idle-time requests count too
    total = pyodide = 0
    urls = []
    for response in responses:
        try:
            body = response.body()
        except PlaywrightError:  # redirects and aborted responses have no body
            continue
        size = len(gzip.compress(body, 6))
        total += size
        urls.append(response.url)
        if "/pyodide/" in response.url:
            pyodide += len(body)
    return total, pyodide, urls


def console_start(context: BrowserContext, url: str, forget_snapshot: bool = False) -> dict[str, float]:
    """Click → first reply. After a full start the page stays open until the worker has saved its
    interpreter snapshot (as a reader's tab does while they type); *forget_snapshot* deletes any saved
    snapshot first, to time a warm HTTP cache without one."""
    page = context.new_page()
    page.goto(url + ARTICLE, wait_until="networkidle")
    if forget_snapshot:
        page.evaluate("() => caches.delete('smtp-console-snapshot')")
    result = page.evaluate(START_CONSOLE)
    result["boot"] = _close_when_saved(page)
    return result


def _close_when_saved(page: Page) -> str | None:
    """How Python started on *page* (full | snapshot); after a full start, wait until the worker has
    saved its snapshot, then close the page."""
    boot = page.locator("[data-smtp-console]").first.get_attribute("data-smtp-console-boot")
    if boot == "full":
        page.wait_for_selector("[data-smtp-console-snapshot=saved]", state="attached", timeout=60_000)
    page.close()
    return boot


def traced_console_start(browser: Browser, context: BrowserContext, url: str) -> dict[str, object]:
    """One console start under a Chromium trace. Returns the renderer main thread's longest task by
    wall time, that task's thread CPU time and the largest CPU time of any task: a task's wall time
    also counts the time its thread waited for a core, which a loaded 2-core machine adds."""
    page = context.new_page()
    page.goto(url + ARTICLE, wait_until="networkidle")

    def start() -> float:
        elapsed = page.evaluate(START_CONSOLE)["elapsed"]
        page.wait_for_timeout(300)  # the frames after the greeting
        return elapsed

    elapsed, tasks = traced(browser, page, start)
    boot = _close_when_saved(page)
    longest = max(tasks, key=lambda t: t.wall)
    return {
        "boot": boot,
        "elapsed": elapsed,
        "wall": longest.wall,
        "cpu": longest.cpu,
        "max_cpu": max(t.cpu for t in tasks),
        "scripts": ", ".join(f"{u.rsplit('/', 1)[-1]} {ms:.0f} ms" for u, ms in longest.scripts.items())
        or "no script",
    }


#: About 1 MB of an SMTP client's log with the refusal at its end (tests/browser/test_diagnose_long_text.py).
LONG_TEXT = "".join(f"C: RCPT TO:<user{i}@example.net>\nS: 250 2.1.5 Ok {i}\n" for i in range(22_000))[
    :1_000_000
]
LONG_TEXT += "\n535 5.7.8 Error: authentication failed: Incorrect authentication data\n"
LONGTASKS = """window.__long = []; new PerformanceObserver((l) => l.getEntries().forEach((e) =>
  __long.push(Math.round(e.duration)))).observe({type: 'longtask'});"""


def _worst(tasks: list[Task], ours_only: bool) -> str:
    """The largest CPU time in one task: of the site's own scripts (``ours_only``) or of the task."""
    ours = "/assets/js/"
    worst = max(tasks, key=lambda t: t.script_cpu(ours) if ours_only else t.cpu, default=None)
    if worst is None:
        return "no task"
    if ours_only:
        mine = worst.script_cpu(ours)
        return f"{mine:.0f} ms CPU (in a task of {worst.cpu:.0f} ms CPU, {worst.wall:.0f} ms wall)"
    return f"{worst.cpu:.0f} ms CPU ({worst.wall:.0f} ms wall)"


def long_text_timings(browser: Browser, url: str) -> None:
    """A 1 MB paste (Ctrl+V), a 1 MB #text= link and a 1 MB search hand-over on /diagnose/ (issue 21
    #1): the longest main-thread task by CPU and wall time (trace), 'longtask' entries, time to answer."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.add_init_script(LONGTASKS)
    page = context.new_page()
    page.goto(url + "/diagnose/")
    page.wait_for_selector("[data-diagnose][data-diagnose-ready]", state="attached")
    page.evaluate("(t) => navigator.clipboard.writeText(t)", LONG_TEXT)
    page.locator("#diagnose-text").focus()
    page.wait_for_timeout(300)
    page.evaluate("() => { __long.length = 0; }")

    def paste() -> float:
        start = page.evaluate("() => performance.now()")
        page.keyboard.press("Control+V")
        page.locator(".diagnose__kept:not([hidden])").wait_for()
        elapsed = page.evaluate("(t) => performance.now() - t", start)
        page.wait_for_timeout(300)
        return elapsed

    elapsed, tasks = traced(browser, page, paste)
    kept = len(page.locator("#diagnose-text").input_value())
    longtasks = page.evaluate("() => __long")
    print(
        f"1 MB paste into /diagnose/: {kept} characters kept in {elapsed:.0f} ms; longest main-thread task "
        f"{_worst(tasks, False)}; 'longtask' entries {longtasks} (target: none over 50 ms)"
    )
    link = url + "/diagnose/#text=" + quote(LONG_TEXT, safe="")
    page.goto(url + "/")  # the link is followed from another page (a new document)

    def follow() -> float:
        page.goto(link, wait_until="commit")
        page.locator("[data-diagnose-answer] h2").wait_for(timeout=60_000)
        return page.evaluate("() => performance.now()")

    elapsed, tasks = traced(browser, page, follow)
    print(
        f"1 MB #text= link: answer {elapsed:.0f} ms after the (second) navigation start; most CPU of the "
        f"site's scripts in one task {_worst(tasks, True)}, of any task {_worst(tasks, False)} "
        "(target: ours ≤ 50 ms)"
    )
    context.close()


def bare_start(context: BrowserContext, url: str) -> float:
    page = context.new_page()
    page.goto(url + "/bare.html")
    page.wait_for_selector("#out[data-done]", state="attached", timeout=120_000)
    state = page.text_content("#out")
    if not state.startswith("ready"):
        raise RuntimeError(f"bare Pyodide page: {state}")
    elapsed = page.evaluate("() => performance.now()")
    page.close()
    return elapsed


def main_thread(r: dict) -> str:
    """Long tasks and long animation frames (reported from 50 ms) and the largest timer gap; a gap
    with neither is the renderer waiting for a CPU, not page work."""

    def worst(ms: float) -> str:
        return f"{ms:.0f} ms" if ms else "none ≥ 50 ms"

    return (
        f"longest task {worst(r['longest'])}, longest animation frame {worst(r['longestFrame'])}, "
        f"largest timer gap {r['maxGap']:.1f} ms"
    )


def paired(console: list[dict], bare: list[float]) -> str:
    """Console minus bare page, round by round (each pair ran back to back, so machine load that drifts
    between rounds cancels out): the median difference and its range."""
    diffs = sorted(c["elapsed"] - b for c, b in zip(console, bare, strict=True))
    return (
        f"paired by round: bare {statistics.median(diffs):+.0f} ms (range {diffs[0]:+.0f} … {diffs[-1]:+.0f})"
    )


def _median_run(runs: list[dict]) -> dict:
    """The run with the median time to first reply; longest task is the worst over all runs."""
    ordered = sorted(runs, key=lambda r: r["elapsed"])
    middle = dict(ordered[len(ordered) // 2])
    middle["longest"] = max(r["longest"] for r in runs)
    middle["maxGap"] = max(r["maxGap"] for r in runs)
    middle["longestFrame"] = max(r["longestFrame"] for r in runs)
    return middle


NGINX_LABEL = "under nginx (deploy/nginx.conf caching)"


def _access_log_lines(prefix: Path) -> list[str]:
    log = prefix / "logs" / "access.log"
    return log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []


def _requests_during(prefix: Path, action: Callable[[], T]) -> tuple[T, int, int]:
    """Run *action*; return its result, the requests nginx logged meanwhile, and those under /pyodide/."""
    before = len(_access_log_lines(prefix))
    result = action()
    new = _access_log_lines(prefix)[before:]
    return result, len(new), sum(1 for line in new if '"GET /pyodide/' in line)


def _three_loads(
    browser: Browser, prefix: Path, start: Callable[[BrowserContext, str], T], url: str
) -> tuple[T, T, T, tuple[int, int]]:
    """Cold, 2nd and 3rd load of *start* in one fresh context (empty HTTP and code caches), and the
    requests nginx saw during the 3rd (all, under /pyodide/)."""
    ctx = browser.new_context()
    try:
        cold, warm2 = start(ctx, url), start(ctx, url)
        warm3, total, pyodide = _requests_during(prefix, lambda: start(ctx, url))
    finally:
        ctx.close()
    return cold, warm2, warm3, (total, pyodide)


def nginx_starts(browser: Browser, site: Path, prefix: Path) -> None:
    """Cold, 2nd-load and 3rd-load starts (bare page, live console) with *site* served by nginx."""
    proc, url = start_nginx(prefix, site, precompress=True)  # *site* is this run's private build
    starts = {"bare": bare_start, "console": console_start}
    runs: dict[str, tuple[list, list, list]] = {kind: ([], [], []) for kind in starts}
    hits: dict[str, list[tuple[int, int]]] = {kind: [] for kind in starts}
    try:
        for _ in range(REPEAT):  # interleaved
            for kind, start in starts.items():
                *loads, seen = _three_loads(browser, prefix, start, url)
                for series, value in zip(runs[kind], loads, strict=True):
                    series.append(value)
                hits[kind].append(seen)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    bare_cold, bare_warm2, bare_warm3 = (statistics.median(series) for series in runs["bare"])
    cold, warm2, warm3 = (_median_run(series) for series in runs["console"])
    print(
        f"{NGINX_LABEL}: bare Pyodide page: cold {bare_cold:.0f} ms, warm {bare_warm2:.0f} ms (2nd load), "
        f"{bare_warm3:.0f} ms (3rd load) (navigation → ready; median of {REPEAT})"
    )
    print(
        f"{NGINX_LABEL}: live console, click → first reply: cold {cold['elapsed']:.0f} ms "
        f"(bare + {cold['elapsed'] - bare_cold:.0f} ms; {paired(runs['console'][0], runs['bare'][0])}), "
        f"warm {warm2['elapsed']:.0f} ms (2nd load), {warm3['elapsed']:.0f} ms (3rd load) "
        f"(targets: ≤ bare + 300 ms cold, ≤ 1000 ms warm)"
    )
    print(
        f"{NGINX_LABEL}: requests reaching nginx during a 3rd load (all / under /pyodide/, per run): "
        f"bare page {', '.join(f'{t}/{p}' for t, p in hits['bare'])}; "
        f"article + console {', '.join(f'{t}/{p}' for t, p in hits['console'])}"
    )
    for name, r in (("cold", cold), ("warm, 2nd load", warm2), ("warm, 3rd load", warm3)):
        print(
            f"  {NGINX_LABEL}, {name}: stages (ms after click) {r['marks']}, first reply "
            f"@{r['elapsed']:.0f}; "
            f"{main_thread(r)}"
        )


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
        server, url, proc = build_and_serve(site, _Handler)  # site_url = served URL: instant navigation
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
                    len(gzip.compress((site / "assets" / rel).read_bytes(), 6))
                    for rel in (*EVERY_PAGE_JS, "js/stepper.js", "js/console.js", "css/help.css")
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
                cold = _median_run(runs["cold"])
                warm = _median_run(runs["warm"])
                unsaved = _median_run(runs["unsaved"])
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
