"""Command line: ``python -m smtpsim replay|shell|serve|diagnose``.

Every bad input gets ONE line on stderr naming the file, line and key (or the option) and exit
status 2; a server that cannot listen exits 1.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import json
import signal
import socket
import sys
from typing import Any, NoReturn

from .config import AUTH_MODES, SOFTWARE, TLS_MODES, ScenarioError, client_address, server_config_from_dict


class UsageError(Exception):
    """A bad option value: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, no usage block
        self.exit(2, f"{self.prog}: {message}\n")


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"{n} is not a port number (0-65535; 0: any free port)")
    return n


def _seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < v <= 86400:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 86400 seconds")
    return v


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= n <= 100_000:
        raise argparse.ArgumentTypeError(f"{n} is not between 1 and 100000")
    return n


def _client_ip(text: str) -> str:
    try:
        return client_address(text, "--client-ip", "--client-ip")
    except ScenarioError as e:
        raise argparse.ArgumentTypeError(e.message) from None


def _user(text: str) -> tuple[str, str]:
    user, colon, password = text.partition(":")
    if not colon or not user:
        raise argparse.ArgumentTypeError(f"expected user:password, got {text!r}")
    return user, password


def _replay(args: argparse.Namespace) -> int:
    from .scenario import load_scenario, run_scenario

    t = run_scenario(load_scenario(args.scenario))
    if args.json:
        _write_json(t.to_json())
        return 0
    for step in t.steps:
        if step.send is not None:
            print(f"C: {step.send}")
        for line in step.reply:
            print(f"S: {line}")
    return 0


def _server(args: argparse.Namespace, scenario: str | None) -> tuple[Any, bool]:
    """The server config (from the scenario file or the options) and whether TLS is implicit."""
    if scenario:
        from .scenario import load_scenario

        sc = load_scenario(scenario)
        return sc.server, sc.client_tls or sc.port == 465
    d: dict[str, Any] = {
        "software": args.software,
        "hostname": args.hostname,
        "local_domains": args.local_domain or ["example.net"],
        "tls": args.tls,
        "auth": args.auth or _default_auth(args.software),
    }
    if args.user:
        d["users"] = dict(args.user)
    return server_config_from_dict(d, "<command line>"), bool(getattr(args, "implicit_tls", False))


def _default_auth(software: str) -> str:
    """``offered``, or the personality's nearest setting where AUTH exists only inside TLS
    (OpenSMTPD: ``tls-only``)."""
    from .registry import get

    supported = get(software).settings.get("auth", AUTH_MODES)
    return "offered" if "offered" in supported else supported[-1]


def _shell(args: argparse.Namespace) -> int:
    from .drivers.console import Console

    cfg, implicit = _server(args, args.scenario)
    con = Console.from_config(cfg, client_ip=args.client_ip, client_tls=implicit)
    # Bytes that are not UTF-8 (a Latin-1 terminal, a binary file) reach the server as they came,
    # and its replies go out as the wire carries them (``serve`` encodes them the same way),
    # whatever the locale.
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")
    tty = sys.stdin.isatty()
    _write_wire(con.start())
    while not con.closed:
        try:
            text = input("C: " if tty else "")
        except EOFError:
            break
        _write_wire(con.send(text))
    return 0


def _write_wire(lines: list[str]) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(b"".join(ln.encode("latin-1", "replace") + b"\n" for ln in lines))
    sys.stdout.buffer.flush()


def _write_json(data: object) -> None:
    """JSON text is UTF-8 (RFC 8259 §8.1), whatever the locale's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


def check_bind(host: str, public: bool) -> str | None:
    """Loopback only unless --public; returns the warning to print for a public bind."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise UsageError(f"--host: cannot resolve {host!r}: {e}") from None
    outside = sorted({i[4][0] for i in infos if not ipaddress.ip_address(i[4][0].split("%")[0]).is_loopback})
    if not outside:
        return None
    if not public:
        raise UsageError(
            f"--host: {host} ({', '.join(outside)}) is not a loopback address; add --public to listen "
            f"beyond this machine"
        )
    return (
        f"WARNING: listening on {host} beyond loopback: anyone who can reach this port can talk to it. "
        f"It is a simulator: it never stores, relays or delivers mail."
    )


