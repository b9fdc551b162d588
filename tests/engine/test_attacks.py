"""Attack cases: smuggling, NUL octets, huge lines and messages, STARTTLS injection, loops.

Every personality of the registry must stay bounded (no input grows memory or loops): the
``test_every_server_*`` cases run on each, with its caps from its ``Spec`` (framing line limits,
message size limit) and what its EHLO offers.  Where the goldens recorded a server's own answer
(e.g. tests/golden/*/smuggling-bare-lf-dot.json) a named case checks it.
"""

from __future__ import annotations

import pytest

from smtpsim import Connection, Exchange
from smtpsim.machine import State
from smtpsim.personalities.exim.replies import EximReplies as E
from smtpsim.personalities.postfix.replies import PostfixReplies as P
from smtpsim.registry import REGISTRY, names
from support.smtpsim_session import connect, registered

START = b"EHLO a.example\r\nMAIL FROM:<alice@example.net>\r\nRCPT TO:<alice@example.net>\r\n"


def opened(software: str) -> Connection:
    """A session in DATA: a client of the server's own network, no AUTH configured (every server
    takes its local recipient then; OpenSMTPD matches no rule for a client from elsewhere)."""
    conn = connect(software, "127.0.0.1", auth="none", relay_networks=["127.0.0.0/8"])
    for line in START.decode().splitlines():
        conn.receive_line(line)
    assert conn.receive_line("DATA").replies[0].code == 354
    return conn


def wires(exchanges: list[Exchange]) -> tuple[str, ...]:
    return tuple(ln for ex in exchanges for ln in ex.wire)


def ehlo_offers(software: str, keyword: str, client_tls: bool = False) -> bool:
    """Whether the server's EHLO answer (plain, or on an implicit-TLS session) offers *keyword*."""
    conn = connect(software, client_tls=client_tls)
    return any(ln[4:].split(" ")[0] == keyword for ln in conn.receive_line("EHLO a.example").wire)


SOFTWARE = registered()
CHUNKING = [sw for sw in SOFTWARE if ehlo_offers(sw, "CHUNKING")]
STARTTLS = [sw for sw in SOFTWARE if ehlo_offers(sw, "STARTTLS")]
LIMITED = [sw for sw in SOFTWARE if REGISTRY[sw].message_size_limit]


