"""Hypothesis: any octets, any command order -> no exception, every reply well formed.

Well formed (RFC 5321 §4.2, §4.5.3.1.5): three digits, the same code on every line, "-" on all
lines but the last, each line at most 512 octets with CRLF.  Inputs are kept short enough that
the 512-octet rule is meaningful: both real servers echo client text in some replies (Exim's
golden long-mail-from reply is 1217 octets), so over-long input is checked for boundedness in
test_attacks.py instead.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtpsim import REASONS, Connection
from smtpsim.machine import COMMAND_STATES, State
from smtpsim.registry import REGISTRY
from support.smtpsim_session import PLAIN_OK, assert_well_formed, connect, registered

SOFTWARE = st.sampled_from(registered())


def _server(software: str) -> st.SearchStrategy[dict]:
    """Server settings the personality reproduces (its registry ``settings``)."""
    supported = REGISTRY[software].settings

    def pick(key: str, values: list[str]) -> st.SearchStrategy[str]:
        return st.sampled_from([v for v in values if v in supported.get(key, values)])

    return st.fixed_dictionaries(
        {
            "tls": pick("tls", ["none", "offered"]),
            "auth": pick("auth", ["none", "offered", "tls-only", "required"]),
            "relay_policy": pick("relay_policy", ["defer", "reject"]),
        }
    )


#: (software, server settings): every personality, with the settings it reproduces
SERVED = SOFTWARE.flatmap(lambda sw: st.tuples(st.just(sw), _server(sw)))
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORD = st.text(alphabet='abcdefgh.-@<>:=_ \t"', max_size=24)
VERBS = [
    "HELO",
    "EHLO",
    "MAIL FROM:",
    "RCPT TO:",
    "DATA",
    "BDAT",
    "RSET",
    "NOOP",
    "QUIT",
    "VRFY",
    "EXPN",
    "ETRN",
    "HELP",
    "STARTTLS",
    "AUTH",
    "AUTH PLAIN",
    "AUTH LOGIN",
    "FOO",
    "",
    "*",
    ".",
]
ADDRS = [
    "<alice@example.net>",
    "<bob@elsewhere.example>",
    "<>",
    "<bad",
    "postmaster",
    "<a@b@c>",
    "<nobody@example.net> SIZE=10",
    "alice@example.net BODY=8BITMIME",
    "<x@y> FOO=1",
]
LINE = st.one_of(
    st.builds(lambda v, a: f"{v}{a}", st.sampled_from(VERBS), st.sampled_from(ADDRS)),
    st.builds(lambda v, w: f"{v} {w}".strip(), st.sampled_from(VERBS), WORD),
    st.sampled_from(
        [
            f"AUTH PLAIN {PLAIN_OK}",
            "BDAT 3 LAST",
            "BDAT 0 LAST",
            "BDAT 5",
            "Subject: x",
            "..",
            "a\x00b",
            "dGVzdA==",
            "MAIL FROM:<alice@example.net>",
            "RCPT TO:<alice@example.net>",
            "RCPT TO:<bob@elsewhere.example>",
        ]
    ),
)


def check_session(conn: Connection, writes: list[bytes]) -> None:
    closed_seen = False
    for data in writes:
        exchanges = conn.receive_data(data)
        assert len(exchanges) <= data.count(b"\n") + 1
        if closed_seen:
            assert exchanges == []
        for ex in exchanges:
            for reply in ex.replies:
                assert_well_formed(reply.lines)
                assert reply.code == int(reply.lines[-1][:3]) and reply.reason in REASONS
                closed_seen = closed_seen or reply.close
        assert conn.closed == closed_seen
        bound = conn.personality.framing.line_limit + 1
        assert conn.state is State.BDAT or conn.buffered <= max(bound, 4097)


@FUZZ
@given(SERVED, st.lists(st.binary(max_size=60), max_size=4))
def test_any_octets(served: tuple[str, dict], chunks: list[bytes]) -> None:
    software, server = served
    conn = connect(software, **server)
    check_session(conn, chunks)


@FUZZ
@given(SERVED, st.lists(st.lists(LINE, min_size=1, max_size=4), max_size=30))
def test_any_command_order(served: tuple[str, dict], groups: list[list[str]]) -> None:
    software, server = served
    conn = connect(software, **server)
    writes = [b"".join(x.encode("latin-1") + b"\r\n" for x in g) for g in groups]
    check_session(conn, writes)


@FUZZ
@given(SERVED, st.lists(LINE, max_size=30))
def test_a_refused_command_does_not_change_the_state(served: tuple[str, dict], lines: list[str]) -> None:
    """RFC 5321 §4.1.4: after a refusal the server stays in the state it was in (a refused BDAT's
    chunk is still read, RFC 3030 §2, and then the state is the one before it)."""
    software, server = served
    conn = connect(software, **server)
    for line in lines:
        before, sender = conn.state, conn.sender
        ex = conn.receive_line(line)
        codes = [r.code for r in ex.replies]
        if before in COMMAND_STATES and codes and min(codes) >= 400 and not conn.closed:
            if conn.state is State.BDAT and line.upper().startswith("BDAT"):
                conn.receive_data(b"x" * conn.chunk_left)
            assert conn.state is before, (line, ex.wire)
            assert conn.sender == sender or line.upper().startswith("MAIL")


@FUZZ
@given(SOFTWARE, st.lists(LINE, max_size=25), st.integers(min_value=1, max_value=7))
def test_octet_boundaries_do_not_matter(software: str, lines: list[str], cut: int) -> None:
    """The same input split at any points gives the same replies (framing is stateful)."""
    data = b"".join(x.encode("latin-1") + b"\r\n" for x in lines)
    whole = [ex.wire for ex in connect(software, client_ip="192.0.2.10").receive_data(data)]
    conn = connect(software, client_ip="192.0.2.10")
    pieces = []
    for i in range(0, len(data), cut):
        pieces += [ex.wire for ex in conn.receive_data(data[i : i + cut])]
    # what is already buffered matters in three places, by design: Exim's synchronisation
    # check (RFC 2920), OpenSMTPD's refusal of any pipelined input and the input discarded after
    # STARTTLS (RFC 3207 §5)
    buffered = ("554 SMTP synchronization", "500 5.5.1 Invalid command: Pipelining", "220 ")
    if not any(w and w[0].startswith(buffered) for w in whole + pieces):
        assert pieces == whole
