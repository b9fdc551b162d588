"""The bad-YAML corpus: each broken variant of the real data file must fail with file, line and key.

Every case mutates ``data/clients.yml`` (so the corpus follows the real file) and states which key
path and message fragment the error must carry; the expected line is where the mutation landed.
"""

from __future__ import annotations

import pytest

from macros.clients_schema import ClientsDataError, load_text
from support.bad_yaml import Mutation as Case
from support.bad_yaml import line_of_marker
from support.settings_tables import DATA

TEXT = DATA.read_text(encoding="utf-8")


CASES = [
    Case(
        "port-not-a-number",
        "{port: 465, security: ssl_tls, recommended: true}",
        "{port: abc, security: ssl_tls, recommended: true}",
        r"^providers\[0\]\.ports\[0\]\.port \(id 'smarthost'\)$",
        "valid integer",
        "port: abc",
    ),
    Case(
        "port-out-of-range",
        "{port: 587, security: starttls, recommended: true}",
        "{port: 70000, security: starttls, recommended: true}",
        r"^providers\[2\]\.ports\[0\]\.port \(id 'microsoft-365'\)$",
        "less than or equal to 65535",
        "port: 70000",
    ),
    Case(
        "missing-host",
        "    host: smtp.gmail.com\n",
        "",
        r"^providers\[1\]\.host \(id 'gmail'\)$",
        "Field required",
        "- id: gmail",
    ),
    Case(
        "host-with-space",
        "host: smtp.gmail.com",
        "host: smtp gmail.com",
        r"^providers\[1\]\.host",
        "should match pattern",
        "host: smtp gmail.com",
    ),
    Case(
        "unknown-security-mode",
        "{port: 587, security: starttls, recommended: true}",
        "{port: 587, security: tls, recommended: true}",
        r"^providers\[2\]\.ports\[0\]\.security",
        "'starttls', 'ssl_tls' or 'none'",
        "security: tls",
    ),
    Case(
        "duplicate-client-id",
        "  - id: ios-mail\n    name: iPhone and iPad Mail\n    tab_label: iOS Mail\n",
        "  - id: thunderbird\n    name: iPhone and iPad Mail\n    tab_label: Thunderbird\n",
        r"^clients\[5\]\.id \(id 'thunderbird'\)$",
        "duplicate id 'thunderbird' (also clients[3])",
        "- id: thunderbird",
        after="tab_label: Apple Mail (macOS)",
    ),
    Case(
        "yaml-syntax-error",
        "    name: Gmail\n",
        "    name: [Gmail\n",
        r".*",
        "YAML syntax error",
        "host: smtp.gmail.com",
    ),
    Case(
        "tab-character", "    name: Gmail\n", "\tname: Gmail\n", r"^name$", "tab character", "\tname: Gmail"
    ),
    Case(
        "duplicate-key",
        "    name: Gmail\n",
        "    name: Gmail\n    name: Google Mail\n",
        r"^name$",
        "duplicate key 'name'",
        "name: Google Mail",
    ),
    Case(
        "unknown-key-typo",
        "    host: smtp.gmail.com\n",
        "    host: smtp.gmail.com\n    hots: smtp.gmail.com\n",
        r"^providers\[1\]\.hots \(id 'gmail'\)$",
        "unknown key",
        "hots:",
    ),
    Case(
        "bad-date",
        "    checked: 2026-11-28\n    verified: true\n\n  - id: gmail",
        "    checked: yesterday\n    verified: true\n\n  - id: gmail",
        r"^providers\[0\]\.checked",
        "valid date",
        "checked: yesterday",
    ),
    Case(
        "bad-id",
        "  - id: thunderbird\n",
        "  - id: Thunder Bird\n",
        r"^clients\[3\]\.id",
        "should match pattern",
        "id: Thunder Bird",
    ),
    Case(
        "two-recommended-ports",
        "{port: 587, security: starttls}\n    authentication_required: true\n    auth_method: password",
        "{port: 587, security: starttls, recommended: true}\n"
        "    authentication_required: true\n    auth_method: password",
        r"^providers\[0\]\.ports \(id 'smarthost'\)$",
        "more than one port",
        "ports:",
        after="- id: smarthost",
    ),
    Case(
        "missing-security-labels",
        "      security: {starttls: STARTTLS, ssl_tls: SSL/TLS, none: None}\n"
        "      auth_method: {password: Normal password",
        "      auth_method: {password: Normal password",
        r"^clients\[3\]\.labels \(id 'thunderbird'\)$",
        "labels.security is missing",
        "labels:",
        after="- id: thunderbird",
    ),
    Case(
        "incomplete-labels",
        "security: {starttls: Ticked, ssl_tls: Ticked, none: Unticked}\n"
        "      auth_method:\n        password: Password",
        "security: {starttls: Ticked, ssl_tls: Ticked}\n      auth_method:\n        password: Password",
        r"^clients\[4\]\.labels\.security \(id 'apple-mail-macos'\)$",
        "missing label(s) for none",
        "security: {starttls: Ticked, ssl_tls: Ticked}",
    ),
    Case(
        "tab-label-does-not-match-id",
        "tab_label: Gmail (Android)",
        "tab_label: Gmail for Android",
        r"^clients\[6\]\.tab_label",
        "must equal the id 'gmail-android'",
        "tab_label: Gmail for Android",
    ),
    Case(
        "fixed-without-text",
        "value: fixed, text: Selected}",
        "value: fixed}",
        r"^clients\[0\]\.other_dialog\.fields\[4\]\.text",
        "'text' is required",
        "Use same settings as my incoming mail server",
    ),
    Case(
        "unknown-field-value",
        "label: Server Name, value: host}",
        "label: Server Name, value: hostname}",
        r"^clients\[3\]\.fields\[0\]\.value",
        "Input should be",
        "value: hostname",
    ),
    Case(
        "what-you-see-without-source",
        "        observed: {program: Thunderbird, version: 153.8.0esr, personality: exim, "
        "scenario: exim-no-auth, "
        "settings: 'Authentication method: No authentication; Connection security: None', "
        "date: 2026-12-02, tool: tools/observe_thunderbird.py}\n",
        "",
        r"^clients\[3\]\.what_you_see\[2\] \(id 'thunderbird'\)$",
        "give exactly one source",
        "- situation: Exim with its default configuration",
    ),
    Case(
        "what-you-see-unknown-scenario",
        "personality: postfix, scenario: postfix-no-auth,",
        "personality: postfix, scenario: postfix-no-such-thing,",
        r"^clients\[3\]\.what_you_see\[3\]\.observed\.scenario \(id 'thunderbird'\)$",
        "no scenario examples/scenarios/postfix-no-such-thing.yml",
        "scenario: postfix-no-such-thing",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_yaml_reports_file_line_and_key(case: Case) -> None:
    bad = case.apply(TEXT, "data/clients.yml")
    with pytest.raises(ClientsDataError) as info:
        load_text(bad, "data/clients.yml")
    problem = case.problem(info.value)
    assert problem.file == "data/clients.yml"
    assert problem.line == line_of_marker(bad, case.marker, case.after), str(problem)
    assert str(problem).startswith(f"data/clients.yml:{problem.line}: ")


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 10


def test_all_problems_are_reported_at_once() -> None:
    bad = TEXT.replace(
        "{port: 465, security: ssl_tls, recommended: true}",
        "{port: abc, security: ssl_tls, recommended: true}",
    ).replace("    host: smtp.gmail.com\n", "")
    with pytest.raises(ClientsDataError) as info:
        load_text(bad)
    keys = [p.key for p in info.value.problems]
    assert any(k.startswith("providers[0].ports[0].port") for k in keys)
    assert any(k.startswith("providers[1].host") for k in keys)
    assert any(k.startswith("providers[1].ports[0].port") for k in keys)


def test_empty_file_is_an_error() -> None:
    with pytest.raises(ClientsDataError, match=r"data/clients\.yml"):
        load_text("", "data/clients.yml")