@pytest.mark.skipif(names() != SOFTWARE, reason="limited to some personalities ($SMTPSIM_TEST_SOFTWARE)")
def test_the_parameters_cover_the_servers() -> None:
    """Not vacuous: the capability lists hold the servers known to offer them."""
    assert {"exim", "postfix"} <= set(CHUNKING) and {"exim", "postfix", "sendmail"} <= set(STARTTLS)
    assert {"exim", "postfix", "opensmtpd"} <= set(LIMITED)


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_server_bounds_an_endless_command_line(software: str) -> None:
    """10 MiB without a line end: never more than the server's line buffer is held."""
    conn = connect(software)
    cap = REGISTRY[software].framing.line_limit
    for _ in range(160):
        conn.receive_data(b"A" * 65536)
        assert conn.buffered <= cap + 1
        if conn.closed:
            break


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_server_counts_a_huge_message_without_storing_it(software: str) -> None:
    """Over the server's message_size_limit (or 12 MB where it has none): held to 4 KiB, and the
    "." is answered with a 5xx refusal (over a limit) or an acceptance."""
    conn = opened(software)
    limit = REGISTRY[software].message_size_limit
    block = (b"x" * 998 + b"\r\n") * 64
    for _ in range((limit or 12_000_000) // len(block) + 2):
        assert wires(conn.receive_data(block)) == ()
        assert conn.buffered <= 4096
    out = wires(conn.receive_data(b".\r\n"))
    assert out[0][0] == ("5" if limit else "2"), out


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_server_bounds_a_message_line_without_end(software: str) -> None:
    conn = opened(software)
    for _ in range(50):
        conn.receive_data(b"y" * 100000)
        assert conn.buffered <= 4096
    # still reading the message, unless the server's own line buffer ran over (it hangs up)
    assert conn.state is State.DATA or (REGISTRY[software].framing.data_line_limit and conn.closed)


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_server_answers_each_unknown_command_and_keeps_nothing(software: str) -> None:
    conn = connect(software)
    for _ in range(200):
        exchanges = conn.receive_data(b"XYZZY\r\n")
        if conn.closed:
            break
        assert len(exchanges) == 1 and exchanges[0].replies and conn.buffered == 0


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_server_reads_ten_thousand_pipelined_commands_bounded(software: str) -> None:
    conn = connect(software)
    conn.receive_line("EHLO a.example")
    out = conn.receive_data(b"RSET\r\n" * 10000)
    assert len(out) <= 10000 and conn.buffered == 0


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_server_bounds_a_huge_auth_response(software: str) -> None:
    """AUTH LOGIN (on an implicit-TLS session where the server offers AUTH only inside TLS)."""
    tls = not ehlo_offers(software, "AUTH")
    conn = connect(software, client_tls=tls)
    conn.receive_line("EHLO a.example")
    assert conn.receive_line("AUTH LOGIN").replies[0].code == 334
    conn.receive_data(b"QUFB" * 200000 + b"\r\n")
    assert conn.buffered <= REGISTRY[software].framing.line_limit + 1


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_server_keeps_cr_dot_cr_inside_the_message(software: str) -> None:
    conn = opened(software)
    assert wires(conn.receive_data(b"hi\r.\rQUIT\r\n")) == ()
    assert conn.state is State.DATA


@pytest.mark.parametrize("software", STARTTLS)
def test_every_server_runs_no_command_pipelined_behind_starttls(software: str) -> None:
    """CVE-2011-0411: a command written with STARTTLS, before the handshake, must not run."""
    conn = connect(software)
    conn.receive_line("EHLO a.example")
    conn.receive_data(b"STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n")
    assert conn.sender is None and conn.buffered == 0


@pytest.mark.parametrize("software", CHUNKING)
def test_every_chunking_server_counts_a_chunk_under_its_limit(software: str) -> None:
    """A chunk just under message_size_limit is read in 1 MB writes, none of it kept, and taken."""
    megabytes = REGISTRY[software].message_size_limit // 1_000_000
    conn = connect(software)
    for line in START.decode().splitlines():
        conn.receive_line(line)
    assert conn.receive_data(b"BDAT %d LAST\r\n" % (megabytes * 1000000)) == []
    for _ in range(megabytes - 1):
        assert conn.receive_data(b"z" * 1000000) == []
        assert conn.buffered == 0
    assert wires(conn.receive_data(b"z" * 1000000))[-1].startswith("250 ")


@pytest.mark.parametrize("software", CHUNKING)
def test_every_chunking_server_refuses_a_chunk_over_its_limit(software: str) -> None:
    """RFC 1870 §6 / RFC 3030 §2: over message_size_limit the chunk gets 552 (goldens)."""
    megabytes = REGISTRY[software].message_size_limit // 1_000_000 + 1
    conn = connect(software)
    for line in START.decode().splitlines():
        conn.receive_line(line)
    conn.receive_data(b"BDAT %d LAST\r\n" % (megabytes * 1000000))
    out = []
    for _ in range(megabytes):
        out += conn.receive_data(b"z" * 1000000)
    assert len(wires(out)) == 1 and wires(out)[0].startswith("552 ") and conn.buffered == 0


def test_exim_bare_lf_dot_does_not_end_the_message() -> None:
    """Exim 4.96 (Debian, CVE-2023-51766 fixed): in a message with CRLF lines only CRLF.CRLF
    ends DATA, so the smuggled commands stay message text (golden exim/smuggling-bare-lf-dot)."""
    conn = opened("exim")
    out = conn.receive_data(
        b"Subject: x\r\n\r\nhi\n.\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n"
    )
    assert wires(out) == () and conn.state is State.DATA
    out = conn.receive_data(b".\r\n")
    assert len(wires(out)) == 1 and wires(out)[0].startswith("250 OK id=")


@pytest.mark.parametrize("dot", [b".\n", b".\r\n"])
def test_exim_mixed_endings_around_the_dot_do_not_end_the_message(dot: bytes) -> None:
    conn = opened("exim")
    assert wires(conn.receive_data(b"Subject: x\r\n\r\nhi\n" + dot)) == ()
    assert conn.state is State.DATA


def test_exim_bare_lf_client_ends_its_message() -> None:
    """Issue 13, defect 5: a client that sends bare LFs only (``exim4 -bh`` answers 250 OK id=...
    to its LF.LF); the simulator stayed at 354."""
    conn = connect("exim")
    for line in (b"EHLO a.example\n", b"MAIL FROM:<a@example.net>\n", b"RCPT TO:<postmaster@example.net>\n"):
        assert wires(conn.receive_data(line))[-1][:3] == "250"
    assert wires(conn.receive_data(b"DATA\n")) == (E.S354_ENTER.render().lines[0],)
    assert wires(conn.receive_data(b"Subject: x\n\nhi\n")) == ()
    out = wires(conn.receive_data(b".\n"))
    assert len(out) == 1 and out[0].startswith("250 OK id=")
    assert wires(conn.receive_data(b"QUIT\n")) == ("221 mail.example.net closing connection",)


def test_postfix_37_bare_lf_dot_is_an_end_like_the_real_one() -> None:
    """Postfix 3.7 with Debian defaults (smtpd_forbid_bare_newline = no) is exposed: the
    smuggled command runs.  The golden postfix/smuggling-bare-lf-dot shows the same."""
    conn = opened("postfix")
    out = wires(conn.receive_data(b"hi\n.\nRSET\r\n"))
    assert out[0].startswith("250 2.0.0 Ok: queued as ") and out[1:] == ("250 2.0.0 Ok",)


def test_nul_octets() -> None:
    exim = connect("exim")
    assert exim.receive_line("NOOP a\x00b").wire == E.S501_NUL.render().lines
    postfix = connect("postfix")  # a C string: the NUL ends the command (golden nul-byte)
    assert postfix.receive_line("NOOP a\x00b").wire == P.S250_OK.render().lines
    assert postfix.receive_line("\x00EHLO x").wire == P.S500_BAD_SYNTAX.render().lines


@pytest.mark.parametrize(("software", "cap"), [("exim", 16384), ("postfix", 2048)])
def test_endless_line_is_bounded(software: str, cap: int) -> None:
    conn = connect(software)
    block = b"A" * 65536
    seen = []
    for _ in range(160):  # 10 MiB without a line end
        seen += conn.receive_data(block)
        assert conn.buffered <= cap + 1
        if conn.closed:
            break
    if software == "exim":  # each 16 KiB is an unknown command: 4th hangs up
        assert conn.closed and wires(seen)[-1] == E.S500_TOO_MANY_UNRECOGNIZED.render().lines[0]
    else:  # Postfix cuts at 2048 and skips to the LF
        assert not conn.closed and seen == []
        assert wires(conn.receive_data(b"\r\n")) == P.S500_UNRECOGNIZED.render().lines


def test_starttls_injection_exim_refuses_pipelined_plaintext() -> None:
    """Commands pipelined behind STARTTLS must not run inside TLS (CVE-2011-0411).
    Exim treats STARTTLS as a synchronising command: 554 and hang up."""
    conn = connect("exim")
    conn.receive_line("EHLO a.example")
    out = wires(conn.receive_data(b"STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n"))
    assert out == E.S554_SYNC.render().lines and conn.closed


def test_starttls_injection_postfix_discards_pipelined_plaintext() -> None:
    conn = connect("postfix")
    conn.receive_line("EHLO a.example")
    out = conn.receive_data(b"STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n")
    assert wires(out) == P.S220_TLS_READY.render().lines and conn.sender is None
    assert conn.receive_line("MAIL FROM:<a@b.example>").wire == P.S250_MAIL_OK.render().lines


@pytest.mark.parametrize(("software", "most"), [("exim", 4), ("postfix", 20)])
def test_error_loops_end(software: str, most: int) -> None:
    conn = connect(software)
    n = 0
    while not conn.closed:
        conn.receive_line("XYZZY")
        n += 1
        assert n <= most
    assert n == most


def test_cr_inside_helo_is_refused() -> None:
    conn = connect("exim")
    assert conn.receive_line("EHLO a\rMAIL FROM:<x@y>").wire == E.S501_HELO_SYNTAX.render(verb="EHLO").lines
