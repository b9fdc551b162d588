""" "Was this page helpful?": our analytics provider posts {page, version, rating, comment} with
navigator.sendBeacon to ``extra.feedback_endpoint`` (docs/assets/js/help.js).

A tiny local endpoint records what arrives; the site is built with HELP_FEEDBACK_ENDPOINT pointing
at it and driven in real Chromium. Without an endpoint the widget links to the support portal.
"""

from __future__ import annotations

import http.server
import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page

from support.publish import RECORD_CSP_VIOLATIONS, ROOT, build_and_serve, start_nginx

pytestmark = pytest.mark.browser
ARTICLE = "/errors/503-valid-rcpt-command-must-precede-data/"
GUIDE = "/clients/thunderbird/"


@dataclass
class Received:
    path: str
    content_type: str
    body: dict


class _Endpoint(http.server.BaseHTTPRequestHandler):
    inbox: queue.Queue[Received]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        self.inbox.put(Received(self.path, self.headers.get("Content-Type", ""), json.loads(raw)))
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint() -> Iterator[tuple[str, queue.Queue[Received]]]:
    inbox: queue.Queue[Received] = queue.Queue()
    handler = type("Endpoint", (_Endpoint,), {"inbox": inbox})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/help-feedback", inbox
    server.shutdown()


@pytest.fixture(scope="module")
def feedback_build(
    tmp_path_factory: pytest.TempPathFactory, endpoint: tuple[str, queue.Queue]
) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("feedback-site")
    server, url = build_and_serve(root, HELP_FEEDBACK_ENDPOINT=endpoint[0], HELP_VERSION="9.8-test")
    yield url, root
    server.shutdown()


@pytest.fixture(scope="module")
def feedback_site(feedback_build: tuple[str, Path]) -> str:
    return feedback_build[0]


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def _drain(inbox: queue.Queue) -> None:
    while not inbox.empty():
        inbox.get_nowait()


def test_rating_and_comment_are_posted(
    page: Page, feedback_site: str, endpoint: tuple[str, queue.Queue]
) -> None:
    url, inbox = endpoint
    _drain(inbox)
    page.goto(feedback_site + ARTICLE, wait_until="load")
    page.locator("form[name=feedback]").wait_for(state="visible")
    page.click("form[name=feedback] button[data-md-value='0']")
    page.fill("form[name=feedback] textarea[name=comment]", "The Thunderbird tab needs a screenshot.")
    page.click("form[name=feedback] .help-feedback__comment button")
    got = inbox.get(timeout=15)
    assert got.path == urlsplit(url).path
    assert got.content_type.startswith("text/plain")
    assert got.body == {
        "page": ARTICLE,
        "version": "9.8-test",
        "rating": 0,
        "comment": "The Thunderbird tab needs a screenshot.",
    }
    assert page.is_visible("text=Sent. Thank you!")
    assert page.is_disabled("form[name=feedback] button[data-md-value='1']")
    page.goto(feedback_site + GUIDE, wait_until="load")
    with pytest.raises(queue.Empty):  # exactly one POST per rating: leaving does not send it again
        inbox.get(timeout=1)


def test_leaving_after_rating_sends_the_rating(
    page: Page, feedback_site: str, endpoint: tuple[str, queue.Queue]
) -> None:
    """Rated but did not press Send: the beacon goes out when the page is left (pagehide)."""
    _url, inbox = endpoint
    _drain(inbox)
    page.goto(feedback_site + GUIDE, wait_until="load")
    page.locator("form[name=feedback]").wait_for(state="visible")
    page.click("form[name=feedback] button[data-md-value='1']")
    page.goto("about:blank")
    got = inbox.get(timeout=15)
    assert got.body == {"page": GUIDE, "version": "9.8-test", "rating": 1, "comment": ""}


