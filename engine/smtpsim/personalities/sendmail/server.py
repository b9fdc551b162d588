"""The Sendmail 8.17 personality (Debian 12 ``sendmail-bin`` 8.17.1.9, Debian's ``sendmail.mc``),
after ``srvrsmtp.c`` and Debian's ``sendmail.cf`` (``proto.m4``); goldens in
``tests/golden/sendmail/`` (configs in ``tools/golden/sendmail.py``).

- The MTA port (``auth: none|offered``) and the MSA port (``auth: required``: ``M=Ea``, MAIL
  refused with 530 until the client signs in, no ETRN).  AUTH PLAIN/LOGIN (Debian's ``sasl.m4``)
  is offered with or without TLS; STARTTLS (``starttls.m4``) where ``tls: offered``.
- ``FEATURE(delay_checks, friend)``: MAIL is always accepted, its checks run at RCPT.  A remote
  recipient from an outsider is refused ("Relaying denied. IP name lookup failed": the client
  has no reverse DNS here); a local one must be a "friend" (``Spam:postmaster@ FRIEND`` in
  Debian's access file, also abuse@ and spam@) or pass ``check_mail``, whose DNS lookup of the
  sender's domain fails on the recording machine ("Domain of sender address ... does not exist"):
  a sender in a local domain, or ``<>``, passes it.
- Limits: the 26th unknown command gets 421 (``MAXBADCOMMANDS`` 25); a command line over
  ``MAXLINE`` (2048 octets with its CRLF) gets 421; other limits only make Sendmail sleep.
- No CHUNKING (BDAT is an unknown command), no size limit; a bare LF in a message gets 421
  (Debian's fix for CVE-2023-51765).  A client at 465 (``client.tls``) is modelled as the MTA
  port with TLS already up, its replies those recorded after STARTTLS.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from ...events import Reject, Reply, Result
from ...machine import Outcome, State
from ...personality import C_SPACE, Framing, MessageLine, Personality, ServeTexts, Spec, accept, b64decode
from ...replies import T
from .address import Address, AddressError, canonical, esmtp_args, prescan, read_address, shorten, skipword
from .params import mail_param, rcpt_param
from .replies import SendmailReplies as R

MAXLINE = 2048  # sendmail.h: a command line (CRLF included) longer than this gets 421
MAXINPLINE = 12288  # sendmail.h: the command buffer
MAXBADCOMMANDS = 25
FRIENDS = ("postmaster", "abuse", "spam")  # Debian's /etc/mail/access: Spam:<user>@ FRIEND
KNOWN = {
    "MAIL": "MAIL",
    "RCPT": "RCPT",
    "DATA": "DATA",
    "RSET": "RSET",
    "VRFY": "VRFY",
    "EXPN": "EXPN",
    "HELP": "HELP",
    "NOOP": "NOOP",
    "QUIT": "QUIT",
    "HELO": "HELO",
    "EHLO": "EHLO",
    "ETRN": "ETRN",
    "VERB": "VERB",
    "AUTH": "AUTH",
    "STARTTLS": "STARTTLS",
}
UNIMPLEMENTED = ("SEND", "SAML", "SOML", "TURN")
OPEN_PROXY = ("GET", "POST", "CONNECT", "USER")  # as the first command: 421 and hang up
_COMMAND = re.compile(r"[ \t\n\v\f\r]*([^ \t\n\v\f\r]*)([ \t\n\v\f\r]*)")  # C isspace()
_BASE60 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"  # queue.c QueueIdChars


def arpadate(d: _dt.datetime) -> str:
    """``arpadate()``: ``Wed, 2 Dec 2026 12:59:02 GMT`` (day not padded; a zero offset as GMT)."""
    off = d.utcoffset() or _dt.timedelta(0)
    return _arpadate(d.replace(tzinfo=None), int(off.total_seconds()) // 60)


@functools.lru_cache(maxsize=64)
def _arpadate(d: _dt.datetime, mins: int) -> str:  # the offset is part of the key: same instants
    zone = "GMT" if not mins else f"{'+' if mins > 0 else '-'}{abs(mins) // 60:02d}{abs(mins) % 60:02d}"
    return f"{d:%a}, {d.day} {d:%b} {d.year} {d:%H:%M:%S} {zone}"


def queue_id(t: _dt.datetime, seq: int, pid: int) -> str:
    """``assign_queueid()``: year, month, day, hour, minute, second and a 2-character sequence
    in base 60, then the process id (``6B2CwiuM006008``)."""
    chars = (t.year - 1900) % 60, t.month - 1, t.day, t.hour, t.minute, t.second
    seq %= 3600
    return (
        "".join(_BASE60[c] for c in chars) + _BASE60[seq // 60] + _BASE60[seq % 60] + f"{pid % 1000000:06d}"
    )


@functools.lru_cache(maxsize=64)
def _ehlo(host: str, ip: str, *optional: str) -> Reply:
    """The EHLO reply (RFC 5321 §4.1.1.1): Sendmail's keywords in its order, ETRN, AUTH and
    STARTTLS where offered."""
    keywords = ["ENHANCEDSTATUSCODES", "PIPELINING", "EXPN", "VERB", "8BITMIME", "SIZE", "DSN"]
    keywords += [k for k in optional if k]
    return R.S250_HELLO.with_lines([*keywords, "DELIVERBY", "HELP"], host=host, ip=ip)


@functools.lru_cache(maxsize=512)
def said(tmpl: T, **fields: str) -> Reply:
    """A reply quoting what the client wrote, built once per text (replies are immutable)."""
    return tmpl.render(**fields)


class Sendmail(Personality):
    R = R
    # a line longer than the command buffer is cut there (the rest is read as the next line)
    framing = Framing(line_limit=MAXINPLINE - 1, overflow_drop=0)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.bad_commands = 0
        self.first = True
        self.gotmail = False
        self._printed: dict[tuple[str, ...], str] = {}  # accepted recipients: key -> as written
        self._sender = Address("", "", "")

    def default_queue_ids(self) -> Iterator[str]:
        n = 0
        while True:
            yield queue_id(self.now(), 0xD22 + n, 6008)
            n += 1

    @staticmethod
    def live_queue_id(sec: int, usec: int, pid: int, serial: Callable[[], int]) -> str:
        return queue_id(_dt.datetime.fromtimestamp(sec, _dt.UTC), serial(), pid)

    def greeting(self) -> Result:
        date = arpadate(self.now())
        reply = said(R.S220_GREETING, host=self.cfg.hostname, date=date, ip=self.session.client_ip)
        return Result(Outcome.ACCEPTED, (reply,))

    # ------------------------------------------------------------------ reading a command
    def handle(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result:
        """smtp(): the line as a C string (a NUL ends it), the length check, the open-proxy
        check on the first command, then the command word looked up in any case."""
        nul = raw.find(b"\0")
        cstr = raw if nul < 0 else raw[:nul]
        line = cstr.decode("latin-1")
        first, self.first = self.first, False
        inplen = len(cstr) + (nul < 0)  # strlen(): the CR and the LF count
        if overflow or (inplen > MAXLINE and line[:5].upper() != "AUTH "):
            return self._bye(R.S421_TOO_LONG)
        line = line.removesuffix("\r")
        m = _COMMAND.match(line)
        verb, arg = m.group(1).upper(), line[m.end() :]
        if first and verb in OPEN_PROXY and m.group(2):
            return self._bye(R.S421_OPEN_PROXY)
        if verb in UNIMPLEMENTED:
            raise Reject(R.S502_NOT_IMPLEMENTED.render(line=shorten(line)))
        if verb not in KNOWN:
            return self._unknown(line)
        if verb == "VERB":
            return Result(Outcome.ACCEPTED, (R.S250_VERBOSE.render(),))
        try:
            return self.dispatch(state, verb, arg.rstrip(C_SPACE) if verb in ("MAIL", "RCPT") else arg)
        except AddressError as e:
            raise Reject(e.tmpl.render(**e.fields)) from None

    def _bye(self, tmpl: Any) -> Result:
        reply = tmpl.render(close=True, host=self.cfg.hostname, ip=self.session.client_ip)
        return Result(Outcome.CLOSE, (reply,))

    def _unknown(self, line: str) -> Result:
        """An unknown command (BDAT too: no CHUNKING in 8.17); the 26th hangs up."""
        self.bad_commands += 1
        if self.bad_commands > MAXBADCOMMANDS:
            return self._bye(R.S421_TOO_MANY_BAD)
        raise Reject(R.S500_UNRECOGNIZED.render(line=shorten(line)))

    def on_unknown(self, verb: str, arg: str) -> Result:
        return self._unknown(f"{verb} {arg}".rstrip(C_SPACE))

    on_bdat = on_bdat_no_mail = on_bdat_no_rcpt = on_unknown

    # ------------------------------------------------------------------ session
    def on_hello(self, verb: str, arg: str) -> Result:
        """HELO/EHLO (RFC 5321 §4.1.1.1): a domain is required; a second word is refused."""
        cfg, session = self.cfg, self.session
        if not arg:
            raise Reject(R.S501_HELO_NO_DOMAIN.render(verb=verb))
        name = arg.rstrip(C_SPACE)
        if len(arg) > MAXNAME_HELO or any(
            not c.isascii() or not (c.isalnum() or c in "[].-_#:") for c in name
        ):
            raise Reject(R.S501_INVALID_DOMAIN.render())
        session.helo, session.esmtp = name, verb == "EHLO"
        self._reset()
        hello = R.S250_HELLO.render(host=cfg.hostname, ip=session.client_ip)
        if verb == "HELO":
            return accept(verb, hello)
        keywords = (
            "ETRN" if cfg.auth != "required" else "",
            "AUTH LOGIN PLAIN" if self._auth_offered() else "",
        )
        starttls = "STARTTLS" if cfg.tls == "offered" and not session.tls else ""
        return accept(verb, _ehlo(cfg.hostname, session.client_ip, *keywords, starttls))

    def _auth_offered(self) -> bool:
        """Debian's sasl.m4; the recorded MSA without it (``auth: required``, ``tls: none``)
        refuses MAIL and offers no AUTH."""
        return self.cfg.auth == "offered" or (self.cfg.auth == "required" and self.cfg.tls != "none")

    def _reset(self) -> None:
        self.session.reset_transaction()
        self.gotmail = False
        self._printed = {}

    def on_rset(self, verb: str, arg: str) -> Result:
        self._reset()
        return accept(verb, R.S250_RESET.render())

    def on_noop(self, verb: str, arg: str) -> Result:
        return accept(verb, R.S250_OK.render())

    def on_quit(self, verb: str, arg: str) -> Result:
        return accept(verb, R.S221_BYE.render(close=True, host=self.cfg.hostname))

    def on_help(self, verb: str, arg: str) -> Result:
        """help(): the topic is matched against the start of Debian's helpfile lines (only
        ``smtp``)."""
        topic = arg.rstrip(C_SPACE).lower()
        if not topic or "smtp\t".startswith(topic):
            return accept(verb, R.S214_HELP.render())
        raise Reject(R.S504_HELP_UNKNOWN.render(topic=topic[:10]))

    # ------------------------------------------------------------------ transaction
    def on_mail(self, verb: str, arg: str) -> Result:
        if self.gotmail:
            raise Reject(R.S503_SENDER_ALREADY.render())
        if self.cfg.auth == "required" and not self.session.user:
            raise Reject(R.S530_AUTH_REQUIRED.render())
        printed, rest, addr = read_address(skipword(arg, "from"))
        seen: set[str] = set()
        for key, value in esmtp_args(rest):
            mail_param(key, value, seen)
        self._reset()
        self.session.sender = addr.plain
        self.gotmail = True
        self._sender = addr
        return accept(verb, said(R.S250_SENDER_OK, addr=shorten(printed)))

    def on_mail_before_helo(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_POLITE.render())

    on_mail_nested = on_mail

    def on_rcpt_no_mail(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_NEED_MAIL_BEFORE_RCPT.render())

    def on_rcpt(self, verb: str, arg: str) -> Result:
        """RCPT: parse, parameters, check_rcpt (proto.m4), then recipient()."""
        printed, rest, addr = read_address(skipword(arg, "to"))
        seen: set[str] = set()
        for key, value in esmtp_args(rest):
            rcpt_param(key, value, seen)
        self._check_rcpt(addr)
        local = not addr.domain or self.cfg.is_local_domain(addr.domain)
        key = ("L", addr.local.lower()) if local else ("R", addr.local, addr.domain.lower())
        if key in self._printed:  # recipient(): a duplicate answers with the first one's text
            return accept(verb, said(R.S250_RECIPIENT_OK, addr=shorten(self._printed[key])))
        if local and not self.cfg.has_mailbox(addr.local, addr.domain or self.cfg.hostname):
            raise Reject(said(R.S550_USER_UNKNOWN, addr=shorten(printed)))
        self._printed[key] = printed
        self.session.recipients.append(addr.plain)
        return accept(verb, said(R.S250_RECIPIENT_OK, addr=shorten(printed)))

    def _check_rcpt(self, addr: Address) -> None:
        """check_rcpt with delay_checks: the relay test, the friend test, then check_mail."""
        cfg, session, ip = self.cfg, self.session, self.session.client_ip
        if addr.empty:
            raise AddressError(R.S553_RCPT_EMPTY, addr=shorten(addr.printed))
        if session.user:
            return
        local = not addr.domain or cfg.is_local_domain(addr.domain)
        if not local and not cfg.client_trusted(ip):
            raise AddressError(R.S550_RELAY_DENIED, addr=shorten(addr.printed), ip=ip)
        if cfg.client_trusted(ip) or (local and addr.local.lower() in FRIENDS):
            return
        sender = self._sender
        if sender.domain and not cfg.is_local_domain(sender.domain):
            raise AddressError(R.S553_SENDER_DOMAIN, addr=shorten(addr.printed), sender=sender.plain)

    def on_data_no_mail(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_NEED_MAIL.render())

    def on_data_no_rcpt(self, verb: str, arg: str) -> Result:
        raise Reject(R.S503_NEED_RCPT.render())

    def on_data(self, verb: str, arg: str) -> Result:
        return accept(verb, R.S354_DATA.render())

    def data_line(self, length: int) -> None:
        """No MaxMessageSize in Debian's sendmail.mc: lines are not counted."""

    def message_line(self, line: MessageLine) -> Result | None:
        """A message line ending in a bare LF ends the session (8.17.1.9, Debian's fix for
        CVE-2023-51765), the "." line too; other lines as every server."""
        if not line.crlf:
            return Result(Outcome.CLOSE, (R.S421_BARE_LF.render(close=True),))
        return super().message_line(line)

    def end_of_data(self) -> Result:
        self._reset()
        return Result(Outcome.ACCEPTED, (R.S250_QUEUED.render(qid=self.queue_id()),))

    # ------------------------------------------------------------------ queries
    def on_vrfy(self, verb: str, arg: str) -> Result:
        return self._query(verb, arg, expand=False)

    def on_expn(self, verb: str, arg: str) -> Result:
        return self._query(verb, arg, expand=True)

    def _query(self, verb: str, arg: str, expand: bool) -> Result:
        """VRFY/EXPN (needvrfyhelo, needexpnhelo): printvrfyaddr(); postmaster is an alias of
        root, whose passwd name is "root"."""
        cfg = self.cfg
        if self.session.helo is None:
            raise Reject(R.S503_INTRODUCE.render())
        if not arg:
            raise Reject(R.S501_ARGUMENT_REQUIRED.render())
        printed, _ = prescan(arg)
        addr = canonical(printed)
        if addr.domain and not cfg.is_local_domain(addr.domain):
            if expand:
                return accept(verb, R.S250_EXPN.render(name="", addr=addr.plain))
            return accept(verb, R.S252_VRFY_REMOTE.render(addr=addr.plain))
        user = addr.local.lower()
        if not cfg.has_mailbox(user, addr.domain or cfg.hostname):
            raise Reject(said(R.S550_USER_UNKNOWN, addr=shorten(printed)))
        if expand and user in ("postmaster", "root"):
            return accept(verb, R.S250_EXPN.render(name="root ", addr=f"root@{cfg.hostname}"))
        if expand:
            return accept(verb, R.S250_EXPN.render(name="", addr=f"{user}@{cfg.hostname}"))
        return accept(verb, R.S250_VRFY_LOCAL.render(user=user, host=cfg.hostname))

    def on_etrn(self, verb: str, arg: str) -> Result:
        """ETRN (RFC 1985): ``#group`` names a queue group (only ``mqueue``), else a host."""
        if self.cfg.auth == "required":  # the MSA port: M=E
            raise Reject(R.S502_NOT_ALLOWED.render())
        if not arg:
            raise Reject(R.S500_PARAMETER_REQUIRED.render())
        if arg.startswith("#"):
            if arg[1:] != "mqueue":
                raise Reject(R.S459_QUEUE_UNKNOWN.render(queue=arg[1:]))
            return accept(verb, R.S250_ETRN_QUEUE.render(queue=arg[1:]))
        return accept(verb, R.S250_ETRN_NODE.render(node=arg))

    on_etrn_in_mail = on_etrn

    def on_starttls(self, verb: str, arg: str) -> Result:
        """RFC 3207 §4: Debian's default cf has no certificate (454); after TLS, not offered."""
        if arg:
            raise Reject(R.S501_NO_PARAMETERS.render())
        if self.session.tls:
            raise Reject(R.S503_TLS_NOT_AVAILABLE.render())
        if self.cfg.tls == "none":
            raise Reject(R.S454_TLS_AFTER_START.render())
        if self.gotmail:
            raise Reject(R.S503_TLS_IN_TRANSACTION.render())
        self._reset()
        self.session.start_tls()
        return accept(verb, R.S220_TLS_READY.render())

    # ------------------------------------------------------------------ AUTH (RFC 4954)
    def on_auth(self, verb: str, arg: str) -> Result:
        if self.session.user:
            raise Reject(R.S503_AUTH_ALREADY.render())
        if self.gotmail:
            raise Reject(R.S503_AUTH_IN_TRANSACTION.render())
        mech, _, rest = arg.partition(" ")
        mech = mech.split("\t", 1)[0]
        rest = rest.lstrip(C_SPACE)
        if not mech:
            raise Reject(R.S501_AUTH_NO_MECH.render())
        if not self._auth_offered() or mech.upper() not in ("PLAIN", "LOGIN"):
            raise Reject(R.S504_AUTH_MECH.render(mech=mech[:32]))
        return self.sasl_start(mech.upper(), rest or None)

    on_auth_in_mail = on_auth

    def sasl_cancelled(self) -> Reply:
        return R.S501_AUTH_ABORTED.render()

    def sasl_bad_base64(self, initial: bool) -> Reply:
        raise NotImplementedError  # never called: sasl_decode() below quotes the text it refuses

    def sasl_decode(self, text: str, initial: bool) -> bytes:
        """Cyrus ``sasl_decode64()``; the initial response and a later line are refused in
        different words."""
        text = text.removesuffix("\r")
        data = b64decode(text)
        if data is None:
            if initial:
                raise Reject(R.S501_AUTH_BASE64.render(text=text))
            raise Reject(R.S501_AUTH_DECODE.render(text=text))
        return data


