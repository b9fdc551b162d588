"""MkDocs hook: Material's search, tuned for what readers paste (issue 18).

* ``on_post_page`` / ``on_post_template``: every page's (and the 404 page's) ``__config`` names
  ``assets/js/search-worker.js?engine=<Material's worker file>`` as the search worker (Material's
  documented way to bring one's own worker): that file wraps Material's lunr worker, cleans the
  query and re-ranks the result.
* ``on_page_markdown``: section boosts from front matter, next to Material's page boost::

      search:
        boost: 2            # Material: every entry of the page
        sections:           # this hook: the entry of the section with that heading id
          quick-fix: 3

* ``on_post_build``: the search index gets those section boosts and ``config.help``: the synonyms of
  ``data/search.yml``, the error wordings of the diagnosis (``api/diagnoses.json``, written from
  ``data/diagnoses.yml``) with the page each points to, and the "Diagnose this error" entry. Material
  passes the index's ``config`` to its worker unchanged, so the wrapper receives them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "search.yml"
WORKER = "assets/js/search-worker.js"
INDEX = Path("search") / "search_index.json"
DIAGNOSES = Path("api") / "diagnoses.json"
#: Material's worker in the ``__config`` JSON of every page (9.x: ``"search": "<rel>/assets/...``).
_CONFIG_WORKER = re.compile(
    r'("search": ")([^"]*?)assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)(")'
)
#: How far a pasted wording moves its page up (data/search.yml synonyms default to 10).
PROGRAM_BOOST = 20
CAUSE_BOOST = 5
SYNONYM_BOOST = 10

_section_boosts: dict[str, dict[str, float]] = {}
_pages: dict[str, str] = {}
_sender_pages: dict[str, str] = {}


def _words(phrase: str) -> list[str]:
    """A synonym phrase as the worker's cleaned words (lowercase, split on anything but letters,
    digits and ``_``, dots kept between digits)."""
    protected = re.sub(r"(\d)\.(?=\d)", "\\1\0", phrase.lower())
    return [w.replace("\0", ".") for w in re.split(r"[^\w\0]+", protected) if w]


def load_tuning(path: Path = DATA) -> dict[str, Any]:
    """``data/search.yml``, checked (a bad entry fails the build with the file and entry)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise PluginError(f"{path.name}: {error}") from error
    diagnose = data.get("diagnose")
    if not isinstance(diagnose, dict) or not {"page", "anchor", "title", "text"} <= set(diagnose):
        raise PluginError(f"{path.name}: diagnose needs page, anchor, title and text")
    synonyms = data.get("synonyms")
    if not isinstance(synonyms, list):
        raise PluginError(f"{path.name}: synonyms must be a list")
    for i, syn in enumerate(synonyms):
        ok = (
            isinstance(syn, dict)
            and set(syn) <= {"when", "add", "page", "boost"}
            and isinstance(syn.get("when"), list)
            and all(isinstance(w, str) and _words(w) for w in syn["when"])
            and isinstance(syn.get("add"), list)
            and isinstance(syn.get("page"), str)
            and isinstance(syn.get("boost", SYNONYM_BOOST), int | float)
        )
        if not ok:
            raise PluginError(
                f"{path.name}: synonyms[{i}]: needs when (list of words), add (list), page (.md)"
            )
    return data


def on_config(config: Any) -> Any:
    _section_boosts.clear()
    _pages.clear()
    _sender_pages.clear()
    config.extra["help_search"] = load_tuning(Path(config.config_file_path).parent / "data" / "search.yml")
    return config


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    _pages[page.file.src_uri] = page.url
    if isinstance(page.meta.get("sender"), str):
        _sender_pages[page.meta["sender"]] = page.url
    search = page.meta.get("search")
    sections = search.get("sections") if isinstance(search, dict) else None
    if sections is not None:
        if not isinstance(sections, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) for k, v in sections.items()
        ):
            raise PluginError(
                f"docs/{page.file.src_uri}: search.sections: heading id -> number, e.g. quick-fix: 3"
            )
        _section_boosts[page.url] = {str(k): float(v) for k, v in sections.items()}
    return markdown


def use_site_worker(output: str, where: str) -> str:
    """*output* with the site's search worker in its ``__config`` (fails when Material's is not found)."""
    out, n = _CONFIG_WORKER.subn(rf"\g<1>\g<2>{WORKER}?engine=\g<3>\g<4>", output, count=1)
    if n != 1 and 'id="__config"' in output:
        raise PluginError(
            f"{where}: Material's search worker not found in __config "
            "(hooks/search_index.py expects Material 9's layout)"
        )
    return out


