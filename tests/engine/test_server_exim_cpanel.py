"""cPanel's Exim 4.96 (Debian's Exim with cPanel's ACL wording, tools/mta-lab/eximcpanel/), beyond
what its goldens replay (test_golden_replay.py): the port-587 rule, the relay refusal quoting the
client as Exim expands it and re-wrapped at 75 characters, and the DATA 503 that repeats it."""

from __future__ import annotations

from smtpsim import Connection, server_config_from_dict
from smtpsim.personalities.exim.cpanel import R, split_message
from support.smtpsim_session import server

LINES = ("EHLO laptop.example", "MAIL FROM:<alice@example.net>")


def session(auth: str) -> Connection:
    conn = Connection(
        server_config_from_dict(server("exim-cpanel", auth=auth)), "192.0.2.10", client_port=50123
    )
    conn.start()
    for line in LINES:
        conn.receive_line(line)
    return conn


def test_port_587_refuses_every_unauthenticated_recipient_local_ones_too() -> None:
    conn = session("required")
    assert conn.receive_line("RCPT TO:<postmaster@example.net>").wire == R.S550_SUBMISSION_AUTH.render().lines


def test_relay_refusal_quotes_the_client_and_is_wrapped_at_75() -> None:
    conn = session("none")
    wire = conn.receive_line("RCPT TO:<bob@elsewhere.example>").wire
    assert wire[0] == "550-Please turn on SMTP Authentication in your mail client."
    assert "(laptop.example) [192.0.2.10] [192.0.2.10]:50123 is not permitted" in wire[1]
    assert wire[-1] == "550 this server without authentication."
    assert all(len(line) - 4 <= 75 for line in wire)
    data = conn.receive_line("DATA").wire
    assert data[0] == "503-All RCPT commands were rejected with this error:"
    assert data[1:-1] == tuple("503-" + line[4:] for line in wire)


def test_split_message_breaks_after_a_colon_or_at_the_last_space() -> None:
    """string.c string_split_message(): lines up to 75 characters stay, longer ones break at the last
    space between columns 36 and 76, one after a colon first."""
    assert split_message("short line") == "short line"
    words = " ".join(["word"] * 30)
    assert all(len(part) <= 75 for part in split_message(words).split("\n"))
    text = "x" * 40 + ": " + "y " * 30
    assert split_message(text).split("\n")[0] == "x" * 40 + ":"
