"""Strict build of the real site: pages show the YAML values, the JSON export equals the YAML,
the URL/anchor contracts hold, and no page loads anything from another host."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from support.settings_tables import ROOT, expected_table_rows, raw_data, resolved_provider, settings_tables

ARTICLE = "errors/503-valid-rcpt-command-must-precede-data"
ARTICLE_ANCHORS = [
    "top",
    "quick-fix",
    "meaning",
    "pipelining",
    "dialogue",
    "causes",
    "cause-no-auth",
    "cause-bad-credentials",
    "cause-unknown-recipient",
    "cause-verification",
    "cause-blocklist",
    "cause-pop-before-smtp",
    "cause-sender-mismatch",
    "fix",
    "provider-settings",
    "other-servers",
    "rfc",
    "still-stuck",
    "test-the-fix",
    "it-staff",
    "exim-wording",
    "ports",
]
GUIDE_ANCHORS = ["top", "what-you-see", "settings", "steps", "check", "what-happens", "still-failing"]


def mkdocs_config() -> dict[str, Any]:
    class Loader(yaml.SafeLoader):
        pass

    def env_default(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        """``!ENV [VAR, ..., default]`` -> the default (tests read the config as committed)."""
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)[-1]
        return None

    Loader.add_multi_constructor("!", env_default)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def ids_in(page: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_every_client_page_shows_the_yaml_values(engine_site: Path) -> None:
    raw = raw_data()
    for client in raw["clients"]:
        page = engine_site / "clients" / client["id"] / "index.html"
        tables = settings_tables(page)
        for provider in raw["providers"]:
            assert tables[(client["id"], provider["id"])] == expected_table_rows(client, provider), (
                client["id"],
                provider["id"],
            )
        assert len(tables) == len(raw["providers"])


def test_article_fix_tabs_show_smarthost_settings_for_every_client(built_site: Path) -> None:
    raw = raw_data()
    smarthost = raw["providers"][0]
    tables = settings_tables(built_site / ARTICLE / "index.html")
    for client in raw["clients"]:
        assert tables[(client["id"], "smarthost")] == expected_table_rows(client, smarthost)


def _contains(outer: Any, inner: Any, path: str = "") -> None:
    """Every value of *inner* (the YAML) is in *outer* (the export); defaults may add keys."""
    if isinstance(inner, dict):
        assert isinstance(outer, dict), path
        for key, value in inner.items():
            assert key in outer, f"{path}.{key} missing"
            _contains(outer[key], value, f"{path}.{key}")
    elif isinstance(inner, list):
        assert isinstance(outer, list) and len(outer) == len(inner), path
        for i, (a, b) in enumerate(zip(outer, inner, strict=True)):
            _contains(a, b, f"{path}[{i}]")
    else:
        assert outer == inner, f"{path}: export {outer!r} != yaml {inner!r}"


def test_json_export_equals_the_yaml(engine_site: Path) -> None:
    export = json.loads((engine_site / "api" / "clients.json").read_text(encoding="utf-8"))
    raw = raw_data()
    assert isinstance(export["version"], str) and export["version"]
    _contains(export["providers"], [resolved_provider(p) for p in raw["providers"]], "providers")
    _contains(export["clients"], raw["clients"], "clients")
    pairs = {(s["client"], s["provider"]): s for s in export["settings"]}
    assert len(pairs) == len(raw["clients"]) * len(raw["providers"])
    for client in raw["clients"]:
        html_tables = settings_tables(engine_site / "clients" / client["id"] / "index.html")
        for provider in raw["providers"]:
            pair = pairs[(client["id"], provider["id"])]
            rows = [(r["label"], r["value"]) for r in pair["rows"] + pair["other_dialog_rows"]]
            expected = expected_table_rows(client, provider)
            assert rows == expected == html_tables[(client["id"], provider["id"])]


# <link> elements with rel canonical, alternate, prev/next, … are navigation metadata, not fetched.
RESOURCE_PATTERNS = [
    re.compile(
        r"""<(?:script|img|iframe|audio|video|source|track|embed|input)\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)""",
        re.IGNORECASE,
    ),
    re.compile(
        r"""<link\b(?![^>]*?\srel\s*=\s*["']?(?:canonical|alternate|prev|next|author|license|me|search)\b)"""
        r"""[^>]*?\shref\s*=\s*["']?([^"'\s>]+)""",
        re.IGNORECASE,
    ),
    re.compile(r"""<object\b[^>]*?\sdata\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?([^"')]+)""", re.IGNORECASE),
    re.compile(r"""@import\s+(?:url\()?\s*["']([^"']+)""", re.IGNORECASE),
]
SRCSET = re.compile(r"""\ssrcset\s*=\s*["']([^"']+)""", re.IGNORECASE)


