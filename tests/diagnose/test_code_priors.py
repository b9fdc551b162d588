"""tools/estimate_code_priors.py (issue 17): the reply-code priors estimated from the written-from
texts stay inside each code's definition (RFC 5321 §4.2.2-4.2.3, RFC 4954 §6) and shrink towards the
hand-set row when a row has few texts; bad input is one line on stderr and exit 2."""

from __future__ import annotations

from collections import Counter

import pytest

import estimate_code_priors as ecp  # tools/
from code_prior_texts import compiled, reply_keys
from smtpdiagnose import diagnose as dg


def _row(key: str) -> dict:
    return next(r for r in compiled()["reply"] if ecp.row_key(r) == key)


def test_no_texts_keep_the_hand_set_row() -> None:
    row = _row("550")
    assert ecp.estimate(row, Counter()) == {c: float(w) for c, w in row["causes"]}


def test_many_texts_reorder_a_row_but_keep_its_largest_weight() -> None:
    row = _row("530")
    top = max(w for _, w in row["causes"])
    est = ecp.estimate(row, Counter({"tls-required": 30, "no-auth": 2}))
    assert next(iter(est)) == "tls-required"
    assert est["tls-required"] == top
    assert est["no-auth"] < top


@pytest.mark.parametrize(
    ("key", "seen", "forbidden"),
    [
        ("535", {"no-auth": 40, "bad-credentials": 1}, "no-auth"),  # RFC 4954 §6: credentials invalid
        ("421", {"bad-helo": 40}, "bad-helo"),  # RFC 5321 §4.2.3: service closing
        ("530@auth", {"sender-verify": 40}, "sender-verify"),  # a refusal at AUTH is about the sign-in
        ("554@data", {"bad-recipient-syntax": 40}, "bad-recipient-syntax"),  # after DATA: no address
    ],
)
def test_a_cause_the_code_does_not_allow_never_enters(key: str, seen: dict, forbidden: str) -> None:
    assert forbidden not in ecp.estimate(_row(key), Counter(seen))


def test_the_row_is_the_one_for_the_step_the_text_names() -> None:
    rules = dg.default_rules()
    text = "RCPT TO:<a@example.net>\n550 5.7.1 Relaying denied\n"
    assert ("550", "550@rcpt") in reply_keys(text, rules)
    assert reply_keys("550 Relaying denied", rules) == [("550", "550")]


@pytest.mark.parametrize("argv", [["--k", "-1"], ["--k", "many"], ["--no-such-option"]])
def test_bad_input_is_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert ecp.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("estimate_code_priors: ") and err.count("\n") == 1
