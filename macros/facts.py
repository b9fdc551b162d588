"""Facts that say when they were checked (issue 20).

Every fact block of ``data/*.yml`` carries ``source`` and ``checked`` (and often ``verified``). This
module finds them all (any mapping with a ``checked`` key, with its file and line), and says which
need an editor: ``checked`` older than 12 months, or ``verified: false``. Plain functions over a data
directory, so they run the same from ``make review`` (``python -m macros.facts``), from the macros
(the staff page ``docs/staff/review.md``, each guide's "Checked on" line) and from any other builder.

The build warns, without failing, for each fact older than 18 months: the warning goes to its own
logger (``helpcentre.facts``), not MkDocs', so ``strict: true`` does not turn it into an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

#: How a top-level list of a data file names its entries in the review.
KINDS = {"providers": "Provider", "clients": "Program", "senders": "Sender", "recognisers": "Wordings"}
REVIEW_MONTHS = 12
WARN_MONTHS = 18
#: libyaml composes the same nodes with the same marks (line numbers) as the pure-Python loader, ~5x faster.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

log = logging.getLogger("helpcentre.facts")


@dataclass(frozen=True)
class Fact:
    """One fact block: where it is, what it says, its source and when it was checked."""

    file: str  # e.g. "data/clients.yml"
    line: int  # 1-based line of its `checked:`
    group: str  # "Provider: Gmail", "Program: Thunderbird", "Wordings: exim", ...
    owner: str  # id of the top-level entry ("gmail", "thunderbird"), "" when none
    what: str  # a short description of the fact
    source: str
    checked: dt.date | None
    verified: bool | None  # None when the block does not say


def months_before(day: dt.date, months: int) -> dt.date:
    """*day* moved back by whole calendar *months* (the 31st becomes the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for dom in range(day.day, 0, -1):
        try:
            return dt.date(year, month, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _scalars(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _checked_line(node: yaml.MappingNode) -> int:
    """The 1-based line of the block's ``checked:`` (where an editor changes the date)."""
    return next(k.start_mark.line for k, _ in node.value if getattr(k, "value", None) == "checked") + 1


def _text(node: yaml.Node | None) -> str:
    return " ".join(str(node.value).split()) if isinstance(node, yaml.ScalarNode) else ""


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _what(keys: dict[str, yaml.Node], path: list[str]) -> str:
    for key in ("text", "example", "searched", "summary", "situation"):
        if key in keys:
            return _short(_text(keys[key]))
    if path and path[-1] == "entry":
        return "settings, menu path and steps"
    return " > ".join(path) or "entry"


def _walk(node: yaml.Node, path: list[str], entry: dict[str, yaml.Node] | None) -> Iterator[tuple]:
    if isinstance(node, yaml.MappingNode):
        keys = _scalars(node)
        here = entry if entry is not None else keys
        if "checked" in keys:
            yield node, keys, path or ["entry"], here
        for key, value in keys.items():
            yield from _walk(value, [*path, key], here)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, path, entry)


def facts_of_file(path: Path, root: Path) -> list[Fact]:
    """Every fact block of one YAML file (a mapping with ``checked``), in file order."""
    document = yaml.compose(path.read_text(encoding="utf-8"), Loader=_COMPOSER)
    if not isinstance(document, yaml.MappingNode):
        return []
    out = []
    for top, value in _scalars(document).items():
        if not isinstance(value, yaml.SequenceNode):
            continue
        kind = KINDS.get(top, top.capitalize())
        for item in value.value:
            for node, keys, key_path, entry in _walk(item, [], None):
                owner = _text(entry.get("id"))
                label = (
                    _text(entry.get("server")) if top == "recognisers" else _text(entry.get("name")) or owner
                )
                checked = _text(keys.get("checked"))
                verified = _text(keys.get("verified")).lower()
                out.append(
                    Fact(
                        file=path.relative_to(root).as_posix(),
                        line=_checked_line(node),
                        group=f"{kind}: {label}",
                        owner=owner,
                        what=(f"{owner}: " if top == "recognisers" else "") + _what(keys, key_path),
                        source=_text(keys.get("source")) or "(no source)",
                        checked=dt.date.fromisoformat(checked) if checked else None,
                        verified={"true": True, "false": False}.get(verified),
                    )
                )
    return out


def collect(data_dir: Path) -> list[Fact]:
    """The facts of every ``*.yml`` in *data_dir* (file names sorted)."""
    root = data_dir.parent
    return [fact for path in sorted(data_dir.glob("*.yml")) for fact in facts_of_file(path, root)]


def to_review(facts: Iterable[Fact], today: dt.date, months: int = REVIEW_MONTHS) -> list[Fact]:
    """Facts an editor should re-check: unverified, undated, or checked more than *months* ago."""
    limit = months_before(today, months)
    return [f for f in facts if f.verified is False or f.checked is None or f.checked < limit]


def too_old(facts: Iterable[Fact], today: dt.date, months: int = WARN_MONTHS) -> list[Fact]:
    limit = months_before(today, months)
    return [f for f in facts if f.checked is not None and f.checked < limit]


def grouped(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for fact in facts:
        out.setdefault(fact.group, []).append(fact)
    return out


def why(fact: Fact, today: dt.date) -> str:
    if fact.checked is None:
        return "no checked date"
    reasons = []
    if fact.checked < months_before(today, REVIEW_MONTHS):
        reasons.append(f"checked {fact.checked.isoformat()}, over {REVIEW_MONTHS} months ago")
    if fact.verified is False:
        reasons.append("unverified")
    return "; ".join(reasons)


def oldest_check(facts: Iterable[Fact]) -> dt.date | None:
    dates = [f.checked for f in facts if f.checked is not None]
    return min(dates) if dates else None


def guide_facts(facts: Iterable[Fact], client_id: str) -> list[Fact]:
    """What a client guide shows: its program's facts and every provider's (the settings tabs)."""
    return [
        f
        for f in facts
        if f.file.endswith("clients.yml") and (f.group.startswith("Provider: ") or f.owner == client_id)
    ]


def warn_too_old(facts: Iterable[Fact], today: dt.date) -> list[Fact]:
    """Log a warning per fact older than 18 months (never an error, even in a strict build)."""
    old = too_old(facts, today)
    if old and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    for fact in old:
        log.warning(
            "fact checked %s, over %d months ago: %s:%d %s (%s); re-check it (make review)",
            fact.checked, WARN_MONTHS, fact.file, fact.line, fact.group, fact.what,
        )  # fmt: skip
    return old


def report(facts: list[Fact], today: dt.date) -> str:
    """The ``make review`` text: one block per group, each fact with its place, reason and source."""
    due = to_review(facts, today)
    since = months_before(today, REVIEW_MONTHS).isoformat()
    lines = [f"{len(due)} of {len(facts)} facts to re-check (checked before {since} or unverified), {today}:"]
    for group, items in grouped(due).items():
        lines += ["", group]
        for f in items:
            lines += [f"  {f.file}:{f.line}  {f.what}", f"      {why(f, today)}; source: {f.source}"]
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, not the usage block
        print(f"facts: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m macros.facts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data directory (default: data)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="YYYY-MM-DD")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"facts: {args.data} is not a directory", file=sys.stderr)
        return 2
    try:
        facts = collect(args.data.resolve())
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as error:
        print(f"facts: cannot read {args.data}: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    try:
        print(report(facts, args.today), flush=True)
    except BrokenPipeError:  # `make review | head`: the reader stopped reading, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
