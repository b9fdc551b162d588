"""Facts that say when they were checked (issue 20): ``make review`` (``python -m macros.facts``)
lists the facts of data/*.yml checked over 12 months ago or unverified, grouped, with file:line and
source; the staff page shows the same list; each guide shows "Checked on" its oldest fact; the build
warns (does not fail) for a fact older than 18 months."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from macros import facts
from support.settings_tables import ROOT
from support.site_build import mini_project, mkdocs_build
from support.yaml_read import read_yaml

TODAY = dt.date(2026, 12, 7)


def _checked_dates(node: object) -> list[dt.date]:
    """Every ``checked`` date under *node*, read straight from the YAML (independently of facts.py)."""
    if isinstance(node, dict):
        own = [node["checked"]] if "checked" in node else []
        return own + [d for value in node.values() for d in _checked_dates(value)]
    if isinstance(node, list):
        return [d for item in node for d in _checked_dates(item)]
    return []


def _scratch_data(tmp_path: Path, old: str, line_of: str) -> Path:
    """A copy of data/ where the ``checked`` just after the line holding *line_of* is set to *old*."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "clients.yml").read_text(encoding="utf-8")
    start = text.index(line_of)
    changed = re.sub(r"checked: \d{4}-\d\d-\d\d", f"checked: {old}", text[start:], count=1)
    (data / "clients.yml").write_text(text[:start] + changed, encoding="utf-8")
    return data


def test_every_checked_date_of_the_data_is_a_fact_with_a_source() -> None:
    found = facts.collect(ROOT / "data")
    expected = sum(len(_checked_dates(read_yaml(p))) for p in (ROOT / "data").glob("*.yml"))
    assert len(found) == expected > 100
    assert all(f.checked is not None and f.source for f in found)
    lines = {file: (ROOT / file).read_text(encoding="utf-8").splitlines() for file in {f.file for f in found}}
    assert all("checked:" in lines[f.file][f.line - 1] for f in found)
    groups = {f.group.split(":")[0] for f in found}
    assert {"Provider", "Program", "Sender", "Wordings"} <= groups


def test_months_before() -> None:
    assert facts.months_before(dt.date(2026, 12, 7), 12) == dt.date(2025, 12, 7)
    assert facts.months_before(dt.date(2026, 8, 31), 18) == dt.date(2025, 2, 28)
    assert facts.months_before(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)


def test_review_lists_old_and_unverified_facts_by_group(tmp_path: Path) -> None:
    data = _scratch_data(tmp_path, "2025-01-02", "  - id: gmail")
    found = facts.collect(data)
    due = facts.to_review(found, TODAY)
    gmail = [f for f in due if f.group == "Provider: Gmail"]
    assert len(gmail) == 1 and gmail[0].checked == dt.date(2025, 1, 2)
    assert gmail[0].source == "https://support.google.com/accounts/answer/185833"  # the first note's
    assert all(f.verified is False for f in due if f is not gmail[0])  # the rest: unverified ones
    assert {f for f in found if f.verified is False} <= set(due)
    assert facts.too_old(found, TODAY) == gmail  # 23 months
    assert facts.too_old(found, dt.date(2026, 7, 1)) == []  # 18 months less a day


def test_make_review_command(tmp_path: Path) -> None:
    data = _scratch_data(tmp_path, "2024-06-30", "  - id: thunderbird")
    proc = subprocess.run(
        [sys.executable, "-m", "macros.facts", "--data", str(data), "--today", "2026-12-07"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    block = proc.stdout.split("\nProgram: Thunderbird\n")[1].split("\n\n")[0]
    assert "data/clients.yml:" in block and "checked 2024-06-30, over 12 months ago" in block
    assert "source: Thunderbird source strings (comm-central), 2026" in block
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^review:.*\n\t@?\$\(BIN\)/python -m macros\.facts$", makefile, re.MULTILINE)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--data", "/no/such/dir"], "is not a directory"), (["--today", "soon"], "--today")],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "macros.facts", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and message in proc.stderr


@pytest.mark.slow
def test_build_warns_without_failing_for_a_fact_past_18_months(tmp_path: Path) -> None:
    text = (ROOT / "data" / "clients.yml").read_text(encoding="utf-8")
    old = (dt.date.today() - dt.timedelta(days=600)).isoformat()
    start = text.index("  - id: microsoft-365")
    text = text[:start] + re.sub(r"checked: \d{4}-\d\d-\d\d", f"checked: {old}", text[start:], count=1)
    proc = mkdocs_build(tmp_path / "out", mini_project(tmp_path, "# Mini\n", data_text=text) / "mkdocs.yml")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "over 18 months ago" in line]
    assert (
        len(warnings) == 1 and warnings[0].startswith("WARNING") and "Provider: Microsoft 365" in warnings[0]
    )


def test_staff_page_is_out_of_the_nav_and_the_search() -> None:
    page = (ROOT / "docs" / "staff" / "review.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(page.split("---")[1])
    assert meta["search"] == {"exclude": True} and meta["render_macros"] is True
    assert "{{ facts_to_review() }}" in page
    assert "staff/review.md" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_built_review_page_and_checked_on(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith("staff/review/")]
    review = (built_site / "staff" / "review" / "index.html").read_text(encoding="utf-8")
    due = facts.to_review(facts.collect(ROOT / "data"), dt.date.today())
    assert review.count("<tr>") == len(due) + len(facts.grouped(due))  # a header row per group
    data = yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))
    for client in data["clients"]:
        oldest = min(_checked_dates(client) + _checked_dates(data["providers"]))
        page = (built_site / "clients" / client["id"] / "index.html").read_text(encoding="utf-8")
        shown = f'Checked on <time datetime="{oldest.isoformat()}">{oldest.day} {oldest:%B %Y}</time>'
        assert shown in page, client["id"]
