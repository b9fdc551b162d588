"""``smtp_dialogue`` and ``smtp_console`` macros: the SMTP dialogue stepper and the live console shell.

``smtp_dialogue("exim-no-auth", toggles=["auth", "port", "software"], client="thunderbird")`` runs
the scenario ``examples/scenarios/<id>.yml`` through ``smtpsim`` at build time and renders every
variant the toggles can reach as static HTML (readable without JavaScript, printable, indexed by the
search). Variants come only from scenario files: ``<software>-<auth|no-auth>-<port>``. The two widgets
register their assets here (``macros/widgets.py``): ``stepper.js`` turns the markup into a stepper,
``console.js`` drives the console; both share ``dialogue.css``.

Replies are RFC 5321 §4.2 reply lines (``code-text`` … ``code text``); 4xx/5xx replies are marked as
refusals (RFC 5321 §4.2.1), and each reply carries the engine's plain-words reason as a caption.
"""

from __future__ import annotations

import itertools
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .scenarios import (
    MATRIX_PORTS,
    Catalogue,
    catalogue,
    pyodide_download_bytes,
    server_name,
    with_server_name,
)
from .widgets import register_widget

TOGGLES = ("auth", "port", "software")
PORTS = MATRIX_PORTS
AUTH_LABEL = "My outgoing server requires authentication"
PORT_NOTES = {
    "25": "25 (between servers)",
    "587": "587 (for email programs, STARTTLS)",
    "465": "465 (for email programs, SSL/TLS)",
}
_TEMPLATES = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_counter = itertools.count(1)
STEPPER = register_widget("stepper", scripts=["assets/js/stepper.js"], styles=["assets/css/dialogue.css"])
CONSOLE = register_widget("console", scripts=["assets/js/console.js"], styles=["assets/css/dialogue.css"])


@dataclass
class DisplayStep:
    """One stepper step: the client lines written since the last reply, then the server's reply."""

    client: list[str]
    server: list[str]
    code: int | None
    reason: str | None
    caption: str

    @property
    def refused(self) -> bool:
        """4xx/5xx: a transient or permanent refusal (RFC 5321 §4.2.1)."""
        return self.code is not None and self.code >= 400


@dataclass
class Variant:
    """One pre-rendered transcript: a scenario file and where it sits in the toggle matrix."""

    scenario_id: str
    title: str
    software: str
    auth: str
    port: str
    steps: list[DisplayStep] = field(default_factory=list)
    accepted: bool = False
    key_refusal: DisplayStep | None = None


def _smtpsim() -> Any:
    """Import the engine or fail with an explanation (it lives in engine/smtpsim)."""
    try:
        import smtpsim
    except ImportError as exc:  # pragma: no cover - depends on the working tree
        raise RuntimeError(
            "smtp_dialogue needs the smtpsim engine (engine/smtpsim); it is not importable: "
            f"{exc}. Run `make setup`."
        ) from exc
    return smtpsim


def _scenarios(project_dir: Path) -> Catalogue:
    return catalogue(project_dir)


def _get(project_dir: Path, scenario_id: str) -> Any:
    """The scenario file *scenario_id* (errors name the macro and the known ids)."""
    try:
        return _scenarios(project_dir).get(scenario_id)
    except ValueError as exc:
        raise ValueError(f"smtp_dialogue: {exc}") from None


def group_steps(steps: list[Any], reasons: dict[str, str]) -> list[DisplayStep]:
    """Merge engine steps into display steps: lines the server does not answer (message text after
    354, RFC 5321 §4.1.1.4) join the next answered line."""
    out: list[DisplayStep] = []
    pending: list[str] = []
    for step in steps:
        if step.send is not None:
            pending.extend(str(step.send).splitlines() or [""])
        if step.reply:
            out.append(
                DisplayStep(
                    pending, list(step.reply), step.code, step.reason, reasons.get(step.reason or "", "")
                )
            )
            pending = []
    if pending:
        out.append(DisplayStep(pending, [], None, None, ""))
    return out


def software_labels(long: bool = False) -> dict[str, str]:
    """Every personality of the engine's registry (``smtpsim.registry``), name to label."""
    registry = _smtpsim().registry.REGISTRY
    return {name: spec.long_label if long else spec.label for name, spec in registry.items()}


def load_variant(project_dir: Path, scenario_id: str) -> Variant:
    """Run *scenario_id* through smtpsim and place it in the (software, auth, port) matrix."""
    sim = _smtpsim()
    entry = _get(project_dir, scenario_id)
    transcript = sim.run_scenario(with_server_name(entry.scenario, server_name(project_dir)))
    steps = group_steps(list(transcript.steps), dict(sim.REASONS))
    sends = [str(s.send).upper() for s in transcript.steps if s.send is not None]
    variant = Variant(
        scenario_id,
        entry.title,
        entry.software,
        "on" if any(s.startswith("AUTH ") for s in sends) else "off",
        entry.port,
        steps,
    )
    # Accepted = the last message handed over got 250 and nothing was refused after it (a session
    # may send one message to a local address and then fail for an outside one).
    handed = [i for i, s in enumerate(steps) if s.client and s.client[-1] == "." and s.code == 250]
    variant.accepted = bool(handed) and not any(s.refused for s in steps[handed[-1] :])
    refusals = [s for s in steps if s.refused]
    variant.key_refusal = refusals[0] if refusals else None
    return variant


