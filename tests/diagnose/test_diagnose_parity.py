"""The browser's matcher (docs/assets/js/diagnose-core.mjs, under Node) and the command line's
(smtpdiagnose.diagnose) give the same answer, field by field, for the whole corpus and more."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import smtpsim
from smtpdiagnose.diagnose import diagnose
from support.diagnose_corpus import load_corpus, load_sets
from support.yaml_read import read_yaml

ROOT = Path(__file__).resolve().parents[2]

RUNNER = Path(__file__).resolve().parent / "run_core.mjs"
RULES = ROOT / "diagnose" / "smtpdiagnose" / "diagnoses.json"

#: Texts where the two languages could drift: line ends, Unicode spaces and letters, astral
#: characters before a match (UTF-16 vs code-point offsets), empty and reply-less texts.
EDGE = [
    "",
    "   ",
    "hello",
    "503 valid RCPT command must precede DATA",
    (
        "\r\n503-All RCPT commands were rejected with this error:\r\n503-relay not permitted\r\n503 Valid "
        "RCPT command must precede DATA\r\n"
    ),
    (
        "550-Please turn on SMTP Authentication in your mail client.\r550-x [192.0.2.1]:1 is not permitted "
        "to relay through\r550 this server without authentication."
    ),
    "\u2028550\u00a0relay not permitted\u2029",
    "😀😀 The server responded: 535 Incorrect authentication data 😀",
    (  # Roundcube zh_TW smtptoerror: the code in full-width brackets
        "SMTP \u932f\u8aa4\uff08550\uff09\uff1a"
        "\u7121\u6cd5\u52a0\u5165\u6536\u4ef6\u8005\u300cbob@example.com\u300d"
    ),
    "Ünïcödé: 550 5.1.1 <bøb@exämple.com>: Recipient address rejected: User unknown in local recipient table",
    "\x1c550 relay not permitted\x1f\x85",
    "port 587 and 465, 2026 at 550",
    # no rule reads these: the "similar texts" layer may guess alone (or stay "unknown")
    "Mail could not be sent because the connection to the server was lost while sending",
    "Fehler beim Senden der E-Mail an den Empfänger, bitte Einstellungen prüfen",
    "Error sending notification mail: the mail server did not accept the message from the device",
    (
        "SMTP ERROR: RCPT TO command failed: 550 5.7.1 Unable to relay\n  SMTP Error: The following "
        "recipients failed: a@b.example"
    ),
    "550-first\n  550-second line mentions spamhaus\n550 last",
    "450 4.2.1 The user you are trying to contact is receiving mail at a rate",
    "550 5.2.1 mailbox disabled",
    # a wording inside a wrapper, and the same wording again after it (the second search)
    (
        "The SMTP server requires a secure connection or the client was not authenticated. 5.7.0 Must "
        "issue a STARTTLS command first"
    ),
    (
        "The SMTP server requires a secure connection or the client was not authenticated. 530 5.7.1 "
        "Client was not authenticated"
    ),
    'SEND (1):\n"AUTH PLAIN AGZvbwBiYXI=\\r\\n"\nRECEIVE (1):\n"503 Command sequence error\\r\\n"',
    # a wording typed without its accents (the compiled class holds the plain letter)
    "Mailer Error : Echec de la connexion SMTP. Fehler beim Ubertragen",
]


def transcripts() -> list[str]:
    out = []
    for path in sorted((ROOT / "examples" / "scenarios").glob("*.yml")):
        t = smtpsim.run_scenario(smtpsim.load_scenario(str(path)))
        out.append("\n".join(line for step in t.steps for line in step.reply))
    return out


def node_diagnoses(texts: list[str]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the JavaScript matcher cannot be checked (apt-get install nodejs)")
    proc = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps({"rules": str(RULES), "texts": texts}),
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def written_texts() -> list[str]:
    """The corpus, every recogniser's example, and the written-from and held-out texts, each once."""
    texts = [e["text"] for e in load_corpus()]
    for name in ("diagnoses.yml", "diagnose-codes.yml", "diagnose-languages.yml", "diagnose-devices.yml"):
        data = read_yaml(ROOT / "data" / name)
        texts += [r["example"] for r in data.get("recognisers", [])]
    sets = load_sets()
    texts += [e["text"] for part in ("written-from", "held-out") for e in sets[part]]
    return list(dict.fromkeys(texts))  # corpus.yml is also in the written-from part: each text once


def agree(texts: list[str]) -> None:
    js = node_diagnoses(texts)
    assert len(js) == len(texts)
    python = [diagnose(t).to_json() for t in texts]
    differ = [(t, p, j) for t, p, j in zip(texts, python, js, strict=True) if p != j]
    assert differ == [], differ[:3]


@pytest.mark.slow
def test_javascript_and_python_agree_on_every_text() -> None:
    texts = list(dict.fromkeys(written_texts() + transcripts() + EDGE))
    assert len(texts) > 1500
    agree(texts)


def test_javascript_and_python_agree_on_a_sample() -> None:
    """The edit loop's share (``make test-fast``): every seventh text, and all the edge cases and
    transcripts; ``make test`` checks them all."""
    sample = list(dict.fromkeys(written_texts()[::7] + transcripts() + EDGE))
    assert len(sample) > 250
    agree(sample)


def test_javascript_and_python_agree_on_the_blind_set() -> None:
    """Counted only: a blind text is never printed (tests/diagnose/README.md, "Parts")."""
    texts = [e["text"] for e in load_sets()["blind"]]
    js = node_diagnoses(texts)
    differ = sum(diagnose(t).to_json() != j for t, j in zip(texts, js, strict=True))
    assert (len(js), differ) == (len(texts), 0)
