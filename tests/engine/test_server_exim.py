"""Exim 4.96 (Debian 12, exim4-config), beyond what its goldens replay (test_golden_replay.py):
dialogues asserted against its reply catalogue (submission, TLS-only AUTH, limits, size,
sequencing) and its recipient limit (issue 13, defect 2: ``recipients_max`` 50000, the RCPT after
that many gets ``452 too many recipients``; smtp_in.c, checked after the address, before the ACL;
not a protocol error)."""

from __future__ import annotations

from smtpsim import Connection
from smtpsim.personalities.exim.replies import EximReplies as E
from smtpsim.personalities.exim.server import RECIPIENTS_MAX
from smtpsim.replies import T as Template
from support.smtpsim_session import PLAIN_BAD, PLAIN_OK, connect, talk

MAIL = "MAIL FROM:<alice@example.net>"
REMOTE = "RCPT TO:<bob@elsewhere.example>"


def lines(t: Template, **kw: str) -> tuple[str, ...]:
    return t.render(**kw).lines


def test_exim_503_story_plain_and_pipelined() -> None:
    plain = talk(["EHLO a.example", MAIL, REMOTE, "DATA"])
    piped = talk(["EHLO a.example", [MAIL, REMOTE, "DATA"]])
    expected = (
        "503-All RCPT commands were rejected with this error:",
        "503-relay not permitted",
        "503 Valid RCPT command must precede DATA",
    )
    assert plain[3] == lines(E.S550_RELAY) and plain[4] == expected
    assert piped[3:] == plain[3:]


def test_exim_lowercase_valid_after_helo_or_noop() -> None:
    helo = talk(["HELO a.example", MAIL, REMOTE, "DATA"])
    noop = talk(["EHLO a.example", MAIL, REMOTE, "NOOP", "DATA"])
    assert helo[4][-1] == noop[5][-1] == lines(E.S503_VALID_RCPT_LC, cmd="DATA")[0]


def test_exim_different_refusals_are_not_repeated() -> None:
    r = talk(["EHLO a.example", MAIL, "RCPT TO:<nobody@example.net>", REMOTE, "DATA"])
    assert r[3] == lines(E.S550_UNROUTEABLE) and r[4] == lines(E.S550_RELAY)
    assert r[5] == lines(E.S503_VALID_RCPT, cmd="DATA")


def test_exim_auth_then_relay_and_queue() -> None:
    r = talk(
        [
            "EHLO a.example",
            f"AUTH PLAIN {PLAIN_OK}",
            MAIL,
            REMOTE,
            "DATA",
            "Subject: x",
            "",
            "..dot",
            ".",
            "QUIT",
        ]
    )
    assert r[2] == lines(E.S235_AUTH_OK) and r[4] == lines(E.S250_ACCEPTED)
    assert r[5] == lines(E.S354_ENTER) and r[6] == r[7] == r[8] == ()
    assert r[9][0].startswith("250 OK id=") and r[10] == lines(E.S221_BYE, host="mail.example.net")


def test_exim_wrong_password() -> None:
    r = talk(["EHLO a.example", f"AUTH PLAIN {PLAIN_BAD}", MAIL, REMOTE])
    assert r[2] == lines(E.S535_AUTH_FAILED) and r[4] == lines(E.S550_RELAY)


def test_exim_tls_only_auth_needs_starttls() -> None:
    r = talk(
        ["EHLO a.example", f"AUTH PLAIN {PLAIN_OK}", "STARTTLS", "EHLO a.example", f"AUTH PLAIN {PLAIN_OK}"],
        auth="tls-only",
    )
    assert "250-AUTH PLAIN LOGIN" not in r[1] and "250-STARTTLS" in r[1]
    assert r[2] == lines(E.S503_AUTH_NOT_ADVERTISED) and r[3] == lines(E.S220_TLS_GO)
    assert "250-AUTH PLAIN LOGIN" in r[4] and "250-STARTTLS" not in r[4]
    assert r[5] == lines(E.S235_AUTH_OK)


def test_exim_implicit_tls_advertises_auth_without_starttls() -> None:
    r = talk(["EHLO a.example"], auth="tls-only", client_tls=True)
    assert "250-AUTH PLAIN LOGIN" in r[1] and "250-STARTTLS" not in r[1]


