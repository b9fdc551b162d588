"""The diagnosis on the built site: /api/diagnoses.json carries exactly the engine's rules, the
/diagnose/ page embeds the same data, the article's "Find your error text" table lists every wording,
and "What other mail servers say" is generated (simulated servers from the engine, the others quoted
from the data file with their source and "not recorded")."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

import smtpsim
from support.settings_tables import ROOT

ARTICLE = "errors/503-valid-rcpt-command-must-precede-data"
RULE_KEYS = ("format", "flags", "servers", "recognisers")


@pytest.fixture(scope="module")
def api(built_site: Path) -> dict:
    return json.loads((built_site / "api" / "diagnoses.json").read_text(encoding="utf-8"))


def article_html(site: Path) -> str:
    return (site / ARTICLE / "index.html").read_text(encoding="utf-8")


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    end = page.find("<h3", start + 10)
    return page[start:end]


def test_api_holds_the_engines_rules(api: dict) -> None:
    """One knowledge source: the browser's data and the command line's package data are the same rules."""
    engine = json.loads((ROOT / "diagnose" / "smtpdiagnose" / "diagnoses.json").read_text(encoding="utf-8"))
    for key in RULE_KEYS:
        assert api[key] == engine[key], key
    assert [(c["id"], c["title"]) for c in api["causes"]] == [(c["id"], c["title"]) for c in engine["causes"]]
    assert set(api["server_names"]) == set(engine["servers"])
    assert all(c["reference"].startswith("diagnose/#cause-") for c in api["causes"])
    programs = {p["id"]: p for p in api["programs"]}
    assert programs["thunderbird"]["fix"]["auth_method"].endswith("Authentication method: Normal password")
    assert programs["phpmailer"]["fix"]["auth_required"] == "$mail->SMTPAuth = true;"


def test_every_program_link_leads_to_a_page_with_its_settings(built_site: Path, api: dict) -> None:
    for program in api["programs"]:
        for key in ("guide", "article_fix"):
            if program[key]:
                path, _, anchor = program[key].partition("#")
                page = (built_site / path / "index.html").read_text(encoding="utf-8")
                assert f'id="{anchor}"' in page, (program["id"], key, program[key])
    assert {p["id"] for p in api["programs"] if p["guide"]} >= {"thunderbird", "phpmailer", "nodemailer"}


def test_diagnose_page_reads_the_api_data_and_embeds_no_json_block(built_site: Path, api: dict) -> None:
    """The page names /api/diagnoses.json (relative to itself) instead of embedding the data: Material's
    instant navigation runs a new page's inline scripts with their type dropped, so an inline JSON
    block would run as script and be lost (tests/browser/test_diagnose_handover.py follows such a link)."""
    page = (built_site / "diagnose" / "index.html").read_text(encoding="utf-8")
    url = re.search(r'data-diagnose-data="([^"]+)"', page)
    assert url, "the widget does not say where its data is"
    named = (built_site / "diagnose" / url.group(1)).resolve()
    assert named == (built_site / "api" / "diagnoses.json").resolve()
    assert api["recognisers"] and api["causes"] and api["programs"]
    # Material's own configuration block (outside the content, never re-created) is the only one
    assert re.findall(r"<script[^>]*application/json[^>]*>", page) == [
        '<script id="__config" type="application/json">'
    ]
    assert 'for="diagnose-text">Paste the error message</label>' in page
    for cause in api["causes"]:
        assert f'id="cause-{cause["id"]}"' in page, cause["id"]


def test_find_your_error_text_lists_every_wording(built_site: Path) -> None:
    data = yaml.safe_load((ROOT / "data" / "diagnoses.yml").read_text(encoding="utf-8"))
    table = (built_site / "error-texts" / "index.html").read_text(encoding="utf-8")
    missing = [
        r["id"]
        for r in data["recognisers"]
        if r.get("causes")
        and not r.get("symptom")
        and not all(html.escape(x).replace("|", "&#124;") in table for x in r["example"].split("\n"))
    ]
    assert missing == []
    assert re.search(r'href="[^"]*#cause-no-auth"', table) and "../diagnose/#cause-tls-required" in table
    # the article links to the list instead of carrying it (issue 10's weight budget for the article)
    assert 'href="../../error-texts/"' in section(article_html(built_site), "error-texts")


def test_other_servers_table_is_generated(built_site: Path) -> None:
    table = section(article_html(built_site), "other-servers")
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)[1:]
    by_server = {
        re.sub(r"<.*?>", "", re.search(r"<td>(.*?)</td>", r, re.DOTALL).group(1)).strip(): r for r in rows
    }
    for software, name in (("exim", "Exim"), ("postfix", "Postfix")):
        steps = smtpsim.run_scenario(
            smtpsim.load_scenario(str(ROOT / "examples" / "scenarios" / f"{software}-no-auth.yml"))
        ).steps
        data_reply = next(s for s in steps if s.send == "DATA").reply
        row = by_server[name]
        for line in data_reply:
            assert f"<code>{html.escape(line, quote=False)}</code>" in row.replace("&#x27;", "'"), (
                name,
                line,
            )
        assert "checked against recordings of the real server" in row
    for name in ("Gmail (Google)", "qmail", "Microsoft Exchange Server", "Microsoft 365 (Exchange Online)"):
        row = by_server[name]
        assert "not recorded" in row and 'class="source-link" href="https://' in row, name


def test_no_reply_text_is_typed_in_the_other_servers_markdown() -> None:
    source = (ROOT / "docs" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    part = source[source.index("{#other-servers}") : source.index("{#error-texts}")]
    typed = re.findall(r"`[245]\d\d[ -][^`]*`", part)
    assert typed == [], f"reply texts typed in Markdown: {typed}"
    assert "{{ other_servers_table() | indent(4) }}" in part
