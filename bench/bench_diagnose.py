"""Benchmark the error diagnosis (``make bench`` runs it; prints figures, asserts nothing).

1. Accuracy (issue 17) on each part of the real pasted texts: written-from (tests/diagnose/corpus.yml,
   the texts the rules were written from), held-out (heldout.yml) and blind (blind.yml, collected by
   sessions that never saw the rules; scored in aggregate only): top-1, top-3, "unknown" (and how many
   of those hold a reply or enhanced code), the 503 texts; per language, per kind and per layer that
   decided; the confusion matrix and misses of written-from + held-out.
2. Weight, on the real site built once: the gzip bytes the article gains from the diagnosis (its
   entry form, its "Find your error text" section (the table is on /error-texts/), the module the
   form loads and the modules that one imports, its share of the site stylesheet) against a budget
   of 10 KB; everything /diagnose/ loads for a reader who only opens it against a plain page of the
   site (same theme, no widget) plus 30 KB; what the first intent (a focus in the box) loads on top
   (the rules, the worker, the answer's module); the Pyodide bytes /diagnose/ loads (budget 0).
3. Speed, in Chromium, the time from the click on "Diagnose" to the frame that shows the answer
   (performance marks of assets/js/diagnose.js), against 50 ms: the first click on a fresh page
   (BENCH_RUNS=5 pages, each in a new browser context) once the intent's load and warm-up are over,
   300 ms after the intent, and with no intent before the click (the rules are fetched by the click);
   the time from the intent to the rules compiled and to the matcher warm; every corpus text (best
   of BENCH_ROUNDS=3 per text, the machine's load average printed beside it); a 100 KB paste.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

from browser_console import transferred  # bench/ (this script's folder)
from playwright.sync_api import Browser, BrowserContext, Page, Response
from playwright.sync_api import Error as PlaywrightError
from site_modules import every_page_modules, module_closure  # bench/

from smtpdiagnose.diagnose import diagnose
from support import site_build
from support.diagnose_corpus import load_corpus, load_sets, measure  # tests/support/

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = "errors/503-valid-rcpt-command-must-precede-data"
PLAIN_PAGE = "tips"  # a page of prose only: the theme's own weight
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
FIRST_RUNS = int(os.environ.get("BENCH_RUNS", "5"))
#: A quick reader's focus -> paste -> click (the click of the first-click timings' second series).
QUICK_CLICK_MS = 300
#: The texts of the first-click timings, and about 100 KB of an SMTP client's log with the refusal at
#: its end (issue 17: "the answer still paints < 50 ms after the click, for a 100 KB paste too").
FIRST_TEXT = "535 5.7.8 Error: authentication failed: Incorrect authentication data"
TEXT_100_KB = (
    "".join(f"C: RCPT TO:<user{i}@example.net>\nS: 250 2.1.5 Ok {i}\n" for i in range(2_200))[:100_000]
    + f"\n{FIRST_TEXT}\n"
)
#: The text (null: what the box holds) is put in the box and painted there, as a reader sees it before
#: clicking (laying out a long text in the box is the paste's cost, not the click's); then the click,
#: at a random point of a frame (a reader's click comes at any point: right after a frame, the answer
#: waits most of one for the next).
CLICK_TO_PAINT = """async (text) => {
  const root = document.querySelector("[data-diagnose]");
  if (text !== null) root.querySelector("#diagnose-text").value = text;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, Math.random() * 16.7)));
  performance.clearMarks();
  const t0 = performance.now();
  root.querySelector("[data-diagnose-form] button[type=submit]").click();
  return new Promise((resolve) => {
    const poll = () => {
      const painted = performance.getEntriesByName("diagnose:painted");
      const rendered = performance.getEntriesByName("diagnose:rendered");
      if (painted.length) resolve([painted[0].startTime - t0, rendered[0].startTime - t0]);
      else setTimeout(poll, 1);
    };
    poll();
  });
}"""
#: Focus the box (the reader's first intent); resolves with the milliseconds until the rules are ready
#: (compiled) and until the matcher is warm.
INTENT_TO_READY = """() => {
  const root = document.querySelector("[data-diagnose]");
  const t0 = performance.now();
  let ready = null;
  root.querySelector("#diagnose-text").focus();
  return new Promise((resolve) => {
    const poll = () => {
      if (ready === null && root.dataset.diagnoseRules === "ready") ready = performance.now() - t0;
      if (root.dataset.diagnoseWarm === "1") resolve([ready, performance.now() - t0]);
      else setTimeout(poll, 1);
    };
    poll();
  });
}"""


def gz(data: bytes | str) -> int:
    return len(gzip.compress(data.encode() if isinstance(data, str) else data, 6))


def _row(label: str, entries: list[dict], width: int = 28) -> str:
    acc = measure(entries)
    return (
        f"  {label:<{width}} {acc.total:>4}  top-1 {acc.rate(acc.top1, acc.total):>6.1%}"
        f"  top-3 {acc.rate(acc.top3, acc.total):>6.1%}  unknown {acc.unknown:>3}"
        f" (with a code {acc.unknown_with_code})"
        + (f"  503 texts {acc.top1_503}/{acc.total_503}" if acc.total_503 else "")
    )


#: The blind collectors by round: what is left of blind set 2 (round 4 spent half, round 5 all but its
#: devices), blind set 6's half that round 9 did not spend (round 8; round 8 spent blind set 5), blind set 7
#: (round 9).
BLIND_ROUNDS = {
    "set 2, its devices (B3-B6)": ("B3", "B4", "B5", "B6"),
    "set 6's unspent half (B28-B40)": tuple(f"B{i}" for i in range(28, 41)),
    "set 7 (B41-B46)": tuple(f"B{i}" for i in range(41, 47)),
    "set 8 (B47-B52)": tuple(f"B{i}" for i in range(47, 53)),
    "set 9 (B53-B59)": tuple(f"B{i}" for i in range(53, 60)),
}


def _blind_collections(entries: list[dict]) -> dict[str, list[dict]]:
    """The blind part by the collection its texts came from (``collector``), in aggregate only."""
    return {
        f"blind {name}": [e for e in entries if e.get("collector") in collectors]
        for name, collectors in BLIND_ROUNDS.items()
    }


def accuracy() -> None:
    """Issue 17's table: per part, and within each part per language, per kind, per deciding layer.
    The blind part is only ever scored in aggregate (its texts are never printed)."""
    sets = load_sets()
    print("accuracy (targets on held-out and blind: top-1 >= 90 %, top-3 >= 97 %, 0 unknown with a code,")
    print("          every 503 / 'RCPT first' text right)")
    for part, entries in sets.items():
        print(_row(part, entries))
    for name, group in _blind_collections(sets["blind"]).items():
        print(_row(f"  {name}", group, width=40))
    for part, entries in sets.items():
        for key in ("language", "kind"):
            groups: dict[str, list[dict]] = {}
            for e in entries:
                groups.setdefault(str(e.get(key, "en" if key == "language" else "?")), []).append(e)
            if len(groups) > 1:
                print(f"  {part} by {key}:")
                for name in sorted(groups):
                    print(_row(f"  {name}", groups[name]))
        by_layer: dict[str, list[dict]] = {}
        for e in entries:
            by_layer.setdefault(str(diagnose(e["text"]).decided_by), []).append(e)
        print(f"  {part} by the layer that decided:")
        for name in sorted(by_layer):
            print(_row(f"  {name}", by_layer[name]))
    corpus = sets["written-from"] + sets["held-out"]
    acc = measure(corpus)
    causes = sorted({c for pair in acc.confusion for c in pair})
    short = {c: c[:9] for c in causes}
    print(
        "  confusion, written-from + held-out (rows: cause the source established, columns: diagnosed first)"
    )
    print("  " + " " * 20 + " ".join(f"{short[c]:>9}" for c in causes))
    for want in causes:
        row = [acc.confusion.get((want, got), 0) for got in causes]
        if any(row):
            print(f"  {want:>20}" + " ".join(f"{n or '.':>9}" for n in row))
    for ident, want, ranked in acc.misses:
        print(f"  miss: {ident}: {want} -> {', '.join(ranked)}")
    servers = Counter()
    stages = Counter()
    for entry in corpus:
        d = diagnose(entry["text"])
        if entry.get("server"):
            servers[entry["server"] == d.server] += 1
        if entry.get("stage"):
            stages[entry["stage"] == d.stage] += 1
    print(
        f"  server agrees with the corpus on {servers[True]}/{sum(servers.values())} texts that name one,"
        f" stage on {stages[True]}/{sum(stages.values())}"
    )


def _gzip_bytes(responses: list[Response]) -> int:
    total = 0
    for response in responses:
        try:
            total += len(gzip.compress(response.body(), 6))
        except PlaywrightError:  # redirects and aborted responses have no body
            continue
    return total


def _fresh_diagnose_page(browser: Browser, url: str) -> tuple[BrowserContext, Page]:
    """/diagnose/ in a new context (empty HTTP cache), its widget mounted, nothing done on it."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/diagnose/", wait_until="networkidle")
    page.wait_for_selector("[data-diagnose][data-diagnose-ready]", state="attached")
    return context, page


