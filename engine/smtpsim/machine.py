"""The RFC 5321 session state machine: EVERY state change of a session, in this one module.

Rules (RFC 5321 §4.1.1, §4.1.4, §3.3; RFC 4954 §4; RFC 3030 §2; RFC 3207 §4.2):

* The server speaks first (220 greeting), then waits for a command.
* HELO/EHLO may come at any time and abandon any transaction in progress.
* A mail transaction is MAIL, then one or more RCPT, then DATA (or BDAT chunks).
  MAIL inside a transaction, RCPT without MAIL and DATA without an accepted RCPT are
  out of sequence: each personality answers them in its own words (Exim 503, Postfix 503/554).
* RSET abandons the transaction but keeps the HELO/EHLO and authentication state.
* AUTH is refused inside a transaction; STARTTLS resets everything (RFC 3207 §4.2).
* After a 354 the client sends message lines up to a lone "." (dot-stuffing, §4.5.2);
  after a 334 the next line is a SASL response; after BDAT n the next n octets are data.
* QUIT ends the session; so does any reply the server hangs up after.

How the rules are applied (h11's rule 1: one table, one writer):

* A personality never sets a state.  It reads the input, decides the replies and says what
  became of the input: an :class:`Outcome`, carried by a :class:`~smtpsim.events.Result`.
* :class:`~smtpsim.connection.Connection` alone holds the state and changes it, only by
  ``state = transition(state, result.outcome, result.verb)``.
* In a command state, ``TABLE[state][verb]`` gives (action, state after an ACCEPTED outcome);
  the action names the personality's handler ``on_<action>``.  A REFUSED command leaves the
  state as it was; the other outcomes go where :data:`AFTER_COMMAND` says.
* Input-mode states (DATA, AUTH, BDAT) are not command states: what ends them is in
  :data:`INPUT`.  ``RESUME`` there means "the command state the input mode was entered from"
  (AUTH is entered from CONNECTED or READY, a refused BDAT's chunk from any command state).
"""

from __future__ import annotations

import enum


class State(enum.Enum):
    __hash__ = object.__hash__  # members are singletons: identity hash, in C (Enum's is Python)

    CONNECTED = "connected"  # greeting sent, no HELO/EHLO yet
    READY = "ready"  # HELO/EHLO accepted, no transaction
    MAIL = "mail"  # sender accepted
    RCPT = "rcpt"  # at least one recipient accepted
    DATA = "data"  # reading message lines after 354
    AUTH = "auth"  # reading SASL responses after 334
    BDAT = "bdat"  # reading BDAT chunk octets
    CLOSED = "closed"
    RESUME = "resume"  # not a state: INPUT's "back to the command state before the input mode"


class Outcome(enum.Enum):
    """What became of one input, as the personality decided it."""

    __hash__ = object.__hash__

    ACCEPTED = "accepted"  # a command: TABLE's next state; a message or last chunk: queued
    REFUSED = "refused"  # a command: state unchanged; a message: refused, transaction over
    CLOSE = "close"  # the server hangs up after the reply (QUIT, error limits, RFC 5321 §3.8)
    CHALLENGE = "challenge"  # a 334 was sent: the next line is a SASL response (RFC 4954 §4)
    DISCARD = "discard"  # a refused BDAT: its Result.chunk octets still follow, read and dropped
    MORE = "more"  # a non-LAST chunk was taken: the transaction goes on (RFC 3030 §2)
    SKIPPED = "skipped"  # the chunk of a refused BDAT was read and dropped


C, R, M, P = State.CONNECTED, State.READY, State.MAIL, State.RCPT
D, A, B, X = State.DATA, State.AUTH, State.BDAT, State.CLOSED
COMMAND_STATES = (C, R, M, P)
INPUT_STATES = (D, A, B)
VERBS = (
    "HELO",
    "EHLO",
    "MAIL",
    "RCPT",
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
)

