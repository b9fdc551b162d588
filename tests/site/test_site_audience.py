"""Customers do not see the staff pages (hooks/audience.py) and the search runs through the site's
worker with its tuning (hooks/search_index.py, data/search.yml): checked on the real strict build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import hooks.audience
import hooks.search_index

STAFF = ("staff/", "api/")


def test_staff_pages_are_built_but_not_indexed_or_linked(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith(STAFF)]
    for page in ("staff/editing/index.html", "staff/deploying/index.html", "api/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html, page
    for html_file in built_site.rglob("index.html"):
        html = html_file.read_text(encoding="utf-8")
        nav = html[
            html.find('<nav class="md-nav md-nav--primary"') : html.find(
                "</nav>", html.find("md-nav--primary")
            )
        ]
        assert "For staff" not in html, html_file
        assert not re.search(r'href="[./]*(staff|api)/"', nav), html_file
        assert 'class="md-source"' not in html, f"{html_file}: repository link shown to customers"


def test_every_page_uses_the_site_search_worker(built_site: Path) -> None:
    for html_file in built_site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        if 'id="__config"' in html:
            assert re.search(
                r'"search": "[./]*assets/js/search-worker\.js\?engine=search\.[0-9a-f]+\.min\.js"', html
            )
    assert (built_site / "assets" / "js" / "search-worker.js").is_file()


def test_search_index_carries_the_tuning(built_site: Path) -> None:
    config = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    help_ = config["help"]
    assert help_["diagnose"]["location"] == "diagnose/#diagnose-text"
    pages = {s["page"] for s in help_["synonyms"]}
    assert "senders/printers/" in pages and "senders/wordpress/" in pages
    assert any(w["page"] == "clients/ios-mail/" and w["error"] for w in help_["wordings"])
    assert sum(1 for w in help_["wordings"] if w["error"]) > 50


def test_help_js_follows_the_diagnose_anchor_of_the_data() -> None:
    tuning = hooks.search_index.load_tuning()
    help_js = (Path(hooks.search_index.ROOT) / "docs" / "assets" / "js" / "help.js").read_text(
        encoding="utf-8"
    )
    assert f'const DIAGNOSE_TARGET = "#{tuning["diagnose"]["anchor"]}";' in help_js


def test_bad_tuning_and_audience_fail_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "search.yml"
    bad.write_text(
        "diagnose: {page: d.md, anchor: a, title: t, text: x}\nsynonyms:\n  - {when: wp}\n", encoding="utf-8"
    )
    with pytest.raises(PluginError, match=r"synonyms\[0\]"):
        hooks.search_index.load_tuning(bad)
    monkeypatch.setenv("HELP_AUDIENCE", "everyone")
    with pytest.raises(PluginError, match="HELP_AUDIENCE"):
        hooks.audience.audience()


def test_every_page_the_search_tuning_names_exists_with_its_anchor(built_site: Path) -> None:
    help_ = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"][
        "help"
    ]
    targets = {s["page"] for s in help_["synonyms"]} | {w["page"] for w in help_["wordings"] if w["page"]}
    targets.add(help_["diagnose"]["location"])
    assert any("#maker-" in t for t in targets), "the makers of data/senders.yml lead to their sections"
    for target in sorted(targets):
        page, _, anchor = target.partition("#")
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, target
