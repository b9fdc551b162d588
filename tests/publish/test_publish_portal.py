"""``?client=<id>`` / ``#client=<id>`` deep links select the client's fix tab (docs/assets/js/help.js)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from support.publish import ROOT

pytestmark = pytest.mark.browser
ARTICLE = "/errors/503-valid-rcpt-command-must-precede-data/"
CLIENTS = [
    c["id"] for c in yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))["clients"]
]


#: The ``new_page`` fixture: a new page in a fresh context, and the page errors it collects.
NewPage = Callable[[], tuple[Page, list[str]]]


def _checked_fix_tab(page: Page) -> str:
    return page.evaluate("() => (document.querySelector('input[id^=\"fix-\"]:checked') || {}).id || ''")


@pytest.fixture
def new_page(chromium: Browser) -> Iterator[NewPage]:
    contexts = []

    def _new() -> tuple[Page, list[str]]:
        context = chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page, errors

    yield _new
    for context in contexts:
        context.close()


@pytest.mark.parametrize("client", CLIENTS)
def test_query_selects_client_tab(new_page: NewPage, site_url: str, client: str) -> None:
    page, errors = new_page()
    page.goto(f"{site_url}{ARTICLE}?client={client}", wait_until="load")
    page.wait_for_function(
        "id => document.documentElement.getAttribute('data-help-client') === id", arg=client
    )
    assert _checked_fix_tab(page) == f"fix-{client}"
    assert page.is_visible(f"label[for='fix-{client}']")
    page.wait_for_function(LANDED_JS, arg=client)  # fails by timeout when it never lands in view
    assert errors == []


#: The section's heading and the chosen tab's label are both in the window, below the sticky header.
LANDED_JS = """id => {
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const heading = document.getElementById('fix').getBoundingClientRect();
  const label = document.querySelector(`label[for="fix-${id}"]`).getBoundingClientRect();
  return heading.top >= header && label.top >= header && label.bottom <= innerHeight
    && label.left >= 0 && label.right <= innerWidth;
}"""


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}])
def test_portal_link_lands_with_heading_and_tab_in_view(
    chromium: Browser, site_url: str, viewport: dict
) -> None:
    context = chromium.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(f"{site_url}{ARTICLE}#client=gmail-android", wait_until="load")
        page.wait_for_function(LANDED_JS, arg="gmail-android")
    finally:
        context.close()


def test_diagnose_link_fills_the_text_and_picks_the_program(new_page: NewPage, site_url: str) -> None:
    page, errors = new_page()
    page.goto(
        f"{site_url}/diagnose/?client=thunderbird#text=550%20relay%20not%20permitted", wait_until="load"
    )
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-help-client') === 'thunderbird'"
    )
    assert page.input_value("#diagnose-program") == "thunderbird"
    page.wait_for_function("() => !document.querySelector('[data-diagnose-answer]').hidden")
    assert "relay not permitted" in page.input_value("#diagnose-text")
    assert page.locator(".help-client-unknown").count() == 0
    assert errors == []


@pytest.mark.parametrize("path", [f"{ARTICLE}?client=no-such-client", "/diagnose/#client=no-such-client"])
def test_unknown_client_shows_a_notice_and_warns(new_page: NewPage, site_url: str, path: str) -> None:
    page, errors = new_page()
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(site_url + path, wait_until="load")
    notice = page.locator(".help-client-unknown")
    notice.wait_for(state="visible")
    assert "no-such-client" in notice.text_content()
    assert any("no-such-client" in w for w in warnings), warnings
    assert errors == []


def test_hash_selects_client_tab_and_follows_hash_changes(new_page: NewPage, site_url: str) -> None:
    last = CLIENTS[-1]
    page, errors = new_page()
    page.goto(f"{site_url}{ARTICLE}#client={last}", wait_until="load")
    page.wait_for_function("id => document.documentElement.getAttribute('data-help-client') === id", arg=last)
    assert _checked_fix_tab(page) == f"fix-{last}"
    page.evaluate("id => { location.hash = 'client=' + id; }", CLIENTS[1])
    page.wait_for_function(
        "id => document.documentElement.getAttribute('data-help-client') === id", arg=CLIENTS[1]
    )
    assert _checked_fix_tab(page) == f"fix-{CLIENTS[1]}"
    assert errors == []


def test_unknown_client_leaves_default_tab(new_page: NewPage, site_url: str) -> None:
    page, errors = new_page()
    page.goto(f"{site_url}{ARTICLE}?client=no-such-client", wait_until="load")
    page.wait_for_function("() => window.helpPortal !== undefined")
    assert _checked_fix_tab(page) == f"fix-{CLIENTS[0]}"
    assert errors == []


@pytest.fixture(scope="module")
def port_site(served_site: tuple[Path, str]) -> str:
    """The site built for the loopback port it is served on (instant navigation needs a matching sitemap)."""
    return served_site[1]


def test_works_with_instant_navigation(new_page: NewPage, port_site: str) -> None:
    """A same-site link followed by Material's instant navigation (no reload) still selects the tab."""
    site_url = port_site
    client = CLIENTS[2]
    page, errors = new_page()
    page.goto(f"{site_url}/", wait_until="load")
    page.evaluate("() => { window.__noReload = true; }")
    page.evaluate(
        """href => { const a = document.createElement('a'); a.href = href; a.id = 'portal-test-link';
                               a.textContent = 'go'; document.querySelector('article').appendChild(a); }""",
        f"{site_url}{ARTICLE}?client={client}",
    )
    page.click("#portal-test-link")
    page.wait_for_function(
        "id => document.documentElement.getAttribute('data-help-client') === id", arg=client
    )
    assert page.evaluate("() => window.__noReload === true"), "page reloaded: instant navigation not used"
    assert _checked_fix_tab(page) == f"fix-{client}"
    assert errors == []
