"""Macros of ``data/diagnoses.yml``: the /diagnose/ widget, the small entry form, the "Find your
error text" and "What other mail servers say" tables, and ``/api/diagnoses.json``.

The programs' setting labels come from ``data/clients.yml`` (through the settings rows the guides
show); the simulated servers' rows of the other-servers table come from the engine, by running each
personality's no-auth scenario. Nothing here types a reply text: every one is the data file's
(quoted from a public source) or the engine's (replayed from a recording of the real server).
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .clients import HelpCentre, settings_rows
from .clients_schema import Client, Provider
from .diagnoses_compile import compile_rules, rules_json
from .diagnoses_schema import DiagnosesData, DiagnosesDataError, load_file
from .export import help_version
from .settings import other_dialog_rows
from .widgets import register_widget

DATA_FILE = "data/diagnoses.yml"
EXPORT_PATH = "api/diagnoses.json"
DIAGNOSE_PAGE = "diagnose.md"
ARTICLE = "errors/503-valid-rcpt-command-must-precede-data.md"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The page widget (its module imports the matcher) and the small entry form (a module of a few lines).
DIAGNOSE = register_widget("diagnose", scripts=["assets/js/diagnose.js"], styles=["assets/css/diagnose.css"])
DIAGNOSE_ENTRY = register_widget("diagnose-entry", scripts=["assets/js/diagnose-entry.js"])
_JINJA = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,  # .md.j2 too: data values escaped, Markup (HTML built here, MarkdownText) as is
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page_url(doc: str) -> str:
    """Site-root-relative URL of a docs page (directory URLs): ``errors/x.md`` -> ``errors/x/``."""
    stem = doc.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _fill(text: str, provider: Provider) -> str:
    """A library setting with SmartHost's values: ``{example_address}``, ``{domain}``, ``{host}``
    (the one source is ``data/clients.yml``; the diagnoses data never types them)."""
    for token, value in (
        ("{example_address}", provider.example_address),
        ("{domain}", provider.domain),
        ("{host}", provider.host),
    ):
        text = text.replace(token, value)
    return text


def _client_entry(
    client: Client, provider: Provider, fallback: dict[str, str], prog_id: str
) -> dict[str, Any]:
    """A mail program of ``data/clients.yml``: how it words each setting, its menu and its pages."""
    fix = {
        row.field: f"{row.section} › {row.label}: {row.value}"
        for row in settings_rows(client, provider)
        if row.field != "fixed"
    }
    if (
        client.other_dialog is not None
    ):  # settings the main dialog does not show: where the other one has them
        for row in other_dialog_rows(client, provider):
            if row.field != "fixed":
                fix.setdefault(
                    row.field, f"{client.other_dialog.name} › {row.section} › {row.label}: {row.value}"
                )
    for extra in ("recipient", "sender"):
        fix.setdefault(extra, fallback[extra])
    entry = {
        "id": prog_id,
        "name": client.name,
        "label": client.tab_label,
        "menu": " › ".join(client.menu_path),
        "guide": page_url(f"clients/{client.id}.md") + "#settings",
        "article_fix": page_url(ARTICLE) + f"#fix-{client.id}",
    }
    return {**entry, "fix": fix}


def program_entries(data: DiagnosesData, hc: HelpCentre) -> list[dict[str, Any]]:
    """Every program with how it words each setting: client labels from data/clients.yml (with the
    SmartHost value), libraries from data/diagnoses.yml. A program of data/clients.yml that
    data/diagnoses.yml does not list yet is added from data/clients.yml alone (after the listed
    programs, before the libraries), with the generic way to see the server's full reply."""
    provider = hc.provider("smarthost")
    other = next(p for p in data.programs if p.id == "other")
    fallback = other.settings
    listed = {p.client for p in data.programs if p.client is not None}
    derived = [c for c in hc.data.clients if c.id not in listed]
    out = []
    for prog in data.programs:
        if prog.client is None and derived:  # the first library: the derived programs go before it
            out += [
                {
                    **_client_entry(c, provider, fallback, c.id),
                    "full_reply": other.full_reply,
                    "full_reply_source": other.full_reply_source,
                    "verified": False,
                }
                for c in derived
            ]
            derived = []
        if prog.client is not None:
            entry = _client_entry(hc.client(prog.client), provider, fallback, prog.id)
        else:
            guide = None
            if prog.guide:
                doc, _, anchor = prog.guide.partition("#")
                guide = f"{page_url(doc)}#{anchor}"
            entry = {"id": prog.id, "name": prog.name, "label": prog.name, "menu": None, "guide": guide}
            entry["article_fix"] = None
            entry["fix"] = {k: _fill(v, provider) for k, v in prog.settings.items()}
        entry.update(
            full_reply=prog.full_reply, full_reply_source=prog.full_reply_source, verified=prog.verified
        )
        out.append(entry)
    return out


