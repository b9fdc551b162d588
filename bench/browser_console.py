"""The live console's start-up measured in a page (bench_browser.py): the main-thread probes, the
bare Pyodide page it is compared with, and the helpers that time both and print them."""

from __future__ import annotations

import functools
import gzip
import http.server
import statistics
import threading
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Response
from playwright.sync_api import Error as PlaywrightError

from support.browser import ARTICLE
from support.main_thread import traced
from support.site_build import QuietHandler

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


class CachingHandler(QuietHandler):
    def end_headers(self) -> None:
        # as deploy/nginx.conf: versioned Pyodide and hashed wheel paths are immutable, HTML revalidates
        if self.path.startswith("/pyodide/"):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(CachingHandler, directory=str(root))
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


def median_run(runs: list[dict]) -> dict:
    """The run with the median time to first reply; longest task is the worst over all runs."""
    ordered = sorted(runs, key=lambda r: r["elapsed"])
    middle = dict(ordered[len(ordered) // 2])
    middle["longest"] = max(r["longest"] for r in runs)
    middle["maxGap"] = max(r["maxGap"] for r in runs)
    middle["longestFrame"] = max(r["longestFrame"] for r in runs)
    return middle
