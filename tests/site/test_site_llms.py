"""Pages AI assistants read right (issue 20): ``/llms.txt`` lists every page and the two JSON APIs,
every page has a Markdown copy with the macros expanded (settings tables as Markdown tables, tabs as
headed sections, dialogues as transcripts), linked from the page with
``<link rel="alternate" type="text/markdown">``. Checked on the output of both engines."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from support.settings_tables import ROOT, expected_rows, raw_data

ARTICLE = "errors/503-valid-rcpt-command-must-precede-data"
#: What must never reach a reader: Jinja that was not rendered.
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{##|##\}")
#: The page's link to its Markdown copy (rel is a token list: " alternate" holds the token).
MARKDOWN_LINK = re.compile(r'<link rel="\s*alternate\s*" type="text/markdown" href="([^"]+)">')
#: Markup the conversion should have turned into Markdown or left out (outside code).
HTML_TAG = re.compile(r"</?(?:div|span|p|section|input|label|button|template|script|table|td|li)\b[^>]*>")


def _pages(site: Path) -> list[Path]:
    """Every page built from a Markdown source (redirect stubs and 404.html are not pages)."""
    sources = [p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*.md")]
    pages = []
    for src in sources:
        stem = src.with_suffix("")
        out = site / (src.parent if src.name == "index.md" else stem) / "index.html"
        pages.append(out)
    return pages


def _sections(markdown: str, level: str = "### ") -> dict[str, str]:
    parts = re.split(rf"^{re.escape(level)}(.+)$", markdown, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _rows(markdown: str) -> set[tuple[str, str]]:
    rows = set()
    for line in markdown.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3:
            rows.add((cells[1], cells[2]))
    return rows


def test_llms_txt_lists_every_page_and_the_apis(engine_site: Path) -> None:
    text = (engine_site / "llms.txt").read_text(encoding="utf-8")
    print(f"\nllms.txt: {len(text.encode())} bytes, {text.count(chr(10))} lines")
    links = re.findall(r"^- \[[^\]]+\]\(([^)]+)\)", text, flags=re.MULTILINE)
    paths = {urlsplit(urljoin("https://help.smarthost.example/", link)).path for link in links}
    for page in _pages(engine_site):
        rel = page.parent.relative_to(engine_site).as_posix()
        assert ("/" if rel == "." else f"/{rel}/") + "index.md" in paths, rel
    assert {"/api/clients.json", "/api/diagnoses.json"} <= paths
    for path in paths:  # every line points at a file of the site
        assert (engine_site / path.lstrip("/")).is_file(), path


def test_every_page_links_its_markdown_copy(engine_site: Path) -> None:
    for page in _pages(engine_site):
        html = page.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        links = MARKDOWN_LINK.findall(head)
        assert len(links) == 1, page
        # not Material's exact [rel=alternate] (a language version: it would fetch sitemap.xml beside it)
        assert '<link rel="alternate" type="text/markdown"' not in head
        target = (page.parent / links[0]).resolve()
        assert target == page.with_name("index.md").resolve()
        markdown = target.read_text(encoding="utf-8")
        assert markdown.startswith("# "), target
        prose = re.sub(
            r"```.*?```|`[^`\n]*`", "", markdown, flags=re.DOTALL
        )  # staff pages quote macros in code
        assert not TEMPLATE_SYNTAX.search(prose), target
        assert not HTML_TAG.search(prose), target


def test_guide_copies_hold_every_setting_of_the_yaml(engine_site: Path) -> None:
    data = raw_data()
    for client in data["clients"]:
        markdown = (engine_site / "clients" / client["id"] / "index.md").read_text(encoding="utf-8")
        sections = _sections(markdown)
        for provider in data["providers"]:
            section = sections[provider["name"]]  # a tab became a heading
            rows = _rows(section)
            for label, value in expected_rows(client, provider):
                assert (label, value) in rows, (client["id"], provider["id"], label, value)
            for port in provider["ports"]:
                assert f"`{port['port']}`" in section, (client["id"], provider["id"], port)


def test_article_copy_has_tab_sections_and_a_transcript(engine_site: Path) -> None:
    markdown = (engine_site / ARTICLE / "index.md").read_text(encoding="utf-8")
    data = raw_data()
    for client in data["clients"]:
        assert f"\n### {client.get('tab_label', client['name'])}\n" in markdown, client["id"]
    transcripts = re.findall(r"```text\n(.*?)```", markdown, flags=re.DOTALL)
    assert transcripts
    assert any(
        re.search(r"^Server: 503[ -].*\n", t, flags=re.MULTILINE)
        and re.search(r"^# .+", t, flags=re.MULTILINE)
        for t in transcripts
    )
