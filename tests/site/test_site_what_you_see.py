"""Each client's "what you see" (issue 11): every entry carries exactly one source, observations name
a tool and a scenario that exist, and Thunderbird's recorded dialogs still follow from the simulated
server's refusal."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import jsonschema
import pytest

import observe_thunderbird
from macros.clients_schema import ClientsDataError, json_schema, validate
from smtpsim.scenario import load_scenario, run_scenario
from support.settings_tables import ROOT, raw_data

TB = observe_thunderbird.TOOL


def _entries(raw: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(c["id"], seen) for c in raw["clients"] for seen in c["what_you_see"]]


def _rejected(raw: dict[str, Any], message: str) -> None:
    """Both the loader (pydantic + cross-checks) and the exported JSON Schema refuse *raw*."""
    with pytest.raises(ClientsDataError, match=re.escape(message)):
        validate(raw, "data/clients.yml")


def _thunderbird(raw: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in raw["clients"] if c["id"] == "thunderbird")


def test_every_client_says_what_it_shows() -> None:
    raw = raw_data()
    assert all(c.get("what_you_see") for c in raw["clients"])
    kinds = {
        cid: {k for k in ("observed", "reported", "not_found") if k in seen} for cid, seen in _entries(raw)
    }
    assert all(len(k) == 1 for k in kinds.values())
    # Thunderbird is observed with the real program, the rest can only be reported (or not found)
    assert {k for cid, seen in _entries(raw) if cid == "thunderbird" for k in seen} >= {"observed"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("observed"), "give exactly one source"),
        (
            lambda s: s.update(reported=[{"source": "https://example.org/x", "checked": "2026-12-02"}]),
            "give exactly one source",
        ),
        (
            lambda s: (s.pop("observed"), s.update(not_found={"searched": "x", "checked": "2026-12-02"})),
            "'text' is required with observed or reported",
        ),
        (lambda s: s.pop("text"), "'text' is required with observed or reported"),
    ],
    ids=["no-source", "two-sources", "not-found-with-text", "observed-without-text"],
)
def test_what_you_see_without_exactly_one_source_is_rejected(change, message: str) -> None:
    raw = raw_data()
    change(_thunderbird(raw)["what_you_see"][0])
    _rejected(raw, message)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, json_schema())


def test_the_json_schema_accepts_each_kind_of_source() -> None:
    raw = raw_data()
    assert {k for _, s in _entries(raw) for k in s} >= {"observed", "reported", "not_found"}
    jsonschema.validate(raw, json_schema())


def test_a_client_without_what_you_see_is_rejected() -> None:
    raw = raw_data()
    del _thunderbird(raw)["what_you_see"]
    _rejected(raw, "Field required")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("tool", "tools/observe_nothing.py", "no such file 'tools/observe_nothing.py'"),
        ("scenario", "exim-cpanel-nothing", "no scenario examples/scenarios/exim-cpanel-nothing.yml"),
        ("personality", "postfix", "scenario 'exim-cpanel-no-auth' runs 'exim-cpanel', not 'postfix'"),
    ],
)
def test_an_observation_must_name_what_exists(key: str, value: str, message: str) -> None:
    raw = raw_data()
    _thunderbird(raw)["what_you_see"][0]["observed"][key] = value
    _rejected(raw, message)


def thunderbird_dialog(scenario: str, recipient: str) -> str:
    """The dialog Thunderbird 153 builds from the server's RCPT refusal (read in its source, checked
    against the real program with tools/observe_thunderbird.py): SmtpClient.sys.mjs ``_parse`` keeps
    each reply line without its code and enhanced status code (RFC 3463) and joins them with newlines;
    composeMsgs.properties ``sendFailed`` and ``errorSendingRcptCommand`` wrap them."""
    sc = load_scenario(str(ROOT / "examples" / "scenarios" / f"{scenario}.yml"))
    # smtpsim serve quotes the real peer address, which is loopback for the observation
    steps = run_scenario(dataclasses.replace(sc, client_ip="127.0.0.1")).steps
    refusal = next(s for s in steps if s.send and s.send.upper().startswith("RCPT") and s.code >= 400)
    lines = [re.match(r"^\d{3}[- ](?:\d+\.\d+\.\d+ )?(.*)", line).group(1) for line in refusal.reply]
    return (
        "Sending of the message failed.\n"
        "An error occurred while sending mail. The mail server responded:\n"
        + "\n".join(lines)
        + f'.\nPlease check the message recipient "{recipient}" and try again.'
    )


def test_thunderbird_observations_follow_the_simulated_refusals() -> None:
    """If a personality's refusal changes, the recorded dialog is stale: re-run the tool."""
    observed = observe_thunderbird.recorded()
    assert {s["observed"]["scenario"] for s in observed} >= set(observe_thunderbird.DEFAULT_SCENARIOS)
    for seen in observed:
        expected = thunderbird_dialog(seen["observed"]["scenario"], observe_thunderbird.TO)
        assert seen["text"] == expected, (
            f"{seen['observed']['scenario']}: run `make observe-thunderbird ARGS=--check`, "
            "then update data/clients.yml"
        )
        assert seen["title"] == "Send Message Error" and not re.search(r"\b503\b", seen["text"])


