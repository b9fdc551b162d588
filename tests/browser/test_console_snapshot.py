"""Warm starts of the live console: the interpreter snapshot saved in Cache Storage after a full start.

One browser context (one Cache Storage) for the module: its first start is a full one and saves the
snapshot; every test then opens a new page in that context, as a returning reader does. Each test
leaves a valid snapshot behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserlib import ARTICLE, STEP_TIMEOUT, PageLog, tamper, watch
from test_console import START_TIMEOUT, Console

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


@pytest.fixture(scope="module")
def returning(browser: object, site_url: str) -> Iterator[object]:
    """A context whose first console start (full) has saved its snapshot; yields ``open(page) ->
    (page, log, console)`` for a new page of the article in that context."""
    context = browser.new_context()  # type: ignore[attr-defined]
    context.set_default_timeout(STEP_TIMEOUT)

    def _open() -> tuple[object, PageLog, Console]:
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


def start(page: object, console: Console) -> None:
    page.get_by_role("button", name="Start live console").click()  # type: ignore[attr-defined]
    console.input.wait_for(state="visible", timeout=START_TIMEOUT)
    console.log.locator(".smtp-console__line--server").first.wait_for(timeout=START_TIMEOUT)


def test_a_full_start_saves_one_snapshot_for_this_wheel_build(returning: object, snapshot_key: str) -> None:
    page, log, _ = returning()  # type: ignore[operator]
    entries = page.evaluate(ENTRIES, CACHE)  # type: ignore[attr-defined]
    assert list(entries) == [snapshot_key]
    assert entries[snapshot_key] > 8 * 1024 * 1024  # Python's whole memory, not a stub
    page.close()  # type: ignore[attr-defined]


def test_next_visit_starts_from_the_snapshot_and_gets_exims_503(returning: object) -> None:
    page, log, console = returning()  # type: ignore[operator]
    start(page, console)
    assert console.root.get_attribute("data-smtp-console-boot") == "snapshot"
    assert console.server_lines()[0].startswith("220 ")
    assert console.send("EHLO laptop.example")[-1].startswith("250 ")
    assert console.send("MAIL FROM:<alice@example.net>")[0].startswith("250")
    assert console.send("RCPT TO:<bob@elsewhere.example>")[0].startswith("550")
    reply = console.send("DATA")
    assert len(reply) == 3 and reply[2].endswith("RCPT command must precede DATA"), reply
    # the other personality's code is in the snapshot too (imported before it was taken)
    console.root.get_by_label("Server personality").select_option("postfix")
    console.log.locator(".smtp-console__line--server").first.wait_for()
    console.send("EHLO laptop.example")
    console.send("MAIL FROM:<alice@example.net>")
    assert console.send("RCPT TO:<bob@elsewhere.example>")[0].startswith("454 4.7.1")
    assert console.send("DATA") == ["554 5.5.1 Error: no valid recipients"]
    log.assert_clean()
    page.close()  # type: ignore[attr-defined]


def test_a_restored_start_still_refuses_a_tampered_wheel(returning: object, snapshot_key: str) -> None:
    """The snapshot does not stand in for the wheel: it is installed again by name, sha256 checked. A
    start that fails after a restore drops the snapshot, so "Try again" starts in full."""
    page, log, console = returning()  # type: ignore[operator]
    page.route("**/*.whl", tamper)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Start live console").click()  # type: ignore[attr-defined]
    alert = page.locator("[data-smtp-console] [role=alert]")  # type: ignore[attr-defined]
    alert.wait_for(state="visible", timeout=START_TIMEOUT)
    assert "smtpsim did not load" in alert.inner_text()
    assert not page.get_by_label("SMTP command").is_visible()  # type: ignore[attr-defined]
    assert page.evaluate(ENTRIES, CACHE) == {}  # type: ignore[attr-defined]
    page.unroute("**/*.whl", tamper)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Try again").click()  # type: ignore[attr-defined]
    console.log.locator(".smtp-console__line--server").first.wait_for(timeout=START_TIMEOUT)
    assert console.root.get_attribute("data-smtp-console-boot") == "full"
    page.wait_for_selector(
        "[data-smtp-console-snapshot=saved]",
        state="attached",  # type: ignore[attr-defined]
        timeout=SAVE_TIMEOUT,
    )
    assert list(page.evaluate(ENTRIES, CACHE)) == [snapshot_key]  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_a_damaged_snapshot_falls_back_to_a_full_start(
    returning: object, snapshot_key: str, site_url: str
) -> None:
    """Garbage under the key: a full start that works, a fresh snapshot, older builds' entries gone."""
    page, log, console = returning()  # type: ignore[operator]
    stale = f"{site_url}/smtp-console-snapshot/0000000000000000?format=1"
    page.evaluate(PUT, [CACHE, snapshot_key, 4096])  # type: ignore[attr-defined]
    page.evaluate(PUT, [CACHE, stale, 4096])  # type: ignore[attr-defined]
    start(page, console)
    assert console.root.get_attribute("data-smtp-console-boot") == "full"
    assert console.send("EHLO laptop.example")[-1].startswith("250 ")
    page.wait_for_selector(
        "[data-smtp-console-snapshot=saved]",
        state="attached",  # type: ignore[attr-defined]
        timeout=SAVE_TIMEOUT,
    )
    entries = page.evaluate(ENTRIES, CACHE)  # type: ignore[attr-defined]
    assert list(entries) == [snapshot_key] and entries[snapshot_key] > 8 * 1024 * 1024
    log.assert_clean()
    page.close()  # type: ignore[attr-defined]


def test_the_controls_appear_without_moving_the_page(returning: object) -> None:
    """From the press on the controls hold their place (invisible): when Python is ready nothing below
    the console moves (no layout shift long after the user's input)."""
    page, log, console = returning()  # type: ignore[operator]
    below = (
        "() => { const r = document.querySelector('[data-smtp-console]'); "
        "const next = r.nextElementSibling || r.parentElement.nextElementSibling; "
        "return [r.getBoundingClientRect().height, next.getBoundingClientRect().top + window.scrollY]; }"
    )
    page.get_by_role("button", name="Start live console").click()  # type: ignore[attr-defined]
    loading = page.evaluate(below)  # type: ignore[attr-defined]
    assert not console.input.is_visible()  # there, but not shown (nor focusable) while loading
    console.log.locator(".smtp-console__line--server").first.wait_for(timeout=START_TIMEOUT)
    console.input.wait_for(state="visible")
    assert page.evaluate(below) == loading  # type: ignore[attr-defined]
    log.assert_clean()
    page.close()  # type: ignore[attr-defined]
