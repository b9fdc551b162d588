"""Portal link contract (data/portal-links.yml) and redirects (mkdocs-redirects).

Every URL the support portal uses must resolve on the built site: the page exists (directly or
through a redirect stub), its fragment is an element id, its ``?client=`` names a client tab.
A page of the contract that disappears without a redirect must fail the check.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from support.publish import ROOT, check_contract, derived_config, index_html, load_contract, resolve
from support.site_build import build_config

ARTICLE_SRC = "errors/503-valid-rcpt-command-must-precede-data.md"
ARTICLE_URL = "/errors/503-valid-rcpt-command-must-precede-data/"


def test_contract_is_well_formed() -> None:
    links = load_contract()
    ids = [link["id"] for link in links]
    assert len(ids) == len(set(ids)), "duplicate ids in data/portal-links.yml"
    assert all(link["url"].startswith("/") for link in links)
    base = yaml.safe_load((ROOT / "data" / "portal-links.yml").read_text(encoding="utf-8"))["base"]
    assert base.startswith("https://") and base.endswith("/latest/")


def test_contract_covers_every_client() -> None:
    """The portal needs a guide, a fix anchor and a ?client= link for every client in clients.yml."""
    clients = [
        c["id"]
        for c in yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))["clients"]
    ]
    urls = {link["url"] for link in load_contract()}
    for cid in clients:
        assert f"/clients/{cid}/" in urls, cid
        assert f"{ARTICLE_URL}#fix-{cid}" in urls, cid
        assert f"{ARTICLE_URL}?client={cid}" in urls, cid
    assert "/api/clients.json" in urls


def test_every_contract_url_resolves(engine_site: Path) -> None:
    assert check_contract(engine_site) == []


def test_checker_rejects_what_the_portal_would_break_on(built_site: Path) -> None:
    """The checker is not vacuous: unknown pages, anchors and clients are reported."""
    assert resolve(built_site, "/clients/no-such-client/")
    assert resolve(built_site, f"{ARTICLE_URL}#no-such-anchor")
    assert resolve(built_site, f"{ARTICLE_URL}?client=no-such-client")
    assert resolve(built_site, f"{ARTICLE_URL}#client=no-such-client")


def test_short_link_redirects_to_the_article(built_site: Path) -> None:
    stub = index_html((built_site / "503" / "index.html").read_text(encoding="utf-8"))
    assert stub.refresh == "../errors/503-valid-rcpt-command-must-precede-data/"
    assert resolve(built_site, "/503/#fix-thunderbird") == []


@pytest.mark.slow
def test_moved_page_needs_a_redirect(tmp_path: Path) -> None:
    """Move the article: without a redirect the contract fails; with one, every link resolves again."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    moved = "errors/smtp-503-rcpt-before-data.md"
    (docs / ARTICLE_SRC).rename(docs / moved)
    for md in docs.rglob("*.md"):  # fix the site's own links to the moved page (strict build)
        text = md.read_text(encoding="utf-8")
        new = text.replace("503-valid-rcpt-command-must-precede-data.md", "smtp-503-rcpt-before-data.md")
        if new != text:
            md.write_text(new, encoding="utf-8")

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(ARTICLE_SRC, moved)  # nav, if listed
    # the search tuning names pages too (hooks/search_index.py fails the build on a missing one)
    data = {
        "search.yml": (ROOT / "data" / "search.yml").read_text(encoding="utf-8").replace(ARTICLE_SRC, moved)
    }
    without = build_config(derived_config(docs, {"503.md": moved}, config), tmp_path / "without", data)
    assert without.returncode != 0  # the strict build checks the contract (hooks/portal_links.py)
    assert re.search(
        r"data/portal-links\.yml:\d+: links\[0\]\.url \(id 'article'\): no page at /errors/", without.stderr
    )
    problems = check_contract(tmp_path / "without")
    assert any(ARTICLE_URL in p and "no page" in p for p in problems), problems

    with_redirect = build_config(
        derived_config(docs, {"503.md": moved, ARTICLE_SRC: moved}, config), tmp_path / "with", data
    )
    assert with_redirect.returncode == 0, with_redirect.stderr
    assert check_contract(tmp_path / "with") == []


CONTRACT_MISTAKES = {
    # issue 21 #7: each passed the strict build; only the suite found them, without a line
    "bad-anchor": (
        '#quick-fix"}',
        '#quick-fxi"}',
        "links[1].url (id 'article-quick-fix'): no element id 'quick-fxi'",
    ),
    "unknown-client": (
        '?client=thunderbird"}',
        '?client=thunderbrid"}',
        "(id 'portal-thunderbird'): no tab for client 'thunderbrid'",
    ),
    "duplicate-id": ("{id: article-short,", "{id: article,", ".id: duplicate id 'article' (first on line"),
}


@pytest.mark.parametrize("case", sorted(CONTRACT_MISTAKES))
def test_contract_mistakes_fail_the_build_with_file_line_and_key(
    built_site: Path, tmp_path: Path, case: str
) -> None:
    from hooks.portal_links import contract_problems

    old, new, fragment = CONTRACT_MISTAKES[case]
    text = (ROOT / "data" / "portal-links.yml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "portal-links.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if old in ln)
    problems = contract_problems(tmp_path, built_site)
    assert len(problems) == 1 and problems[0].startswith(f"data/portal-links.yml:{line}: "), problems
    assert fragment in problems[0], problems
    assert contract_problems(ROOT, built_site) == []
