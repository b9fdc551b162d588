"""The Python sample's "Run this code in your browser" (issue 11) in real Chromium: Pyodide from our
own origin runs the page's code with smtplib talking to the simulator in memory, and prints what the
page says it prints (the same output tests/senders gets over a real socket)."""

from __future__ import annotations

import pytest

from macros.senders_schema import load_file
from support.browser import OpenPage

pytestmark = pytest.mark.browser

START_TIMEOUT = 180_000  # ms: Pyodide's first start on a shared 2-core machine
SAMPLE = next(x for s in load_file().senders for x in s.samples if x.run == "python")


def test_run_buttons_print_what_the_page_says(open_page: OpenPage) -> None:
    page, log = open_page("/senders/python/")
    widget = page.locator("[data-help-widget=sample-run]")
    run = widget.get_by_role("button", name="Run this code in your browser")
    assert run.is_visible(), "revealed by the module (hidden without JavaScript)"
    assert not [u for u in log.requests if "pyodide" in u], "nothing of Pyodide before a click"
    assert SAMPLE.prints is not None
    output = widget.locator("[data-sample-output]")
    for name, expected in (
        ("Run this code in your browser", SAMPLE.prints.signed_in),
        ("Run it without the sign-in", SAMPLE.prints.without_sign_in),
    ):
        output.evaluate("(el) => { el.textContent = ''; }")
        widget.get_by_role("button", name=name).click()
        page.wait_for_function(
            "(el) => el.textContent.trim().length > 0", arg=output.element_handle(), timeout=START_TIMEOUT
        )
        assert output.text_content().splitlines() == expected, name
    assert log.external == [] and log.page_errors == [] and log.console_errors == []


def test_without_javascript_the_code_and_its_output_are_still_there(open_page: OpenPage) -> None:
    page, _ = open_page("/senders/python/", java_script_enabled=False)
    assert not page.get_by_role("button", name="Run this code in your browser").is_visible()
    assert SAMPLE.prints is not None
    assert SAMPLE.prints.without_sign_in[0] in page.content().replace("&#39;", "'")
