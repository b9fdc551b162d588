"""Macros for senders that are not a mail program (``data/senders.yml``): settings tables in each
sender's own words, steps, notes, and code samples rendered from the provider data.

``render_sample`` is the one function that turns a sample template plus a provider (host, port,
security, sign-in) into code: the pages call it with the provider's values, ``tests/senders`` with a
loopback host and port, so the code the page shows is the code the tests run (RFC 6409 submission:
SSL/TLS per RFC 8314 or STARTTLS per RFC 3207, then AUTH per RFC 4954).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .clients import BEHAVIOUR_FILE, UnknownIdError, by_id
from .clients_schema import PortOption, Provider, Security
from .safe_text import code_templates
from .sender_tryout import TRY_SETTINGS, tryout_job, what_you_may_see, working_settings
from .senders_schema import DATA_PATH, SAMPLES_DIR, Sample, Sender, SendersData, SendersDataError, load_file
from .settings import alternative_rows, settings_rows
from .widgets import register_widget

DATA_FILE = "data/senders.yml"
#: The recipient every sample writes to: an address at another provider (issue 11: testing with
#: one's own address passes without signing in).
RECIPIENT = "friend@other-provider.example"
#: "Run this code in your browser" for Python samples: the console's worker runs them in Pyodide
#: with smtplib talking to the simulator in memory (smtpsim.drivers.memsock).
SAMPLE_RUN = register_widget("sample-run", scripts=["assets/js/sample-run.js"])
FENCE = {"python": "python", "php": "php", "javascript": "javascript", "csharp": "csharp"}

_SAMPLES = code_templates(SAMPLES_DIR)


@dataclass(frozen=True)
class Account:
    """The example account a sample signs in with (placeholders the reader replaces)."""

    user: str
    password: str
    password_hint: str


def example_account(provider: Provider) -> Account:
    """``you@<domain>`` for a provider whose host is ``<label>.<domain>`` (SmartHost's placeholder host)."""
    domain = provider.host.split(".", 1)[1] if provider.host.count(".") >= 2 else provider.host
    return Account(f"you@{domain}", "your-password", provider.password)


def render_sample(
    sample: Sample,
    provider: Provider,
    *,
    host: str | None = None,
    port: int | None = None,
    sign_in: bool = True,
    option: PortOption | None = None,
) -> str:
    """The code of *sample* for *provider* on *option* (default: its recommended port); *host*/*port*
    override only where the server is (the tests' loopback server), never the security or sign-in."""
    option = option or provider.recommended
    account = example_account(provider)
    code = _SAMPLES.get_template(sample.template).render(
        host=host or provider.host,
        port=port or option.port,
        security=Security(option.security).value,
        sign_in=sign_in,
        user=account.user,
        password=account.password,
        password_hint=account.password_hint,
        recipient=RECIPIENT,
    )
    return code.lstrip("\n")


def simulated_server(provider: Provider) -> dict[str, Any]:
    """The simulated Exim the pages' samples and forms talk to: it knows the samples' account and
    the provider's domain, and offers AUTH only inside TLS when every port of the provider is
    encrypted (the sign-in is refused without encryption, RFC 4954 §4 allows that)."""
    account = example_account(provider)
    encrypted_only = all(Security(o.security) is not Security.none for o in provider.ports)
    return {
        "software": "exim",
        "hostname": provider.host,
        "local_domains": [account.user.split("@", 1)[1]],
        "auth": "tls-only" if encrypted_only else "offered",
        "users": {account.user: account.password},
    }


def simulated_network(provider: Provider) -> dict[str, Any]:
    """Where the simulated server answers (smtpsim.drivers.memsock.Network): the provider's host
    and ports from data/clients.yml, its blocked ports time out, any other port is closed."""
    return {
        "host": provider.host,
        "host_is_placeholder": provider.host_is_placeholder,
        "ports": {str(o.port): Security(o.security).value for o in provider.ports},
        "blocked": [b.port for b in provider.blocked_ports],
    }


def browser_job(sample: Sample, provider: Provider) -> dict[str, Any]:
    """What the page's Run buttons send to the worker: the code as shown (and without its sign-in),
    the simulated server and the network it is reached through."""
    return {
        "code": {
            "signed_in": render_sample(sample, provider),
            "without_sign_in": render_sample(sample, provider, sign_in=False),
        },
        "server": simulated_server(provider),
        "network": simulated_network(provider),
    }


def refusal_variants(behaviour: dict[str, Any], program: str) -> list[dict[str, Any]]:
    """What *program* (a program of ``data/client-behaviour.json``, written by tests/interop) showed
    its user when each simulated mail server refused a recipient because it had not signed in: one
    row per server (``server``: its label, ``shows``: the program's lines), in the engine's order."""
    from .dialogue import software_labels  # the engine's registry (imported on use)

    rows = []
    for personality, label in software_labels(long=True).items():
        seen = sorted(
            (
                o
                for o in behaviour.get("observations", [])
                if o["client"] == program and o["personality"] == personality
            ),
            key=lambda o: (not o["scenario"].startswith("no-auth"), o["scenario"]),
        )
        if seen and seen[0]["scenario"].startswith("no-auth"):
            version = behaviour.get("programs", {}).get(program, "")
            rows.append(
                {"server": label, "shows": seen[0]["shows"], "program": f"{program} {version}".strip()}
            )
    return rows


class Senders:
    """The validated senders data plus the provider lookups of the help centre."""

    def __init__(
        self,
        data: SendersData,
        providers: dict[str, Provider],
        render: Any,
        behaviour: dict[str, Any] | None = None,
    ) -> None:
        self.data = data
        self.senders = {s.id: s for s in data.senders}
        self.providers = providers
        self.render = render  # HelpCentre.render (shared Markdown templates)
        self.behaviour = behaviour or {}  # data/client-behaviour.json

    def sender(self, sender_id: str) -> Sender:
        return by_id(self.senders, sender_id, "sender")

    def settings(self, sender_id: str) -> str:
        sender = self.sender(sender_id)
        tabs = []
        for provider in self.providers.values():
            table = self.render(
                "settings_table.md.j2",
                client=sender,
                provider=provider,
                rows=settings_rows(sender, provider),
                alternatives=alternative_rows(sender, provider),
            )
            tabs.append((provider, table))
        return self.render("settings_tabs.md.j2", client=sender, tabs=tabs)

    def samples(self, sender_id: str, provider_id: str = "smarthost") -> str:
        sender = self.sender(sender_id)
        provider = by_id(self.providers, provider_id, "provider")
        option = provider.recommended
        return self.render(
            "sender_samples.md.j2",
            sender=sender,
            provider=provider,
            port=option.port,
            security=Security(option.security),
            fence=FENCE,
            code={s.id: Markup(render_sample(s, provider)) for s in sender.samples},  # in a fenced block
            runs={s.id: json.dumps(browser_job(s, provider)) for s in sender.samples if s.run == "python"},
            refusals={s.id: refusal_variants(self.behaviour, s.id) for s in sender.samples},
            marker=SAMPLE_RUN.marker,
        )


#: The form's encryption choices, unless the sender words them itself (``labels.security``).
SECURITY_WORDS = {"ssl_tls": "SSL/TLS", "starttls": "STARTTLS", "none": "None"}


def _what_you_see(senders: Senders, sender_id: str, provider_id: str = "smarthost") -> str:
    """ "What you may see" (each program's words for the common refusals) and, on pages whose code
    cannot run in the browser, the "Try your settings" form (macros.sender_tryout)."""
    sender = senders.sender(sender_id)
    if not sender.programs:
        return ""
    provider = by_id(senders.providers, provider_id, "provider")
    account = example_account(provider)
    auto = all(p.auto_starttls is not None for p in sender.programs)
    settings = working_settings(provider, account.user, account.password, RECIPIENT, auto)
    server, network = simulated_server(provider), simulated_network(provider)
    form = not any(s.run == "python" for s in sender.samples)
    return senders.render(
        "sender_refusals.md.j2",
        sender=sender,
        provider=provider,
        rows=what_you_may_see(sender, provider, server, network, settings),
        form=form,
        job=tryout_job(sender, server, network, settings) if form else "",
        settings=settings,
        securities={k: (sender.labels.security or {}).get(Security(k), w) for k, w in SECURITY_WORDS.items()},
        marker=TRY_SETTINGS.marker,
    )


def load(project_dir: Path) -> SendersData:
    return load_file(project_dir / DATA_FILE if project_dir else DATA_PATH, DATA_FILE)


def register(env: Any) -> None:
    """Validate ``data/senders.yml`` at build start and define the sender macros (a project
    without the file, such as the tests' one-page projects, simply has no sender macros)."""
    if not (Path(env.project_dir) / DATA_FILE).is_file():
        env.variables["senders"] = {}
        return
    try:
        data = load(Path(env.project_dir))
    except SendersDataError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    hc = env.variables["helpcentre"]
    behaviour_file = Path(env.project_dir) / BEHAVIOUR_FILE
    behaviour = json.loads(behaviour_file.read_text(encoding="utf-8")) if behaviour_file.is_file() else {}
    senders = Senders(data, hc.providers, hc.render, behaviour)
    env.variables["senders"] = senders.senders

    def guarded(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except UnknownIdError as exc:
                page = getattr(getattr(env, "page", None), "file", None)
                where = f"docs/{page.src_uri}" if page else "(unknown page)"
                raise UnknownIdError(f"{where}: {name}(): {exc}") from None

        wrapper.__name__ = name
        return wrapper

    macros = {
        "sender_settings": senders.settings,
        "sender_samples": senders.samples,
        "sender_steps": lambda sid: hc.render("sender_steps.md.j2", sender=senders.sender(sid)),
        "sender_still_failing": lambda sid: hc.render("still_failing.md.j2", client=senders.sender(sid)),
        "sender_notes": lambda sid: hc.render("provider_notes.md.j2", provider=senders.sender(sid)),
        "sender_makers": lambda sid: hc.render("sender_makers.md.j2", sender=senders.sender(sid)),
        "sender_refusals": lambda sid: _what_you_see(senders, sid),
    }
    for name, func in macros.items():
        env.macro(guarded(name, func), name)