def export(data: DiagnosesData, hc: HelpCentre, version: str, support: str) -> dict[str, Any]:
    """``/api/diagnoses.json``: the compiled rules (what ``diagnose-core.mjs`` reads) plus what the
    page shows for each cause, server, step and program. URLs are relative to the site root."""
    out = compile_rules(data)
    out["version"] = version
    out["causes"] = [
        {
            "id": c.id,
            "title": c.title,
            "explanation": c.explanation,
            "fix": c.fix,
            "settings": list(c.settings),
            "article": page_url(ARTICLE) + f"#{c.article}" if c.article else None,
            "reference": page_url(DIAGNOSE_PAGE) + f"#cause-{c.id}",
        }
        for c in data.causes
    ]
    out["server_names"] = {s.id: s.name for s in data.servers}
    out["stages"] = {s.id: s.label for s in data.stages}
    out["programs"] = program_entries(data, hc)
    out["support"] = support
    return out


def _code(lines: list[str] | tuple[str, ...]) -> Markup:
    """Reply lines as inline code for a Markdown table cell (escaped; ``|`` cannot end the cell)."""
    return Markup("<br>".join(f"<code>{html.escape(line).replace('|', '&#124;')}</code>" for line in lines))


def simulated_rows(data: DiagnosesData, root: Path) -> tuple[list[dict[str, Any]], set[str]]:
    """One row per simulator personality: its refusal of an outside recipient without sign-in and its
    answer to the DATA that follows, by running its no-auth scenario (the engine replays recordings)."""
    import smtpsim

    try:
        from smtpsim.registry import REGISTRY

        software = {name: (spec.label, spec.long_label) for name, spec in REGISTRY.items()}
    except ImportError:
        from smtpsim.config import SOFTWARE

        software = {name: (name, name) for name in SOFTWARE}
    names = {s.id: s.name for s in data.servers}
    scenarios = sorted((root / "examples" / "scenarios").glob("*.yml"))
    rows = []
    for name, (label, long_label) in software.items():
        candidates = [p for p in scenarios if p.stem == f"{name}-no-auth"] + scenarios
        for path in candidates:
            scenario = smtpsim.load_scenario(str(path))
            if scenario.cause == "no-auth" and scenario.server.software == name:
                break
        else:
            raise ValueError(
                f"personality {name!r} has no scenario with 'cause: no-auth' and server.software {name!r} "
                f"(examples/scenarios/{name}-no-auth.yml): the 'What other mail servers say' table needs one"
            )
        steps = smtpsim.run_scenario(scenario).steps
        refusal = [s for s in steps if s.send and s.send.upper().startswith("RCPT") and (s.code or 0) >= 400]
        data_step = [s for s in steps if s.send and s.send.upper() == "DATA"]
        rows.append(
            {
                "server": names.get(name, label),
                "refusal": _code(refusal[-1].reply) if refusal else "",
                "data": _code(data_step[0].reply) if data_step else "",
                "how": Markup(
                    "the simulator's {}, checked against recordings of the real server (scenario `{}`)"
                ).format(long_label, path.stem),
            }
        )
    return rows, set(software)


def quoted_rows(data: DiagnosesData, simulated: set[str]) -> list[dict[str, Any]]:
    """Rows for servers the simulator cannot run: the data file's quotes, each with its source."""
    names = {s.id: s.name for s in data.servers}
    rows: dict[str, dict[str, Any]] = {}
    for rec in data.recognisers:
        if not rec.other_servers or rec.server in simulated:
            continue
        row = rows.setdefault(
            rec.server, {"server": names[rec.server], "refusal": "", "data": "", "sources": []}
        )
        row[rec.other_servers] = _code(rec.example.split("\n"))
        note = "" if rec.verified else ", no primary source"
        row["sources"].append(
            Markup("[{}]({}){{ .source-link }}{}").format(rec.other_servers, rec.source, note)
        )
    for row in rows.values():
        row["how"] = Markup("not recorded; quoted from ") + Markup(", ").join(row.pop("sources"))
    return list(rows.values())