# fmt: off
# (action, state after ACCEPTED).  Out-of-sequence actions (mail_nested, rcpt_no_mail, data_no_*)
# name the state they stay in: a personality that accepted them would change nothing.
# verb           CONNECTED                READY                MAIL                 RCPT
_ROWS: dict[str, tuple[tuple[str, State], ...]] = {
    "HELO":     (("hello", R),            ("hello", R),        ("hello", R),        ("hello", R)),
    "EHLO":     (("hello", R),            ("hello", R),        ("hello", R),        ("hello", R)),
    "MAIL":     (("mail_before_helo", M), ("mail", M),         ("mail_nested", M),  ("mail_nested", P)),
    "RCPT":     (("rcpt_no_mail", C),     ("rcpt_no_mail", R), ("rcpt", P),         ("rcpt", P)),
    "DATA":     (("data_no_mail", C),     ("data_no_mail", R), ("data_no_rcpt", M), ("data", D)),
    "BDAT":     (("bdat_no_mail", C),     ("bdat_no_mail", R), ("bdat_no_rcpt", M), ("bdat", B)),
    "RSET":     (("rset", C),             ("rset", R),         ("rset", R),         ("rset", R)),
    "NOOP":     (("noop", C),             ("noop", R),         ("noop", M),         ("noop", P)),
    "QUIT":     (("quit", X),             ("quit", X),         ("quit", X),         ("quit", X)),
    "VRFY":     (("vrfy", C),             ("vrfy", R),         ("vrfy", M),         ("vrfy", P)),
    "EXPN":     (("expn", C),             ("expn", R),         ("expn", M),         ("expn", P)),
    "ETRN":     (("etrn", C),             ("etrn", R),         ("etrn_in_mail", M), ("etrn_in_mail", P)),
    "HELP":     (("help", C),             ("help", R),         ("help", M),         ("help", P)),
    "STARTTLS": (("starttls", C),         ("starttls", C),     ("starttls", C),     ("starttls", C)),
    "AUTH":     (("auth", C),             ("auth", R),         ("auth_in_mail", M), ("auth_in_mail", P)),
}
# Outcomes of a command other than ACCEPTED and REFUSED, whatever the verb:
AFTER_COMMAND: dict[Outcome, State] = {
    Outcome.CLOSE:     X,
    Outcome.CHALLENGE: A,   # AUTH answered 334
    Outcome.DISCARD:   B,   # a refused BDAT n: its n octets are read all the same (RFC 3030 §2)
}
# What ends (or continues) an input mode:
INPUT: dict[State, dict[Outcome, State]] = {
    D: {Outcome.ACCEPTED: R, Outcome.REFUSED: R, Outcome.CLOSE: X},                # "." ends it
    A: {Outcome.ACCEPTED: State.RESUME, Outcome.REFUSED: State.RESUME, Outcome.CLOSE: X,
        Outcome.CHALLENGE: A},                                                     # LOGIN asks twice
    B: {Outcome.ACCEPTED: R, Outcome.REFUSED: R, Outcome.CLOSE: X,                 # LAST, or aborted
        Outcome.MORE: P, Outcome.SKIPPED: State.RESUME},
}
# fmt: on

TABLE: dict[State, dict[str, tuple[str, State]]] = {
    state: {verb: row[i] for verb, row in _ROWS.items()} for i, state in enumerate(COMMAND_STATES)
}
_ACCEPTED, _REFUSED = Outcome.ACCEPTED, Outcome.REFUSED


class ProtocolError(RuntimeError):
    """A personality reported an outcome the table has no transition for (a bug, not input)."""


def action(state: State, verb: str) -> str:
    """The handler a command runs in ``state``: ``on_<action>`` of the personality."""
    cell = TABLE[state].get(verb)
    return "unknown" if cell is None else cell[0]


def transition(state: State, outcome: Outcome, verb: str = "") -> State:
    """The state after ``outcome`` of an input read in ``state`` (``verb``: the command read,
    ``""`` for none); may return :attr:`State.RESUME` for the connection to resolve."""
    row = TABLE.get(state)
    if row is not None:  # a command state
        if outcome is _ACCEPTED:
            cell = row.get(verb)
            return state if cell is None else cell[1]  # an unknown verb changes nothing
        if outcome is _REFUSED:
            return state
        nxt = AFTER_COMMAND.get(outcome)
    else:
        nxt = INPUT.get(state, {}).get(outcome)
    if nxt is None:
        raise ProtocolError(f"no transition from {state.name} on {outcome.name} ({verb or 'no command'})")
    return nxt
