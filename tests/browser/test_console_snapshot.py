"""Warm starts of the live console: the interpreter snapshot saved in Cache Storage after a full start.

One browser context (one Cache Storage) for the module: its first start is a full one and saves the
snapshot; every test then opens a new page in that context, as a returning reader does. Each test
leaves a valid snapshot behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from test_console import START_TIMEOUT, Console

from support.browser import ARTICLE, STEP_TIMEOUT, PageLog, tamper, watch

pytestmark = pytest.mark.browser

CACHE = "smtp-console-snapshot"
SAVE_TIMEOUT = 60_000
ENTRIES = """async (name) => {
  const cache = await caches.open(name);
  const out = {};
  for (const request of await cache.keys()) {
    out[request.url] = (await (await cache.match(request)).arrayBuffer()).byteLength;
  }
  return out;
}"""
PUT = """async ([name, url, size]) => {
  const cache = await caches.open(name);
  await cache.put(url, new Response(new Uint8Array(size).fill(7)));
}"""


@pytest.fixture(scope="module")
def snapshot_key(built_site: Path, site_url: str) -> str:
    lock = json.loads((built_site / "assets" / "smtp" / "console.json").read_text(encoding="utf-8"))[
        "lock_url"
    ]
    build = lock.split("/")[-2]  # pyodide/smtpsim/<hash>/pyodide-lock.json
    return f"{site_url}/smtp-console-snapshot/{build}?format=1"  # one per origin: shared by site versions


#: The ``returning`` fixture: a new page of the article in the context that saved a snapshot.
Returning = Callable[[], tuple[Page, PageLog, Console]]


@pytest.fixture(scope="module")
def returning(browser: Browser, site_url: str) -> Iterator[Returning]:
    """A context whose first console start (full) has saved its snapshot; yields ``open(page) ->
    (page, log, console)`` for a new page of the article in that context."""
    context = browser.new_context()
    context.set_default_timeout(STEP_TIMEOUT)

    def _open() -> tuple[Page, PageLog, Console]:
        page = context.new_page()
        log = PageLog()
        watch(context, page, log)
        page.goto(site_url + ARTICLE, wait_until="load")
        return page, log, Console(page)

    page, log, console = _open()
    start(page, console)
    assert console.root.get_attribute("data-smtp-console-boot") == "full"
    page.wait_for_selector("[data-smtp-console-snapshot=saved]", state="attached", timeout=SAVE_TIMEOUT)
    log.assert_clean()
    page.close()
    yield _open
    context.close()


def start(page: Page, console: Console) -> None:
    page.get_by_role("button", name="Start live console").click()
    console.input.wait_for(state="visible", timeout=START_TIMEOUT)
    console.log.locator(".smtp-console__line--server").first.wait_for(timeout=START_TIMEOUT)


def test_a_full_start_saves_one_snapshot_for_this_wheel_build(
    returning: Returning, snapshot_key: str
) -> None:
    page, _log, _ = returning()
    entries = page.evaluate(ENTRIES, CACHE)
    assert list(entries) == [snapshot_key]
    assert entries[snapshot_key] > 8 * 1024 * 1024  # Python's whole memory, not a stub
    page.close()


def test_next_visit_starts_from_the_snapshot_and_gets_exims_503(returning: Returning) -> None:
    page, log, console = returning()
    start(page, console)
    assert console.root.get_attribute("data-smtp-console-boot") == "snapshot"
    assert console.server_lines()[0].startswith("220 ")
    assert console.send("EHLO laptop.example")[-1].startswith("250 ")
    assert console.send("MAIL FROM:<alice@example.net>")[0].startswith("250")
    refusal = console.send("RCPT TO:<bob@elsewhere.example>")
    assert refusal[0].startswith("550")
    reply = console.send("DATA")  # the article's server (cPanel's Exim): the refusal, repeated
    assert [ln[4:] for ln in reply[1:-1]] == [ln[4:] for ln in refusal], reply
    assert reply[-1].endswith("RCPT command must precede DATA"), reply
    # the other personality's code is in the snapshot too (imported before it was taken)
    console.root.get_by_label("Server personality").select_option("postfix")
    console.log.locator(".smtp-console__line--server").first.wait_for()
    console.send("EHLO laptop.example")
    console.send("MAIL FROM:<alice@example.net>")
    assert console.send("RCPT TO:<bob@elsewhere.example>")[0].startswith("454 4.7.1")
    assert console.send("DATA") == ["554 5.5.1 Error: no valid recipients"]
    log.assert_clean()
    page.close()


def test_a_restored_start_still_refuses_a_tampered_wheel(returning: Returning, snapshot_key: str) -> None:
    """The snapshot does not stand in for the wheel: it is installed again by name, sha256 checked. A
    start that fails after a restore drops the snapshot, so "Try again" starts in full."""
    page, _log, console = returning()
    page.route("**/*.whl", tamper)
    page.get_by_role("button", name="Start live console").click()
    alert = page.locator("[data-smtp-console] [role=alert]")
    alert.wait_for(state="visible", timeout=START_TIMEOUT)
    assert "smtpsim did not load" in alert.inner_text()
    assert not page.get_by_label("SMTP command").is_visible()
    assert page.evaluate(ENTRIES, CACHE) == {}
    page.unroute("**/*.whl", tamper)
    page.get_by_role("button", name="Try again").click()
    console.log.locator(".smtp-console__line--server").first.wait_for(timeout=START_TIMEOUT)
    assert console.root.get_attribute("data-smtp-console-boot") == "full"
    page.wait_for_selector("[data-smtp-console-snapshot=saved]", state="attached", timeout=SAVE_TIMEOUT)
    assert list(page.evaluate(ENTRIES, CACHE)) == [snapshot_key]
    page.close()


def test_a_damaged_snapshot_falls_back_to_a_full_start(
    returning: Returning, snapshot_key: str, site_url: str
) -> None:
    """Garbage under the key: a full start that works, a fresh snapshot, older builds' entries gone."""
    page, log, console = returning()
    stale = f"{site_url}/smtp-console-snapshot/0000000000000000?format=1"
    page.evaluate(PUT, [CACHE, snapshot_key, 4096])
    page.evaluate(PUT, [CACHE, stale, 4096])
    start(page, console)
    assert console.root.get_attribute("data-smtp-console-boot") == "full"
    assert console.send("EHLO laptop.example")[-1].startswith("250 ")
    page.wait_for_selector("[data-smtp-console-snapshot=saved]", state="attached", timeout=SAVE_TIMEOUT)
    entries = page.evaluate(ENTRIES, CACHE)
    assert list(entries) == [snapshot_key] and entries[snapshot_key] > 8 * 1024 * 1024
    log.assert_clean()
    page.close()


def test_the_controls_appear_without_moving_the_page(returning: Returning) -> None:
    """From the press on the controls hold their place (invisible): when Python is ready nothing below
    the console moves (no layout shift long after the user's input)."""
    page, log, console = returning()
    below = (
        "() => { const r = document.querySelector('[data-smtp-console]'); "
        "const next = r.nextElementSibling || r.parentElement.nextElementSibling; "
        "return [r.getBoundingClientRect().height, next.getBoundingClientRect().top + window.scrollY]; }"
    )
    page.get_by_role("button", name="Start live console").click()
    loading = page.evaluate(below)
    assert not console.input.is_visible()  # there, but not shown (nor focusable) while loading
    console.log.locator(".smtp-console__line--server").first.wait_for(timeout=START_TIMEOUT)
    console.input.wait_for(state="visible")
    assert page.evaluate(below) == loading
    log.assert_clean()
    page.close()
