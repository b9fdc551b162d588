"""The one state table (machine.py): complete, and every action exists in both personalities."""

from __future__ import annotations

import pytest

from smtpsim import REASONS, TABLE, State
from smtpsim.replies import Exim as ExR
from smtpsim.replies import Postfix as PfR
from smtpsim.replies import T
from smtpsim.exim import Exim
from smtpsim.machine import COMMAND_STATES, VERBS, transition
from smtpsim.postfix import Postfix

from .helpers import connect


def test_every_command_state_has_every_verb() -> None:
    assert set(TABLE) == set(COMMAND_STATES)
    for state in COMMAND_STATES:
        assert set(TABLE[state]) == set(VERBS)


@pytest.mark.parametrize("cls", [Exim, Postfix])
def test_every_action_has_a_handler(cls: type) -> None:
    actions = {a for row in TABLE.values() for a, _ in row.values()} | {"unknown"}
    missing = [a for a in actions if not callable(getattr(cls, "on_" + a, None))]
    assert missing == []


@pytest.mark.parametrize("catalogue", [ExR, PfR], ids=["exim", "postfix"])
def test_every_catalogue_reply_has_an_explained_reason(catalogue: type) -> None:
    templates = [v for k, v in vars(catalogue).items() if isinstance(v, T)]
    assert len(templates) > 30
    for tmpl in templates:
        assert tmpl.reason in REASONS and 200 <= tmpl.code < 600
    assert all(REASONS[k].endswith(".") and REASONS[k][0].isupper() for k in REASONS)


def test_unknown_verb_maps_to_unknown_action() -> None:
    assert transition(State.READY, "FOO") == ("unknown", None)


@pytest.mark.parametrize(
    "state,verb,action,nxt",
    [
        (State.CONNECTED, "EHLO", "hello", State.READY),
        (State.READY, "MAIL", "mail", State.MAIL),
        (State.MAIL, "MAIL", "mail_nested", None),
        (State.READY, "RCPT", "rcpt_no_mail", None),
        (State.MAIL, "RCPT", "rcpt", State.RCPT),
        (State.MAIL, "DATA", "data_no_rcpt", None),
        (State.RCPT, "DATA", "data", State.DATA),
        (State.RCPT, "RSET", "rset", State.READY),
        (State.MAIL, "AUTH", "auth_in_mail", None),
        (State.RCPT, "STARTTLS", "starttls", State.CONNECTED),
    ],
)
def test_transitions(state: State, verb: str, action: str, nxt: State | None) -> None:
    assert transition(state, verb) == (action, nxt)


@pytest.mark.parametrize("software", ["exim", "postfix"])
def test_states_follow_a_transaction(software: str) -> None:
    conn = connect(software)
    assert conn.state is State.CONNECTED
    seen = []
    for line in [
        "EHLO a.example",
        "MAIL FROM:<alice@example.net>",
        "RCPT TO:<alice@example.net>",
        "RCPT TO:<x@elsewhere.example>",
        "DATA",
        "Subject: x",
        ".",
        "QUIT",
    ]:
        conn.receive_line(line)
        seen.append(conn.state)
    assert seen == [
        State.READY,
        State.MAIL,
        State.RCPT,
        State.RCPT,
        State.DATA,
        State.DATA,
        State.READY,
        State.CLOSED,
    ]


@pytest.mark.parametrize("software", ["exim", "postfix"])
def test_refused_command_keeps_state(software: str) -> None:
    conn = connect(software)
    conn.receive_line("EHLO a.example")
    conn.receive_line("MAIL FROM:<alice@example.net>")
    conn.receive_line("RCPT TO:<bob@elsewhere.example>")  # relay refused
    assert conn.state is State.MAIL
    conn.receive_line("DATA")
    assert conn.state is State.MAIL


@pytest.mark.parametrize("software", ["exim", "postfix"])
def test_auth_challenge_state(software: str) -> None:
    conn = connect(software)
    conn.receive_line("EHLO a.example")
    conn.receive_line("AUTH LOGIN")
    assert conn.state is State.AUTH
    conn.receive_line("YWxpY2VAZXhhbXBsZS5uZXQ=")
    assert conn.state is State.AUTH
    ex = conn.receive_line("czNjcmV0")
    assert ex.replies[0].code == 235 and conn.user == "alice@example.net"
    assert conn.state is State.READY
