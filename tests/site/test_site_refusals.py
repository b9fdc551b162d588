"""Each sender page whose sample our interop tests run quotes how the real program words the refusal
on every simulated server (issue 18): taken from data/client-behaviour.json, never typed in a page."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from macros.dialogue import software_labels
from macros.senders import refusal_variants

ROOT = Path(__file__).resolve().parents[2]
BEHAVIOUR = json.loads((ROOT / "data" / "client-behaviour.json").read_text(encoding="utf-8"))


def test_every_server_of_the_engine_has_a_variant() -> None:
    rows = refusal_variants(BEHAVIOUR, "smtplib")
    assert [r["server"] for r in rows] == list(software_labels(long=True).values())
    assert refusal_variants(BEHAVIOUR, "no-such-program") == []


@pytest.mark.parametrize(("page", "program"), [("python", "smtplib"), ("nodejs", "nodemailer")])
def test_sender_page_quotes_each_refusal(built_site: Path, page: str, program: str) -> None:
    text = html.unescape((built_site / "senders" / page / "index.html").read_text(encoding="utf-8"))
    rows = refusal_variants(BEHAVIOUR, program)
    assert len(rows) >= 5
    for row in rows:
        assert f"{row['server']}: " in text, row["server"]
        assert " ".join(row["shows"]) in text, (row["server"], row["shows"])
    for md in (ROOT / "docs" / "senders").glob("*.md"):  # quoted from the data, not typed in a page
        assert "SMTPRecipientsRefused: {" not in md.read_text(encoding="utf-8"), md.name
