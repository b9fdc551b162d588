"""docs/assets/js/diagnose-mask.mjs under Node: the sign-in secrets the /diagnose/ page hides before it
shows a pasted text (issue 21 #3), what it leaves alone, and that it stays linear on 1 MB texts.

The base64 values are made up: "dXNlckBleGFtcGxlLmNvbQ==" is "user@example.com", "aHVudGVyMg==" is
"hunter2", the AUTH PLAIN blob is "\\0user@example.com\\0hunter2" (RFC 4616)."""

from __future__ import annotations

import json
from pathlib import Path

from support.node import node_json

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "docs" / "assets" / "js" / "diagnose-mask.mjs"
M = "••••••••"

RUNNER = """
import { maskCredentials } from %s;
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { texts, adversarial } = JSON.parse(input);
const masked = texts.map((t) => maskCredentials(t));
const times = adversarial.map(([head, unit, times]) => {
  const text = head + unit.repeat(times);
  const start = performance.now();
  maskCredentials(text);
  return performance.now() - start;
});
process.stdout.write(JSON.stringify({ masked, times }));
"""

#: (pasted text, what the page shows)
CASES = [
    # PHPMailer / swaks / smtplib logs: AUTH PLAIN with an initial response (RFC 4954 section 4)
    (
        "CLIENT -> SERVER: AUTH PLAIN AHVzZXJAZXhhbXBsZS5jb20AaHVudGVyMg==\nSERVER -> CLIENT: 535 failed",
        f"CLIENT -> SERVER: AUTH PLAIN {M}\nSERVER -> CLIENT: 535 failed",
    ),
    ("send: 'AUTH PLAIN AHVzZXJAZXhhbXBsZS5jb20AaHVudGVyMg==\\r\\n'", f"send: 'AUTH PLAIN {M}\\r\\n'"),
    ("C: AUTH XOAUTH2 dXNlcj1tZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5AQE=", f"C: AUTH XOAUTH2 {M}"),
    # AUTH LOGIN: the answers to "334 VXNlcm5hbWU6" (Username:) and "334 UGFzc3dvcmQ6" (Password:)
    (
        "S: 334 VXNlcm5hbWU6\nC: dXNlckBleGFtcGxlLmNvbQ==\nS: 334 UGFzc3dvcmQ6\nC: aHVudGVyMg==\nS: 535 no",
        f"S: 334 VXNlcm5hbWU6\nC: {M}\nS: 334 UGFzc3dvcmQ6\nC: {M}\nS: 535 no",
    ),
    (
        "reply: b'334 UGFzc3dvcmQ6\\r\\n'\nsend: 'aHVudGVyMg==\\r\\n'",
        f"reply: b'334 UGFzc3dvcmQ6\\r\\n'\nsend: '{M}\\r\\n'",
    ),
    ("<~  334 UGFzc3dvcmQ6\n ~> aHVudGVyMg==", f"<~  334 UGFzc3dvcmQ6\n ~> {M}"),
    # passwords in URLs, configuration and dumped objects
    ("GET /send.php?user=bob&password=hunter2&to=x", f"GET /send.php?user=bob&password={M}&to=x"),
    ("MAIL_PASSWORD=hunter2\nMAIL_PORT=465", f"MAIL_PASSWORD={M}\nMAIL_PORT=465"),
    ("pwd='my secret' pass=\"x y\"", f"pwd={M} pass={M}"),
    ("auth: { user: 'me', pass: 'hunter2' }", f"auth: {{ user: 'me', pass: {M} }}"),
    ('{"password": "hunter2"}', f'{{"password": {M}}}'),
    (
        "MAILER_DSN=smtp://user%40example.com:hunter2@mail.example.net:465",
        f"MAILER_DSN=smtp://user%40example.com:{M}@mail.example.net:465",
    ),
]

#: Texts where nothing is secret: they come back unchanged.
UNCHANGED = [
    "250-AUTH PLAIN LOGIN CRAM-MD5\n250 HELP",
    "AUTH PLAIN =",
    "C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: [credentials hidden]",  # PHPMailer's own masking
    "compass=north bypass-list",
    "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.",
    "Password: incorrect",
    "https://support.example/article?id=5",
]

#: (head, unit, times): about 1 MB each.
ADVERSARIAL = [
    ("sender", " ", 1 << 20),
    ("", "334 \n", 1 << 18),
    ("334\n", "a+", 1 << 19),
    ("", "AUTH PLAIN ", 1 << 17),
    ("", "password=", 1 << 17),
    ("smtp://", "a", 1 << 20),
    ("x://", "a:", 1 << 19),
    ("", "550-x\n", 174762),
]


def run(texts: list[str]) -> dict:
    args = ["--input-type=module", "-e", RUNNER % json.dumps(MODULE.as_uri())]
    return node_json(args, {"texts": texts, "adversarial": ADVERSARIAL})


def test_secrets_are_masked_and_nothing_else() -> None:
    out = run([text for text, _ in CASES] + UNCHANGED)
    got = out["masked"]
    for (text, shown), result in zip(CASES, got, strict=False):
        assert result["text"] == shown, text
        assert result["count"] == shown.count(M), text
    for text, result in zip(UNCHANGED, got[len(CASES) :], strict=True):
        assert result == {"text": text, "count": 0}
    # linear: every 1 MB text well under a second (each takes 5-500 ms on a loaded 2-core machine)
    assert max(out["times"]) < 2000, dict(zip([a[1] for a in ADVERSARIAL], out["times"], strict=True))
