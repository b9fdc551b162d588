"""Sendmail 8.17 behaviour the goldens (tests/golden/sendmail/) do not reach, from srvrsmtp.c and
Debian's sendmail.cf: the MAXLINE and open-proxy hang-ups, the MSA port, STARTTLS without a
certificate, HELP topics, ESMTP parameter checks, recipient() duplicates, the bare-LF 421 and the
queue-id format.  Attack cases stay bounded like the other personalities' (test_attacks.py)."""

from __future__ import annotations

import datetime as _dt
import re

import pytest

from smtpsim.machine import State
from smtpsim.personalities.sendmail.replies import SendmailReplies as R
from smtpsim.personalities.sendmail.server import Sendmail, arpadate, queue_id
from support.smtpsim_session import PLAIN_OK, connect, talk

HOST, IP = "mail.example.net", "192.0.2.10"


def test_bare_lf_in_a_message_ends_the_session() -> None:
    """Debian's 8.17.1.9 (CVE-2023-51765 fix): the smuggled RSET is never read (golden
    sendmail/smuggling-bare-lf-dot)."""
    conn = connect("sendmail")
    for line in ("EHLO a.example", "MAIL FROM:<alice@example.net>", "RCPT TO:<alice@example.net>", "DATA"):
        conn.receive_line(line)
    out = conn.receive_data(b"Subject: x\r\n\r\nhi\n.\nRSET\r\n")
    assert [ln for ex in out for ln in ex.wire] == list(R.S421_BARE_LF.render().lines) and conn.closed


@pytest.mark.parametrize(("length", "closed"), [(2046, False), (2047, True)])
def test_maxline_counts_the_crlf(length: int, closed: bool) -> None:
    """inplen > MAXLINE (2048) with the CRLF counted: 421 and hang up."""
    conn = connect("sendmail")
    wire = conn.receive_data(b"NOOP " + b"A" * (length - 5) + b"\r\n")[0].wire
    if closed:
        assert wire == R.S421_TOO_LONG.render(host=HOST, ip=IP).lines and conn.closed
    else:
        assert wire == R.S250_OK.render().lines and not conn.closed


def test_an_auth_line_may_be_longer() -> None:
    conn = connect("sendmail")
    conn.receive_line("EHLO a.example")
    wire = conn.receive_line("AUTH PLAIN " + "A" * 3000).wire
    assert wire[0].startswith("535 ") and not conn.closed


def test_endless_line_is_bounded() -> None:
    conn = connect("sendmail")
    out = []
    for _ in range(4):
        out += conn.receive_data(b"A" * 65536)
        assert conn.buffered <= 12288
    assert conn.closed and out[0].wire == R.S421_TOO_LONG.render(host=HOST, ip=IP).lines


def test_open_proxy_only_as_the_first_command() -> None:
    assert talk(["GET / HTTP/1.1"], "sendmail")[1] == R.S421_OPEN_PROXY.render(host=HOST, ip=IP).lines
    assert talk(["NOOP", "GET / HTTP/1.1"], "sendmail")[2] == (
        '500 5.5.1 Command unrecognized: "GET / HTTP/1.1"',
    )


def test_msa_port_wants_auth_and_refuses_etrn() -> None:
    lines = ["EHLO a.example", "MAIL FROM:<alice@example.net>", "ETRN example.org", f"AUTH PLAIN {PLAIN_OK}"]
    replies = talk([*lines, "MAIL FROM:<alice@example.net>"], "sendmail", auth="required")
    assert "250-ETRN" not in replies[1] and "250-AUTH LOGIN PLAIN" in replies[1]
    assert replies[2:] == [
        R.S530_AUTH_REQUIRED.render().lines,
        R.S502_NOT_ALLOWED.render().lines,
        R.S235_AUTH_OK.render().lines,
        R.S250_SENDER_OK.render(addr="<alice@example.net>").lines,
    ]


def test_starttls() -> None:
    assert talk(["EHLO a", "STARTTLS"], "sendmail", tls="none")[2] == R.S454_TLS_AFTER_START.render().lines
    assert talk(["EHLO a", "STARTTLS x"], "sendmail")[2] == R.S501_NO_PARAMETERS.render().lines
    replies = talk(["EHLO a", "MAIL FROM:<alice@example.net>", "STARTTLS"], "sendmail")
    assert replies[3] == R.S503_TLS_IN_TRANSACTION.render().lines
    conn = connect("sendmail", client_tls=True)
    assert conn.receive_line("STARTTLS").wire == R.S503_TLS_NOT_AVAILABLE.render().lines