def first_clicks(browser: Browser, url: str) -> None:
    """The first click on a fresh page: once the intent's load and warm-up are over; QUICK_CLICK_MS
    after the intent (a quick reader: focus, paste, click); and with no intent before the click (a
    script's click: no focus, no pointer), so the click itself loads the rules."""
    ready_ms, warm_ms, after_intent, quick, no_intent = [], [], [], [], []
    for _ in range(FIRST_RUNS):
        context, page = _fresh_diagnose_page(browser, url)
        ready, warm = page.evaluate(INTENT_TO_READY)
        ready_ms.append(ready)
        warm_ms.append(warm)
        after_intent.append(page.evaluate(CLICK_TO_PAINT, FIRST_TEXT)[0])
        context.close()
        context, page = _fresh_diagnose_page(browser, url)
        page.locator("#diagnose-text").focus()
        page.wait_for_timeout(QUICK_CLICK_MS)
        quick.append(page.evaluate(CLICK_TO_PAINT, FIRST_TEXT)[0])
        context.close()
        context, page = _fresh_diagnose_page(browser, url)
        no_intent.append(page.evaluate(CLICK_TO_PAINT, FIRST_TEXT)[0])
        context.close()

    def line(values: list[float]) -> str:
        return f"median {statistics.median(values):.1f} ms, max {max(values):.1f} ms"

    print(f"speed: first click on a fresh page ({FIRST_RUNS} pages, load average {os.getloadavg()[0]:.1f}):")
    print(f"  intent (focus in the box) -> rules compiled: {line(ready_ms)}; matcher warm: {line(warm_ms)}")
    print(f"  click -> answer painted, once the matcher is warm: {line(after_intent)}   (target < 50 ms)")
    print(f"  click -> answer painted, the click {QUICK_CLICK_MS} ms after the intent: {line(quick)}")
    print(f"  click -> answer painted, no intent before the click (rules fetched by it): {line(no_intent)}")