def register(env: Any) -> None:
    """Validate data/diagnoses.yml at build start and define the diagnose macros."""
    project_dir = Path(env.project_dir)
    hc: HelpCentre = env.variables["helpcentre"]
    try:
        data = load_file(project_dir / DATA_FILE, DATA_FILE, client_ids=set(hc.clients))
    except DiagnosesDataError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    env.variables["diagnoses"] = data
    support = (env.conf["extra"] or {}).get("support_portal", "")

    def rel(target: str) -> str:
        here = posixpath.dirname(env.page.file.src_uri)
        return posixpath.relpath(target, here or ".")

    def root() -> str:
        """Relative URL of the site root from the current page (``../../``)."""
        depth = page_url(env.page.file.src_uri).count("/")
        return "../" * depth or "./"

    def cause_link(cause_id: str) -> str:
        cause = next(c for c in data.causes if c.id == cause_id)
        if cause.article:
            return f"{rel(ARTICLE)}#{cause.article}"
        return f"{rel(DIAGNOSE_PAGE)}#cause-{cause.id}"

    def render(template: str, **kw: Any) -> Markup:
        return Markup(_JINJA.get_template(template).render(**kw))

    def diagnose_entry(idn: str = "diagnose-entry") -> Markup:
        """The small form on the home page and the article: hands the text to /diagnose/, not in the URL."""
        return render(
            "diagnose_entry.html.j2",
            idn=idn,
            action=root() + page_url(DIAGNOSE_PAGE),
            marker=DIAGNOSE_ENTRY.marker,
        )

    def diagnose_widget() -> Markup:
        """The /diagnose/ page's form and answer area; the script reads the data from
        /api/diagnoses.json (written by :func:`write_api`), not from the page."""
        programs = program_entries(data, hc)
        return render(
            "diagnose_widget.html.j2", programs=programs, root=root(), support=support, marker=DIAGNOSE.marker
        )

    def diagnose_causes() -> Markup:
        """Every cause with its explanation and fix (anchors ``#cause-<id>``; the no-JS answer)."""
        causes = [(c, f"{rel(ARTICLE)}#{c.article}" if c.article else None) for c in data.causes]
        return render("diagnose_causes.md.j2", causes=causes)

    def error_text_table() -> Markup:
        """ "Find your error text": every English (or language-neutral) wording the diagnosis knows,
        whose it is, cause, fix link (the other languages' hundreds of program messages would make
        the article several times heavier; the page says they are recognised too)."""
        names = {s.id: s.name for s in data.servers}
        programs = {p["id"]: p["name"] for p in program_entries(data, hc)}
        titles = {c.id: c.title for c in data.causes}
        rows, seen = [], set()
        for rec in sorted(data.recognisers, key=lambda r: [c.id for c in data.causes].index(_top(r))):
            if not rec.causes or rec.symptom or rec.constructed or rec.lang not in (None, "en"):
                continue  # a constructed example is a test phrase, not a text anyone saw
            if rec.example in seen:
                continue
            seen.add(rec.example)
            top = _top(rec)
            who = names.get(rec.server or "", "") or programs.get(rec.program or "", "") or "many servers"
            rows.append(
                {
                    "text": _code(rec.example.split("\n")),
                    "who": who,
                    "cause": titles[top],
                    "link": cause_link(top),
                }
            )
        return render("error_texts.md.j2", rows=rows)

    def other_servers_table() -> Markup:
        """ "What other mail servers say": simulated personalities from the engine, others quoted."""
        simulated, software = simulated_rows(data, project_dir)
        return render("other_servers.md.j2", rows=simulated + quoted_rows(data, software))

    for name, func in {
        "diagnose_entry": diagnose_entry,
        "diagnose_widget": diagnose_widget,
        "diagnose_causes": diagnose_causes,
        "error_text_table": error_text_table,
        "other_servers_table": other_servers_table,
    }.items():
        env.macro(func, name)


def _top(rec: Any) -> str:
    return max(rec.causes, key=lambda c: rec.causes[c]) if rec.causes else "unknown"


def write_api(data: DiagnosesData, hc: HelpCentre, site_dir: Path, extra: dict[str, Any] | None) -> Path:
    """Write ``api/diagnoses.json`` into *site_dir* (the support portal runs the same matcher on it)."""
    payload = export(data, hc, help_version(extra), (extra or {}).get("support_portal", ""))
    out = site_dir / EXPORT_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(rules_json(payload), encoding="utf-8")
    return out


def on_post_build(env: Any) -> None:
    """MkDocs (macros) event: :func:`write_api` with the data validated at build start."""
    write_api(
        env.variables["diagnoses"], env.variables["helpcentre"], Path(env.conf["site_dir"]), env.conf["extra"]
    )