def test_observed_settings_are_worded_as_the_guide_words_them() -> None:
    """The tool's settings ("Authentication method: Normal password; ...") use the field labels and
    value labels the Thunderbird guide shows, so a reader can match them."""
    tb = _thunderbird(raw_data())
    fields = {f["label"] for f in tb["fields"]}
    values = set(tb["labels"]["security"].values()) | set(tb["labels"]["auth_method"].values())
    values.add("No authentication")  # the value the guide's steps warn against
    for settings in observe_thunderbird.SETTINGS:
        for part in settings.split("; "):
            label, value = part.split(": ")
            assert label in fields and value in values, settings
    used = {s["observed"]["settings"] for s in observe_thunderbird.recorded()}
    assert used == set(observe_thunderbird.SETTINGS)


def test_the_tool_reads_thunderbirds_smtp_log() -> None:
    """Lines as Thunderbird 153 prints them with mailnews.smtp.loglevel=All (from a real run)."""
    log = "\n".join(
        [
            'console.debug: mailnews.smtp: "C: EHLO laptop.example"',
            'console.debug: mailnews.smtp: "S: 250-mail.example.net\\r\\n250 CHUNKING\\r\\n"',
            'console.debug: mailnews.smtp: "C: RCPT TO:<bob@elsewhere.example>"',
            'console.debug: mailnews.smtp: "S: 454 4.7.1 <bob@elsewhere.example>: Relay access denied\\r\\n"',
            'console.debug: mailnews.smtp: "C: QUIT"',
            'console.debug: mailnews.smtp: "C: EHLO laptop.example"',
        ]
    )
    facts = observe_thunderbird.wire(log)
    assert facts["commands"] == [
        "EHLO laptop.example",
        "RCPT TO:<bob@elsewhere.example>",
        "QUIT",
        "EHLO laptop.example",
    ]
    assert facts["connections"] == 2 and facts["sent_data"] is False
    assert facts["replies"][1] == "454 4.7.1 <bob@elsewhere.example>: Relay access denied"


def test_the_profile_sends_without_authentication_or_encryption(tmp_path) -> None:
    observe_thunderbird.write_profile(tmp_path, 2525)
    prefs = (tmp_path / "user.js").read_text(encoding="utf-8")
    assert 'user_pref("mail.smtpserver.smtp1.authMethod", 1);' in prefs  # No authentication
    assert 'user_pref("mail.smtpserver.smtp1.try_ssl", 0);' in prefs  # Connection security: None
    assert 'user_pref("mail.smtpserver.smtp1.port", 2525);' in prefs
    observe_thunderbird.write_profile(tmp_path, 2525, list(observe_thunderbird.SETTINGS)[1])
    prefs = (tmp_path / "user.js").read_text(encoding="utf-8")
    assert 'user_pref("mail.smtpserver.smtp1.authMethod", 3);' in prefs  # Normal password
    assert 'user_pref("mail.smtpserver.smtp1.try_ssl", 0);' in prefs
