"""The Postfix 3.7 personality (Debian 12 defaults), after ``smtpd.c`` and ``smtpd_check.c``.

Debian main.cf: ``smtpd_relay_restrictions = permit_mynetworks permit_sasl_authenticated
defer_unauth_destination`` (``relay_policy: reject`` gives ``reject_unauth_destination``),
``smtpd_helo_required = no``, ``message_size_limit = 10240000``, ``smtpd_hard_error_limit``
20, ``smtpd_junk_command_limit`` 100, ``line_length_limit`` 2048 (longer lines are cut and the
rest skipped).  ``tls: required`` is Debian's commented-out submission service
(``smtpd_tls_security_level = encrypt``, ``smtpd_recipient_restrictions =
permit_sasl_authenticated, reject``); ``auth: required`` gives those restrictions without TLS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ...events import Reject, Reply, Result
from ...machine import Outcome, State
from ...personality import C_SPACE, Framing, Personality, ServeTexts, Spec, accept, b64decode
from .address import extract_addr, smtpd_tokens, strip_route
from .replies import PostfixReplies as R

HARD_ERROR_LIMIT, JUNK_LIMIT = 20, 100
# smtpd_recipient_limit (1000) accepted recipients per message; then 452 4.5.3, not counted as an
# error for smtpd_recipient_overshoot_limit (1000) more RCPTs, then each counts (mail_params.h).
RECIPIENT_LIMIT, RECIPIENT_OVERSHOOT = 1000, 1000
SIZE_LIMIT = 10240000
COMMANDS = {
    "HELO",
    "EHLO",
    "XCLIENT",
    "XFORWARD",
    "STARTTLS",
    "AUTH",
    "MAIL",
    "RCPT",
    "DATA",
    "BDAT",
    "RSET",
    "NOOP",
    "VRFY",
    "ETRN",
    "QUIT",
}
XCOMMANDS = {"XCLIENT", "XFORWARD"}  # known, never advertised: 127.0.0.2 is not authorized
PRE_TLS = {"HELO", "EHLO", "XCLIENT", "STARTTLS", "NOOP", "QUIT"}
JUNK = {"RSET", "NOOP", "VRFY", "ETRN"}  # SMTPD_CMD_FLAG_LIMIT
MAIL_PARAMS = ("AUTH=", "RET=", "ENVID=")  # accepted as given (no DSN or AUTH= checks modelled)
RCPT_PARAMS = ("NOTIFY=", "ORCPT=")


def _arguments(arg: str, word: str) -> list[tuple[str, bool]] | None:
    """smtpd_token() of the argument; None unless it is ``FROM:``/``TO:`` and an address."""
    tokens = smtpd_tokens(arg)
    if len(tokens) < 2 or tokens[0][0].lower() != word:
        return None
    return tokens


class Postfix(Personality):
    R = R
    # line_length_limit 2048: a longer line is cut there and the rest skipped up to LF;
    # 3.7: smtpd_forbid_bare_newline = no, so LF.LF ends the message
    framing = Framing(line_limit=2048, overflow_drop=None, lf_ends_data=True)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.errors = self.junk = 0
        self.msg_size = 0
        self.bdat_error = False  # a chunk went over the size limit in this transaction
        self._overshoot: tuple[list[str] | None, int] = (None, 0)  # RCPTs refused over the limit

    def default_queue_ids(self) -> Iterator[str]:
        """Short Postfix queue ids: 10 to 12 upper-case hex digits (``4ZxQ1C0F2D``)."""
        n = 0
        while True:
            yield f"{0x4F2A1 + n * 0x3B1:05X}{0x1C0F2D + n:06X}"
            n += 1

    @staticmethod
    def live_queue_id(sec: int, usec: int, pid: int, serial: Callable[[], int]) -> str:
        """Short ids: microseconds (5 hex digits) + the queue file's inode (hex)."""
        return f"{usec & 0xFFFFF:05X}{serial():X}"

    def greeting(self) -> Result:
        return Result(Outcome.ACCEPTED, (R.S220_GREETING.render(host=self.cfg.hostname),))

    # ------------------------------------------------------------------ framing
    def handle(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result:
        """smtpd_proto(): one command, then the hard error limit check (421 and hang up)."""
        try:
            res = self._command(state, raw.split(b"\0", 1)[0].rstrip(b"\r"))  # C string: NUL ends it
            if res.outcome is Outcome.DISCARD:
                self.errors += 1
        except Reject as e:
            self.errors += 1
            res = Result(Outcome.REFUSED, (e.reply,))
        if self.errors >= HARD_ERROR_LIMIT and not any(r.close for r in res.replies):
            bye = R.S421_TOO_MANY_ERRORS.render(close=True, host=self.cfg.hostname)
            return Result(Outcome.CLOSE, (*res.replies, bye), res.verb)
        return res

    def _command(self, state: State, raw: bytes) -> Result:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Reject(R.S500_BAD_UTF8.render()) from None
        words = text.split()
        if not words:
            raise Reject(R.S500_BAD_SYNTAX.render())
        verb = words[0].upper()
        # smtpd_forbidden_commands = CONNECT GET POST regexp:{{/^[^A-Z]/ Thrash}}
        if verb in ("CONNECT", "GET", "POST") or not ("A" <= verb[0] <= "Z"):
            return Result(Outcome.CLOSE, (R.S221_FORBIDDEN.render(close=True),))
        if verb not in COMMANDS:
            raise Reject(R.S500_UNRECOGNIZED.render())
        if self.cfg.tls == "required" and not self.session.tls and verb not in PRE_TLS:
            raise Reject(R.S530_STARTTLS_FIRST.render())
        arg = text.strip()[len(words[0]) :].strip()
        try:
            if verb in XCOMMANDS:
                self._xcommand(verb, arg)
            return self.dispatch(state, verb, arg)
        finally:
            if verb in JUNK:
                self.junk += 1
                if self.junk > JUNK_LIMIT:
                    self.errors += 1

    def refused(self, e: Reject) -> Result:
        """A refusal outside a command (a SASL response) counts like a failed command."""
        self.errors += 1
        if self.errors >= HARD_ERROR_LIMIT:
            bye = R.S421_TOO_MANY_ERRORS.render(close=True, host=self.cfg.hostname)
            return Result(Outcome.CLOSE, (e.reply, bye))
        return Result(Outcome.REFUSED, (e.reply,))

    def _xcommand(self, verb: str, arg: str) -> None:
        """xclient_cmd()/xforward_cmd(): smtpd_authorized_xclient_hosts and
        smtpd_authorized_xforward_hosts are empty, so every client is refused (always raises)."""
        if self.session.sender is not None:
            raise Reject(R.S503_IN_TRANSACTION.render())
        if not arg:
            raise Reject(R.S501_X_SYNTAX.render(verb=verb))
        raise Reject(R.S550_X_UNAUTHORIZED.render())

    # ------------------------------------------------------------------ commands
    def on_unknown(self, verb: str, arg: str) -> Result:
        raise Reject(R.S500_UNRECOGNIZED.render())

    on_help = on_expn = on_unknown

    def on_hello(self, verb: str, arg: str) -> Result:
        cfg, session = self.cfg, self.session
        if not arg:
            raise Reject(R.S501_HELO_SYNTAX.render(verb=verb))
        session.helo, session.esmtp = arg.split()[0], verb == "EHLO"
        session.reset_transaction()
        if verb == "HELO":
            return accept(verb, R.S250_HELO.render(host=cfg.hostname))
        keywords = ["PIPELINING", f"SIZE {SIZE_LIMIT}", "VRFY", "ETRN"]  # RFC 5321 §4.1.1.1
        if cfg.tls != "none" and not session.tls:
            keywords.append("STARTTLS")
        if self._auth_enabled():
            keywords.append("AUTH PLAIN LOGIN")
        keywords += ["ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"]
        return accept(verb, R.S250_HELO.with_lines(keywords, host=cfg.hostname))

    def _auth_enabled(self) -> bool:
        """smtpd_sasl_auth_enable, with smtpd_tls_auth_only for tls-only and submission."""
        auth, tls = self.cfg.auth, self.session.tls
        if auth == "required":
            return tls or self.cfg.tls == "none"
        return auth == "offered" or (auth == "tls-only" and tls)

    def on_mail(self, verb: str, arg: str) -> Result:
        """mail_cmd(): syntax, the address (extract_addr), then the parameters in order."""
        tokens = _arguments(arg, "from:")
        if tokens is None:
            raise Reject(R.S501_MAIL_SYNTAX.render())
        token, error = tokens[1]
        addr = None if error else extract_addr(token, allow_empty=True)
        if addr is None:
            raise Reject(R.S501_BAD_SENDER.render())
        for p, _ in tokens[2:]:
            key = p.upper()
            if key in ("BODY=8BITMIME", "BODY=7BIT", "SMTPUTF8") or key.startswith(MAIL_PARAMS):
                continue
            if not key.startswith("SIZE="):
                raise Reject(R.S555_UNSUPPORTED_OPTION.render(option=p))
            if not p[5:].isascii() or not p[5:].isdigit():  # alldig()
                raise Reject(R.S501_BAD_SIZE.render())
            if int(p[5:]) > SIZE_LIMIT:
                raise Reject(R.S552_SIZE.render())
        self.session.reset_transaction()
        self.bdat_total, self.bdat_error = 0, False
        self.session.sender = addr
        return accept(verb, R.S250_MAIL_OK.render())

    on_mail_before_helo = on_mail

    def on_mail_nested(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_NESTED_MAIL.render())

    def on_rcpt_no_mail(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_NEED_MAIL.render())

    def on_rcpt(self, verb: str, arg: str) -> Result:
        """rcpt_cmd(): syntax, the address (no empty one), the parameters, the restrictions."""
        tokens = _arguments(arg, "to:")
        if tokens is None:
            raise Reject(R.S501_RCPT_SYNTAX.render())
        token, error = tokens[1]
        addr = None if error else extract_addr(token, allow_empty=False)
        if addr is None:
            raise Reject(R.S501_BAD_RECIPIENT.render())
        for p, _ in tokens[2:]:
            if not p.upper().startswith(RCPT_PARAMS):
                raise Reject(R.S555_UNSUPPORTED_OPTION.render(option=p))
        recipients = self.session.recipients
        if len(recipients) >= RECIPIENT_LIMIT:
            if self._overshoot[0] is not recipients:  # a new transaction (mail_reset())
                self._overshoot = (recipients, 0)
            self._overshoot = (recipients, self._overshoot[1] + 1)
            reply = R.S452_TOO_MANY_RECIPIENTS.render()
            if self._overshoot[1] <= RECIPIENT_OVERSHOOT:
                return Result(Outcome.REFUSED, (reply,), verb)
            raise Reject(reply)
        addr = strip_route(addr)
        self._check_rcpt(addr)
        self.session.recipients.append(addr)
        return accept(verb, R.S250_RCPT_OK.render())

    def _check_rcpt(self, addr: str) -> None:
        """smtpd_relay_restrictions, smtpd_recipient_restrictions, reject_unlisted_recipient."""
        cfg, session = self.cfg, self.session
        local, _, domain = addr.rpartition("@") if "@" in addr else (addr, "", cfg.hostname)
        is_local = cfg.is_local_domain(domain)
        if cfg.tls == "required" or cfg.auth == "required":
            # Debian's submission block: smtpd_relay_restrictions empty,
            # smtpd_recipient_restrictions = permit_sasl_authenticated, reject,
            # smtpd_reject_unlisted_recipient = no
            if not session.user:
                raise Reject(R.S554_RCPT_ACCESS.render(addr=addr))
            return
        if not is_local and not cfg.client_trusted(session.client_ip) and not session.user:
            tmpl = R.S454_RELAY if cfg.relay_policy == "defer" else R.S554_RELAY
            raise Reject(tmpl.render(addr=addr))
        if is_local and not cfg.has_mailbox(local, domain):
            raise Reject(R.S550_UNKNOWN_USER.render(addr=addr))
        if not is_local and cfg.delivery == "local-only":
            raise Reject(R.S550_LOCAL_ONLY.render(addr=addr, domain=domain))

    def on_data_no_mail(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_NEED_RCPT.render())

    def on_data_no_rcpt(self, verb: str, arg: str) -> Result:
        raise Reject(R.S554_NO_VALID_RECIPIENTS.render())

    def on_data(self, verb: str, arg: str) -> Result:
        if arg:
            raise Reject(R.S501_NO_ARGS.render(verb="DATA"))
        self.msg_size = 0
        return accept(verb, R.S354_DATA.render())

    def data_line(self, length: int) -> None:
        self.msg_size += length + 2

    def end_of_data(self) -> Result:
        self.session.reset_transaction()
        if self.msg_size > SIZE_LIMIT:
            return Result(Outcome.REFUSED, (R.S552_TOO_BIG.render(),))
        return Result(Outcome.ACCEPTED, (R.S250_QUEUED.render(qid=self.queue_id()),))

    # BDAT (RFC 3030) -----------------------------------------------------------
    def _bdat(self, arg: str) -> tuple[int, bool]:
        m = re.match(r"(\d+)(?:[ \t]+(LAST))?[ \t]*$", arg, re.IGNORECASE)
        if not m:
            raise Reject(R.S521_BDAT_SYNTAX.render(close=True))  # chunk boundary unknown: hang up
        return int(m.group(1)), bool(m.group(2))

    def on_bdat_no_mail(self, verb: str, arg: str) -> Result:
        size, _ = self._bdat(arg)
        tmpl = R.S503_NEED_RCPT if self.session.sender is None else R.S554_NO_VALID_RECIPIENTS
        self.bdat_discard = True
        return Result(Outcome.DISCARD, (tmpl.render(),), verb, size)  # answered after the chunk

    on_bdat_no_rcpt = on_bdat_no_mail

    def on_bdat(self, verb: str, arg: str) -> Result:
        self.bdat_size, self.bdat_last = self._bdat(arg)
        self.bdat_discard = False
        return Result(Outcome.ACCEPTED, (), verb, self.bdat_size)  # answered after the chunk

    def end_of_chunk(self) -> Result:
        """bdat_cmd(): a chunk that takes the message over message_size_limit gets 552; every
        later chunk of that transaction is skipped with 551, and LAST ends the transaction."""
        if self.bdat_discard or not (self.bdat_error or self.bdat_total > SIZE_LIMIT):
            return super().end_of_chunk()
        if self.bdat_error:
            reply = R.S551_CHUNK_DISCARDED.render(size=self.bdat_size)
        else:
            reply = R.S552_CHUNK_TOO_BIG.render()
        self.bdat_error = True
        if self.bdat_last:
            self.session.reset_transaction()
            return Result(Outcome.REFUSED, (reply,))  # the transaction is over
        return Result(Outcome.MORE, (reply,))  # later chunks are skipped with 551

    def last_chunk(self) -> Result:
        total, self.bdat_total = self.bdat_total, 0
        self.session.reset_transaction()
        return Result(Outcome.ACCEPTED, (R.S250_CHUNK_QUEUED.render(size=total, qid=self.queue_id()),))

    # other commands -------------------------------------------------------------
    def on_rset(self, verb: str, arg: str) -> Result:
        if arg:
            raise Reject(R.S501_NO_ARGS.render(verb="RSET"))
        self.session.reset_transaction()
        return accept(verb, R.S250_RESET.render())

    def on_noop(self, verb: str, arg: str) -> Result:
        return accept(verb, R.S250_OK.render())

    def on_quit(self, verb: str, arg: str) -> Result:
        return accept(verb, R.S221_BYE.render(close=True))

    def on_vrfy(self, verb: str, arg: str) -> Result:
        if not arg:
            raise Reject(R.S501_VRFY_SYNTAX.render())
        self._check_rcpt(arg.strip("<>"))  # VRFY runs the recipient restrictions too
        return accept(verb, R.S252_VRFY.render(addr=arg))

    def on_etrn(self, verb: str, arg: str) -> Result:
        """etrn_cmd() (RFC 1985): a leading '@' or '#' is dropped; no fast_flush_domains, so
        the flush service refuses every site.  These replies carry no enhanced status code."""
        if not arg:
            raise Reject(R.S500_ETRN_SYNTAX.render())
        domain = arg.split()[0]
        raise Reject(R.S459_ETRN.render(domain=domain[1:] if domain[:1] in "@#" else domain))

    def on_etrn_in_mail(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_ETRN_IN_TRANSACTION.render())

    def on_starttls(self, verb: str, arg: str) -> Result:
        """RFC 3207 §4.2 (the connection drops pipelined plaintext, §5, as Postfix does)."""
        if arg:
            raise Reject(R.S501_NO_ARGS.render(verb="STARTTLS"))
        if self.session.tls:
            raise Reject(R.S554_TLS_ACTIVE.render())
        if self.cfg.tls == "none":
            raise Reject(R.S502_STARTTLS_NOT_IMPLEMENTED.render())
        self.session.start_tls()
        return accept(verb, R.S220_TLS_READY.render())

    def on_auth(self, verb: str, arg: str) -> Result:
        session = self.session
        if not self._auth_enabled():
            raise Reject(R.S503_AUTH_NOT_ENABLED.render())
        if session.sender is not None:
            raise Reject(R.S503_AUTH_IN_TRANSACTION.render())
        if session.user:
            raise Reject(R.S503_AUTH_ALREADY.render())
        words = arg.split()
        if not 1 <= len(words) <= 2:
            raise Reject(R.S501_AUTH_SYNTAX.render())
        if words[0].upper() not in ("PLAIN", "LOGIN"):
            raise Reject(R.S535_AUTH_MECH.render())
        return self.sasl_start(words[0].upper(), words[1] if len(words) == 2 else None)

    on_auth_in_mail = on_auth

    def sasl_cancelled(self) -> Reply:
        return R.S501_AUTH_ABORTED.render()

    def sasl_decode(self, text: str, initial: bool) -> bytes:
        """Cyrus ``sasl_decode64()`` (RFC 4648 §4), initial or continued response alike: a bad
        character in a full 4-character group is SASL_BADPROT, a missing tail SASL_CONTINUE."""
        s = text.strip(C_SPACE)
        full = len(s) - len(s) % 4
        if b64decode(s[:full]) is None:
            raise Reject(R.S535_AUTH_BADPROT.render())
        if full != len(s):
            raise Reject(R.S535_AUTH_CONTINUE.render())
        return b64decode(s) or b""

    def sasl_bad_base64(self, initial: bool) -> Reply:
        return R.S535_AUTH_BADPROT.render()


SPEC = Spec(
    name="postfix",
    label="Postfix",
    long_label="Postfix 3.7",
    catalogue=R,
    factory=Postfix,
    serve_texts=ServeTexts(
        too_many_connections="421 4.7.0 {host} Error: too many connections",
        idle_timeout="421 4.4.2 {host} Error: timeout exceeded",
        # smtpd has no SIGTERM handler: `postfix stop` kills the process group (master_sig.c),
        # so the client sees the connection close without a reply
        shutdown=None,
    ),
    source="Debian 12 postfix 3.7, Debian's main.cf (and its commented-out submission service)",
    message_size_limit=SIZE_LIMIT,
    volatile=((r"queued as [0-9A-Za-z]{6,16}\b", "queued as <QID>"),),  # long queue ids, or short hex ones
)