def weight_and_speed() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        server, url, proc = site_build.build_and_serve(site)
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr)
            raise SystemExit("build failed")
        try:
            article_weight(site)
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=site_build.CHROMIUM, headless=True, args=site_build.CHROMIUM_ARGS
                )
                page = browser.new_page()
                plain, _, _ = transferred(page, f"{url}/{PLAIN_PAGE}/")
                page.close()
                context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
                page = context.new_page()
                diag, pyodide, urls = transferred(page, f"{url}/diagnose/")
                print(
                    f"  /diagnose/ opened (no intent) loads {diag / 1024:.1f} KB,"
                    f" a plain page (/{PLAIN_PAGE}/) "
                    f"{plain / 1024:.1f} KB: +{(diag - plain) / 1024:.1f} KB   (budget +30 KB);"
                    f" rules fetched: {'yes' if any('/api/diagnoses.json' in u for u in urls) else 'no'}"
                )
                page.wait_for_selector("[data-diagnose][data-diagnose-ready]", state="attached")
                responses: list[Response] = []
                page.on("response", lambda r: responses.append(r))
                page.evaluate(INTENT_TO_READY)
                page.wait_for_timeout(500)
                more = _gzip_bytes(responses)
                print(
                    f"  the first intent (focus in the box) loads +{more / 1024:.1f} KB more"
                    f" ({', '.join(r.url.rsplit('/', 1)[-1] for r in responses)})"
                )
                print(f"  Pyodide bytes loaded by /diagnose/: {pyodide}   (budget 0)")
                corpus_speed(page)
                context.close()
                first_clicks(browser, url)
                browser.close()
        finally:
            server.shutdown()


