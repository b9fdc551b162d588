"""The recognisers checked against the engine: every scenario states the cause it demonstrates and
its transcript is diagnosed as that cause; every refusal in the personalities' reply catalogues maps
to the cause its reason means."""

from __future__ import annotations

import json
import string
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

import smtpsim
from macros.scenarios import check_cause
from smtpdiagnose.diagnose import diagnose, rules_from_json
from smtpsim import ScenarioError, scenario_from_dict
from smtpsim.replies import T

ROOT = Path(__file__).resolve().parents[2]

SCENARIOS = sorted((ROOT / "examples" / "scenarios").glob("*.yml"))

#: What each reply reason of the catalogues means for the customer: the causes a diagnosis may give.
REASON_CAUSES = {
    "relay-denied": {"no-auth"},
    "auth-required": {"no-auth"},
    "auth-failed": {"bad-credentials", "client-bug"},  # Postfix also says 535 for a malformed exchange
    "auth-cancelled": {"client-bug"},
    "auth-not-available": {"tls-required", "auth-method-blocked"},
    "tls-required": {"tls-required"},
    "tls-not-available": {"client-bug"},
    "unknown-user": {"unknown-recipient"},
    "bad-address": {"bad-recipient-syntax"},
    "sender-refused": {"sender-verify", "sender-not-allowed"},
    "syntax-error": {"bad-recipient-syntax", "bad-helo", "client-bug"},
    "no-valid-recipients": {"no-auth"},  # the DATA symptom: most likely no sign-in, reason hidden
    "bad-sequence": {"client-bug", "no-auth"},  # Exim's lowercase 503 is also the DATA symptom
    "helo-required": {"client-bug"},
    "unknown-command": {"client-bug"},
    "nul-character": {"client-bug"},
    "sync-error": {"client-bug"},
    "too-many-errors": {"client-bug"},
    "line-too-long": {"client-bug"},
    "message-too-big": {"blocklist-or-policy", "client-bug"},
    "vrfy-refused": {"blocklist-or-policy"},
    "etrn-refused": {"blocklist-or-policy", "temporary"},
    "command-refused": {"client-bug"},
    "too-many-recipients": {"rate-limit"},
}
#: Entries whose words say more than their reason key: Postfix's "Local only" delivery refuses an
#: outside domain with 5.1.1 "Recipient address rejected: <domain>", which reads as an address that
#: cannot receive mail (signing in does not help there).
#: OpenSMTPD says "550 Invalid recipient: <addr>" whether no rule lets the client relay or a local
#: user does not exist (lka_session.c, one LKA_PERMFAIL text): the words cannot tell the two apart.
#: Exim's "503 AUTH command used when not advertised" alone: the program sent AUTH where the server
#: offered none (every real text of it); the EHLO list before it may say "encrypt first" (EHLO_DECIDES).
ENTRY_CAUSES = {
    "S550_LOCAL_ONLY": {"unknown-recipient", "blocklist-or-policy"},
    "S503_AUTH_NOT_ADVERTISED": {"client-bug", "tls-required"},
    "S550_UNKNOWN_RECIPIENT": {"no-auth", "unknown-recipient"},
}
#: Not a refusal on its own: the first line of Exim's multi-line 503, which repeats the RCPT refusal
#: after it (diagnosed whole in the scenario transcripts above).
PARTS = {"S503_ALL_RCPT_REJECTED"}


def transcript_text(t: smtpsim.Transcript) -> str:
    """The whole dialogue as a support log shows it: ``C:`` and ``S:`` lines."""
    lines = []
    for step in t.steps:
        if step.send is not None:
            lines.append(f"C: {step.send}")
        lines.extend(f"S: {line}" for line in step.reply)
    return "\n".join(lines)


