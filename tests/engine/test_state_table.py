"""The one state table (machine.py): complete, the only writer of the state, and every action and
catalogue entry of every registered personality present, named by its code and used."""

from __future__ import annotations

import ast
import inspect
import re
import sys
from pathlib import Path

import pytest

import smtpsim
from smtpsim import REASONS, TABLE, State
from smtpsim.machine import COMMAND_STATES, INPUT, VERBS, Outcome, ProtocolError, action, transition
from smtpsim.registry import REGISTRY, Spec, names
from smtpsim.replies import ANY_CODE, T
from support.smtpsim_session import connect, registered

ENGINE = Path(smtpsim.__file__).parent
SPECS = [REGISTRY[name] for name in registered()]
IDS = [s.name for s in SPECS]


def test_every_command_state_has_every_verb() -> None:
    assert set(TABLE) == set(COMMAND_STATES)
    for state in COMMAND_STATES:
        assert set(TABLE[state]) == set(VERBS)
        assert all(isinstance(nxt, State) and nxt is not State.RESUME for _, nxt in TABLE[state].values())


def test_only_the_connection_writes_the_state() -> None:
    """h11's rule: every ``.state = ...`` in the engine is in Connection, and each one assigns
    ``transition(...)``'s answer (or the initial state)."""
    writes = []
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assignments = [n for n in ast.walk(tree) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))]
        writes += [
            (path.name, ast.unparse(node))
            for node in assignments
            if any(
                isinstance(sub, ast.Attribute) and sub.attr == "state"
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                for sub in ast.walk(t)
            )
        ]
    assert {name for name, _ in writes} == {"connection.py"}, writes
    assert sorted(src for _, src in writes) == [
        "self.state = State.CONNECTED",
        "self.state = nxt",
        "self.state = transition(self.state, res.outcome)",
    ]
    tree = ast.parse((ENGINE / "connection.py").read_text(encoding="utf-8"))
    (apply,) = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "_apply"]
    assert "nxt = transition(before, outcome, res.verb)" in ast.unparse(apply)  # read as source text


def test_the_connection_uses_the_personality_interface_only() -> None:
    """connection.py touches a personality only through PersonalityInterface's names."""
    from smtpsim.personality import PersonalityInterface

    allowed = {n for n in vars(PersonalityInterface) if not n.startswith("_")} | set(
        PersonalityInterface.__annotations__
    )
    tree = ast.parse((ENGINE / "connection.py").read_text(encoding="utf-8"))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = node.value
            if (isinstance(base, ast.Attribute) and base.attr == "personality") or (
                isinstance(base, ast.Name) and base.id == "p"
            ):
                used.add(node.attr)
    assert used and used <= allowed, used - allowed


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_every_action_has_a_handler(spec: Spec) -> None:
    actions = {a for row in TABLE.values() for a, _ in row.values()} | {"unknown"}
    missing = [a for a in actions if not callable(getattr(spec.factory, "on_" + a, None))]
    assert missing == []
    for a in actions:  # the verb is an explicit argument, never an attribute read on the side
        assert list(inspect.signature(getattr(spec.factory, "on_" + a)).parameters)[1:] == ["verb", "arg"]


def _entries(catalogue: type) -> dict[str, object]:
    return {k: v for k, v in vars(catalogue).items() if not k.startswith("_")}


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_catalogue_entries_are_templates_named_by_their_code(spec: Spec) -> None:
    entries = _entries(spec.catalogue)
    assert len(entries) > 30
    for name, tmpl in entries.items():
        assert isinstance(tmpl, T), f"{name} is not a template"
        m = re.fullmatch(r"S(\d{3}|5XX)_[A-Z0-9_]+", name)
        assert m, f"{name}: a catalogue name is S<code>_WORDS"
        code = ANY_CODE if m.group(1) == "5XX" else int(m.group(1))
        assert tmpl.code == code, f"{name} has code {tmpl.code}"
        assert tmpl.reason in REASONS, f"{name}: reason {tmpl.reason!r} is not explained"
    assert all(REASONS[k].endswith(".") and REASONS[k][0].isupper() for k in REASONS)


def _source_of(spec: Spec) -> str:
    """The source of every engine module the personality is made of: the modules of its classes
    (its MRO, base class included) and the engine modules whose functions those modules use."""
    modules = {c.__module__ for c in spec.factory.__mro__ if c.__module__.startswith("smtpsim.")}
    for name in list(modules):
        for value in vars(sys.modules[name]).values():
            owner = getattr(value, "__module__", None) or ""
            if callable(value) and owner.startswith("smtpsim."):
                modules.add(owner)
    return "\n".join(inspect.getsource(sys.modules[name]) for name in sorted(modules))


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_every_catalogue_entry_is_used(spec: Spec) -> None:
    source = _source_of(spec)
    unused = [name for name in _entries(spec.catalogue) if not re.search(rf"\bR\.{name}\b", source)]
    assert unused == [], f"{spec.name}: catalogue entries no code path sends"


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_replies_are_built_from_the_catalogue_only(spec: Spec) -> None:
    """No ``Reply.build(...)``/``Reply(...)`` with a typed code and no ``.texts[0]`` rebuild."""
    source = _source_of(spec)
    assert ".texts[" not in source
    assert not re.search(r"Reply\.build\(\s*\d", source)
    assert not re.search(r"Reply\(\s*\d", source)


def test_registry_names_and_labels() -> None:
    assert names() == tuple(REGISTRY) and {"exim", "postfix"} <= set(names())
    for spec in SPECS:
        assert spec.label and spec.long_label.startswith(spec.label)
        texts = spec.serve_texts
        for text in (texts.too_many_connections, texts.idle_timeout, texts.shutdown):
            assert text is None or re.fullmatch(r"421 \S.*", text), text


