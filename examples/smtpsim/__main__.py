"""Command line: ``python -m smtpsim replay|shell|serve|diagnose``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .config import AUTH_MODES, SOFTWARE, TLS_MODES, ScenarioError, server_config_from_dict


def _replay(args: argparse.Namespace) -> int:
    from .scenario import load_scenario, run_scenario

    t = run_scenario(load_scenario(args.scenario))
    if args.json:
        print(json.dumps(t.to_json(), indent=2, ensure_ascii=False))
        return 0
    for step in t.steps:
        if step.send is not None:
            print(f"C: {step.send}")
        for line in step.reply:
            print(f"S: {line}")
    return 0


def _server_mapping(args: argparse.Namespace) -> dict[str, Any]:
    if getattr(args, "scenario", None):
        import yaml

        with open(args.scenario, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        from .scenario import scenario_from_dict

        scenario_from_dict(data, source=args.scenario)  # validate the whole file
        return dict(data["server"])
    d: dict[str, Any] = {
        "software": args.software,
        "hostname": args.hostname,
        "local_domains": args.local_domain or ["example.net"],
        "tls": args.tls,
        "auth": args.auth,
    }
    if args.user:
        d["users"] = dict(u.split(":", 1) for u in args.user)
    return d


def _shell(args: argparse.Namespace) -> int:
    from .console import Console

    con = Console(_server_mapping(args), client_ip=args.client_ip)
    tty = sys.stdin.isatty()
    for line in con.start():
        print(line)
    while not con.closed:
        try:
            text = input("C: " if tty else "")
        except EOFError:
            break
        for line in con.send(text):
            print(line)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import SMTPServer, make_ssl_context, run

    cfg = server_config_from_dict(_server_mapping(args), args.scenario or "<command line>")
    ctx = make_ssl_context(args.tls_cert, args.tls_key) if args.tls_cert else None
    if ctx is None and cfg.tls != "none":
        print("smtpsim: no --tls-cert given, so STARTTLS is not offered", file=sys.stderr)
    server = SMTPServer(
        cfg,
        args.host,
        args.port,
        args.max_connections,
        args.idle_timeout,
        args.max_session,
        ctx,
        log=sys.stderr,
    )
    return run(server, out=sys.stderr)


def _diagnose(args: argparse.Namespace) -> int:
    from .diagnose import diagnose, summary

    if args.file in (None, "-"):
        text = sys.stdin.read()
    else:
        with open(args.file, encoding="utf-8", errors="replace") as f:
            text = f.read()
    result = diagnose(text)
    if args.json:
        print(json.dumps(result.contract(), indent=2, ensure_ascii=False))
    else:
        print(summary(result))
    return 0


def _add_server_options(p: argparse.ArgumentParser, software_required: bool) -> None:
    p.add_argument(
        "--software",
        choices=SOFTWARE,
        default=None if software_required else "exim",
        required=software_required,
    )
    p.add_argument("--hostname", default="mail.example.net")
    p.add_argument("--local-domain", action="append")
    p.add_argument("--tls", choices=TLS_MODES, default="offered")
    p.add_argument("--auth", choices=AUTH_MODES, default="offered")
    p.add_argument("--user", action="append", help="user:password for AUTH (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="smtpsim", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("replay", help="print the transcript of a scenario")
    p.add_argument("scenario")
    p.add_argument("--json", action="store_true", help='{"steps": [{"send", "reply"}, ...]}')
    p.set_defaults(func=_replay)
    p = sub.add_parser("shell", help="an interactive session in the terminal")
    _add_server_options(p, software_required=False)
    p.add_argument("--scenario", help="take the server from this scenario file")
    p.add_argument("--client-ip", default="192.0.2.10")
    p.set_defaults(func=_shell)
    p = sub.add_parser("serve", help="a real SMTP server on loopback (never delivers mail)")
    p.add_argument("scenario", nargs="?", help="take the server from this scenario file")
    _add_server_options(p, software_required=False)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=2525)
    p.add_argument("--max-connections", type=int, default=100)
    p.add_argument("--idle-timeout", type=float, default=60.0, help="seconds")
    p.add_argument("--max-session", type=float, default=600.0, help="seconds")
    p.add_argument("--tls-cert", help="PEM certificate: makes STARTTLS real")
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
    try:
        return args.func(args)
    except ScenarioError as e:
        print(f"smtpsim: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"smtpsim: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