#: Scenarios whose lone refusal means one thing or another by the EHLO list before it, and the
#: recogniser that reads that list: Exim's "503 AUTH command used when not advertised" alone is the
#: program's error (every real text of it in tests/diagnose), after an EHLO that offered STARTTLS it
#: means "encrypt first" (RFC 3207 §4, RFC 4954 §4).
EHLO_DECIDES = {"exim-submission-starttls": "auth-refused-starttls-offered"}


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_transcript_is_diagnosed_as_its_cause(path: Path) -> None:
    assert "cause" in yaml.safe_load(path.read_text(encoding="utf-8")), f"{path.name} states no cause"
    scenario = smtpsim.load_scenario(str(path))
    t = smtpsim.run_scenario(scenario)
    refusals = [s for s in t.steps if s.code is not None and s.code >= 400]
    full = diagnose(transcript_text(t))
    if scenario.cause == "none":
        assert refusals == [] and full.causes[0]["id"] == "unknown"
        return
    assert refusals, f"{path.name}: cause {scenario.cause!r} but the server refused nothing"
    assert full.causes[0]["id"] == scenario.cause, full.causes
    last = diagnose("\n".join(refusals[-1].reply))
    ranked = [c["id"] for c in last.causes]
    # The last refusal alone cannot always tell: a wrong password and no sign-in end in the same
    # relay refusal, and DATA without any RCPT gets the 503 that follows refused RCPTs. Then the
    # cause must still be offered among the first three; otherwise it must come first.
    if ranked[0] != scenario.cause:
        assert scenario.cause in ranked[:3], (path.name, ranked)
        if path.stem in EHLO_DECIDES:
            assert EHLO_DECIDES[path.stem] in full.matched, (path.name, full.matched)
            return
        assert len(refusals) > 1 or last.hidden, (
            path.name,
            "a lone refusal that names its reason must be exact",
        )


def test_an_unknown_cause_is_an_error_naming_the_key() -> None:
    data = yaml.safe_load((ROOT / "examples" / "scenarios" / "exim-no-auth.yml").read_text(encoding="utf-8"))
    data["cause"] = "no-auht"
    scenario = scenario_from_dict(data, source="x.yml")  # the engine takes any text: ids are the site's
    with pytest.raises(ScenarioError, match=r"x\.yml: cause: 'no-auht' is not a cause id"):
        check_cause(scenario.cause, "x.yml")


def catalogues() -> dict[str, type]:
    """The reply catalogue of every personality: the registry's when the engine has one."""
    try:
        from smtpsim.registry import REGISTRY
    except ImportError:
        from smtpsim.replies import Exim, Postfix

        return {"exim": Exim, "postfix": Postfix}
    return {name: spec.catalogue for name, spec in REGISTRY.items()}


SAMPLE = {
    "host": "mail.example.net",
    "addr": "bob@elsewhere.example",
    "domain": "elsewhere.example",
    "verb": "XCLIENT",
    "data": "bob@",
    "error": "missing or malformed local part",
    "cmd": "DATA",
    "mech": "CRAM-MD5",
    "size": "100",
    "total": "100",
    "qid": "1abc",
    "option": "FOO=BAR",
    "length": "1100",
    "challenge": "VXNlcm5hbWU6",
    "commands": "HELO EHLO",
    "date": "Wed, 02 Dec 2026",
    "helo": "laptop.example",
    "ip": "192.0.2.10",
}


def refusals() -> list[tuple[str, str, T]]:
    out = []
    for name, catalogue in catalogues().items():
        for attr, value in vars(catalogue).items():
            if isinstance(value, T) and value.code >= 400 and attr.startswith("S") and attr not in PARTS:
                out.append((name, attr, value))
    return out


def render(attr: str, template: T) -> str:
    verb = "EHLO" if "HELO" in attr else "XCLIENT" if "_X_" in attr else "NOOP"
    fields = defaultdict(lambda: "x", {**SAMPLE, "verb": verb})
    lines = [string.Formatter().vformat(text, (), fields) for text in template.texts]
    return "\n".join(
        f"{template.code}{'-' if i < len(lines) - 1 else ' '}{line}" for i, line in enumerate(lines)
    )


def test_every_catalogue_refusal_maps_to_its_cause() -> None:
    found = refusals()
    assert len({name for name, _, _ in found}) >= 2 and len(found) > 60
    wrong = {}
    for name, attr, template in found:
        want = ENTRY_CAUSES.get(attr, REASON_CAUSES.get(template.reason))
        got = diagnose(render(attr, template)).causes[0]["id"]
        if want is None or got not in want:
            wrong[f"{name}.{attr}"] = (render(attr, template), template.reason, got)
    assert wrong == {}


def test_an_enhanced_code_row_with_its_class_wins_in_that_class_only() -> None:
    """data/diagnose-codes.yml's 4.2.1 (a temporary refusal: a rate or relay limit) beats X.2.1
    (mailbox disabled) for class 4 only; 5.2.1 keeps the registry's meaning (RFC 3463 §3.3)."""
    assert diagnose("450 4.2.1").causes[0]["id"] == "rate-limit"
    assert diagnose("550 5.2.1").causes[0]["id"] == "unknown-recipient"


#: .NET's wrapper text holds Exchange's wording "client was not authenticated" (a no-auth recogniser).
DOTNET_WRAPPER = "The SMTP server requires a secure connection or the client was not authenticated."