def test_without_endpoint_the_widget_links_to_the_portal(page: Page, site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    page.goto(site_url + ARTICLE, wait_until="load")
    page.locator("form[name=feedback]").wait_for(state="visible")
    page.click("form[name=feedback] button[data-md-value='1']")
    link = page.locator("form[name=feedback] .help-feedback__portal a")
    link.wait_for(state="visible")
    href = urlsplit(link.get_attribute("href"))
    assert f"{href.scheme}://{href.netloc}/" == "https://support.smarthost.example/"
    assert parse_qs(href.query) == {"help_page": [ARTICLE], "help_version": ["dev"], "help_rating": ["1"]}
    assert page.locator("form[name=feedback] textarea").count() == 0
    assert requests == []


def test_not_helpful_line_opens_the_portal_form_prefilled(page: Page, site_url: str) -> None:
    """No endpoint: "not helpful" asks for one line; only "Send" reaches the portal (a new tab), with
    the page, version, rating and text in the documented parameters (data/portal-links.yml)."""
    contract = yaml.safe_load((ROOT / "data" / "portal-links.yml").read_text(encoding="utf-8"))
    documented = set(contract["feedback_form"]["parameters"])
    portal_requests: list[str] = []
    page.context.route(
        "https://support.smarthost.example/**",
        lambda route: (portal_requests.append(route.request.url), route.fulfill(body="portal form")),
    )
    page.goto(site_url + GUIDE, wait_until="load")
    page.locator("form[name=feedback]").wait_for(state="visible")
    page.click("form[name=feedback] button[data-md-value='0']")
    line = page.get_by_label("What was missing or wrong?")
    line.wait_for(state="visible")
    assert page.locator("form[name=feedback] .help-feedback__portal a").count() == 0  # the line, not the link
    line.fill("  The port for Zoho & Gmail?  ")
    page.wait_for_timeout(300)
    assert portal_requests == []  # typing sends nothing
    with page.expect_popup() as popup:
        page.locator("form[name=feedback] a", has_text="Send").click()
    popup.value.wait_for_load_state()
    assert portal_requests == [popup.value.url]
    url = urlsplit(popup.value.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://support.smarthost.example/"
    query = parse_qs(url.query)
    assert set(query) == documented
    assert query == {
        "help_page": [GUIDE],
        "help_version": ["dev"],
        "help_rating": ["0"],
        "help_text": ["The port for Zoho & Gmail?"],
    }


def test_widget_is_on_every_article_and_guide(built_site: Path) -> None:
    pages = [
        built_site / "errors" / "503-valid-rcpt-command-must-precede-data" / "index.html",
        *sorted((built_site / "clients").glob("*/index.html")),
    ]
    assert len(pages) >= 8
    for html in pages:
        text = html.read_text(encoding="utf-8")
        assert '<form class="md-feedback" name="feedback" hidden>' in text, html
        assert "assets/js/help.js" in text, html


@pytest.mark.nginx
def test_beacon_is_allowed_by_the_csp_under_nginx(
    chromium: Browser,
    feedback_build: tuple[str, Path],
    endpoint: tuple[str, queue.Queue],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """deploy/csp.py puts the endpoint's origin into connect-src: the beacon passes the strict CSP."""
    _url, inbox = endpoint
    _drain(inbox)
    proc, url = start_nginx(tmp_path_factory.mktemp("nginx-feedback"), feedback_build[1])
    context = chromium.new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    try:
        page = context.new_page()
        page.goto(url + GUIDE, wait_until="load")
        assert urlsplit(endpoint[0]).netloc in page.evaluate(  # the header really restricts connect-src
            "async () => (await fetch(location.href)).headers.get('content-security-policy')"
        )
        page.locator("form[name=feedback]").wait_for(state="visible")
        page.click("form[name=feedback] button[data-md-value='1']")
        page.click("form[name=feedback] .help-feedback__comment button")
        got = inbox.get(timeout=15)
        assert got.body["page"] == GUIDE and got.body["rating"] == 1
        assert page.evaluate("() => window.__csp") == []
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=30)
