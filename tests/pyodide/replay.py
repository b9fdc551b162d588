"""Run every scenario through smtpsim and print one JSON document; executed unchanged by CPython and
by Pyodide (tests/pyodide/replay.mjs) so the two outputs can be compared byte for byte.

Input: the global ``SCENARIOS_JSON``: ``{"scenarios": {id: scenario mapping}, "console": [console.json
scenario entries]}`` (the entries ``hooks/pyodide_assets.py`` writes for the browser). Output: ``RESULT``.
"""

import json

import smtpsim
from smtpsim.drivers.console import Sessions

SESSIONS = Sessions()


def replay_all(scenarios: dict, console_entries: list) -> str:
    settings_of = {entry["id"]: entry for entry in console_entries}
    out = {}
    for sid, data in sorted(scenarios.items()):
        sc = smtpsim.scenario_from_dict(data, source=sid)
        transcript = smtpsim.run_scenario(sc)
        steps = [
            {"send": s.send, "reply": list(s.reply), "reason": s.reason, "code": s.code, "closed": s.closed}
            for s in transcript.steps
        ]
        # the live console's path: smtpsim.drivers.console.Sessions, exactly as the browser worker drives it
        # (the scenario's console.json entry, JSON text in and out, one typed line at a time)
        typed = [{"send": None, **json.loads(SESSIONS.start(sid, json.dumps(settings_of[sid])))}]
        typed += [
            {"send": line, **json.loads(SESSIONS.send(sid, line))}
            for group in data["steps"]
            for line in (group if isinstance(group, list) else [group])
        ]
        SESSIONS.end(sid)
        out[sid] = {"to_json": transcript.to_json(), "steps": steps, "console": typed}
    return json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True)


_INPUT = json.loads(globals()["SCENARIOS_JSON"])  # SCENARIOS_JSON: set by the caller
RESULT = replay_all(_INPUT["scenarios"], _INPUT["console"])
