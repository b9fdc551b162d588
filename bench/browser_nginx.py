"""The bare page's and the live console's starts with the site served by Debian's nginx and
deploy/nginx.conf (bench_browser.py)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from browser_console import REPEAT, bare_start, console_start, main_thread, median_run, paired
from playwright.sync_api import Browser, BrowserContext

from support.publish import start_nginx

T = TypeVar("T")


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
    cold, warm2, warm3 = (median_run(series) for series in runs["console"])
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