MAXNAME_HELO = 256  # sendmail.h MAXNAME: a longer HELO name is "Invalid domain name"

SPEC = Spec(
    name="sendmail",
    label="Sendmail",
    long_label="Sendmail 8.17",
    catalogue=R,
    factory=Sendmail,
    serve_texts=ServeTexts(
        # FEATURE(conncontrol, nodelay, terminate): proto.m4 "421 Too many open connections."
        too_many_connections="421 4.3.2 Too many open connections.",
        # srvrsmtp.c: a read that times out ends as a lost channel
        idle_timeout="421 4.4.1 {host} Lost input channel from [{ip}]",
        # no stop message exists in the binary: the session process dies with the daemon
        shutdown=None,
    ),
    settings={"tls": ("none", "offered"), "auth": ("none", "offered", "required")},
    source="Debian 12 sendmail-bin 8.17.1.9, Debian's sendmail.mc (tools/mta-lab/sendmail/)",
    message_size_limit=None,  # no MaxMessageSize in Debian's sendmail.mc
    volatile=(  # arpadate() (day not padded, GMT or an offset) and assign_queueid()
        (r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (?:GMT|[+-]\d{4})", "<DATE>"),
        (r"^250 2\.0\.0 [0-9A-Za-x]{8}\d{6} Message accepted", "250 2.0.0 <QID> Message accepted"),
    ),
)
