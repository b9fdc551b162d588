"""The human answer ``smtpsim diagnose`` prints for a :class:`~smtpdiagnose.diagnose.Diagnosis`."""

from __future__ import annotations

from .diagnose import HEAD, TAIL, Diagnosis


def summary(d: Diagnosis) -> str:
    """The human answer printed by ``smtpsim diagnose``."""
    out = []
    top = d.causes[0]
    if top["id"] == "unknown":
        out.append("Not recognised: " + top["title"] + ".")
        out.append("Contact support with the whole error text, the program you send with and the time.")
    elif all(e["layer"] == "similar-texts" or not e["causes"] for e in d.evidence):
        out.append(f"A guess: {top['title']} ({top['id']}, confidence {top['confidence']:.2f})")
        out.append(
            "No wording we know is in the text; its words read like the texts collected for this cause. "
            "Check it against the program's full error or log."
        )
    else:
        out.append(f"Most likely: {top['title']} ({top['id']}, confidence {top['confidence']:.2f})")
    out.append(
        f"Server software: {d.server}    Refused at: {d.stage.upper() if d.stage != 'unknown' else 'unknown'}"
    )
    if d.program:
        out.append(f"Program: {d.program}")
    if d.reply:
        out.append("Server reply:")
        out.extend("  " + line for line in d.reply.split("\n"))
    if d.evidence:
        out.append("Recognised:")
        out.extend(f"  {e['text']!r} ({e['layer']}): {e['meaning']}" for e in d.evidence)
    if d.hidden:
        out.append(
            "The program hid the server's reason: the text says only that the message was refused in "
            "the end; the server said why in an earlier reply (your program can show the full reply)."
        )
    if d.capped:
        out.append(f"(A long paste: read its first {HEAD} and last {TAIL} characters.)")
    if len(d.causes) > 1:
        out.append("Other possible causes:")
        out.extend(f"  {c['id']}: {c['title']} ({c['confidence']:.2f})" for c in d.causes[1:])
    return "\n".join(out)