def test_unknown_verb_maps_to_unknown_action() -> None:
    assert action(State.READY, "FOO") == "unknown"
    assert transition(State.READY, Outcome.ACCEPTED, "FOO") is State.READY


@pytest.mark.parametrize(
    ("state", "verb", "act", "nxt"),
    [
        (State.CONNECTED, "EHLO", "hello", State.READY),
        (State.READY, "MAIL", "mail", State.MAIL),
        (State.MAIL, "MAIL", "mail_nested", State.MAIL),
        (State.READY, "RCPT", "rcpt_no_mail", State.READY),
        (State.MAIL, "RCPT", "rcpt", State.RCPT),
        (State.MAIL, "DATA", "data_no_rcpt", State.MAIL),
        (State.RCPT, "DATA", "data", State.DATA),
        (State.RCPT, "BDAT", "bdat", State.BDAT),
        (State.RCPT, "RSET", "rset", State.READY),
        (State.CONNECTED, "RSET", "rset", State.CONNECTED),
        (State.MAIL, "AUTH", "auth_in_mail", State.MAIL),
        (State.RCPT, "STARTTLS", "starttls", State.CONNECTED),
        (State.MAIL, "QUIT", "quit", State.CLOSED),
    ],
)
def test_accepted_commands(state: State, verb: str, act: str, nxt: State) -> None:
    assert action(state, verb) == act
    assert transition(state, Outcome.ACCEPTED, verb) is nxt


@pytest.mark.parametrize("state", COMMAND_STATES)
def test_command_outcomes_other_than_accepted(state: State) -> None:
    for verb in VERBS:
        assert transition(state, Outcome.REFUSED, verb) is state
        assert transition(state, Outcome.CLOSE, verb) is State.CLOSED
    assert transition(state, Outcome.CHALLENGE, "AUTH") is State.AUTH
    assert transition(state, Outcome.DISCARD, "BDAT") is State.BDAT
    with pytest.raises(ProtocolError):
        transition(state, Outcome.MORE, "NOOP")


def test_input_modes() -> None:
    assert transition(State.DATA, Outcome.ACCEPTED) is State.READY
    assert transition(State.DATA, Outcome.REFUSED) is State.READY
    assert transition(State.AUTH, Outcome.CHALLENGE) is State.AUTH
    assert transition(State.AUTH, Outcome.REFUSED) is State.RESUME
    assert transition(State.BDAT, Outcome.MORE) is State.RCPT
    assert transition(State.BDAT, Outcome.ACCEPTED) is State.READY
    assert transition(State.BDAT, Outcome.SKIPPED) is State.RESUME
    for row in INPUT.values():
        assert row[Outcome.CLOSE] is State.CLOSED
    with pytest.raises(ProtocolError):
        transition(State.DATA, Outcome.MORE)


#: Settings every personality meets the same way (none keyed by a server's name, so a new one needs
#: no entry): a client of the server's own network with AUTH not configured, which every server lets
#: send (OpenSMTPD's Debian smtpd.conf relays only for "local" clients); AUTH not configured, where
#: a remote recipient is refused; AUTH inside TLS, the one place every server offers it.
SENDING = {"auth": "none", "relay_networks": ["192.0.2.0/24"]}
PLAIN_MTA = {"auth": "none"}
SIGN_IN = {"client_tls": True}


@pytest.mark.parametrize("software", registered())
def test_states_follow_a_transaction(software: str) -> None:
    conn = connect(software, **SENDING)
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


@pytest.mark.parametrize("software", registered())
def test_refused_command_keeps_state(software: str) -> None:
    conn = connect(software, **PLAIN_MTA)
    conn.receive_line("EHLO a.example")
    conn.receive_line("MAIL FROM:<alice@example.net>")
    conn.receive_line("RCPT TO:<bob@elsewhere.example>")  # relay refused
    assert conn.state is State.MAIL
    conn.receive_line("DATA")
    assert conn.state is State.MAIL


@pytest.mark.parametrize("software", registered())
def test_auth_challenge_state(software: str) -> None:
    conn = connect(software, **SIGN_IN)
    conn.receive_line("EHLO a.example")
    conn.receive_line("AUTH LOGIN")
    assert conn.state is State.AUTH
    conn.receive_line("YWxpY2VAZXhhbXBsZS5uZXQ=")
    assert conn.state is State.AUTH
    ex = conn.receive_line("czNjcmV0")
    assert ex.replies[0].code == 235 and conn.user == "alice@example.net"
    assert conn.state is State.READY


@pytest.mark.parametrize("software", registered())
def test_refused_bdat_chunk_returns_to_the_state_before(software: str) -> None:
    conn = connect(software, **PLAIN_MTA)
    ehlo = conn.receive_line("EHLO a.example")
    conn.receive_line("MAIL FROM:<alice@example.net>")
    if not any(line.endswith("CHUNKING") for line in ehlo.wire):  # RFC 3030 §2: BDAT unknown, and
        for line in (b"BDAT 5\r\n", b"hello\r\n"):  # its chunk is just another line
            assert conn.receive_data(line)[0].replies[0].code == 500
            assert conn.state is State.MAIL
        return
    conn.receive_data(b"BDAT 5\r\n")
    assert conn.state is State.BDAT
    conn.receive_data(b"hello")
    assert conn.state is State.MAIL


@pytest.mark.parametrize("software", registered())
def test_nothing_after_quit(software: str) -> None:
    """RFC 5321 §4.1.1.10: 221, the connection closes, and nothing written after is read."""
    conn = connect(software)
    (ex,) = conn.receive_data(b"QUIT\r\n")
    assert ex.replies[-1].code == 221 and conn.closed
    assert conn.receive_data(b"NOOP\r\n") == []
