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


def test_the_programs_outcomes_are_the_engines() -> None:
    from typing import get_args

    from macros.senders_schema import Outcome
    from smtpsim.drivers.tryout import OUTCOMES

    assert get_args(Outcome) == OUTCOMES


@pytest.mark.parametrize("page", ["php", "dotnet", "nodejs", "wordpress", "python"])
def test_sender_page_says_what_you_may_see(built_site: Path, page: str) -> None:
    """The list is worded from data/senders.yml's programs and the simulated dialogue; the pages
    without a runnable sample get the form, prefilled from data/clients.yml."""
    from macros.clients_schema import load_file as load_clients
    from macros.senders_schema import load_file

    sender = next(s for s in load_file().senders if s.id == page)
    provider = load_clients(ROOT / "data" / "clients.yml").providers[0]
    text = html.unescape((built_site / "senders" / page / "index.html").read_text(encoding="utf-8"))
    assert 'id="what-you-may-see"' in text
    wrong = next(m for p in sender.programs for m in p.messages if m.outcome == "auth_failed")
    assert wrong.text.split("{")[0] in text
    assert ('id="try"' in text) == (page != "python")
    if page != "python":
        assert f'"host": "{provider.host}"' in text and f'"port": {provider.recommended.port}' in text
    for value, words in (sender.labels.security or {}).items():  # the form says it in the sender's words
        assert f'<option value="{value.value}"' in text and f">{words}</option>" in text
