"""The portal link contract (``data/portal-links.yml``) checked by the strict build (issue 21 #7).

Every URL the support portal uses must resolve on the built site the way a browser would: the page
file exists (a mkdocs-redirects stub counts if its target resolves), a ``#fragment`` is an element
id, ``?client=<id>`` / ``#client=<id>`` names a client tab the way ``docs/assets/js/help.js`` finds
it; ids are unique.  Each mistake fails the build as ``data/portal-links.yml:LINE: links[i].url
(id 'x'): message`` (the project's line-tracking loader).  The publishing tests use the same
resolver (tests/support/publish.py) on every deployed version.
"""

from __future__ import annotations

import importlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from mkdocs.exceptions import PluginError

CONTRACT = "data/portal-links.yml"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
REFRESH = re.compile(r"^\s*\d+\s*;\s*url=(.+)$", re.IGNORECASE)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    ancestors: list[Element]

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


@dataclass
class PageIndex:
    """The facts about one HTML page the contract needs."""

    ids: dict[str, Element] = field(default_factory=dict)
    elements: list[Element] = field(default_factory=list)
    refresh: str | None = None


class _Indexer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.index = PageIndex()
        self.stack: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs}, list(self.stack))
        self.index.elements.append(el)
        for key in ("id", "name") if tag == "a" else ("id",):
            if el.attrs.get(key):
                self.index.ids.setdefault(el.attrs[key], el)
        if tag == "meta" and el.attrs.get("http-equiv", "").lower() == "refresh":
            m = REFRESH.match(el.attrs.get("content", ""))
            if m:
                self.index.refresh = m.group(1).strip().strip("'\"")
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return


def index_html(text: str) -> PageIndex:
    parser = _Indexer()
    parser.feed(text)
    parser.close()
    return parser.index


def _in_tab(el: Element) -> bool:
    """True when *el* is a tab input/label or inside a tab's content (mirrors help.js tabInputFor)."""
    if (
        el.tag == "input"
        and el.attrs.get("type") == "radio"
        and any("tabbed-set" in a.classes for a in el.ancestors)
    ):
        return True
    if el.tag == "label" and el.ancestors and "tabbed-labels" in el.ancestors[-1].classes:
        return True
    return any("tabbed-block" in a.classes for a in [*el.ancestors, el])


def client_tab_found(page: PageIndex, page_url: str, client: str) -> bool:
    """Would portal.js find the tab of *client* on this page? Same lookup order as help.js."""
    for el in page.elements:
        if el.attrs.get("data-client") == client and _in_tab(el):
            return True
    for key in (f"fix-{client}", f"client-{client}", client):
        el = page.ids.get(key)
        if el is not None and el.attrs.get("id") == key and _in_tab(el):
            return True
    for el in page.elements:
        if el.tag == "a" and el.attrs.get("href") and any("tabbed-block" in a.classes for a in el.ancestors):
            path = urlsplit(
                posixpath.normpath(posixpath.join(page_url, urlsplit(el.attrs["href"]).path))
            ).path
            m = re.search(r"/clients/([^/]+)/?(index\.html)?$", path)
            if m and m.group(1) == client:
                return True
    for el in page.elements:  # a program chooser (help.js pickClient), e.g. the diagnosis page's
        if (
            el.tag == "option"
            and el.attrs.get("value") == client
            and any(a.tag == "select" and "data-help-client-picker" in a.attrs for a in el.ancestors)
        ):
            return True
    return False


def _page_file(root: Path, path: str) -> Path | None:
    """The file a static server returns for *path* (directory URLs serve index.html)."""
    rel = unquote(path).lstrip("/")
    target = root / rel
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def resolve(root: Path, url: str, max_hops: int = 5) -> list[str]:
    """Problems with *url* served from *root* (empty list = it resolves). Follows redirect stubs."""
    parts = urlsplit(url)
    path = parts.path or "/"
    hops = []
    for _ in range(max_hops + 1):
        file = _page_file(root, path)
        if file is None:
            return [f"{url}: no page at {path}" + (f" (after redirects {hops})" if hops else "")]
        if file.suffix != ".html":
            if file.suffix == ".json":
                try:
                    json.loads(file.read_text(encoding="utf-8"))
                except ValueError as exc:
                    return [f"{url}: invalid JSON: {exc}"]
            return (
                [f"{url}: a fragment or query on a non-HTML resource"]
                if parts.fragment or parts.query
                else []
            )
        page = index_html(file.read_text(encoding="utf-8"))
        if page.refresh is None:
            break
        base = path if path.endswith("/") else posixpath.dirname(path) + "/"
        path = posixpath.normpath(posixpath.join(base, urlsplit(page.refresh).path)) + "/"
        hops.append(path)
    else:
        return [f"{url}: more than {max_hops} redirects"]
    problems = []
    clients = parse_qs(parts.query).get("client", [])
    fragment = unquote(parts.fragment)
    if fragment.startswith("client="):
        clients.append(fragment[len("client=") :])
    elif fragment.startswith("text="):  # /diagnose/#text=<error>: the page must hold the widget that reads it
        if not any("data-diagnose" in el.attrs for el in page.elements):
            problems.append(f"{url}: no diagnose widget on {path} to read #text=")
    elif fragment and fragment not in page.ids:
        problems.append(f"{url}: no element id {fragment!r} on {path}")
    problems += [
        f"{url}: no tab for client {c!r} on {path}" for c in clients if not client_tab_found(page, path, c)
    ]
    return problems


def contract_problems(project: Path, site: Path) -> list[str]:
    """Every mistake of the contract file, as ``file:line: key (id 'x'): message``."""
    yamlfile = importlib.import_module("macros.yamlfile")  # the macros plugin put the project on the path
    text = (project / CONTRACT).read_text(encoding="utf-8")
    try:
        data = yamlfile.parse_yaml(text, CONTRACT)
    except yamlfile.DataFileError as exc:
        return [str(p) for p in exc.problems]
    links = data.get("links") if isinstance(data, dict) else None
    if not isinstance(links, list):
        return [f"{CONTRACT}: links: expected a list of {{id, url}}"]
    problems: list[Any] = []
    first: dict[str, int] = {}
    for i, link in enumerate(links):
        line = links.lines[i]

        def add(key: str, message: str, line: int = line) -> None:
            problems.append(yamlfile.Problem(CONTRACT, line, key, message))

        if not isinstance(link, dict) or not all(isinstance(link.get(k), str) for k in ("id", "url")):
            add(f"links[{i}]", "expected {id, url} (text)")
            continue
        ident, url = link["id"], link["url"]
        if ident in first:
            add(f"links[{i}].id", f"duplicate id {ident!r} (first on line {first[ident]})")
        first.setdefault(ident, line)
        where = f"links[{i}].url (id {ident!r})"
        if not url.startswith("/"):
            add(where, "must start with / (relative to the root of a version)")
            continue
        for problem in resolve(site, url):
            add(where, problem.removeprefix(f"{url}: "))
    return [str(p) for p in problems]


def on_post_build(config: Any) -> None:
    project = Path(config["config_file_path"]).parent
    if not (project / CONTRACT).is_file():  # a project without a portal (the tests' small sites)
        return
    problems = contract_problems(project, Path(config["site_dir"]))
    if problems:
        raise PluginError("the portal link contract does not hold:\n  " + "\n  ".join(problems))
