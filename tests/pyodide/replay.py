"""Run every scenario through smtpsim and print one JSON document; executed unchanged by CPython and
by Pyodide (tests/pyodide/replay.mjs) so the two outputs can be compared byte for byte.

Input: the global ``SCENARIOS_JSON`` (``{id: scenario mapping}``). Output: ``RESULT`` (a str).
"""

import json

import smtpsim


def replay_all(scenarios: dict) -> str:
    out = {}
    for sid, data in sorted(scenarios.items()):
        sc = smtpsim.scenario_from_dict(data, source=sid)
        transcript = smtpsim.run_scenario(sc)
        steps = [
            {"send": s.send, "reply": list(s.reply), "reason": s.reason, "code": s.code, "closed": s.closed}
            for s in transcript.steps
        ]
        # the live console's path (one typed line at a time), as the browser worker drives it
        client = data.get("client") or {}
        console = smtpsim.Console(
            data["server"],
            client_ip=client.get("ip", "192.0.2.10"),
            client_tls=bool(client.get("tls", False)),
        )
        typed = [{"send": None, "reply": console.start(), "reasons": list(console.last_reasons)}]
        typed += [
            {"send": line, "reply": console.send(line), "reasons": list(console.last_reasons)}
            for group in data["steps"]
            for line in (group if isinstance(group, list) else [group])
        ]
        out[sid] = {"to_json": transcript.to_json(), "steps": steps, "console": typed}
    return json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True)


RESULT = replay_all(json.loads(globals()["SCENARIOS_JSON"]))  # SCENARIOS_JSON: set by the caller
