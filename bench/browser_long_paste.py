"""A 1 MB paste, link and hand-over on /diagnose/ (bench_browser.py; issue 21 #1)."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Browser

from support.main_thread import Task, traced

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