def resource_urls(text: str) -> list[str]:
    urls = [m.group(1) for pattern in RESOURCE_PATTERNS for m in pattern.finditer(text)]
    for m in SRCSET.finditer(text):
        urls += [part.strip().split()[0] for part in m.group(1).split(",") if part.strip()]
    return urls


def test_resource_scanner_sees_third_party_resources() -> None:
    sample = (
        '<link rel="canonical" href="https://elsewhere.example/"><link rel="stylesheet" '
        'href="https://fonts.googleapis.com/css"><img srcset="a.png 1x, '
        '//cdn.example/b.png 2x"><style>@import "https://x.example/a.css"; '
        'div{background:url(https://y.example/i.png)}</style><script src="assets/j.js"></script>'
    )
    hosts = {urlsplit(u).netloc for u in resource_urls(sample)}
    assert hosts == {"fonts.googleapis.com", "cdn.example", "x.example", "y.example", ""}


def test_no_page_loads_a_third_party_resource(engine_site: Path) -> None:
    own = urlsplit(mkdocs_config()["site_url"]).netloc
    assert own
    offenders = []
    files = [p for p in engine_site.rglob("*") if p.suffix in (".html", ".css")]
    assert any(p.suffix == ".html" for p in files)
    for path in files:
        for url in resource_urls(path.read_text(encoding="utf-8", errors="replace")):
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob") or (
                not parts.netloc and parts.scheme in ("", "http", "https")
            ):
                continue
            if parts.netloc != own:
                offenders.append(f"{path.relative_to(engine_site)}: {url}")
    assert not offenders, "third-party resources:\n" + "\n".join(offenders)


def test_article_url_and_anchors(engine_site: Path) -> None:
    ids = ids_in(engine_site / ARTICLE / "index.html")
    raw = raw_data()
    missing = [a for a in ARTICLE_ANCHORS + [f"fix-{c['id']}" for c in raw["clients"]] if a not in ids]
    assert not missing


def test_client_guides_urls_and_anchors(engine_site: Path) -> None:
    for client in raw_data()["clients"]:
        ids = ids_in(engine_site / "clients" / client["id"] / "index.html")
        assert set(GUIDE_ANCHORS) <= ids, client["id"]


def test_still_stuck_links_go_to_the_support_portal(built_site: Path) -> None:
    portal = mkdocs_config()["extra"]["support_portal"]
    pages = 0
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(
            r'<a[^>]*class="support-link"[^>]*>|<a[^>]*>[^<]*(?:contact us|SmartHost support)[^<]*</a>',
            text,
            re.IGNORECASE,
        ):
            pages += 1
            href = re.search(r'href="([^"]+)"', m.group(0))
            assert href and href.group(1) == portal, f"{page}: {m.group(0)}"
    assert pages >= 1 + len(raw_data()["clients"])


def test_pages_never_type_a_host_or_setting_value() -> None:
    raw = raw_data()
    values = {p["host"] for p in raw["providers"]} | {"yourdomain.example"}
    values |= {p["username"] for p in raw["providers"]} | {p["password"] for p in raw["providers"]}
    offenders = [
        f"{md.relative_to(ROOT)}: {v}"
        for md in (ROOT / "docs").rglob("*.md")
        for v in values
        if v in md.read_text(encoding="utf-8")
    ]
    assert not offenders


def test_every_client_has_a_guide_in_the_nav_and_no_orphans() -> None:
    ids = [c["id"] for c in raw_data()["clients"]]
    pages = sorted(p.stem for p in (ROOT / "docs" / "clients").glob("*.md") if p.stem != "index")
    assert pages == sorted(ids)
    nav = json.dumps(mkdocs_config()["nav"])
    assert all(f"clients/{cid}.md" in nav for cid in ids)
    for cid in ids:
        meta = (ROOT / "docs" / "clients" / f"{cid}.md").read_text(encoding="utf-8").split("---")[1]
        assert yaml.safe_load(meta) == {**yaml.safe_load(meta), "render_macros": True, "client": cid}


