"""The Exim 4.96 personality (Debian 12 exim4-config), after ``src/src/smtp_in.c``.

Limits are Exim's defaults: ``smtp_max_synprot_errors`` 3, ``smtp_max_unknown_commands`` 3,
``smtp_accept_max_nonmail`` 10, a 16384-octet command buffer, ``message_size_limit`` 50M;
Debian's ``acl_check_rcpt`` and ``acl_check_data`` (998-octet lines) decide RCPT and DATA.
Synchronisation (RFC 2920 §3.1) is enforced as Exim does: a command that must end a
pipelined group, sent with more input behind it, gets ``554 SMTP synchronization error``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ...events import Reject, Reply, Result
from ...machine import Outcome, State
from ...personality import C_SPACE, Framing, Personality, ServeTexts, Spec, accept, base62, rfc5322_date
from ...replies import T
from .address import (
    AddressError,
    OptionRefused,
    check_helo,
    cstr,
    extract_option,
    mail_options,
    may_have_option,
    parse_extract_address,
)
from .chunking import ChunkingMixin
from .message import SIZE_LIMIT, MessageMixin
from .replies import EximReplies as R

MAX_SYNPROT, MAX_UNKNOWN, MAX_NONMAIL = 3, 3, 10
# recipients_max: 50000 since Exim 4.95 (Debian 12's exim4-config keeps the default); the
# RCPT command after that many in one message gets 452 (recipients_max_reject is false).
RECIPIENTS_MAX = 50000
# (name, has_arg, is_mail_cmd at session start): the order of Exim's cmd_list
CMDS = [
    ("RSET", False, True),
    ("HELO", True, True),
    ("EHLO", True, True),
    ("AUTH", True, True),
    ("STARTTLS", False, True),
    ("MAIL", True, True),
    ("RCPT", True, True),
    ("DATA", False, True),
    ("BDAT", True, True),
    ("QUIT", False, True),
    ("NOOP", True, False),
    ("ETRN", True, False),
    ("VRFY", True, False),
    ("EXPN", True, False),
    ("HELP", True, False),
]
HAS_ARG = {name: has_arg for name, has_arg, _ in CMDS}
IS_MAIL_AT_START = {name: start for name, _, start in CMDS}
WORDS = {name.lower(): name for name in HAS_ARG if name not in ("MAIL", "RCPT")}
ALWAYS_SYNC = frozenset({"HELO", "EHLO", "DATA", "VRFY", "EXPN", "NOOP", "ETRN", "STARTTLS"})
NONPIPE_SYNC = ALWAYS_SYNC | {"MAIL", "RCPT", "RSET"}
_MECH_CHARS = re.compile(r"[A-Za-z0-9_-]*\Z")  # RFC 4954 §3 mechanism names, as smtp_in.c checks
LOCAL_BAD = re.compile(r"^[.]|^.*[@%!/|`#&?]")  # Debian CHECK_RCPT_LOCAL_LOCALPARTS
REMOTE_BAD = re.compile(r"^[./|]|^.*[@%!`#&?]|^.*/\.\./")  # CHECK_RCPT_REMOTE_LOCALPARTS


ACL_REASONS = ("relay-denied", "unknown-user", "bad-address", "auth-required")  # ACL refusals a 503 quotes


def _identify(line: str) -> tuple[str | None, int]:
    """Exim's cmd_list match: "mail from:" / "rcpt to:" prefixes, else a whole first word
    ended by a space or the end of the line (a tab does not end it)."""
    head = line[:10].lower()
    if head.startswith("mail from:"):
        return "MAIL", 10
    if head.startswith("rcpt to:"):
        return "RCPT", 8
    word = line.split(" ", 1)[0]
    name = WORDS.get(word.lower()) if len(word) <= 8 else None
    return name, len(word)


class Exim(MessageMixin, ChunkingMixin, Personality):
    R = R
    # a 16384-octet command buffer; when full, its content is a bad command and 1 octet is lost;
    # a refused BDAT is answered at once (smtp_in.c), then bdat_flush_data() skips the chunk
    framing = Framing(line_limit=16384, overflow_drop=1, bdat_refused_early=True, lf_ends_lf_only_data=True)
    auth_after_tls: tuple[str, ...] = ("tls-only",)  # server.auth values advertising AUTH inside TLS only

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.synprot = self.unknown = self.nonmail = 0
        self.is_mail = dict(IS_MAIL_AT_START)
        self.pipelining = self.sync_pipelining = False
        self.auth_advertised = self.tls_advertised = self.chunking = False
        self.last_was_rcpt = self.last_was_rej_mail = False
        self.was_rcpt = self.was_rej_mail = False
        self.chunking_active = False
        self.new_message()

    def default_queue_ids(self) -> Iterator[str]:
        """Exim 4.96 ids: base62 time, pid, fraction (``1xXLKf-0002Oo-17``)."""
        t0 = int(self.now().timestamp())
        n = 0
        while True:
            yield f"{base62(t0 + n, 6)}-{base62(9672 + n, 6)}-{base62(n * 7 % 3844, 2)}"
            n += 1

    @staticmethod
    def live_queue_id(sec: int, usec: int, pid: int, serial: Callable[[], int]) -> str:
        """tttttt-pppppp-ff: base62 time, process id (one per session), 1/2000 s."""
        return f"{base62(sec, 6)}-{base62(pid, 6)}-{base62(usec // 500, 2)}"

    def new_message(self) -> None:
        """smtp_setup_msg(): one RSET/HELO/EHLO/STARTTLS per message is not "nonmail"."""
        for name in ("RSET", "HELO", "EHLO", "STARTTLS"):
            self.is_mail[name] = True
        self.reset()

    def reset(self) -> None:
        """smtp_reset(): forget the transaction and the remembered RCPT reply."""
        self.session.reset_transaction()
        self.rcpt_response: str | None = None
        self.rcpt_same = True
        self.rcpt_count = 0  # RCPT commands in this message, accepted or not
        self.msg_size = self.max_line = 0
        self.prdr = False
        self.bdat_total = 0
        self.bdat_discard = False

    # ------------------------------------------------------------------ framing
    def greeting(self) -> Result:
        return Result(
            Outcome.ACCEPTED, (R.S220_GREETING.render(host=self.cfg.hostname, date=rfc5322_date(self.now())),)
        )

    def synprot_error(self, tmpl: T, reason: str | None = None, **kw: object) -> Reject:
        """synprot_error(): count; past the limit add a line and drop the connection."""
        self.synprot += 1
        reply = tmpl.render(**kw)
        if reason:
            reply = Reply(reply.code, reply.lines, reason)
        if self.synprot > MAX_SYNPROT:
            reply = R.S5XX_TOO_MANY_ERRORS.ending(reply, close=True)
        return Reject(reply)

    def handle(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result:
        self.was_rcpt = self.was_rej_mail = False
        try:
            return self._read_command(state, raw, pending, overflow)
        finally:
            self.last_was_rcpt, self.last_was_rej_mail = self.was_rcpt, self.was_rej_mail

    def _read_command(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result:
        """smtp_read_command() and the switch of smtp_setup_msg()."""
        if overflow:
            return self.on_unknown("", "")
        line = raw.decode("latin-1").rstrip(C_SPACE)
        if "\0" in line:
            self.synprot += 1
            raise Reject(R.S501_NUL.render(close=self.synprot > MAX_SYNPROT))
        name, n = _identify(line)
        if name:
            has_arg = HAS_ARG[name]
            sync = ALWAYS_SYNC if self.sync_pipelining else NONPIPE_SYNC
            if pending and name in sync:
                raise Reject(R.S554_SYNC.render(close=True))
            arg = line[n:].lstrip(C_SPACE)
            if not self.is_mail[name]:
                self.nonmail += 1
                if self.nonmail > MAX_NONMAIL:  # inside TLS the 554 is never flushed (recorded)
                    tmpl = R.S554_TOO_MANY_NONMAIL
                    raise Reject(tmpl.lost() if self.session.tls else tmpl.render(close=True))
            if not has_arg and arg:
                raise self.synprot_error(R.S501_UNEXPECTED_ARG)
            if self.chunking_active and name not in ("BDAT", "QUIT", "RSET", "NOOP"):
                raise self.synprot_error(R.S503_ONLY_BDAT)
            return self.dispatch(state, name, arg)
        if pending:
            raise Reject(R.S554_SYNC.render(close=True))
        return self.on_unknown("", line)

    # ------------------------------------------------------------------ commands
    def on_unknown(self, verb: str, arg: str) -> Result:
        self.unknown += 1
        if self.unknown > MAX_UNKNOWN:
            raise Reject(R.S500_TOO_MANY_UNRECOGNIZED.render(close=True))
        raise self.synprot_error(R.S500_UNRECOGNIZED)

    def on_hello(self, verb: str, arg: str) -> Result:
        self.is_mail["HELO"] = self.is_mail["EHLO"] = False
        if not check_helo(arg):  # counted, but no "Too many" line (smtp_in.c)
            self.synprot += 1
            raise Reject(R.S501_HELO_SYNTAX.render(close=self.synprot > MAX_SYNPROT, verb=verb))
        esmtp = verb == "EHLO"
        session, cfg = self.session, self.cfg
        session.helo, session.esmtp = arg, esmtp
        self.auth_advertised = self.pipelining = self.tls_advertised = False
        keywords = []
        if esmtp:  # RFC 5321 §4.1.1.1: the EHLO keywords, in Exim's order
            keywords += [f"SIZE {SIZE_LIMIT}", "8BITMIME", "PIPELINING", "PIPECONNECT"]
            self.pipelining = self.sync_pipelining = True
            if cfg.auth == "offered" or (cfg.auth in self.auth_after_tls and session.tls):
                keywords.append("AUTH PLAIN LOGIN")
                self.auth_advertised = True
            keywords.append("CHUNKING")
            self.chunking = True
            if cfg.tls != "none" and not session.tls:
                keywords.append("STARTTLS")
                self.tls_advertised = True
            keywords += ["PRDR", "HELP"]
        self.reset()
        return accept(
            verb, R.S250_HELLO.with_lines(keywords, host=cfg.hostname, helo=arg, ip=session.client_ip)
        )

    def on_mail_before_helo(self, verb: str, arg: str) -> Result:
        self.was_rej_mail = True
        raise Reject(R.S503_HELO_REQUIRED.render())

    def on_mail_nested(self, verb: str, arg: str) -> Result:
        self.was_rej_mail = True
        raise self.synprot_error(R.S503_SENDER_ALREADY)

    def on_mail(self, verb: str, arg: str) -> Result:
        self.was_rej_mail = True
        if not arg:
            raise self.synprot_error(R.S501_MAIL_NO_ADDRESS)
        self.reset()
        try:
            data, size, self.prdr = mail_options(arg, self.session.esmtp)
        except OptionRefused as e:
            raise self.synprot_error(e.template) from None
        try:
            address, domain = parse_extract_address(data, allow_null=True)
        except AddressError as e:
            raise self.synprot_error(R.S501_ADDRESS, data=data, error=e) from None
        if size > SIZE_LIMIT:
            raise Reject(R.S552_SIZE.render())
        if domain is None and address:
            raise Reject(R.S501_SENDER_DOMAIN.render(data=data))
        self.session.sender = address
        self.was_rej_mail = False
        return accept(verb, (R.S250_OK_PRDR if self.prdr else R.S250_OK).render())

    def _rcpt_reply(self, reply: Reply, acl: bool) -> None:
        """Remember the first RCPT reply (text for ACL refusals, else the whole line)."""
        text = "\n".join(ln[4:] for ln in reply.lines) if acl else reply.lines[0]
        if self.rcpt_response is None:
            self.rcpt_response = text
        elif self.rcpt_response != text:
            self.rcpt_same = False

    def on_rcpt_no_mail(self, verb: str, arg: str) -> Result:
        self.was_rcpt = True
        if self.pipelining and self.last_was_rej_mail:
            self.was_rej_mail = True
            reply = R.S503_NO_SENDER.render()
            self._rcpt_reply(reply, False)
            raise Reject(reply)
        self.was_rcpt = False
        err = self.synprot_error(R.S503_NO_SENDER)
        self._rcpt_reply(err.reply, False)
        raise err

    def on_rcpt(self, verb: str, arg: str) -> Result:
        self.was_rcpt = True
        self.rcpt_count += 1
        try:
            return self._rcpt(verb, arg)
        except Reject as e:
            self._rcpt_reply(e.reply, e.reply.reason in ACL_REASONS)
            raise

    def _rcpt(self, verb: str, arg: str) -> Result:
        if not arg:
            raise self.synprot_error(R.S501_RCPT_NO_ADDRESS)
        data = arg
        if self.session.esmtp and may_have_option(arg):
            buf = list(arg)
            if opt := extract_option(buf):  # no DSN advertised: every option is unknown
                buf[opt[0] - 1] = " "
                buf[opt[1] - 1] = "="
            data = cstr(buf)
        try:
            address, domain = parse_extract_address(data, allow_null=False)
        except AddressError as e:
            raise self.synprot_error(R.S501_ADDRESS, data=data, error=e) from None
        local = address
        if domain is None:
            if address.lower() != "postmaster":
                raise Reject(R.S501_RECIPIENT_DOMAIN.render(data=data))
            domain = self.cfg.hostname
            address = f"{address}@{domain}"
        else:
            local = address[: -len(domain) - 1]
        if self.rcpt_count > RECIPIENTS_MAX:  # checked after the address, before the ACL
            raise Reject(R.S452_TOO_MANY_RECIPIENTS.render())
        self._acl_rcpt(local, domain)
        self.session.recipients.append(address)
        return accept(verb, R.S250_ACCEPTED.render())

    def _acl_rcpt(self, local: str, domain: str) -> None:
        """Debian's acl_check_rcpt, in order."""
        cfg, session = self.cfg, self.session
        is_local = cfg.is_local_domain(domain)
        if (LOCAL_BAD if is_local else REMOTE_BAD).match(local):
            raise Reject(R.S550_RESTRICTED.render())
        if is_local and local.lower() == "postmaster":
            return
        if cfg.client_trusted(session.client_ip) or session.user:
            return
        if not is_local:
            raise Reject(self.relay_refusal())
        if not cfg.has_mailbox(local, domain):
            raise Reject(R.S550_UNROUTEABLE.render())

    def relay_refusal(self) -> Reply:
        """acl_check_rcpt's ``require domains = +local_domains : +relay_to_domains`` message."""
        return R.S550_RELAY.render()

    # other commands -------------------------------------------------------------
    def on_rset(self, verb: str, arg: str) -> Result:
        self.is_mail["RSET"] = False
        self.chunking_active = False
        self.reset()
        return accept(verb, R.S250_RESET.render())

    def on_noop(self, verb: str, arg: str) -> Result:
        return accept(verb, R.S250_NOOP.render())

    def on_quit(self, verb: str, arg: str) -> Result:
        return accept(verb, R.S221_BYE.render(close=True, host=self.cfg.hostname))

    def on_vrfy(self, verb: str, arg: str) -> Result:
        try:
            address, domain = parse_extract_address(arg, allow_null=False)
        except AddressError as e:
            raise Reject(R.S501_ERROR.render(error=str(e))) from None
        if domain is None and address.lower() != "postmaster":
            raise Reject(R.S501_RECIPIENT_DOMAIN.render(data=arg))
        raise Reject(R.S252_VRFY.render())

    def on_expn(self, verb: str, arg: str) -> Result:
        """EXPN (RFC 5321 §3.5.2): Debian's config has no acl_smtp_expn, so always refused."""
        raise Reject(R.S550_EXPN.render())

    def on_etrn(self, verb: str, arg: str) -> Result:
        """ETRN (RFC 1985): no acl_smtp_etrn, so refused whatever the argument."""
        raise Reject(R.S458_ETRN.render())

    def on_etrn_in_mail(self, verb: str, arg: str) -> Result:
        raise self.synprot_error(R.S503_ETRN_IN_TRANSACTION)

    def on_help(self, verb: str, arg: str) -> Result:
        tls = " STARTTLS" if self.cfg.tls != "none" and not self.session.tls else ""
        return accept(
            verb, R.S214_HELP.render(commands=f"AUTH{tls} HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP")
        )

    def on_starttls(self, verb: str, arg: str) -> Result:
        """RFC 3207 §4.2: the session starts afresh (the connection drops buffered input, §5)."""
        if not self.tls_advertised:
            raise self.synprot_error(R.S503_STARTTLS_NOT_ADVERTISED)
        self.reset()
        self.is_mail["STARTTLS"] = False
        self.session.start_tls()
        self.auth_advertised = self.pipelining = self.sync_pipelining = False
        self.is_mail["EHLO"] = self.is_mail["AUTH"] = True
        return accept(verb, R.S220_TLS_GO.render())

    def on_auth(self, verb: str, arg: str) -> Result:
        self.is_mail["AUTH"] = False
        if not self.auth_advertised:
            raise self.synprot_error(R.S503_AUTH_NOT_ADVERTISED)
        if self.session.user:
            raise self.synprot_error(R.S503_AUTH_ALREADY)
        if self.session.sender is not None:
            raise self.synprot_error(R.S503_AUTH_IN_TRANSACTION)
        mech, _, rest = arg.partition(" ")
        if not _MECH_CHARS.match(mech):
            raise self.synprot_error(R.S501_AUTH_MECH_CHAR)
        if mech.upper() not in ("PLAIN", "LOGIN"):
            raise self.synprot_error(R.S504_AUTH_MECH, mech=mech)
        rest = rest.lstrip(C_SPACE)
        return self.sasl_start(mech.upper(), rest or None)

    on_auth_in_mail = on_auth

    def sasl_cancelled(self) -> Reply:
        return R.S501_AUTH_CANCELLED.render()

    def sasl_bad_base64(self, initial: bool) -> Reply:
        return R.S501_AUTH_BASE64.render()


#: tod_stamp(tod_full) in the greeting, and message ids (``id=`` after the "." or the last chunk)
VOLATILE = (
    (r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}", "<DATE>"),
    (r"\bid=[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}\b", "id=<QID>"),
)

SPEC = Spec(
    name="exim",
    label="Exim",
    long_label="Exim 4.96",
    catalogue=R,
    factory=Exim,
    serve_texts=ServeTexts(
        too_many_connections="421 Too many concurrent SMTP connections; please try again later.",
        idle_timeout="421 {host}: SMTP command timeout - closing connection",
        shutdown="421 {host}: Service not available - closing connection",  # SIGTERM
        # receive.c receive_bomb_out(): "<host> <reason> - closing connection."
        data_idle_timeout="421 {host} SMTP incoming data timeout - closing connection.",
        data_shutdown="421 {host} Service not available - SIGTERM or SIGINT received - closing connection.",
    ),
    # Debian's exim4-config has no stock setting for TLS-only sessions or AUTH-only relaying
    settings={"tls": ("none", "offered"), "auth": ("none", "offered", "tls-only")},
    source="Debian 12 exim4-daemon-light 4.96, exim4-config defaults",
    message_size_limit=SIZE_LIMIT,
    volatile=VOLATILE,
)
