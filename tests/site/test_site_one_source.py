"""One source, really (issue 18): a scratch copy of the project (its own data/, docs/ and
mkdocs.yml; everything else linked) where staff add an email program the way docs/staff/editing.md
says and change SmartHost's host in data/clients.yml, built once in strict mode. The new program must
appear everywhere a program belongs, and the old host nowhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from support.publish import check_contract, load_contract
from support.settings_tables import expected_table_rows
from support.site_build import ROOT, linked_project, mkdocs_build

OLD_HOST = yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))["providers"][0]["host"]
OLD_DOMAIN = OLD_HOST.split(".", 1)[1]
NEW_HOST = "smtp.acme-mail.test"
ARTICLE = "errors/503-valid-rcpt-command-must-precede-data"

NEW_CLIENT = """
  - id: test-mailer
    name: Test Mailer
    tab_label: Test Mailer
    versions: Test Mailer 1 (a program added by the staff guide in a test)
    menu_path: [Tools, Mail Accounts, Outgoing]
    fields:
      - {section: Outgoing, label: Relay host, value: host}
      - {section: Outgoing, label: Relay port, value: port}
      - {section: Outgoing, label: Encryption, value: security}
      - {section: Outgoing, label: Sign-in, value: auth_method}
      - {section: Outgoing, label: Account, value: username}
      - {section: Outgoing, label: Secret, value: password}
    labels:
      security: {starttls: Upgrade, ssl_tls: Wrapped, none: Plain}
      auth_method: {password: Password, app_password: Password, oauth: Provider sign-in}
    steps:
      - Open **Tools > Mail Accounts > Outgoing**.
    what_you_see:
      - situation: The server refuses the recipient
        summary: Not known for this test program.
        not_found: {searched: nothing (a test program), checked: 2026-12-07}
    source: tests/site/test_site_one_source.py
    checked: 2026-12-07
    verified: false
"""

NEW_LINKS = """
  - {id: fix-test-mailer,    url: "/errors/503-valid-rcpt-command-must-precede-data/#fix-test-mailer"}
  - {id: portal-test-mailer, url: "/errors/503-valid-rcpt-command-must-precede-data/?client=test-mailer"}
  - {id: guide-test-mailer,  url: /clients/test-mailer/}
"""


def scratch_project(where: Path) -> Path:
    """The repository's project with a program added and the host changed, as staff would do it."""
    proj = linked_project(where, copied=("data", "docs", "mkdocs.yml"))
    clients = proj / "data" / "clients.yml"
    text = clients.read_text(encoding="utf-8").replace(f"host: {OLD_HOST}", f"host: {NEW_HOST}", 1)
    clients.write_text(text.rstrip("\n") + "\n" + NEW_CLIENT, encoding="utf-8")
    links = proj / "data" / "portal-links.yml"
    links.write_text(links.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_LINKS, encoding="utf-8")
    guide = (proj / "docs" / "clients" / "thunderbird.md").read_text(encoding="utf-8")
    (proj / "docs" / "clients" / "test-mailer.md").write_text(
        guide.replace("client: thunderbird", "client: test-mailer"), encoding="utf-8"
    )
    config = proj / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      - Thunderbird: clients/thunderbird.md\n",
            "      - Thunderbird: clients/thunderbird.md\n      - Test Mailer: clients/test-mailer.md\n",
            1,
        ),
        encoding="utf-8",
    )
    assert "clients/test-mailer.md" in config.read_text(encoding="utf-8"), "nav entry not added"
    return proj


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    where = tmp_path_factory.mktemp("one-source")
    proj = scratch_project(where / "proj")
    site = where / "site"
    proc = mkdocs_build(site, proj / "mkdocs.yml", quiet=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proj, site


@pytest.mark.slow
def test_an_added_program_is_everywhere_it_belongs(scratch: tuple[Path, Path]) -> None:
    proj, site = scratch
    raw = yaml.safe_load((proj / "data" / "clients.yml").read_text(encoding="utf-8"))
    client = next(c for c in raw["clients"] if c["id"] == "test-mailer")
    guide = (site / "clients" / "test-mailer" / "index.html").read_text(encoding="utf-8")
    for provider in raw["providers"]:
        for label, value in expected_table_rows(client, provider):
            assert label in guide and value.replace("'", "&#39;").replace('"', "&#34;") in guide
    article = (site / ARTICLE / "index.html").read_text(encoding="utf-8")
    assert 'id="fix-test-mailer"' in article or "fix-test-mailer" in article
    export = json.loads((site / "api" / "clients.json").read_text(encoding="utf-8"))
    assert "test-mailer" in [c["id"] for c in export["clients"]]
    assert {s["provider"] for s in export["settings"] if s["client"] == "test-mailer"} == {
        p["id"] for p in raw["providers"]
    }
    diagnoses = json.loads((site / "api" / "diagnoses.json").read_text(encoding="utf-8"))
    program = next(p for p in diagnoses["programs"] if p["id"] == "test-mailer")
    assert program["menu"] == "Tools › Mail Accounts › Outgoing"
    assert program["fix"]["auth_method"] == "Outgoing › Sign-in: Password"
    page = (site / "diagnose" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<option value="test-mailer"[^>]*>', page)
    links = [
        link for link in load_contract(proj / "data" / "portal-links.yml") if "test-mailer" in link["id"]
    ]
    assert len(links) == 3 and check_contract(site, links) == []


@pytest.mark.slow
def test_a_changed_host_leaves_no_trace_of_the_old_one(scratch: tuple[Path, Path]) -> None:
    _proj, site = scratch
    traces = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".json", ".md", ".txt", ".js", ".mjs", ".xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            traces += [
                f"{path.relative_to(site)}: {m.group(0)}"
                for m in re.finditer(rf".{{0,60}}{re.escape(OLD_DOMAIN)}", text)
            ]
    assert not traces, f"{len(traces)} traces of {OLD_DOMAIN}, e.g. " + "\n".join(traces[:15])
    article = (site / ARTICLE / "index.html").read_text(encoding="utf-8")
    assert f"220 {NEW_HOST} ESMTP" in article  # the stepper's server greets with the new host
    assert f"Replace <code>{NEW_HOST.split('.', 1)[1]}</code>" in article  # the placeholder note
    console = json.loads((site / "assets" / "smtp" / "console.json").read_text(encoding="utf-8"))
    assert {s["server"]["hostname"] for s in console["scenarios"]} == {NEW_HOST}