def test_help_topics_match_the_start_of_the_helpfile_key() -> None:
    replies = talk(["HELP", "HELP sm", "HELP MAIL", "HELP averyveryverylongtopic"], "sendmail")
    assert replies[1] == replies[2] == R.S214_HELP.render().lines
    assert replies[3] == ('504 5.3.0 HELP topic "mail" unknown',)
    assert replies[4] == ('504 5.3.0 HELP topic "averyveryv" unknown',)


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        ("MAIL FROM:<a@example.net> BODY=BINARYMIME", "501 5.5.4 Unknown BODY type BINARYMIME"),
        ("MAIL FROM:<a@example.net> RET=ALL", '501 5.5.2 Bad argument "ALL" to RET'),
        ("MAIL FROM:<a@example.net> RET=FULL RET=HDRS", "501 5.5.0 Duplicate RET parameter"),
        ("MAIL FROM:<a@example.net> ENVID=+zz", "501 5.5.4 Syntax error in ENVID parameter value"),
        ("MAIL FROM:<a@example.net> ENVID=a=b", "555 5.5.4 b parameter unrecognized"),  # "=" ends a value
        ("MAIL FROM:<a@example.net> SIZE=-1", "552 5.2.3 Message size invalid"),
        (
            "MAIL FROM:<a@example.net> SIZE=99999999999999999999",
            "552 5.2.3 Message size exceeds maximum value",
        ),
        ("MAIL FROM:<a@example.net> BY=120", "501 5.5.2 BY= missing ';'"),
        ("MAIL FROM:<a@example.net> BY=120;X", "501 5.5.2 illegal by-mode 'X'"),
        ("MAIL FROM:<a@example.net> BY=0;R", "501 5.5.4 mode R requires BY time > 0"),
        ("MAIL FROM:<a@example.net> BY=120;NX", "501 5.5.2 illegal by-trace 'X'"),
        ("MAIL FROM:<a@example.net> AUTH", "501 5.5.2 AUTH= requires a value"),
        ("MAIL FROM:<a@(comment>", "553 5.0.0 <a@(comment>... Unbalanced '('"),
        ('MAIL FROM:<"a@example.net>', "553 5.0.0 <\"a@example.net>... Unbalanced '\"'"),
    ],
)
def test_mail_parameters(line: str, reply: str) -> None:
    assert talk(["EHLO a.example", line], "sendmail")[2] == (reply,)


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        (
            "RCPT TO:<postmaster@example.net> NOTIFY=SOMETIMES",
            '501 5.5.4 Bad argument "SOMETIMES"  to NOTIFY',
        ),
        ("RCPT TO:<postmaster@example.net> NOTIFY", "501 5.5.2 NOTIFY requires a value"),
        ("RCPT TO:<postmaster@example.net> ORCPT=x@y", "501 5.5.4 Syntax error in ORCPT parameter value"),
        ("RCPT TO:<postmaster@example.net> SIZE=1", "555 5.5.4 SIZE parameter unrecognized"),
    ],
)
def test_rcpt_parameters(line: str, reply: str) -> None:
    assert talk(["EHLO a.example", "MAIL FROM:<>", line], "sendmail")[3] == (reply,)


def test_checks_at_rcpt() -> None:
    """delay_checks: the sender's domain is looked at for local recipients that are not friends;
    a null sender passes it, and then recipient() finds the unknown user."""
    replies = talk(
        [
            "EHLO a.example",
            "MAIL FROM:<x@outside.example>",
            "RCPT TO:<nobody@example.net>",
            "RCPT TO:<Postmaster@example.net>",
            "RSET",
            "MAIL FROM:<>",
            "RCPT TO:<nobody@example.net>",
            "RCPT TO:<alice@example.net>",
            "RCPT TO:<@relay.example:ALICE@example.net>",
        ],
        "sendmail",
    )
    sender = "Domain of sender address x@outside.example does not exist"
    assert replies[3] == (f"553 5.1.8 <nobody@example.net>... {sender}",)
    assert replies[4] == ("250 2.1.5 <Postmaster@example.net>... Recipient ok",)
    assert replies[7] == ("550 5.1.1 <nobody@example.net>... User unknown",)
    assert replies[8] == replies[9] == ("250 2.1.5 <alice@example.net>... Recipient ok",)  # a duplicate


def test_vrfy_and_expn_want_a_hello() -> None:
    replies = talk(
        ["VRFY postmaster", "EXPN postmaster", "HELO a", "EXPN root", "VRFY x@elsewhere.example"], "sendmail"
    )
    assert replies[1] == replies[2] == R.S503_INTRODUCE.render().lines
    assert replies[4] == ("250 2.1.5 root <root@mail.example.net>",)
    assert replies[5] == ("252 2.1.5 <x@elsewhere.example>",)


def test_unknown_commands_hang_up_after_25() -> None:
    conn = connect("sendmail")
    for _ in range(25):
        assert conn.receive_line("BDAT 1 LAST").wire == ('500 5.5.1 Command unrecognized: "BDAT 1 LAST"',)
    assert conn.receive_line("SEND").wire == ('502 5.5.1 Command not implemented: "SEND"',)
    assert conn.receive_line("XYZZY").wire == R.S421_TOO_MANY_BAD.render(host=HOST).lines
    assert conn.state is State.CLOSED


def test_dates_and_queue_ids() -> None:
    """arpadate(): the day not padded, GMT for UTC; assign_queueid(): base 60 then the pid."""
    t = _dt.datetime(2026, 12, 2, 12, 58, 44, tzinfo=_dt.UTC)
    assert arpadate(t) == "Wed, 2 Dec 2026 12:58:44 GMT"
    assert arpadate(t.astimezone(_dt.timezone(_dt.timedelta(hours=-5)))) == "Wed, 2 Dec 2026 07:58:44 -0500"
    assert queue_id(t, 56 * 60 + 22, 6008) == "6B2CwiuM006008"  # golden auth-plain-initial-ok
    live = Sendmail.live_queue_id(int(t.timestamp()), 0, 123, iter(range(4000, 4010)).__next__)
    assert re.fullmatch(r"6B2Cwi[0-9A-Za-x]{2}000123", live)