def test_exim_auth_inside_transaction_and_twice() -> None:
    r = talk(
        [
            "EHLO a.example",
            MAIL,
            f"AUTH PLAIN {PLAIN_OK}",
            "RSET",
            f"AUTH PLAIN {PLAIN_OK}",
            f"AUTH PLAIN {PLAIN_OK}",
        ]
    )
    assert r[3] == lines(E.S503_AUTH_IN_TRANSACTION)
    assert r[5] == lines(E.S235_AUTH_OK) and r[6] == lines(E.S503_AUTH_ALREADY)


def test_exim_relay_network_needs_no_auth() -> None:
    r = talk(["EHLO a.example", MAIL, REMOTE], relay_networks=["192.0.2.0/24"])
    assert r[3] == lines(E.S250_ACCEPTED)


def test_exim_restricted_characters() -> None:
    r = talk(["EHLO a.example", MAIL, "RCPT TO:<a%b@example.net>", "RCPT TO:<.x@elsewhere.example>"])
    assert r[3] == r[4] == lines(E.S550_RESTRICTED)


def test_exim_too_many_nonmail_commands() -> None:
    r = talk(["EHLO a.example"] + ["NOOP"] * 11)  # smtp_accept_max_nonmail = 10
    assert r[11] == lines(E.S250_NOOP)  # the tenth NOOP
    assert r[12] == lines(E.S554_TOO_MANY_NONMAIL)


def test_exim_line_over_998_octets_refused_after_dot() -> None:
    r = talk(["EHLO a.example", MAIL, "RCPT TO:<alice@example.net>", "DATA", "x" * 1200, "."])
    assert r[6] == lines(E.S550_LINE_LENGTH, length=1200)


def test_exim_bad_helo_leaves_the_session_without_helo() -> None:
    r = talk(["EHLO bad_name", MAIL, "HELO", "HELO", "HELO"])
    assert r[1] == lines(E.S501_HELO_SYNTAX, verb="EHLO") and r[2] == lines(E.S503_HELO_REQUIRED)
    assert r[5] == lines(E.S501_HELO_SYNTAX, verb="HELO")  # the 4th error: no extra line
    four = talk(["EHLO bad_name", "HELO", "HELO", "HELO", "NOOP"])
    assert four[4] == lines(E.S501_HELO_SYNTAX, verb="HELO") and four[5] == ()  # hung up


def test_exim_data_with_argument() -> None:
    assert talk(["EHLO a.example", "DATA now"])[2] == lines(E.S501_UNEXPECTED_ARG)


def test_exim_bdat_in_two_chunks() -> None:
    conn = connect("exim")
    for line in ["EHLO a.example", MAIL, "RCPT TO:<alice@example.net>"]:
        conn.receive_line(line)
    first = conn.receive_data(b"BDAT 5\r\nHello")
    last = conn.receive_data(b"BDAT 3 LAST\r\n!\r\n")
    assert first[0].wire == lines(E.S250_CHUNK, size=5)
    assert last[0].wire[0] == "250- 3 byte chunk, total 8" and last[0].wire[1].startswith("250 OK id=")


def rcpts(conn: Connection, n: int, addr: str = "postmaster@example.net") -> list[tuple[str, ...]]:
    data = f"RCPT TO:<{addr}>\r\n".encode() * n
    return [ex.wire for ex in conn.receive_data(data)]


def test_exim_recipients_max() -> None:
    conn = connect("exim")
    conn.receive_data(b"EHLO a.example\r\n")
    conn.receive_data(b"MAIL FROM:<alice@example.net>\r\n")
    replies = rcpts(conn, RECIPIENTS_MAX)
    assert set(replies) == {E.S250_ACCEPTED.render().lines}
    over = rcpts(conn, 3)
    assert over == [E.S452_TOO_MANY_RECIPIENTS.render().lines] * 3 == [("452 too many recipients",)] * 3
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


def test_exim_nothing_after_quit_written_with_it() -> None:
    conn = connect("exim")
    ex = conn.receive_data(b"QUIT\r\nNOOP\r\n")
    assert [e.wire for e in ex] == [("221 mail.example.net closing connection",)] and conn.closed
