"""The OpenSMTPD 6.8 personality (Debian 12's ``opensmtpd 6.8.0p2``), after ``smtp_session.c``
(tag ``v6.8.0p2`` of github.com/OpenSMTPD/OpenSMTPD) and the goldens in ``tests/golden/opensmtpd/``.

Debian's ``smtpd.conf``: ``match for local action "local"`` and ``match from local for any action
"relay"`` (``relay_networks`` are the "local" clients); a client from elsewhere matches no rule,
so every recipient gets ``550 Invalid recipient``.  ``auth: tls-only`` is the recorded submission
listener ``tls pki ... auth <creds>`` with ``match from any auth for any action "relay"``:
STARTTLS offered, AUTH advertised only inside TLS (``ADVERTISE_AUTH``), MAIL refused until the
client signed in.  ``max-message-size`` 35 MB, 1000 recipients per message, 100 messages per
session, no error limits (the goldens send 30 of each).

How smtpd reads its input (``smtp_io()``): a line of 64 KiB or more (or a full 64 KiB input
buffer) gets ``500 5.0.0 Line too long`` and a hang-up; a command with more input already
buffered gets ``500 ... Pipelining not supported`` and a hang-up (PIPELINING is not offered); a
command line of ``LINE_MAX`` (2048) octets or more gets ``500 5.0.0 Command line too long`` and a
hang-up; so do a message's "." with more input buffered and a 64 KiB message line.  Not
modelled: a dot-stuffed line counts one octet less towards the size limit than smtpd counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ...events import Reject, Reply, Result
from ...machine import Outcome, State
from ...personality import C_SPACE, Framing, MessageLine, Personality, ServeTexts, Spec, accept
from ...replies import T
from .address import b64_pton, cstr, smtp_mailaddr, text_to_mailaddr, valid_domainpart, valid_localpart
from .replies import OpenSMTPDReplies as R

SIZE_LIMIT = 35 * 1024 * 1024  # DEFAULT_MAX_BODY_SIZE (smtpd.h), advertised as SIZE
MAX_RCPT, MAX_MAILS = 1000, 100  # sc_session_max_rcpt, sc_session_max_mails (config.c)
CMD_MAX = 2048  # LINE_MAX: s->cmd
ENVID_MAX = 100  # DSN_ENVID_LEN
PLAIN_MAX, USER_MAX, PASS_MAX = 1023, 255, 2047  # the buffers base64_decode() writes into
#: smtp_session.c commands[]: the names smtpd knows (strcasecmp), and the table's verb for each
COMMANDS = {
    "HELO": "HELO",
    "EHLO": "EHLO",
    "STARTTLS": "STARTTLS",
    "AUTH": "AUTH",
    "MAIL FROM": "MAIL",
    "RCPT TO": "RCPT",
    "DATA": "DATA",
    "RSET": "RSET",
    "QUIT": "QUIT",
    "NOOP": "NOOP",
    "HELP": "HELP",
    "WIZ": "WIZ",
}
_CLOSE = Outcome.CLOSE


def _args(arg: str) -> str | None:
    """smtp_command()'s ``args``: None when the line had no separator, else the text after it
    with leading white space skipped (``"NOOP "`` has arguments: an empty string)."""
    return arg[1:].lstrip(C_SPACE) if arg else None


class OpenSMTPD(Personality):
    R = R
    # io_getline(): a line of 65535 octets or more, or 65535 buffered without LF, is refused; the
    # input buffer holds 65536 octets, so more pending than that is never read (the reply is lost
    # in the reset).  "." ends a message however the line ended (smtpd strips one CR per line).
    framing = Framing(line_limit=65534, overflow_drop=2, lf_ends_data=True, data_line_limit=65535)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.mailcount = 0  # messages accepted in this session
        self.msg_size = 0

    def default_queue_ids(self) -> Iterator[str]:
        """Message ids: 8 hex digits (``%08x`` of the queue's random 32-bit msgid)."""
        n = 0
        while True:
            yield f"{(0x9F8DC00E + n * 0x2545F491) & 0xFFFFFFFF:08x}"
            n += 1

    @staticmethod
    def live_queue_id(sec: int, usec: int, pid: int, serial: Callable[[], int]) -> str:
        """A msgid as smtpd prints it (``%08x``, never 0): the queue draws it at random; here the
        clock, session and counter are mixed into 32 bits."""
        x = ((sec << 20 | usec) * 0x9E3779B1 + pid * 0x85EBCA6B + serial() * 0xC2B2AE35) & (2**64 - 1)
        return f"{(x ^ x >> 32) & 0xFFFFFFFF or 1:08x}"

    def greeting(self) -> Result:
        return Result(Outcome.ACCEPTED, (R.S220_GREETING.render(host=self.cfg.hostname),))

    # ------------------------------------------------------------------ framing (smtp_io)
    def _input_error(self, raw: bytes, pending: bool, overflow: bool) -> Result | None:
        """The checks smtp_io() makes on every line before it is read as a command."""
        if overflow:
            return self.line_too_long(pending)
        if pending:
            return Result(_CLOSE, (R.S500_PIPELINING.render(close=True),))
        if raw.find(b"\0", 0, CMD_MAX) < 0 and len(raw) - raw.endswith(b"\r") >= CMD_MAX:
            return Result(_CLOSE, (R.S500_COMMAND_TOO_LONG.render(close=True),))
        return None

    def line_too_long(self, unread: bool) -> Result:
        """ "Line too long" (a command or message line of 64 KiB); with input left unread, smtpd's
        close resets the connection and the client never sees the reply."""
        reply = R.S500_LINE_TOO_LONG
        return Result(_CLOSE, (reply.lost() if unread else reply.render(close=True),))

    @staticmethod
    def _text(raw: bytes) -> str:
        """One CR stripped, then the line as a C string (a NUL ends it)."""
        line = raw[:-1] if raw.endswith(b"\r") else raw
        return line.split(b"\0", 1)[0].decode("latin-1")

    def handle(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result:
        """smtp_command(): the name is the text up to the first space (up to the colon for
        "MAIL FROM:" and "RCPT TO:"); the handlers get the rest, separator included."""
        error = self._input_error(raw, pending, overflow)
        if error:
            return error
        text = self._text(raw)
        head = text[:10].lower()
        cut = text.find(":") if head.startswith(("mail from:", "rcpt to:")) else text.find(" ")
        name, arg = (text, "") if cut < 0 else (text[:cut], text[cut:])
        return self.dispatch(state, COMMANDS.get(name.upper(), ""), arg)

    def sasl_line(self, raw: bytes, pending: bool = False, overflow: bool = False) -> Result:
        error = self._input_error(raw, pending, overflow)
        return error or super().sasl_line(self._text(raw).encode("latin-1"))

    # ------------------------------------------------------------------ commands
    @staticmethod
    def _noparam(arg: str) -> None:
        """smtp_check_noparam()."""
        if _args(arg) is not None:
            raise Reject(R.S500_NO_ARGUMENTS.render())

    def on_unknown(self, verb: str, arg: str) -> Result:
        if verb == "WIZ":
            self._noparam(arg)
            raise Reject(R.S500_WIZ.render())
        raise Reject(R.S500_UNRECOGNIZED.render())

    # smtpd has no VRFY, EXPN, ETRN or BDAT (CHUNKING is not offered)
    on_vrfy = on_expn = on_etrn = on_etrn_in_mail = on_unknown
    on_bdat = on_bdat_no_mail = on_bdat_no_rcpt = on_unknown

    def _not_allowed(self) -> Reply:
        return R.S503_NOT_ALLOWED.render()

    def on_hello(self, verb: str, arg: str) -> Result:
        """smtp_check_helo()/_ehlo(): once per session (again after STARTTLS)."""
        cfg, session = self.cfg, self.session
        args = _args(arg)
        if session.helo:
            raise Reject(R.S503_ALREADY_IDENTIFIED.render())
        if args is None:
            raise Reject(R.S501_HELO_DOMAIN_REQUIRED.render(verb=verb))
        if not valid_domainpart(args):
            raise Reject(R.S501_INVALID_DOMAIN.render())
        session.helo, session.esmtp = args[: CMD_MAX - 1], verb == "EHLO"
        kw = {"host": cfg.hostname, "helo": session.helo, "ip": session.client_ip}
        if verb == "HELO":
            return accept(verb, R.S250_HELO.render(**kw))
        keywords = ["8BITMIME", "ENHANCEDSTATUSCODES", f"SIZE {SIZE_LIMIT}", "DSN"]
        if cfg.tls != "none" and not session.tls:
            keywords.append("STARTTLS")
        if self._auth_offered():
            keywords.append("AUTH PLAIN LOGIN")
        return accept(verb, R.S250_HELO.with_lines([*keywords, "HELP"], **kw))

    def _auth_offered(self) -> bool:
        """ADVERTISE_AUTH: a listener with auth, inside TLS, not yet signed in."""
        return self.cfg.auth != "none" and self.session.tls and not self.session.user

    def on_mail(self, verb: str, arg: str) -> Result:
        """smtp_check_mail_from(), then smtp_tx_mail_from()'s parameters."""
        if self.cfg.auth != "none" and not self.session.user:  # F_AUTH_REQUIRE
            raise Reject(R.S530_AUTH_FIRST.render())
        if self.mailcount >= MAX_MAILS:
            raise Reject(R.S452_TOO_MANY_MESSAGES.render())
        user, domain, options = self._address(arg, True, R.S553_SENDER_SYNTAX)
        for opt in options:
            key = opt.upper()
            if key.startswith(("AUTH=", "SIZE=", "RET=")) or key in ("BODY=7BIT", "BODY=8BITMIME"):
                continue
            if key.startswith("ENVID="):  # DSN is advertised
                if len(opt) - 6 > ENVID_MAX:
                    raise Reject(R.S503_OPTION_TOO_LARGE.render(option=opt[6:]))
                continue
            raise Reject(R.S503_UNSUPPORTED_OPTION.render(option=opt))
        self.session.reset_transaction()
        self.session.sender = f"{user}@{domain}" if user else ""
        return accept(verb, R.S250_MAIL_OK.render())

    def _address(self, arg: str, mail_from: bool, refusal: T) -> tuple[str, str, list[str]]:
        """smtp_mailaddr() on the text after the colon: user, domain and the parameters (split at
        each space, empty ones skipped, as strsep() leaves them)."""
        parsed = smtp_mailaddr(arg[1:].lstrip(C_SPACE), mail_from, self.cfg.hostname)
        if parsed is None:
            raise Reject(refusal.render())
        user, domain, rest = parsed
        return user, domain, [opt for opt in rest.split(" ") if opt]

    def on_mail_before_helo(self, verb: str, arg: str) -> Result:
        raise Reject(self._not_allowed())

    on_mail_nested = on_rcpt_no_mail = on_mail_before_helo

    def on_rcpt(self, verb: str, arg: str) -> Result:
        """smtp_check_rcpt_to(), smtp_tx_rcpt_to()'s parameters, then the match rules (lka)."""
        recipients = self.session.recipients
        if len(recipients) >= MAX_RCPT:
            raise Reject(R.S451_TOO_MANY_RECIPIENTS.render())
        user, domain, options = self._address(arg, False, R.S501_RECIPIENT_SYNTAX)
        for opt in options:
            key = opt.upper()
            if key.startswith("NOTIFY="):
                words = {w.upper() for w in opt[7:].split(",")}
                if "NEVER" in words and words & {"SUCCESS", "FAILURE", "DELAY"}:
                    raise Reject(R.S553_NOTIFY_NEVER.render())
            elif key.startswith("ORCPT="):
                orcpt = opt[13:] if key.startswith("ORCPT=RFC822;") else opt[6:]
                parts = text_to_mailaddr(orcpt)
                if (
                    parts is None
                    or not valid_localpart(parts[0])
                    or (parts[1] and not valid_domainpart(parts[1]))
                ):
                    raise Reject(R.S553_ORCPT_SYNTAX.render())
            else:
                raise Reject(R.S503_RCPT_UNSUPPORTED_OPTION.render(option=opt))
        addr = f"{user}@{domain}"
        self._match(user, domain, addr)
        recipients.append(addr)
        return accept(verb, R.S250_RCPT_OK.render())

    def _match(self, user: str, domain: str, addr: str) -> None:
        """The first match rule wins; no rule (or no such local user) is LKA_PERMFAIL."""
        cfg, session = self.cfg, self.session
        if session.user:  # match from any auth for any action "relay"
            return
        if not cfg.client_trusted(session.client_ip):  # no rule matches a client from elsewhere
            raise Reject(R.S550_INVALID_RECIPIENT.render(addr=addr))
        if cfg.is_local_domain(domain) and not cfg.has_mailbox(user, domain):
            raise Reject(R.S550_UNKNOWN_RECIPIENT.render(addr=addr))  # action "local": no such user

    def on_data_no_mail(self, verb: str, arg: str) -> Result:
        self._noparam(arg)
        raise Reject(self._not_allowed())

    def on_data_no_rcpt(self, verb: str, arg: str) -> Result:
        self._noparam(arg)
        raise Reject(R.S503_NO_RECIPIENT.render())

    def on_data(self, verb: str, arg: str) -> Result:
        self._noparam(arg)
        self.msg_size = 0
        return accept(verb, R.S354_DATA.render())

    def data_line(self, length: int) -> None:
        self.msg_size += length + 1  # smtp_io(): strlen(line) + 1

    def message_line(self, line: MessageLine) -> Result | None:
        """smtp_io(): a line of 64 KiB is "Line too long" (:meth:`line_too_long`); the "." with more
        input already buffered is refused as pipelining, and the message with it: the session
        ends (seen with a client that wrote QUIT along with the ".",
        github.com/nymea/nymea-plugins/issues/724)."""
        if line.too_long:
            return self.line_too_long(line.unread)
        if line.ends and line.pending:
            self.session.reset_transaction()
            return Result(_CLOSE, (R.S500_PIPELINING.render(close=True),))
        return super().message_line(line)

    def end_of_data(self) -> Result:
        """smtp_message_end(): TX_ERROR_SIZE past max-message-size, else the queue commits."""
        self.session.reset_transaction()
        if self.msg_size > SIZE_LIMIT:
            return Result(Outcome.REFUSED, (R.S554_TOO_BIG.render(),))
        self.mailcount += 1
        return Result(Outcome.ACCEPTED, (R.S250_QUEUED.render(qid=self.queue_id()),))

    def on_rset(self, verb: str, arg: str) -> Result:
        self._noparam(arg)
        if not self.session.helo:
            raise Reject(self._not_allowed())
        self.session.reset_transaction()
        return accept(verb, R.S250_RESET.render())

    def on_noop(self, verb: str, arg: str) -> Result:
        self._noparam(arg)
        return accept(verb, R.S250_OK.render())

    def on_help(self, verb: str, arg: str) -> Result:
        self._noparam(arg)
        return accept(verb, R.S214_HELP.render())

    def on_quit(self, verb: str, arg: str) -> Result:
        self._noparam(arg)
        return accept(verb, R.S221_BYE.render(close=True))

    def on_starttls(self, verb: str, arg: str) -> Result:
        """smtp_check_starttls() (RFC 3207 §4.2: the session starts afresh, §5: pipelined
        plaintext is dropped by the connection)."""
        session = self.session
        if not session.helo or session.sender is not None:
            raise Reject(self._not_allowed())
        if self.cfg.tls == "none":
            raise Reject(R.S503_NOT_SUPPORTED.render())
        if session.tls:
            raise Reject(R.S503_CHANNEL_SECURED.render())
        if _args(arg) is not None:
            raise Reject(R.S501_PARAMETERS_NOT_ALLOWED.render())
        session.start_tls()
        return accept(verb, R.S220_TLS_READY.render())

    def on_auth(self, verb: str, arg: str) -> Result:
        """smtp_check_auth(), then smtp_proceed_auth(): PLAIN or LOGIN (RFC 4954 §4)."""
        session = self.session
        if not session.helo or session.sender is not None:
            raise Reject(self._not_allowed())
        if session.user:
            raise Reject(R.S503_ALREADY_AUTHENTICATED.render())
        if not self._auth_offered():
            raise Reject(R.S503_NOT_SUPPORTED.render())
        args = _args(arg)
        if args is None:
            raise Reject(R.S501_NO_PARAMETERS.render())
        cut = args.find(" ") if " " in args else args.find("\t")
        method, initial = (args, None) if cut < 0 else (args[:cut], args[cut + 1 :])
        mech = method.upper()
        if mech not in ("PLAIN", "LOGIN"):
            raise Reject(R.S504_AUTH_METHOD.render(method=method))
        return self.sasl_start(mech, (initial or None) if mech == "LOGIN" else initial)

    on_auth_in_mail = on_auth

    def sasl_response(self, line: str, initial: bool = False) -> Result:
        """smtp_rfc4954_auth_plain()/_login(): bad base64 or a malformed PLAIN message is a
        syntax error ("*" included: smtpd has no cancel); then the credentials table."""
        mech, fields = self._sasl["mech"], self._sasl["fields"]
        if mech == "PLAIN":
            creds = _plain(b64_pton(line, PLAIN_MAX))
            if creds is None:
                raise Reject(self.sasl_bad_base64(initial))
            user, password = creds
        else:
            data = b64_pton(line, PASS_MAX if fields else USER_MAX)
            if data is None:
                raise Reject(self.sasl_bad_base64(initial))
            fields.append(cstr(data))
            if len(fields) < 2:
                return self.sasl_challenge()
            user, password = fields
        if self.cfg.check_password(user, password):
            self.session.user = user
            return Result(Outcome.ACCEPTED, (R.S235_AUTH_OK.render(),))
        raise Reject(R.S535_AUTH_FAILED.render())

    def sasl_cancelled(self) -> Reply:
        return R.S501_AUTH_SYNTAX.render()

    def sasl_bad_base64(self, initial: bool) -> Reply:
        return self.sasl_cancelled()


def _plain(buf: bytes | None) -> tuple[str, str] | None:
    """``authzid NUL user NUL password`` as smtpd splits it: each NUL must leave at least two
    octets after it; the user name must fit its 256-octet buffer."""
    if buf is None:
        return None
    n = len(buf)
    first = buf.find(b"\0")
    if first < 0 or first >= n - 2:
        return None
    user = cstr(buf[first + 1 :])
    second = buf.find(b"\0", first + 1)
    if len(user) >= USER_MAX + 1 or second < 0 or second >= n - 2:
        return None
    return user, cstr(buf[second + 1 :])


SPEC = Spec(
    name="opensmtpd",
    label="OpenSMTPD",
    long_label="OpenSMTPD 6.8",
    catalogue=R,
    factory=OpenSMTPD,
    serve_texts=ServeTexts(
        # smtp.c smtp_pause(): at the session limit smtpd stops accepting, so the client waits
        # without a greeting; serve hangs up at once, saying nothing either
        too_many_connections=None,
        idle_timeout=None,  # IO_TIMEOUT: smtp_free(s, "timeout"), no reply
        shutdown=None,  # the smtp process exits; nothing is written
    ),
    # AUTH exists only inside TLS and only on a listener that requires it (recorded: submission)
    settings={"tls": ("none", "offered"), "auth": ("none", "tls-only")},
    source="Debian 12 opensmtpd 6.8.0p2, Debian's smtpd.conf plus a submission listener with AUTH",
    message_size_limit=SIZE_LIMIT,
    volatile=((r"^250 2\.0\.0 [0-9a-f]{8} Message accepted", "250 2.0.0 <QID> Message accepted"),),  # msgid
)