def test_a_wording_inside_a_program_wrapper_is_the_wrappers() -> None:
    """The server's own reply after the wrapper decides: Gmail's "Must issue a STARTTLS command
    first" (RFC 3207 §4) is an encryption problem, although the wrapper also says "not authenticated"."""
    d = diagnose(f"{DOTNET_WRAPPER} The server response was: 5.7.0 Must issue a STARTTLS command first.")
    assert d.causes[0]["id"] == "tls-required"
    assert "exchange-client-not-authenticated" not in d.matched


def test_the_same_wording_after_the_wrapper_still_counts() -> None:
    d = diagnose(f"{DOTNET_WRAPPER} The server response was: 5.7.1 Client was not authenticated")
    assert "exchange-client-not-authenticated" in d.matched
    assert d.causes[0]["id"] == "no-auth"
    assert any(e["text"] == "Client was not authenticated" for e in d.evidence)


def test_a_503_to_auth_is_a_command_out_of_order() -> None:
    """RFC 4954 §4: AUTH inside a transaction or after a sign-in gets 503: not 'did not sign in'."""
    transcript = (
        'SEND (1):\n"AUTH PLAIN AGZvbwBiYXI=\\r\\n"\nRECEIVE (1):\n"503 Command sequence error\\r\\n"'
    )
    d = diagnose(transcript)
    assert (d.stage, d.causes[0]["id"]) == ("auth", "client-bug")
    assert diagnose("503 Command sequence error").causes[0]["id"] == "no-auth"  # the bare 503 prior


def test_a_503_to_helo_or_ehlo_is_a_command_out_of_order() -> None:
    """RFC 5321 §4.1.4: a HELO/EHLO said again (after EHLO, or after signing in) that gets 503 is the
    program's error, not the bare 503 prior; the step is read from a transcript in any quoting."""
    transcript = '<- "EHLO example.com\\r\\n"\n-> "250 SIZE 31457280\\r\\n"\n<- "HELO example.com\\r\\n"\n'
    d = diagnose(transcript + '-> "503 Sorry\\r\\n"\n')
    assert (d.stage, d.causes[0]["id"]) == ("ehlo", "client-bug")
    assert diagnose("C: EHLO laptop\nS: 503 Sorry").causes[0]["id"] == "client-bug"
    assert diagnose("503 Sorry").causes[0]["id"] == "no-auth"  # no step: the bare 503 prior


def test_the_replies_a_503_does_not_repeat_come_from_the_compiled_rules() -> None:
    """``not_refusals`` (data/diagnose-codes.yml, RFC 5321 §4.2.3) is one list both matchers read: a
    502 before a bare 503 refuses nothing, so the 503's prior still counts; drop 502 from the list
    and the 502 becomes the refusal the 503 repeats."""
    data = json.loads((ROOT / "diagnose" / "smtpdiagnose" / "diagnoses.json").read_text(encoding="utf-8"))
    assert set(data["not_refusals"]) == {"421", "500", "502", "504"}
    text = "502 No\n503 Sorry"
    assert diagnose(text).causes[0]["id"] == "no-auth"
    rules = rules_from_json({**data, "not_refusals": ["421", "500", "504"]})
    assert diagnose(text, rules).causes[0]["id"] == "client-bug"


@pytest.mark.parametrize(
    "text",
    [
        "SMTP \u932f\u8aa4\uff08550\uff09\uff1a",  # Roundcube zh_TW smtptoerror's opening, the code alone
        "\u30a8\u30e9\u30fc\uff1a550\u3002",  # a code before a full-width full stop
    ],
)
def test_a_reply_code_before_full_width_punctuation_is_evidence(text: str) -> None:
    """Chinese and Japanese messages close a code with full-width brackets, colons and stops
    (Roundcube's zh_TW 'SMTP 錯誤（$code）：'): the code is still read, so the text is not 'unknown'.
    A bare code is weak evidence: the "similar texts" layer may reorder its causes (and then leads)."""
    d = diagnose(text)
    assert d.causes[0]["id"] != "unknown"
    assert [e["text"] for e in d.evidence if e["layer"] != "similar-texts"] == ["550"]
    assert d.decided_by in ("reply-code", "similar-texts")


def test_a_stretch_of_the_paste_is_shown_once() -> None:
    """Two recognisers that read the same words (Roundcube's Vietnamese message and the Vietnamese
    vocabulary) count both, and the evidence shows those words once, by the stronger reading."""
    d = diagnose("Lỗi: Xác thực thất bại")
    assert {"l10n-roundcube-auth-failed-vi", "vi-vocab-auth-failed"} <= set(d.matched)
    assert [e["text"] for e in d.evidence] == ["Xác thực thất bại"]
    assert d.evidence[0]["causes"][0] == d.causes[0]["id"] == "bad-credentials"