def _serve(args: argparse.Namespace) -> int:
    from .drivers.serve import STOP_SIGNALS, SMTPServer, run
    from .drivers.tls import TLSSetupError, server_tls

    for sig in STOP_SIGNALS:  # until run() takes them over: exit through the clean-up below
        signal.signal(sig, _exit_quietly)

    cfg, implicit = _server(args, args.scenario)
    notes: list[str] = []
    warning = check_bind(args.host, args.public)
    if warning:
        print(f"smtpsim: {warning}", file=sys.stderr, flush=True)
    tls = None
    if implicit or cfg.tls != "none" or args.tls_cert or args.tls_key:
        try:
            tls = server_tls(cfg.hostname, args.tls_cert, args.tls_key)
        except TLSSetupError as e:
            raise UsageError(str(e)) from None
        if tls.throwaway:
            notes.append(
                f"no --tls-cert given: using a throw-away self-signed certificate for {cfg.hostname} "
                f"({tls.cert_file}, removed at stop); clients must be told to accept it"
            )
    try:
        server = SMTPServer(
            cfg,
            args.host,
            args.port,
            args.max_connections,
            args.idle_timeout,
            args.max_session,
            tls.context if tls else None,
            log=sys.stderr,
            implicit_tls=implicit,
        )
        return run(server, out=sys.stderr, notes=tuple(notes))
    finally:
        if tls:
            tls.remove_throwaway()


def _exit_quietly(signum: int, frame: object) -> NoReturn:
    raise SystemExit(0)


def _diagnose(args: argparse.Namespace) -> int:
    try:
        from smtpdiagnose.diagnose import diagnose  # a sibling package, not part of the engine
        from smtpdiagnose.summary import summary
    except ImportError:
        raise UsageError("needs the smtpdiagnose package (pip install -e ./diagnose)") from None

    # Read as bytes and decode as UTF-8 with U+FFFD for what is not, whatever the locale: a pasted
    # log in Latin-1 is still diagnosed, and nothing undecodable reaches the output.
    if args.file in (None, "-"):
        raw = sys.stdin.buffer.read()
    else:
        try:
            with open(args.file, "rb") as f:
                raw = f.read()
        except OSError as e:
            raise UsageError(f"{args.file}: cannot read: {e.strerror or e}") from None
    result = diagnose(raw.decode("utf-8", errors="replace"))
    if args.json:
        _write_json(result.contract())
    else:
        print(summary(result))
    return 0


def _add_server_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--software", choices=SOFTWARE, default="exim")
    p.add_argument("--hostname", default="mail.example.net")
    p.add_argument("--local-domain", action="append")
    p.add_argument("--tls", choices=TLS_MODES, default="offered")
    p.add_argument(
        "--auth", choices=AUTH_MODES, help="default: offered (tls-only where AUTH exists only inside TLS)"
    )
    p.add_argument("--user", action="append", type=_user, help="user:password for AUTH (repeatable)")
    p.add_argument(
        "--implicit-tls", action="store_true", help="TLS from the first octet (port 465); scenario: port 465"
    )


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="smtpsim", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("replay", help="print the transcript of a scenario")
    p.add_argument("scenario")
    p.add_argument("--json", action="store_true", help='{"steps": [{"send", "reply"}, ...]}')
    p.set_defaults(func=_replay)
    p = sub.add_parser("shell", help="an interactive session in the terminal")
    _add_server_options(p)
    p.add_argument("--scenario", help="take the server from this scenario file")
    p.add_argument("--client-ip", type=_client_ip, default="192.0.2.10")
    p.set_defaults(func=_shell)
    p = sub.add_parser("serve", help="a real SMTP server on loopback (never delivers mail)")
    p.add_argument("scenario", nargs="?", help="take the server from this scenario file")
    _add_server_options(p)
    p.add_argument("--host", default="127.0.0.1", help="loopback unless --public")
    p.add_argument("--public", action="store_true", help="allow a --host beyond loopback")
    p.add_argument("--port", type=_port, default=2525)
    p.add_argument("--max-connections", type=_count, default=100)
    p.add_argument("--idle-timeout", type=_seconds, default=60.0, help="seconds")
    p.add_argument("--max-session", type=_seconds, default=600.0, help="seconds")
    p.add_argument("--tls-cert", help="PEM certificate (default: a throw-away self-signed one)")
    p.add_argument("--tls-key", help="PEM private key for --tls-cert")
    p.set_defaults(func=_serve)
    p = sub.add_parser("diagnose", help="what a pasted error text means: causes, server, step, reply")
    p.add_argument("file", nargs="?", help="file with the error text; - or nothing: standard input")
    p.add_argument(
        "--json",
        action="store_true",
        help='{"causes": [{"id", "title", "confidence"}], "server", "stage", "reply"}',
    )
    p.set_defaults(func=_diagnose)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):  # a terminal without UTF-8: ? for what it lacks
        sys.stdout.reconfigure(errors="replace")
    try:
        return int(args.func(args))
    except (ScenarioError, UsageError) as e:
        print(f"smtpsim {args.cmd}: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # e.g. the port is taken
        if args.cmd == "serve":
            where = f"cannot listen on {args.host}:{args.port}: "
        else:
            where = f"{e.filename}: " if e.filename else ""
        print(f"smtpsim {args.cmd}: {where}{e.strerror or e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
