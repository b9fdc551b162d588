"""Macros of ``data/clients.yml`` (settings tables and tabs, steps, summaries, fix tabs): every host,
port and label on a page comes from ``data/clients.yml`` through here.

Rendering goes through the Jinja templates in ``macros/templates`` (Markdown output). The rows come
from ``macros/settings.py``, which the JSON export (``macros/export.py``) shares, so tables and
``/api/clients.json`` cannot drift.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from markupsafe import Markup

from . import portal_contract
from .clients_schema import (
    AUTH_METHOD_NAMES,
    SECURITY_NAMES,
    Client,
    ClientsData,
    ClientsDataError,
    Provider,
    load_file,
)
from .safe_text import html_text, markdown_templates
from .settings import Row, alternative_rows, other_dialog_rows, settings_rows

__all__ = [
    "DATA_FILE",
    "HelpCentre",
    "Row",
    "UnknownIdError",
    "alternative_rows",
    "by_id",
    "register",
    "settings_rows",
]

DATA_FILE = "data/clients.yml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The article every "go back to the fix" link points at (docs/ path, for rel()).
ARTICLE_SOURCE = "errors/503-valid-rcpt-command-must-precede-data.md"


class UnknownIdError(LookupError):
    """A page asked for a client or provider that ``data/clients.yml`` does not define."""


T = TypeVar("T")


def by_id(table: dict[str, T], item_id: str, kind: str) -> T:
    """``table[item_id]``, or an error naming the valid ids and the data file."""
    try:
        return table[item_id]
    except KeyError:
        raise UnknownIdError(
            f"unknown {kind} {item_id!r}; valid {kind} ids: {', '.join(table)} (see {DATA_FILE})"
        ) from None


class HelpCentre:
    """The validated data plus lookups that fail with the list of valid ids."""

    def __init__(self, data: ClientsData) -> None:
        self.data = data
        self.providers = {p.id: p for p in data.providers}
        self.clients = {c.id: c for c in data.clients}
        self.templates = markdown_templates(TEMPLATES, domain=lambda url: urlsplit(url).hostname or url)

    def provider(self, provider_id: str) -> Provider:
        return by_id(self.providers, provider_id, "provider")

    def client(self, client_id: str) -> Client:
        return by_id(self.clients, client_id, "client")

    def render(self, template: str, **context: Any) -> Markup:
        """Markdown from a template: data values escaped, ``Markup`` values (other renders) as they are."""
        return Markup(self.templates.get_template(template).render(**context))

    # -- macros (pure: page-dependent bits are passed in) ---------------------------------------
    def settings_table(self, client_id: str, provider_id: str) -> str:
        client, provider = self.client(client_id), self.provider(provider_id)
        return self.render(
            "settings_table.md.j2",
            client=client,
            provider=provider,
            rows=settings_rows(client, provider),
            other_rows=other_dialog_rows(client, provider),
            alternatives=alternative_rows(client, provider),
        )

    def settings_tabs(self, client_id: str, provider_ids: list[str] | None = None) -> str:
        client = self.client(client_id)
        providers = [self.provider(p) for p in provider_ids] if provider_ids else self.data.providers
        return self.render(
            "settings_tabs.md.j2",
            client=client,
            tabs=[(p, self.settings_table(client.id, p.id)) for p in providers],
        )

    def client_steps(self, client_id: str) -> str:
        return self.render("client_steps.md.j2", client=self.client(client_id))

    def still_failing(self, client_id: str) -> str:
        return self.render("still_failing.md.j2", client=self.client(client_id))

    def what_you_see(self, client_id: str) -> str:
        """What the program shows for this error, each entry with its source (guides and tabs)."""
        return self.render("what_you_see.md.j2", client=self.client(client_id))

    def menu_path(self, client_id: str) -> str:
        return self.render("menu_path.md.j2", client=self.client(client_id)).strip()

    def provider_summary(self, provider_ids: list[str] | None = None) -> str:
        providers = [self.provider(p) for p in provider_ids] if provider_ids else self.data.providers
        return self.render(
            "provider_summary.md.j2",
            providers=providers,
            security_names=SECURITY_NAMES,
            auth_names=AUTH_METHOD_NAMES,
        )

    def provider_notes(self, provider_id: str) -> str:
        return self.render("provider_notes.md.j2", provider=self.provider(provider_id))

    def fix_tabs(self, guide_links: dict[str, str], provider_id: str = "smarthost") -> str:
        """The article's per-client fix: one linked tab per client (label = ``tab_label``)."""
        provider = self.provider(provider_id)
        return self.render(
            "fix_tabs.md.j2",
            clients=self.data.clients,
            provider=provider,
            links=guide_links,
            tables={c.id: self.settings_table(c.id, provider.id) for c in self.data.clients},
            auth_rows={
                c.id: [r for r in settings_rows(c, provider) if r.field in ("auth_required", "auth_method")]
                for c in self.data.clients
            },
            other_auth_rows={
                c.id: [
                    r for r in other_dialog_rows(c, provider) if r.field in ("auth_required", "auth_method")
                ]
                for c in self.data.clients
            },
        )

    def provider_refusals(self, provider_id: str) -> str:
        """The provider's sign-in refusals that share a code, each with its meaning, fix and source."""
        return self.render("provider_refusals.md.j2", provider=self.provider(provider_id))


