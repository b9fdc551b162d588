"""The RFC 5321 session state machine, in one table.

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
* QUIT ends the session.

``TABLE[state][verb]`` gives (action, next state on success).  The action names a handler
``on_<action>`` of the personality; a handler that refuses raises :class:`~smtpsim.events.Reject`
and the state does not change.  ``None`` as next state means "unchanged (or set by the handler)".
Input-mode states (DATA, AUTH, BDAT) are not command states: the connection feeds them to the
personality's data, SASL and chunk handlers instead of this table.
"""

from __future__ import annotations

import enum


class State(enum.Enum):
    CONNECTED = "connected"  # greeting sent, no HELO/EHLO yet
    READY = "ready"  # HELO/EHLO accepted, no transaction
    MAIL = "mail"  # sender accepted
    RCPT = "rcpt"  # at least one recipient accepted
    DATA = "data"  # reading message lines after 354
    AUTH = "auth"  # reading SASL responses after 334
    BDAT = "bdat"  # reading BDAT chunk octets
    CLOSED = "closed"


C, R, M, P = State.CONNECTED, State.READY, State.MAIL, State.RCPT
COMMAND_STATES = (C, R, M, P)
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

_ = None
# fmt: off
# verb       CONNECTED                  READY                      MAIL                       RCPT
_ROWS: dict[str, tuple[tuple[str, State | None], ...]] = {
    "HELO": (("hello", R),              ("hello", R),              ("hello", R),              ("hello", R)),
    "EHLO": (("hello", R),              ("hello", R),              ("hello", R),              ("hello", R)),
    "MAIL": (("mail_before_helo", M),   ("mail", M),               ("mail_nested", _),        ("mail_nested", _)),
    "RCPT": (("rcpt_no_mail", _),       ("rcpt_no_mail", _),       ("rcpt", P),               ("rcpt", P)),
    "DATA": (("data_no_mail", _),       ("data_no_mail", _),       ("data_no_rcpt", _),       ("data", State.DATA)),
    "BDAT": (("bdat_no_mail", _),       ("bdat_no_mail", _),       ("bdat_no_rcpt", _),       ("bdat", _)),
    "RSET": (("rset", _),               ("rset", R),               ("rset", R),               ("rset", R)),
    "NOOP": (("noop", _),               ("noop", _),               ("noop", _),               ("noop", _)),
    "QUIT": (("quit", State.CLOSED),    ("quit", State.CLOSED),    ("quit", State.CLOSED),    ("quit", State.CLOSED)),
    "VRFY": (("vrfy", _),               ("vrfy", _),               ("vrfy", _),               ("vrfy", _)),
    "EXPN": (("expn", _),               ("expn", _),               ("expn", _),               ("expn", _)),
    "ETRN": (("etrn", _),               ("etrn", _),               ("etrn_in_mail", _),       ("etrn_in_mail", _)),
    "HELP": (("help", _),               ("help", _),               ("help", _),               ("help", _)),
    "STARTTLS": (("starttls", C),       ("starttls", C),           ("starttls", C),           ("starttls", C)),
    "AUTH": (("auth", _),               ("auth", _),               ("auth_in_mail", _),       ("auth_in_mail", _)),
}
# fmt: on

TABLE: dict[State, dict[str, tuple[str, State | None]]] = {
    state: {verb: row[i] for verb, row in _ROWS.items()} for i, state in enumerate(COMMAND_STATES)
}


def transition(state: State, verb: str) -> tuple[str, State | None]:
    """Look up (action, next state); unknown verbs map to the ``unknown`` action."""
    return TABLE[state].get(verb, ("unknown", None))