def test_theme_has_no_google_fonts_and_required_features() -> None:
    theme = mkdocs_config()["theme"]
    assert theme["font"] is False
    assert {"content.tabs.link", "content.code.copy"} <= set(theme["features"])
    assert len(theme["palette"]) == 2


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "tips/index.html",
        "settings/index.html",
        "staff/editing/index.html",
        "clients/index.html",
    ],
)
def test_other_pages_exist(engine_site: Path, page: str) -> None:
    assert (engine_site / page).is_file()


def test_client_index_table_lists_every_client(built_site: Path) -> None:
    text = (built_site / "clients" / "index.html").read_text(encoding="utf-8")
    table = text[text.index("<table") : text.index("</table>")]
    rows = re.findall(r"<tr>", table)
    assert len(rows) == 1 + len(raw_data()["clients"])
    for client in raw_data()["clients"]:
        assert f'href="{client["id"]}/"' in table


def test_no_page_tells_the_reader_to_test_by_writing_to_themselves(built_site: Path) -> None:
    """Mail to one's own address is accepted without signing in (examples/scenarios/
    exim-no-auth-test-fix.yml): every "test the fix" instruction names another provider (issue 11)."""
    offenders = []
    checks = 0
    for page in built_site.rglob("*.html"):
        text = " ".join(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")).split())
        if re.search(r"send (a|the) test message to (yourself|your own address)", text, re.IGNORECASE):
            offenders.append(str(page.relative_to(built_site)))
        checks += (
            "address at another provider" in text
            or "at a *different* provider" in text
            or "at a different provider" in text
        )
    assert not offenders
    assert checks >= 2 + len(raw_data()["clients"]), "article, tips and every guide explain the real test"


def _what_you_see_blocks(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(
        r'<div class="what-you-see" data-client="[^"]+" data-source="[^"]+">(.*?)\n</div>', text, re.DOTALL
    )


def test_every_guide_shows_what_you_see_word_for_word(built_site: Path) -> None:
    """Each guide's "What you see" shows every entry: its exact words (line breaks kept, escaped) and
    its source (the program and tool, the public pages, or what was searched)."""
    for client in raw_data()["clients"]:
        blocks = _what_you_see_blocks(built_site / "clients" / client["id"] / "index.html")
        assert len(blocks) == len(client["what_you_see"]), client["id"]
        for block, seen in zip(blocks, client["what_you_see"], strict=True):
            if seen.get("text"):
                words = "<br>\n".join(html.escape(line, quote=True) for line in seen["text"].split("\n"))
                assert words.replace("&#x27;", "&#39;").replace("&quot;", "&#34;") in block, client["id"]
            if "observed" in seen:
                o = seen["observed"]
                assert f"{o['program']} {o['version']} ({o['settings']})" in block
                assert f"<code>{o['tool']}</code>" in block
            elif "reported" in seen:
                assert all(f'href="{html.escape(r["source"])}"' in block for r in seen["reported"])
            else:
                assert "Not found: we searched" in block and seen["not_found"]["checked"] in block


def test_article_tabs_show_what_you_see_and_link_to_the_guide(built_site: Path) -> None:
    text = (built_site / ARTICLE / "index.html").read_text(encoding="utf-8")
    for client in raw_data()["clients"]:
        summary = html.escape(" ".join(client["what_you_see"][0]["summary"].split()))
        assert "What you see: " + summary.replace("&#x27;", "&#39;").replace("&quot;", "&#34;") in text
        assert f'href="../../clients/{client["id"]}/#what-you-see"' in text


def test_search_index_leaves_out_the_steppers_alternatives(built_site: Path) -> None:
    """The stepper's page story is searchable; its 30-odd alternatives (in <template
    data-smtp-variants data-search-exclude>) are not, or each page's index would repeat them."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith(ARTICLE + "/"))
    page = (built_site / ARTICLE / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<div class="smtp-variant" data-smtp-variant data-variant-id="([^"]+)"[^>]*>', page)
    stored = "".join(
        re.findall(r"<template data-smtp-variants data-search-exclude>(.*?)</template>", page, re.DOTALL)
    )
    alternatives = re.findall(r'data-variant-id="([^"]+)"', stored)
    assert len(alternatives) >= 20, alternatives
    assert f"scenario <code>{shown[0]}</code>" in text
    assert not [v for v in alternatives if f"scenario <code>{v}</code>" in text]
