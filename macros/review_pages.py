"""Macros over ``macros/facts.py``: the staff list of facts to re-check (``docs/staff/review.md``)
and the "Checked on" line of each client guide; and the build's warning for facts older than
18 months. Only calls into ``facts``; the same list is ``make review``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from . import facts


def customer_date(day: dt.date) -> str:
    """ "28 November 2026": a customer's date, not ISO."""
    return f"{day.day} {day:%B %Y}"


def _cell(text: str) -> str:
    return str(escape(text)).replace("|", "&#124;")


def review_table(all_facts: list[facts.Fact], today: dt.date) -> str:
    """Markdown: one heading per group, a table of its facts to re-check (place, fact, why, source)."""
    due, total = facts.to_review(all_facts, today), len(all_facts)
    since = facts.months_before(today, facts.REVIEW_MONTHS).isoformat()
    out = [f"{len(due)} of {total} facts to re-check on {today}: checked before {since} or unverified.", ""]
    for group, items in facts.grouped(due).items():
        out += [f"### {_cell(group)}", "", "| Where | Fact | Why | Source |", "| --- | --- | --- | --- |"]
        out += [
            f"| `{f.file}:{f.line}` | {_cell(f.what)} | {_cell(facts.why(f, today))} | {_cell(f.source)} |"
            for f in items
        ]
        out.append("")
    return "\n".join(out)


def checked_on(all_facts: list[facts.Fact], client_id: str) -> str:
    """The guide's "Checked on <date>": its oldest fact (the program's and every provider's)."""
    oldest = facts.oldest_check(facts.guide_facts(all_facts, client_id))
    if oldest is None:
        raise ValueError(f"no checked date for client {client_id!r} or the providers (data/clients.yml)")
    when = f'<time datetime="{oldest.isoformat()}">{customer_date(oldest)}</time>'
    return f'<p class="checked-on">Checked on {when}</p>'


def register(env: Any) -> None:
    """Collect the facts once per build, warn for those past 18 months, define the two macros."""
    all_facts = facts.collect(Path(env.project_dir) / "data")
    today = dt.date.today()
    facts.warn_too_old(all_facts, today)
    env.macro(lambda: Markup(review_table(all_facts, today)), "facts_to_review")  # cells escaped
    env.macro(lambda client_id: Markup(checked_on(all_facts, client_id)), "checked_on")