def on_post_page(output: str, page: Page, config: Any) -> str:
    return use_site_worker(output, f"docs/{page.file.src_uri}")


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Theme pages built without a Markdown page (Material's 404.html)."""
    return use_site_worker(output_content, template_name)


def _page_url(ref: str, where: str) -> str:
    """The site URL (``clients/x/`` or ``clients/x/#anchor``) of a docs page reference ``x.md#anchor``."""
    path, _, anchor = ref.partition("#")
    if path not in _pages:
        raise PluginError(f"{where}: no page docs/{path}")
    return _pages[path] + (f"#{anchor}" if anchor else "")


def wordings(diagnoses: dict[str, Any], clients: dict[str, Any]) -> list[dict[str, Any]]:
    """The wordings a query is read against: each recogniser of the diagnosis (its expression, the
    page it points to: its program's page, else the article's section on its main cause; ``error``:
    the wording says something was refused, not only which program or server wrote it), then the
    title of each error window a mail program shows (``what_you_see`` of data/clients.yml) with
    that program's guide."""
    guides = {p["id"]: p.get("guide") for p in diagnoses["programs"]}
    articles = {c["id"]: c.get("article") for c in diagnoses["causes"]}
    out = []
    for rec in diagnoses["recognisers"]:
        page, boost = None, 1
        if rec.get("program") and guides.get(rec["program"]):
            page, boost = guides[rec["program"]], PROGRAM_BOOST
        elif rec.get("causes"):
            top = max(rec["causes"], key=lambda c: c[1])[0]
            if articles.get(top):
                page, boost = articles[top], CAUSE_BOOST
        error = bool(rec.get("causes") or rec.get("symptom"))
        out.append({"re": rec["re"], "page": page, "boost": boost, "error": error})
    titles: set[tuple[str, str]] = set()
    for client in clients.get("clients", []):
        for seen in client.get("what_you_see") or []:
            title = str(seen.get("title") or "").replace("\u2026", "").strip(" :.")
            if title and (client["id"], title) not in titles:
                titles.add((client["id"], title))
                words = r"\s+".join(re.escape(w) for w in title.lower().split())
                page = _page_url(
                    f"clients/{client['id']}.md", f"data/clients.yml {client['id']} what_you_see"
                )
                out.append(
                    {"re": rf"(^|\W){words}($|\W)", "page": page, "boost": PROGRAM_BOOST, "error": True}
                )
    return out


def maker_synonyms(senders: dict[str, Any]) -> list[dict[str, Any]]:
    """Each device maker of data/senders.yml (``makers``) leads to its section of its sender's page
    (``#maker-<id>``, macros/templates/sender_makers.md.j2): "Konica Minolta", "Konica" or "Minolta"."""
    out = []
    for sender in senders.get("senders", []):
        page = _sender_pages.get(sender["id"])
        for maker in sender.get("makers") or []:
            if page is None:
                raise PluginError(
                    f"data/senders.yml: {sender['id']} has makers but no page (front matter sender:)"
                )
            words = _words(maker["name"])
            when = [words, *([[w] for w in words] if len(words) > 1 else [])]
            out.append(
                {"when": when, "add": words, "page": f"{page}#maker-{maker['id']}", "boost": SYNONYM_BOOST}
            )
    return out


def help_config(
    tuning: dict[str, Any], diagnoses: dict[str, Any], clients: dict[str, Any], senders: dict[str, Any]
) -> dict[str, Any]:
    """The ``config.help`` the search worker reads."""
    d = tuning["diagnose"]
    return {
        "diagnose": {
            "location": _page_url(f"{d['page']}#{d['anchor']}", "data/search.yml diagnose"),
            "title": d["title"],
            "text": d["text"],
        },
        "synonyms": [
            {
                "when": [_words(w) for w in syn["when"]],
                "add": [w for a in syn["add"] for w in _words(a)],
                "page": _page_url(syn["page"], f"data/search.yml synonyms[{i}]"),
                "boost": syn.get("boost", SYNONYM_BOOST),
            }
            for i, syn in enumerate(tuning["synonyms"])
        ]
        + maker_synonyms(senders),
        "wordings": wordings(diagnoses, clients),
    }


def on_post_build(config: Any) -> None:
    site = Path(config.site_dir)
    index_path = site / INDEX
    if not index_path.is_file():
        return  # search disabled
    if not (site / DIAGNOSES).is_file():
        raise PluginError(f"hooks/search_index.py: {DIAGNOSES} was not written before the search index")
    index = json.loads(index_path.read_text(encoding="utf-8"))
    diagnoses = json.loads((site / DIAGNOSES).read_text(encoding="utf-8"))
    for entry in index["docs"]:
        page, _, anchor = entry["location"].partition("#")
        boost = _section_boosts.get(page, {}).get(anchor) if anchor else None
        if boost is not None:
            entry["boost"] = entry.get("boost", 1) * boost
    data = Path(config.config_file_path).parent / "data"
    clients = yaml.safe_load((data / "clients.yml").read_text(encoding="utf-8"))
    senders = yaml.safe_load((data / "senders.yml").read_text(encoding="utf-8"))
    index["config"]["help"] = help_config(config.extra["help_search"], diagnoses, clients, senders)
    index_path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
