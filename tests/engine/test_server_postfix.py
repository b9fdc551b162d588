"""Postfix 3.7 (Debian 12), beyond what its goldens replay (test_golden_replay.py): dialogues
asserted against its reply catalogue, its recipient limits (issue 13, defect 2:
``smtpd_recipient_limit`` 1000 accepted recipients, then ``452 4.5.3 Error: too many recipients``;
``smtpd_recipient_overshoot_limit`` 1000 such refusals are free, each one after counts towards
``smtpd_hard_error_limit`` (20): ``421 4.7.0 <host> Error: too many errors`` and hang up), and its
argument reading (the fast paths for everyday arguments give exactly what the general,
character-by-character reading of smtpd_token() and the RFC 822 parser gives)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smtpsim import Connection
from smtpsim.personalities.postfix.address import (
    extract_addr,
    extract_addr_general,
    smtpd_tokens,
    smtpd_tokens_general,
)
from smtpsim.personalities.postfix.replies import PostfixReplies as P
from smtpsim.personalities.postfix.server import HARD_ERROR_LIMIT, RECIPIENT_LIMIT, RECIPIENT_OVERSHOOT
from smtpsim.replies import T as Template
from support.smtpsim_session import PLAIN_OK, connect, talk

MAIL = "MAIL FROM:<alice@example.net>"
REMOTE = "RCPT TO:<bob@elsewhere.example>"
PIECES = st.sampled_from(
    ["a", "Bob", "x_1", "+tag", "-", "9", ".", "@", "example", "net", ":", "<", ">", '"', "\\", " ",
     "\t", "%", "!", "(c)", "[1]", ",", ";", "FROM:", "TO:", "from:", "to:"]
)  # fmt: skip
TEXT = st.lists(PIECES, max_size=10).map("".join)
WRAPPED = st.one_of(
    TEXT, TEXT.map(lambda s: f"<{s}>"), TEXT.map(lambda s: f"FROM:<{s}>"), TEXT.map(lambda s: f"to:<{s}>")
)


def lines(t: Template, **kw: str) -> tuple[str, ...]:
    return t.render(**kw).lines


def test_postfix_454_then_554() -> None:
    r = talk(["EHLO a.example", MAIL, REMOTE, "DATA"], software="postfix")
    assert r[3] == lines(P.S454_RELAY, addr="bob@elsewhere.example")
    assert r[4] == lines(P.S554_NO_VALID_RECIPIENTS)


def test_postfix_reject_unauth_destination() -> None:
    r = talk(["EHLO a.example", MAIL, REMOTE], software="postfix", relay_policy="reject")
    assert r[3] == lines(P.S554_RELAY, addr="bob@elsewhere.example")


def test_postfix_submission_requires_starttls_then_auth() -> None:
    r = talk(
        [
            "EHLO a.example",
            MAIL,
            "STARTTLS",
            "EHLO a.example",
            MAIL,
            REMOTE,
            "RSET",
            f"AUTH PLAIN {PLAIN_OK}",
            MAIL,
            REMOTE,
        ],
        software="postfix",
        tls="required",
        auth="required",
    )
    assert "250-AUTH PLAIN LOGIN" not in r[1]
    assert r[2] == lines(P.S530_STARTTLS_FIRST) and r[3] == lines(P.S220_TLS_READY)
    assert "250-AUTH PLAIN LOGIN" in r[4]
    assert r[6] == lines(P.S554_RCPT_ACCESS, addr="bob@elsewhere.example")
    assert r[8] == lines(P.S235_AUTH_OK) and r[10] == lines(P.S250_RCPT_OK)


def test_postfix_auth_login_and_cancel() -> None:
    r = talk(
        [
            "EHLO a.example",
            "AUTH LOGIN",
            "*",
            "AUTH PLAIN",
            "!!",
            "AUTH LOGIN",
            "YWxpY2VAZXhhbXBsZS5uZXQ=",
            "czNjcmV0",
        ],
        software="postfix",
    )
    assert r[2] == lines(P.S334_CHALLENGE, challenge="VXNlcm5hbWU6")
    assert r[3] == lines(P.S501_AUTH_ABORTED)
    assert r[5] == lines(P.S535_AUTH_CONTINUE)  # Cyrus: "!!" is an incomplete base64 group
    assert r[7] == lines(P.S334_CHALLENGE, challenge="UGFzc3dvcmQ6")
    assert r[8] == lines(P.S235_AUTH_OK)


def test_postfix_auth_not_enabled() -> None:
    r = talk(["EHLO a.example", f"AUTH PLAIN {PLAIN_OK}"], software="postfix", auth="none")
    assert r[2] == lines(P.S503_AUTH_NOT_ENABLED)


def test_postfix_local_only_refuses_remote_even_after_auth() -> None:
    r = talk(
        ["EHLO a.example", f"AUTH PLAIN {PLAIN_OK}", MAIL, REMOTE], software="postfix", delivery="local-only"
    )
    assert r[4] == lines(P.S550_LOCAL_ONLY, addr="bob@elsewhere.example", domain="elsewhere.example")


def test_postfix_message_too_big() -> None:
    conn = connect("postfix")
    for line in ["EHLO a.example", MAIL, "RCPT TO:<alice@example.net>", "DATA"]:
        conn.receive_line(line)
    block = (b"y" * 998 + b"\r\n") * 1000
    for _ in range(11):
        assert all(ex.replies == () for ex in conn.receive_data(block))
    assert conn.receive_line(".").wire == lines(P.S552_TOO_BIG)


def rcpts(conn: Connection, n: int, addr: str = "postmaster@example.net") -> list[tuple[str, ...]]:
    data = f"RCPT TO:<{addr}>\r\n".encode() * n
    return [ex.wire for ex in conn.receive_data(data)]


def test_postfix_recipient_limit_then_overshoot_then_hard_error_limit() -> None:
    conn = connect("postfix", hostname="mx.example")
    conn.receive_data(b"EHLO a.example\r\n")
    conn.receive_data(b"MAIL FROM:<alice@example.net>\r\n")
    assert set(rcpts(conn, RECIPIENT_LIMIT)) == {("250 2.1.5 Ok",)}
    too_many = P.S452_TOO_MANY_RECIPIENTS.render().lines
    assert too_many == ("452 4.5.3 Error: too many recipients",)
    assert rcpts(conn, RECIPIENT_OVERSHOOT) == [too_many] * RECIPIENT_OVERSHOOT  # free refusals
    assert not conn.closed
    counted = rcpts(conn, HARD_ERROR_LIMIT + 5)  # now each counts as an error
    assert counted[: HARD_ERROR_LIMIT - 1] == [too_many] * (HARD_ERROR_LIMIT - 1)
    assert counted[HARD_ERROR_LIMIT - 1] == (*too_many, "421 4.7.0 mx.example Error: too many errors")
    assert conn.closed and len(counted) == HARD_ERROR_LIMIT
    assert len(conn.session.recipients) == RECIPIENT_LIMIT


def test_postfix_overshoot_starts_again_with_each_message() -> None:
    conn = connect("postfix")
    conn.receive_data(b"EHLO a.example\r\n")
    for _ in range(2):
        conn.receive_data(b"MAIL FROM:<alice@example.net>\r\n")
        rcpts(conn, RECIPIENT_LIMIT)
        assert rcpts(conn, RECIPIENT_OVERSHOOT)[-1] == ("452 4.5.3 Error: too many recipients",)
        conn.receive_data(b"RSET\r\n")
    assert not conn.closed


@settings(max_examples=400, deadline=None)
@given(WRAPPED)
def test_tokens_fast_path_is_the_general_reading(text: str) -> None:
    assert smtpd_tokens(text) == smtpd_tokens_general(text)


@settings(max_examples=400, deadline=None)
@given(WRAPPED, st.booleans())
def test_address_fast_path_is_the_parser(token: str, allow_empty: bool) -> None:
    inner = token[1:-1] if len(token) >= 2 and token[0] == "<" and token[-1] == ">" else token
    assert extract_addr(token, allow_empty) == extract_addr_general(inner, allow_empty)


def test_everyday_arguments_take_the_fast_path() -> None:
    assert smtpd_tokens("FROM:<alice@example.net>") == [("FROM:", False), ("<alice@example.net>", False)]
    assert extract_addr("<bob.smith+x@mail.example-1.net>", False) == "bob.smith+x@mail.example-1.net"
    assert extract_addr("<a@>", True) is None and extract_addr("<>", True) == ""


def test_postfix_nothing_after_quit_written_with_it() -> None:
    conn = connect("postfix")
    ex = conn.receive_data(b"QUIT\r\nNOOP\r\n")
    assert [e.wire for e in ex] == [("221 2.0.0 Bye",)] and conn.closed
