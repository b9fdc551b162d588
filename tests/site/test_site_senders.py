"""Websites, code and devices (data/senders.yml, issue 11): validated like the clients data, one
page per sender in the nav, settings tables equal to the YAML, and the code on each page equal to
what tests/senders runs."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from macros.clients_schema import load_file as load_clients
from macros.senders import render_sample
from macros.senders_schema import SendersDataError, load_file, load_text, schema_text
from support.settings_tables import ROOT, expected_rows, raw_data, settings_tables

SENDERS_YML = ROOT / "data" / "senders.yml"


def raw_senders() -> list[dict]:
    return json.loads(json.dumps(yaml.safe_load(SENDERS_YML.read_text(encoding="utf-8")), default=str))[
        "senders"
    ]


def test_schema_file_is_in_sync() -> None:
    assert (ROOT / "data" / "senders.schema.json").read_text(encoding="utf-8") == schema_text(), (
        "run: python -m macros.senders_schema"
    )


def test_every_sender_has_a_page_in_the_nav_and_no_orphans() -> None:
    ids = [s["id"] for s in raw_senders()]
    pages = sorted(p.stem for p in (ROOT / "docs" / "senders").glob("*.md") if p.stem != "index")
    assert pages == sorted(ids)
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for sid in ids:
        assert f"senders/{sid}.md" in nav
        meta = (ROOT / "docs" / "senders" / f"{sid}.md").read_text(encoding="utf-8").split("---")[1]
        assert yaml.safe_load(meta)["sender"] == sid


def test_sender_pages_show_the_yaml_values(built_site: Path) -> None:
    providers = raw_data()["providers"]
    checked = 0
    for sender in raw_senders():
        tables = settings_tables(built_site / "senders" / sender["id"] / "index.html")
        if not sender.get("fields"):
            assert tables == {}
            continue
        for provider in providers:
            assert tables[(sender["id"], provider["id"])] == expected_rows(sender, provider)
            checked += 1
    assert checked >= 2 * len(providers)  # WordPress and printers


def _code_blocks(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="highlight"><pre>.*?<code>(.*?)</code></pre>', text, re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", b)).strip() for b in blocks]


def test_pages_show_the_code_the_tests_run(built_site: Path) -> None:
    """Every sample block on a page is render_sample() of SmartHost's data, and the printed output
    under it is the `prints` the sample tests check."""
    smarthost = load_clients(ROOT / "data" / "clients.yml").providers[0]
    samples = 0
    for sender in load_file().senders:
        blocks = _code_blocks(built_site / "senders" / sender.id / "index.html")
        expected: list[str] = []
        for s in sender.samples:
            expected.append(render_sample(s, smarthost).strip())
            if s.prints:
                expected += ["\n".join(s.prints.signed_in), "\n".join(s.prints.without_sign_in)]
        assert blocks == expected, sender.id
        samples += len(sender.samples)
    assert samples >= 5


BROKEN = """\
senders:
  - id: wordpress
    name: WordPress
    kind: website
    versions: any
    summary: s
    fields:
      - {section: S, label: Host, value: host}
      - {section: S, label: Port, value: prot}
    steps: [one]
    source: x
    checked: 2026-12-02
"""


def test_a_broken_senders_file_names_file_line_and_key() -> None:
    with pytest.raises(SendersDataError) as err:
        load_text(BROKEN, "data/senders.yml")
    message = str(err.value)
    assert "data/senders.yml:9: senders[0].fields[1].value (id 'wordpress')" in message, message


def test_a_sample_without_its_output_is_refused() -> None:
    text = SENDERS_YML.read_text(encoding="utf-8")
    broken = re.sub(
        r"\n        prints:\n          signed_in: \[\"Sent.\"\]\n          without_sign_in: \[.*?\]\n",
        "\n",
        text,
        count=1,
    )
    assert broken != text
    with pytest.raises(SendersDataError, match=r"samples\[0\]\.prints.*must say what it prints"):
        load_text(broken, "data/senders.yml")


def test_article_program_table_is_the_interop_data(built_site: Path) -> None:
    """The IT-staff table of what programs show is data/client-behaviour.json (tests/interop), not
    typed text: every Exim no-sign-in observation appears with its DATA behaviour."""
    data = json.loads((ROOT / "data" / "client-behaviour.json").read_text(encoding="utf-8"))
    rows = [o for o in data["observations"] if (o["personality"], o["scenario"]) == ("exim", "no-auth-25")]
    page = (built_site / "errors" / "503-valid-rcpt-command-must-precede-data" / "index.html").read_text(
        encoding="utf-8"
    )
    table = page[page.index('id="pipelining"') :]
    table = table[table.index("<table") : table.index("</table>")]
    found = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table, re.DOTALL)
    assert len(found) == len(rows) >= 5
    for (name, sent, shows), o in zip(found, rows, strict=True):
        assert name.startswith(o["client"])
        assert sent.startswith("yes") == o["sent_data_after_refusal"]
        assert [html.unescape(x) for x in re.findall(r"<code>(.*?)</code>", shows)] == o["shows"]