def matrix_variants(project_dir: Path, base: Variant, toggles: tuple[str, ...]) -> list[Variant]:
    """The base variant first, then every matrix cell the toggles reach (other dimensions fixed)."""
    axes = {"software": [base.software], "auth": [base.auth], "port": [base.port]}
    if "software" in toggles:
        axes["software"] = list(software_labels())
    if "auth" in toggles:
        axes["auth"] = ["off", "on"]
    if "port" in toggles:
        axes["port"] = list(PORTS)
    variants = [base]
    for software, auth, port in itertools.product(axes["software"], axes["auth"], axes["port"]):
        if (software, auth, port) == (base.software, base.auth, base.port):
            continue
        variants.append(_cell(project_dir, software, auth, port, prefer_story=port == base.port))
    return variants


def _cell(project_dir: Path, software: str, auth: str, port: str, *, prefer_story: bool) -> Variant:
    """Scenario of one matrix cell: the story ``<software>-<auth|no-auth>`` when it sits in that cell
    (so toggling authentication on the 503 story shows the same story signed in), else the matrix
    file ``<software>-<auth|no-auth>-<port>``."""
    stem = f"{software}-{'auth' if auth == 'on' else 'no-auth'}"
    if prefer_story and _scenarios(project_dir).has(stem):
        variant = load_variant(project_dir, stem)
        if (variant.software, variant.auth, variant.port) == (software, auth, port):
            return variant
    return load_variant(project_dir, f"{stem}-{port}")


def client_dicts(clients: Any) -> list[dict[str, Any]]:
    """data/clients.yml clients as plain dicts (accepts the id → pydantic model map or a list)."""
    items = list(clients.values()) if isinstance(clients, dict) else list(clients or [])
    return [c.model_dump(mode="json") if hasattr(c, "model_dump") else dict(c) for c in items]


def _client(clients: list[dict[str, Any]] | None, client_id: str | None) -> dict[str, Any] | None:
    if client_id is None:
        return None
    for entry in clients or []:
        if entry.get("id") == client_id:
            return entry
    raise ValueError(f"smtp_dialogue: unknown client {client_id!r} (see data/clients.yml)")


def client_words(client: dict[str, Any] | None) -> dict[str, str]:
    """Labels in the client's own terms (data/clients.yml ``fields``/``labels``)."""
    words = {
        "who": "Your mail program",
        "auth": AUTH_LABEL,
        "fix": "turn on authentication for the outgoing (SMTP) server in your mail program",
    }
    if not client:
        return words
    words["who"] = str(client["name"])
    fields = {f.get("value"): f for f in client.get("fields", [])}
    labels = client.get("labels") or {}
    if "auth_required" in fields:
        label = fields["auth_required"]["label"]
        words["auth"] = str(label)
        words["fix"] = f"tick \u201c{label}\u201d in {client['name']}"
    elif "auth_method" in fields:
        label = fields["auth_method"]["label"]
        method = (labels.get("auth_method") or {}).get("password") or "Normal password"
        words["auth"] = f"{label}: {method}"
        words["fix"] = f"set \u201c{label}\u201d to \u201c{method}\u201d in {client['name']}"
    elif "username" in fields:
        words["auth"] = f"{fields['username']['label']} and password filled in"
        words["fix"] = (
            f"fill in \u201c{fields['username']['label']}\u201d and the password in {client['name']}"
        )
    return words


def guide_links(
    docs_dir: Path, page_url: str, clients: list[dict[str, Any]] | None, client_id: str | None
) -> list[dict[str, str]]:
    """Relative links to the client guides (``/clients/<id>/``) that exist in *docs_dir*; on a guide
    itself, its ``#steps`` section."""
    chosen = [c for c in clients or [] if client_id in (None, c.get("id"))]
    here = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    links = []
    for entry in chosen:
        if not (docs_dir / "clients" / f"{entry['id']}.md").is_file():
            continue
        href = posixpath.relpath(f"clients/{entry['id']}/", here or ".") + "/"
        name = str(entry.get("name", entry["id"]))
        if href == "./":  # the guide itself: point at its step-by-step section
            href, name = "#steps", f"{name}: step by step, on this page"
        links.append({"href": href, "name": name})
    return links


def console_options(project_dir: Path) -> list[dict[str, str]]:
    """Server settings the live console offers: every example scenario (id and title)."""
    return [{"id": e.id, "title": e.title, "software": e.software} for e in _scenarios(project_dir).all()]


