"""``?client=<id>`` / ``#client=<id>`` deep links select the client's fix tab (docs/assets/js/help.js)."""

from __future__ import annotations

import pytest
import yaml

from publishlib import ROOT

pytestmark = pytest.mark.browser
ARTICLE = "/errors/503-valid-rcpt-command-must-precede-data/"
CLIENTS = [
    c["id"] for c in yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))["clients"]
]


def _checked_fix_tab(page: object) -> str:
    return page.evaluate(  # type: ignore[attr-defined]
        "() => (document.querySelector('input[id^=\"fix-\"]:checked') || {}).id || ''"
    )


@pytest.fixture
def new_page(chromium: object):  # type: ignore[no-untyped-def]
    contexts = []

    def _new() -> object:
        context = chromium.new_context()  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors  # type: ignore[attr-defined]
        return page

    yield _new
    for context in contexts:
        context.close()


@pytest.mark.parametrize("client", CLIENTS)
def test_query_selects_client_tab(new_page, site_url: str, client: str) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    page.goto(f"{site_url}{ARTICLE}?client={client}", wait_until="load")
    page.wait_for_function(
        "id => document.documentElement.getAttribute('data-help-client') === id", arg=client
    )
    assert _checked_fix_tab(page) == f"fix-{client}"
    assert page.is_visible(f"label[for='fix-{client}']")
    assert page.errors == []


def test_hash_selects_client_tab_and_follows_hash_changes(new_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    last = CLIENTS[-1]
    page = new_page()
    page.goto(f"{site_url}{ARTICLE}#client={last}", wait_until="load")
    page.wait_for_function("id => document.documentElement.getAttribute('data-help-client') === id", arg=last)
    assert _checked_fix_tab(page) == f"fix-{last}"
    page.evaluate("id => { location.hash = 'client=' + id; }", CLIENTS[1])
    page.wait_for_function(
        "id => document.documentElement.getAttribute('data-help-client') === id", arg=CLIENTS[1]
    )
    assert _checked_fix_tab(page) == f"fix-{CLIENTS[1]}"


def test_unknown_client_leaves_default_tab(new_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    page.goto(f"{site_url}{ARTICLE}?client=no-such-client", wait_until="load")
    page.wait_for_function("() => window.helpPortal !== undefined")
    assert _checked_fix_tab(page) == f"fix-{CLIENTS[0]}"
    assert page.errors == []


@pytest.fixture(scope="module")
def port_site(served_site: tuple[object, str]) -> str:
    """The site built for the loopback port it is served on (instant navigation needs a matching sitemap)."""
    return served_site[1]


def test_works_with_instant_navigation(new_page, port_site: str) -> None:  # type: ignore[no-untyped-def]
    """A same-site link followed by Material's instant navigation (no reload) still selects the tab."""
    site_url = port_site
    client = CLIENTS[2]
    page = new_page()
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
