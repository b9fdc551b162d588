"""OpenSMTPD 6.8 behaviour the goldens do not reach, checked against its source (tag v6.8.0p2,
usr.sbin/smtpd/smtp_session.c; the replay of tests/golden/opensmtpd/ covers the rest)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpsim import Connection
from smtpsim.personalities.opensmtpd.address import (
    MAILADDR_ALLOWED,
    b64_pton,
    res_hnok,
    smtp_mailaddr,
    valid_domainpart,
    valid_localpart,
)
from smtpsim.personalities.opensmtpd.replies import OpenSMTPDReplies as R
from smtpsim.personalities.opensmtpd.server import CMD_MAX, MAX_MAILS, MAX_RCPT, SIZE_LIMIT
from smtpsim.replies import T
from support.smtpsim_session import PLAIN_OK, connect


def wire(conn: Connection, data: bytes) -> list[tuple[str, ...]]:
    return [ex.wire for ex in conn.receive_data(data)]


def signed_in() -> Connection:
    """The submission listener with TLS up (port 465 as modelled), signed in."""
    conn = connect("opensmtpd", client_tls=True, auth="tls-only")
    assert wire(conn, b"EHLO a.example\r\n")[0][-2] == "250-AUTH PLAIN LOGIN"
    assert wire(conn, f"AUTH PLAIN {PLAIN_OK}\r\n".encode()) == [R.S235_AUTH_OK.render().lines]
    return conn


def test_a_line_filling_the_64k_buffer_hangs_up_and_the_reply_is_lost_with_input_unread() -> None:
    """smtp_io(): 65535 octets without LF is "Line too long"; smtpd closes with the rest of a
    longer write unread, so the client gets a reset, not the reply (golden data-over-size)."""
    whole = connect("opensmtpd", auth="none")
    assert wire(whole, b"x" * 65535) == [R.S500_LINE_TOO_LONG.render().lines] and whole.closed
    more = connect("opensmtpd", auth="none")
    assert wire(more, b"x" * 70000 + b"\r\n") == [()] and more.closed


def test_a_64k_message_line_ends_the_session_too() -> None:
    conn = signed_in()
    for line in (b"MAIL FROM:<a@example.net>\r\n", b"RCPT TO:<b@example.org>\r\n", b"DATA\r\n"):
        wire(conn, line)
    assert wire(conn, b"x" * 65533 + b"\r\n") == [()] and not conn.closed  # 65534 with its CR: read
    assert wire(conn, b"y" * 70000) == [()] and conn.closed  # the reply is lost in the reset
    whole = signed_in()
    for line in (b"MAIL FROM:<a@example.net>\r\n", b"RCPT TO:<b@example.org>\r\n", b"DATA\r\n"):
        wire(whole, line)
    assert wire(whole, b"z" * 65535) == [R.S500_LINE_TOO_LONG.render().lines] and whole.closed


def test_command_line_too_long_at_line_max() -> None:
    conn = connect("opensmtpd", auth="none")
    assert wire(conn, b"NOOP " + b"A" * (CMD_MAX - 6) + b"\r\n") == [R.S500_NO_ARGUMENTS.render().lines]
    assert wire(conn, b"NOOP " + b"A" * (CMD_MAX - 5) + b"\r\n") == [R.S500_COMMAND_TOO_LONG.render().lines]
    assert conn.closed


def test_any_pipelined_input_is_refused_and_the_session_ends() -> None:
    conn = connect("opensmtpd", auth="none")
    assert wire(conn, b"EHLO a.example\r\nNOOP\r\n")[0] == R.S500_PIPELINING.render().lines
    assert conn.closed


def test_a_command_written_with_the_end_of_the_message_loses_the_message() -> None:
    """smtp_io() checks for buffered input after the "." too: QUIT written along with it gets
    "Pipelining not supported" and the hang-up, not the 250 (nymea-plugins issue 724)."""
    conn = signed_in()
    for line in (b"MAIL FROM:<a@example.net>\r\n", b"RCPT TO:<b@example.org>\r\n", b"DATA\r\n"):
        wire(conn, line)
    assert wire(conn, b"Subject: x\r\n\r\nHi.\r\n.\r\nQUIT\r\n")[-1] == R.S500_PIPELINING.render().lines
    assert conn.closed


def test_helo_once_per_session_and_again_after_starttls() -> None:
    conn = connect("opensmtpd", auth="tls-only")
    wire(conn, b"EHLO a.example\r\n")
    assert wire(conn, b"HELO a.example\r\n") == [R.S503_ALREADY_IDENTIFIED.render().lines]
    assert wire(conn, b"STARTTLS\r\n") == [R.S220_TLS_READY.render().lines]
    assert wire(conn, b"EHLO a.example\r\n")[0][0].startswith("250-")
    assert wire(conn, b"STARTTLS\r\n") == [R.S503_CHANNEL_SECURED.render().lines]


def test_signed_in_sessions_relay_and_queue_with_an_8_hex_digit_msgid() -> None:
    conn = signed_in()
    assert wire(conn, b"MAIL FROM:<alice@example.net> SIZE=99999999999 RET=HDRS ENVID=x\r\n")[0][0] == (
        "250 2.0.0 Ok"
    )
    assert wire(conn, b"RCPT TO:<bob@elsewhere.example> NOTIFY=SUCCESS,DELAY\r\n") == [
        R.S250_RCPT_OK.render().lines
    ]
    assert wire(conn, b"RCPT TO:<x@y.example> NOTIFY=NEVER,SUCCESS\r\n") == [
        R.S553_NOTIFY_NEVER.render().lines
    ]
    assert wire(conn, b"RCPT TO:<x@y.example> ORCPT=rfc822;@bad\r\n") == [R.S553_ORCPT_SYNTAX.render().lines]
    wire(conn, b"DATA\r\n")
    (queued,) = wire(conn, b"Subject: x\r\n\r\nHello.\r\n.\r\n")[-1]
    assert queued.startswith("250 2.0.0 ") and len(queued.split()[2]) == 8 and queued.endswith("delivery")


def test_envid_over_100_octets_is_refused() -> None:
    conn = signed_in()
    reply = wire(conn, b"MAIL FROM:<a@example.net> ENVID=" + b"e" * 101 + b"\r\n")
    assert reply == [R.S503_OPTION_TOO_LARGE.render(option="e" * 101).lines]


def test_limits_messages_per_session_recipients_per_message_and_size() -> None:
    conn = signed_in()
    for _ in range(MAX_MAILS):
        wire(conn, b"MAIL FROM:<a@example.net>\r\n")
        wire(conn, b"RCPT TO:<b@example.org>\r\n")
        wire(conn, b"DATA\r\n")
        assert wire(conn, b".\r\n")[0][0].endswith("Message accepted for delivery")
    assert wire(conn, b"MAIL FROM:<a@example.net>\r\n") == [R.S452_TOO_MANY_MESSAGES.render().lines]

    conn = signed_in()
    wire(conn, b"MAIL FROM:<a@example.net>\r\n")
    replies = {wire(conn, b"RCPT TO:<b@example.org>\r\n")[0] for _ in range(MAX_RCPT)}  # one at a time
    assert replies == {R.S250_RCPT_OK.render().lines}
    assert wire(conn, b"RCPT TO:<b@example.org>\r\n") == [R.S451_TOO_MANY_RECIPIENTS.render().lines]
    wire(conn, b"DATA\r\n")
    line = b"x" * 998 + b"\r\n"
    for _ in range(SIZE_LIMIT // 999 + 1):
        conn.receive_data(line)
    assert wire(conn, b".\r\n") == [R.S554_TOO_BIG.render().lines]


@pytest.mark.parametrize(
    ("text", "size", "decoded"),
    [
        ("dGVzdA==", 100, b"test"),
        ("dGVz dA==", 100, b"test"),  # white space is skipped anywhere
        ("dGVzdA", 100, None),  # padding is required
        ("dGVzdB==", 100, None),  # the bits past the last octet must be zero
        ("dGVzdA==x", 100, None),
        ("*", 100, None),  # no cancel in smtpd: "*" is just not base64
        ("dGVzdA==", 3, None),  # larger than the buffer
        ("", 100, b""),
    ],
)
def test_b64_pton(text: str, size: int, decoded: bytes | None) -> None:
    assert b64_pton(text, size) == decoded


@pytest.mark.parametrize(
    ("plain", "reply"),
    [
        (b"\0alice@example.net\0s3cret", R.S235_AUTH_OK),
        (b"\0alice@example.net\0s", R.S501_AUTH_SYNTAX),  # a NUL must leave two octets after it
        (b"alice@example.net\0s3cret", R.S501_AUTH_SYNTAX),  # one NUL only
        (b"\0alice@example.net\0wrong", R.S535_AUTH_FAILED),
    ],
)
def test_auth_plain_as_smtpd_splits_it(plain: bytes, reply: T) -> None:
    conn = connect("opensmtpd", client_tls=True, auth="tls-only")
    wire(conn, b"EHLO a.example\r\n")
    got = wire(conn, b"AUTH PLAIN " + base64.b64encode(plain) + b"\r\n")
    assert got == [reply.render().lines]


def test_addresses_and_domains() -> None:
    assert smtp_mailaddr("<a@b.example> SIZE=1", False, "vm") == ("a", "b.example", "SIZE=1")
    assert smtp_mailaddr("<@r.example:a@b.example>", False, "vm") == ("a", "b.example", "")
    assert smtp_mailaddr("<postmaster>", False, "vm") == ("postmaster", "vm", "")
    assert smtp_mailaddr("<>", True, "vm") == ("", "", "") and smtp_mailaddr("<>", False, "vm") is None
    assert smtp_mailaddr("<a..b@c.example>", False, "vm") is None
    assert valid_domainpart("[IPv6:2001:db8::1]") and valid_domainpart("a_b.example")
    assert not valid_domainpart("-a.example") and not valid_domainpart("a.example.")


ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def res_hnok_c(dn: str) -> bool:
    """openbsd-compat/res_hnok.c, character by character."""
    pch, n = ".", len(dn)
    for i, ch in enumerate(dn):
        nch = dn[i + 1] if i + 1 < n else ""
        if ch == ".":
            pass
        elif pch == "." or nch in (".", ""):
            if ch not in ALNUM:
                return False
        elif ch not in ALNUM | {"-", "_"}:
            return False
        pch = ch
    return True


def valid_localpart_c(s: str) -> bool:
    """util.c valid_localpart(): atoms of letters, digits and MAILADDR_ALLOWED between dots."""
    return bool(s) and all(
        atom and all(c in ALNUM or c in MAILADDR_ALLOWED for c in atom) for atom in s.split(".")
    )


@given(st.text(alphabet='ab9.-_ !~"\u00e9', max_size=12))
def test_the_fast_readers_agree_with_the_c_loops(text: str) -> None:
    assert res_hnok(text) == res_hnok_c(text)
    assert valid_localpart(text) == valid_localpart_c(text)