def _html(template: str, **context: Any) -> Markup:
    """Render *template*; drop blank lines and indentation so Markdown keeps it one raw HTML block."""
    text = _TEMPLATES.get_template(template).render(**context)
    return Markup("\n".join(line.strip() for line in text.splitlines() if line.strip()))


def render_dialogue(
    project_dir: Path,
    scenario_id: str,
    *,
    toggles: list[str] | tuple[str, ...] = TOGGLES,
    client: str | None = None,
    console: bool | None = None,
    page_url: str = "",
    clients: list[dict[str, Any]] | None = None,
    docs_dir: Path | None = None,
    smarthost_software: str = "exim-cpanel",
) -> Markup:
    """Stepper HTML for *scenario_id* with pre-rendered variants for *toggles* (see module docstring);
    *smarthost_software*: the personality SmartHost's own servers run (``extra.smarthost_server``)."""
    unknown = sorted(set(toggles) - set(TOGGLES))
    if unknown:
        raise ValueError(f"smtp_dialogue: unknown toggles {unknown}; choose from {list(TOGGLES)}")
    toggles = tuple(t for t in TOGGLES if t in toggles)
    base = load_variant(project_dir, scenario_id)
    variants = matrix_variants(project_dir, base, toggles)
    entry = _client(clients, client)
    uid = f"smtp-{scenario_id}-{next(_counter)}"
    html = _html(
        "dialogue.html.j2",
        uid=uid,
        marker=STEPPER.marker,
        base=base,
        variants=variants,
        toggles=toggles,
        words=client_words(entry),
        software_names=software_labels(),
        ports=PORTS,
        port_notes=PORT_NOTES,
        smarthost_software=smarthost_software,
        links=guide_links(docs_dir or project_dir / "docs", page_url, clients, client),
    )
    if console or (console is None and client is None):  # the article gets the console by default
        html += Markup("\n") + render_console(project_dir, scenario_id)
    return html


def render_console(project_dir: Path, scenario_id: str) -> Markup:
    """The live console's static shell; console.js brings it to life (Pyodide loads on demand)."""
    software = _get(project_dir, scenario_id).software
    size = pyodide_download_bytes(project_dir / "node_modules" / "pyodide")
    return _html(
        "console.html.j2",
        uid=f"smtp-console-{scenario_id}-{next(_counter)}",
        marker=CONSOLE.marker,
        scenario_id=scenario_id,
        software=software,
        software_names=software_labels(long=True),
        options=console_options(project_dir),
        download_mb=max(1, round(size / 1e6)),
    )


def smarthost_scenario(extra: dict[str, Any], providers: list[Any]) -> str:
    """The matrix file for SmartHost's own servers: ``extra.smarthost_server`` (a personality of
    the registry, default ``exim-cpanel``), a client that does not sign in, on the submission port
    ``data/clients.yml`` recommends for the ``smarthost`` provider."""
    software = extra.get("smarthost_server", "exim-cpanel")
    if software not in software_labels():
        raise ValueError(
            f"mkdocs.yml: extra.smarthost_server: {software!r} is not a personality "
            f"(known: {', '.join(software_labels())})"
        )
    smarthost = next(p for p in providers if p.id == "smarthost")
    return f"{software}-no-auth-{smarthost.recommended.port}"


def register(env: Any) -> None:
    """Define ``smtp_dialogue(scenario_id, **options)`` and ``smtp_console(scenario_id)``."""
    project_dir = Path(env.project_dir)
    docs_dir = Path(env.conf["docs_dir"])
    # the label of SmartHost's own server, for the text around the default dialogue
    env.variables["smarthost_server_label"] = software_labels(long=True).get(
        (env.conf.get("extra") or {}).get("smarthost_server", "exim-cpanel"), ""
    )

    def page_url() -> str:
        page = getattr(env, "page", None)
        return str(getattr(page, "url", "") or "")

    @env.macro
    def smtp_dialogue(scenario_id: str | None = None, **options: Any) -> Markup:
        """Stepper for *scenario_id* (default: SmartHost's own server, see :func:`smarthost_scenario`);
        options: toggles, client, console (see render_dialogue)."""
        return render_dialogue(
            project_dir,
            scenario_id
            or smarthost_scenario(env.conf.get("extra") or {}, list(env.variables["providers"].values())),
            page_url=page_url(),
            docs_dir=docs_dir,
            clients=client_dicts(env.variables.get("clients")),
            smarthost_software=(env.conf.get("extra") or {}).get("smarthost_server", "exim-cpanel"),
            **options,
        )

    @env.macro
    def smtp_console(scenario_id: str = "exim-no-auth") -> Markup:
        """Live SMTP console starting with *scenario_id*'s server settings."""
        return render_console(project_dir, scenario_id)