def article_weight(site: Path) -> None:
    """What the article gains from the diagnosis (gzip), against its 10 KB budget."""
    article = (site / ARTICLE / "index.html").read_text(encoding="utf-8")
    without = re.sub(r'<form class="diagnose-entry".*?</form>', "", article, flags=re.DOTALL)
    start = without.index('id="error-texts"')
    start = without.rindex("<h3", 0, start)
    without = without[:start] + without[without.index("<h3", start + 10) :]
    css = (site / "assets" / "css" / "help.css").read_text(encoding="utf-8")
    own_css = (ROOT / "docs" / "assets" / "css" / "diagnose.css").read_text(encoding="utf-8")
    js = site / "assets" / "js"
    modules = module_closure(js, "diagnose-entry.js", skip=every_page_modules(js))  # the article's gain
    gained = {
        "entry form + 'Find your error text' section (HTML)": gz(article) - gz(without),
        **{
            f"{name} ({'the entry form' if i == 0 else 'imported by it'})": gz(data)
            for i, (name, data) in enumerate(modules.items())
        },
        "diagnose.css share of help.css": gz(css) - gz(css.replace(own_css.strip(), "")),
    }
    print("weight (gzip):")
    for what, size in gained.items():
        print(f"  article gains {size / 1024:5.1f} KB  {what}")
    print(f"  article gains {sum(gained.values()) / 1024:5.1f} KB in all   (budget 10 KB)")


def corpus_speed(page: Page) -> None:
    """Click -> paint for every corpus text (best of ROUNDS: the machine's other processes, load
    average printed, preempt the renderer; the best round is what the page itself costs), and for a
    100 KB text, on a page whose rules are ready."""
    runs = [[page.evaluate(CLICK_TO_PAINT, entry["text"]) for _ in range(ROUNDS)] for entry in load_corpus()]
    times = sorted(min(r[0] for r in text_runs) for text_runs in runs)
    dom = sorted(min(r[1] for r in text_runs) for text_runs in runs)
    print(
        f"speed: click -> answer in the DOM (matcher + DOM update), max {dom[-1]:.1f} ms,"
        f" median {statistics.median(dom):.1f} ms"
    )
    print(
        f"speed: click -> answer painted (best of {ROUNDS}), {len(times)} corpus texts in"
        f" Chromium, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs:"
        f" median {statistics.median(times):.1f} ms, p95 "
        f"{times[int(len(times) * 0.95) - 1]:.1f} ms,"
        f" max {times[-1]:.1f} ms   (target < 50 ms for every text)"
    )
    typed = sorted(page.evaluate(CLICK_TO_PAINT, TEXT_100_KB)[0] for _ in range(ROUNDS))
    pasted = []
    for _ in range(ROUNDS):
        page.evaluate("(t) => navigator.clipboard.writeText(t)", TEXT_100_KB)
        page.locator("#diagnose-text").fill("")
        page.locator("#diagnose-text").press("Control+V")
        page.locator(".diagnose__kept:not([hidden])").wait_for()
        pasted.append(page.evaluate(CLICK_TO_PAINT, None)[0])
    pasted.sort()
    size = len(TEXT_100_KB) // 1000
    print(
        f"speed: click -> answer painted, a {size} KB paste (Ctrl+V: the box keeps its two ends):"
        f" best {pasted[0]:.1f} ms, worst {pasted[-1]:.1f} ms of {ROUNDS};"
        f" the whole {size} KB set in the box: best {typed[0]:.1f} ms, worst {typed[-1]:.1f} ms"
        "   (target < 50 ms)"
    )


def main() -> int:
    accuracy()
    if os.environ.get("BENCH_ACCURACY_ONLY") != "1":
        weight_and_speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
