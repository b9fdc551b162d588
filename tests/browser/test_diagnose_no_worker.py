"""/diagnose/ where no worker can start (a blocked script, an old browser): diagnose-runner.js falls
back to the matcher on the page, on the first MAIN_THREAD_CAP characters of the text, and says so in
the answer. Chromium with the worker's script refused by the network, as a blocking proxy or
extension would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Route

from support.browser import OpenPage

pytestmark = pytest.mark.browser

WORKER = "**/assets/js/diagnose-worker.js"
RUNNER = Path(__file__).resolve().parents[2] / "docs" / "assets" / "js" / "diagnose-runner.js"
RELAY = (
    "550-Please turn on SMTP Authentication in your mail client.\n"
    "550-laptop.example [192.0.2.10]:50123 is not permitted to relay through\n"
    "550 this server without authentication.\n"
)
#: diagnose-runner.js's MAIN_THREAD_CAP: characters the page reads when it runs the matcher itself.
CAP = int(re.search(r"MAIN_THREAD_CAP = (\d+);", RUNNER.read_text(encoding="utf-8")).group(1))


def test_without_a_worker_the_page_answers_itself_and_says_what_it_read(open_page: OpenPage) -> None:
    page, log = open_page("/diagnose/")
    page.wait_for_selector("[data-diagnose][data-diagnose-ready]", state="attached")
    refused: list[str] = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort()

    page.context.route(WORKER, refuse)
    box = page.get_by_label("Paste the error message")
    box.fill(RELAY)
    page.get_by_role("button", name="Diagnose").click()
    answer = page.locator("[data-diagnose-answer]")
    answer.wait_for(state="visible")
    assert "Most likely: Your mail program does not sign in to the outgoing server" in answer.inner_text()
    assert refused, "the worker's script was never requested: the fallback was not what answered"
    assert not any("diagnose" in w.url for w in page.workers)
    assert answer.locator(".diagnose__cut").count() == 0  # a short text is read whole

    # a long paste: the reply within the first CAP characters is found, and the answer says the rest
    # was not read; a reply only past the cut is not seen
    box.fill(RELAY + "x" * CAP)
    page.get_by_role("button", name="Diagnose").click()
    page.wait_for_selector("[data-diagnose-answer] .diagnose__cut")
    assert f"Only the first {CAP} characters were read." in answer.inner_text()
    assert "Most likely: Your mail program does not sign in to the outgoing server" in answer.inner_text()
    box.fill("x" * CAP + "\n" + RELAY)
    page.get_by_role("button", name="Diagnose").click()
    page.wait_for_function(
        "() => document.querySelector('[data-diagnose-answer] h2')?.textContent.includes('do not recognise')"
    )
    assert log.external == [] and log.page_errors == [], (log.external, log.page_errors)
