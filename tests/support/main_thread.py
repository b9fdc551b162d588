"""The renderer's main-thread tasks from a Chromium trace (Playwright's ``browser.start_tracing``), with
each task's wall time and the CPU time its thread spent on it, and which of them ran the site's own
scripts.

A long task's wall time (what PerformanceObserver 'longtask' reports) also counts the time its thread
waited for a core, which a loaded 2-core machine adds many times over; its thread CPU time
(``tdur``) does not. The benchmark prints both; tests bound the CPU time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Page

#: What the trace records: tasks and their thread time, and the scripts run inside them.
CATEGORIES = ["toplevel", "disabled-by-default-devtools.timeline", "devtools.timeline", "v8.wasm"]
#: Trace events that run a script; their ``args.data.url`` names it.
SCRIPT_EVENTS = {"FunctionCall", "EvaluateScript", "v8.evaluateModule", "TimerFire", "EventDispatch"}


@dataclass
class Task:
    """One task of a renderer main thread: start (µs, trace clock), wall and CPU time (ms), and the
    CPU time (ms) each script spent in it, by URL (a call inside another call is counted once)."""

    ts: int
    wall: float
    cpu: float
    scripts: dict[str, float] = field(default_factory=dict)
    thread: tuple[int, int] = (0, 0)
    _until: int = 0  # the end of the last script event counted (µs)

    def runs(self, fragment: str) -> bool:
        """Whether a script whose URL holds *fragment* ran in this task."""
        return any(fragment in url for url in self.scripts)

    def script_cpu(self, fragment: str) -> float:
        """The CPU time (ms) of the scripts whose URL holds *fragment* in this task."""
        return sum(ms for url, ms in self.scripts.items() if fragment in url)


def main_thread_tasks(trace: dict | list) -> list[Task]:
    """Every task of every renderer main thread (``CrRendererMain``) in *trace*, in time order."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    names = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    mains = {thread for thread, name in names.items() if name == "CrRendererMain"}
    tasks = [
        Task(e["ts"], e["dur"] / 1000, e.get("tdur", 0) / 1000, thread=(e["pid"], e["tid"]))
        for e in events
        if e.get("ph") == "X"
        and e.get("name") == "ThreadControllerImpl::RunTask"
        and (e["pid"], e["tid"]) in mains
    ]
    tasks.sort(key=lambda t: t.ts)
    by_thread: dict[tuple[int, int], list[Task]] = {}
    for task in tasks:
        by_thread.setdefault(task.thread, []).append(task)
    calls = sorted(
        (e for e in events if e.get("ph") == "X" and e.get("name") in SCRIPT_EVENTS), key=lambda e: e["ts"]
    )
    for e in calls:
        thread = (e.get("pid"), e.get("tid"))
        data = (e.get("args") or {}).get("data") or {}
        url = data.get("url") or data.get("scriptName") or ""
        if not url or thread not in by_thread:
            continue
        for task in by_thread[thread]:
            if task.ts <= e["ts"] <= task.ts + task.wall * 1000:
                if e["ts"] >= task._until:  # not inside a call already counted
                    task.scripts[url] = task.scripts.get(url, 0.0) + e.get("tdur", e.get("dur", 0)) / 1000
                    task._until = e["ts"] + e.get("dur", 0)
                break
    return tasks


def traced(browser: Browser, page: Page, action: Callable[[], object]) -> tuple[object, list[Task]]:
    """Run *action* under a Chromium trace of *page*'s browser; its result and the main-thread tasks."""
    browser.start_tracing(page=page, categories=CATEGORIES)
    try:
        result = action()
    finally:
        trace = json.loads(browser.stop_tracing())
    return result, main_thread_tasks(trace)
