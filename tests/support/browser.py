"""Helpers of the browser tests (Playwright Python API + Debian Chromium): page logs, axe-core."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTICLE = "/errors/503-valid-rcpt-command-must-precede-data/"
LOCAL_HOSTS = {"127.0.0.1"}
STEP_TIMEOUT = 15_000  # ms for one UI action; a broken page fails fast instead of after 30 s


@dataclass
class PageLog:
    """What a page did that a clean page must not do."""

    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.external == [], f"requests left 127.0.0.1: {self.external}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.page_errors == [], f"uncaught errors: {self.page_errors}"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


#: The ``open_page`` fixture: ``open_page(path, **context_options) -> (page, log)``.
OpenPage = Callable[..., tuple[Page, PageLog]]


def watch(context: BrowserContext, page: Page, log: PageLog) -> None:
    """Abort and record off-host requests; record console errors and page errors."""

    def route(route: Route) -> None:
        url = route.request.url
        if _is_local(url):
            _unless_answered(route.continue_)
        else:
            log.external.append(url)
            _unless_answered(route.abort)

    context.route("**/*", route)
    page.on("request", lambda r: log.requests.append(r.url))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            log.console_errors.append(f"{message.text} [{where}]")

    page.on("console", console)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))


def _unless_answered(answer: Callable[[], None]) -> None:
    """Answer a routed request, unless another handler already has: a test that unroutes its own
    handler (``tamper``) while a request is in flight lets Playwright pass the request on to the next
    one (``watch``'s), or leaves it unchanged; the test checks the outcome."""
    try:
        answer()
    except PlaywrightError as error:
        if "already handled" not in str(error):
            raise


def tamper(route: Route) -> None:
    """Route handler: the real response with one octet appended (a wheel whose sha256 no longer matches)."""
    response = route.fetch()
    _unless_answered(lambda: route.fulfill(response=response, body=response.body() + b"\0"))


def run_axe(page: Page, include: list[str] | None = None) -> list[dict]:
    """Inject axe-core from node_modules (no CDN) and return serious/critical violations, for the
    whole document or only the elements matching the *include* selectors."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    context = {"include": [[sel] for sel in include]} if include else None
    result = page.evaluate(
        "([context]) => axe.run(context || document, {resultTypes: ['violations']})", [context]
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