BEHAVIOUR_FILE = "data/client-behaviour.json"


def program_behaviour(project_dir: Path, personality: str, scenario: str) -> dict[str, Any]:
    """Rows of ``data/client-behaviour.json`` (what real programs showed against ``smtpsim serve``)
    for one personality and scenario; an error names the file and the valid choices."""
    data = json.loads((project_dir / BEHAVIOUR_FILE).read_text(encoding="utf-8"))
    rows = [o for o in data["observations"] if (o["personality"], o["scenario"]) == (personality, scenario)]
    if not rows:
        have = sorted({f"{o['personality']}/{o['scenario']}" for o in data["observations"]})
        raise UnknownIdError(f"no observations for {personality}/{scenario} in {BEHAVIOUR_FILE}; have {have}")
    return {"rows": rows, "programs": data["programs"]}


def _source_line(page: Any, needle: str) -> str:
    """``docs/x.md:12`` for the first line of the page source mentioning *needle* (for error messages)."""
    try:
        path = Path(page.file.abs_src_path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return f"docs/{page.file.src_uri}:{number}"
        return f"docs/{page.file.src_uri}"
    except (AttributeError, OSError, TypeError):
        return "(unknown page)"


def register(env: Any) -> None:
    """Validate the YAML at build start and define the settings macros."""
    project_dir = Path(env.project_dir)
    try:
        hc = HelpCentre(load_file(project_dir / DATA_FILE, DATA_FILE))
    except ClientsDataError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    try:
        portal_contract.check(project_dir)
    except portal_contract.PortalContractError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    env.variables["helpcentre"] = hc
    env.variables["providers"] = hc.providers
    env.variables["clients"] = hc.clients

    def page_guard(name: str, func):
        """Prefix lookup errors with the page file and line that asked."""

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except UnknownIdError as exc:
                needle = next((a for a in args if isinstance(a, str)), name)
                raise UnknownIdError(f"{_source_line(env.page, needle)}: {name}(): {exc}") from None

        wrapper.__name__ = name
        wrapper.__doc__ = func.__doc__
        return wrapper

    def rel(target: str) -> str:
        """Relative link from the current page to docs path *target* (mkdocs checks it in strict mode)."""
        here = posixpath.dirname(env.page.file.src_uri)
        return posixpath.relpath(target, here or ".")

    def page_device() -> str:
        """What the page is about: ``phone`` or ``computer`` for a program's guide (its ``device``),
        ``none`` for a website, code or device (``sender`` pages), ``any`` elsewhere."""
        meta = getattr(getattr(env, "page", None), "meta", None) or {}
        if "sender" in meta:
            return "none"
        if "client" in meta:
            return hc.client(meta["client"]).device
        return "any"

    def guide_link(client_id: str) -> str:
        return rel(f"clients/{hc.client(client_id).id}.md")

    macros = {
        "settings_table": hc.settings_table,
        "settings_tabs": hc.settings_tabs,
        "client_steps": hc.client_steps,
        "still_failing": hc.still_failing,
        "what_you_see": hc.what_you_see,
        "menu_path": hc.menu_path,
        "provider_summary": hc.provider_summary,
        "provider_notes": hc.provider_notes,
        "provider_refusals": hc.provider_refusals,
        "guide_link": guide_link,
        "host": lambda provider_id: f"`{hc.provider(provider_id).host}`",
        "port": lambda provider_id: str(hc.provider(provider_id).recommended.port),
        "security": lambda provider_id: SECURITY_NAMES[hc.provider(provider_id).recommended.security],
        "client_name": lambda client_id: html_text(hc.client(client_id).name),
        "provider_name": lambda provider_id: html_text(hc.provider(provider_id).name),
        "client_link": lambda client_id: Markup("[{}]({})").format(
            hc.client(client_id).name, guide_link(client_id)
        ),
        "fix_tabs": lambda provider_id="smarthost": hc.fix_tabs(
            {c: guide_link(c) for c in hc.clients}, provider_id
        ),
        "still_stuck": lambda: hc.render("still_stuck.md.j2", portal=env.conf["extra"]["support_portal"]),
        "program_behaviour": lambda personality="exim", scenario="no-auth-25": hc.render(
            "program_behaviour.md.j2", **program_behaviour(project_dir, personality, scenario)
        ),
        "test_the_fix": lambda what="email program", fix_hint=None: hc.render(
            "test_the_fix.md.j2",
            what=what,
            device=page_device(),
            fix_hint=Markup(fix_hint or f"go back to [the fix for your program]({rel(ARTICLE_SOURCE)}#fix)"),
            portal=env.conf["extra"]["support_portal"],
        ),
    }
    for name, func in macros.items():
        env.macro(page_guard(name, func), name)
