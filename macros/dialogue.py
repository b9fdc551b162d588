"""Static SMTP transcript macro ``smtp_dialogue`` (the browser stepper will build on it).

The transcript is produced by running a scenario from ``examples/scenarios/<id>.yml`` through the
``smtpsim`` engine, so the page always shows what the simulated server really answers (RFC 5321 §4.2
reply lines, multi-line replies as ``code-text`` … ``code text``).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

_SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _smtpsim() -> Any:
    """Import the engine or fail with an explanation (it lives in examples/smtpsim)."""
    try:
        import smtpsim  # noqa: PLC0415 - optional until the engine exists
    except ImportError as exc:  # pragma: no cover - depends on the working tree
        raise RuntimeError("smtp_dialogue needs the smtpsim engine (examples/smtpsim); it is not importable: "
                           f"{exc}. Run `make setup` or wait for the engine to land.") from exc
    return smtpsim


def render_dialogue(project_dir: Path, scenario_id: str, **variant_options: Any) -> Markup:
    """Run scenario *scenario_id* and return an HTML-escaped transcript (client lines and server replies)."""
    if not _SCENARIO_ID.match(scenario_id):
        raise ValueError(f"smtp_dialogue: invalid scenario id {scenario_id!r} (expected e.g. 'exim-no-auth')")
    path = project_dir / "examples" / "scenarios" / f"{scenario_id}.yml"
    if not path.is_file():
        known = sorted(p.stem for p in path.parent.glob("*.yml"))
        raise ValueError(f"smtp_dialogue: no scenario {scenario_id!r} ({path}); known: {', '.join(known) or 'none'}")
    if variant_options:
        raise ValueError(f"smtp_dialogue: variant options {sorted(variant_options)} need the interactive stepper")
    sim = _smtpsim()
    result = sim.run_scenario(sim.load_scenario(str(path)))
    lines: list[str] = []
    for step in result.steps:
        if step.send is not None:
            for line in str(step.send).splitlines() or [""]:
                lines.append(f'<span class="smtp-c">C: {escape(line)}</span>')
        for line in step.reply:
            lines.append(f'<span class="smtp-s">S: {escape(line)}</span>')
    body = "\n".join(lines)
    return Markup(f'<div class="smtp-dialogue" data-scenario="{escape(scenario_id)}">'
                  f'<pre><code>{body}</code></pre></div>')


def register(env: Any) -> None:
    """Define the ``smtp_dialogue(scenario_id, **variant_options)`` macro."""
    project_dir = Path(env.project_dir)

    @env.macro
    def smtp_dialogue(scenario_id: str, **variant_options: Any) -> Markup:
        """Static transcript of *scenario_id* (see module docstring)."""
        return render_dialogue(project_dir, scenario_id, **variant_options)
