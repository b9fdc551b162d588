"""Recipient limits (issue 13, defect 2): 1.3 million RCPT were all accepted and memory grew.

Exim 4.96: ``recipients_max`` 50000, the RCPT after that many gets ``452 too many recipients``
(smtp_in.c, checked after the address, before the ACL; not a protocol error).  Postfix 3.7:
``smtpd_recipient_limit`` 1000 accepted recipients, then ``452 4.5.3 Error: too many recipients``;
``smtpd_recipient_overshoot_limit`` 1000 such refusals are free, each one after counts towards
``smtpd_hard_error_limit`` (20): ``421 4.7.0 <host> Error: too many errors`` and hang up.
"""

from __future__ import annotations

from engine.helpers import connect
from smtpsim import Connection
from smtpsim.personalities.exim.replies import EximReplies
from smtpsim.personalities.exim.server import RECIPIENTS_MAX
from smtpsim.personalities.postfix.replies import PostfixReplies
from smtpsim.personalities.postfix.server import HARD_ERROR_LIMIT, RECIPIENT_LIMIT, RECIPIENT_OVERSHOOT


def rcpts(conn: Connection, n: int, addr: str = "postmaster@example.net") -> list[tuple[str, ...]]:
    data = f"RCPT TO:<{addr}>\r\n".encode() * n
    return [ex.wire for ex in conn.receive_data(data)]


def test_exim_recipients_max() -> None:
    conn = connect("exim")
    conn.receive_data(b"EHLO a.example\r\n")
    conn.receive_data(b"MAIL FROM:<alice@example.net>\r\n")
    replies = rcpts(conn, RECIPIENTS_MAX)
    assert set(replies) == {EximReplies.S250_ACCEPTED.render().lines}
    over = rcpts(conn, 3)
    assert (
        over
        == [EximReplies.S452_TOO_MANY_RECIPIENTS.render().lines] * 3
        == [("452 too many recipients",)] * 3
    )
    assert len(conn.session.recipients) == RECIPIENTS_MAX  # bounded: nothing kept for the excess
    assert not conn.closed  # a deferral, not a protocol error
    assert conn.receive_data(b"DATA\r\n")[0].wire[0].startswith("354 ")


def test_exim_limit_is_per_message() -> None:
    conn = connect("exim")
    conn.receive_data(b"EHLO a.example\r\n")
    conn.receive_data(b"MAIL FROM:<alice@example.net>\r\n")
    rcpts(conn, RECIPIENTS_MAX + 1)
    conn.receive_data(b"RSET\r\n")
    conn.receive_data(b"MAIL FROM:<alice@example.net>\r\n")
    assert rcpts(conn, 1) == [("250 Accepted",)]


def test_postfix_recipient_limit_then_overshoot_then_hard_error_limit() -> None:
    conn = connect("postfix", hostname="mx.example")
    conn.receive_data(b"EHLO a.example\r\n")
    conn.receive_data(b"MAIL FROM:<alice@example.net>\r\n")
    assert set(rcpts(conn, RECIPIENT_LIMIT)) == {("250 2.1.5 Ok",)}
    too_many = PostfixReplies.S452_TOO_MANY_RECIPIENTS.render().lines
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
