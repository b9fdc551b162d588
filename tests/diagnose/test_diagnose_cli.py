"""``python -m smtpsim diagnose [--json] [FILE|-]``: the JSON contract of issue 10, the human
summary, and the command from an installed wheel (the rules travel as package data)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hooks.pyodide_assets import build_plain_wheel
from smtpdiagnose.diagnose import diagnose
from support.diagnose_contract import CAUSES, SERVERS, STAGES

ROOT = Path(__file__).resolve().parents[2]


CPANEL = (
    "550-Please turn on SMTP Authentication in your mail client.\n"
    "550-laptop.example [192.0.2.10]:50123 is not permitted to relay through\n"
    "550 this server without authentication.\n"
)


def cli(
    *args: str,
    stdin: str = "",
    flags: tuple[str, ...] = (),
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python [flags] -m smtpsim diagnose args`` with *stdin*; the finished process."""
    return subprocess.run(
        [sys.executable, *flags, "-m", "smtpsim", "diagnose", *args],
        input=stdin,
        text=True,
        capture_output=True,
        check=False,
        timeout=60,
        cwd=cwd,
        env=env,
    )


LAYERS = {"wording", "enhanced-code", "reply-code", "wrapper", "language", "device", "prior"}


def check_contract(out: dict) -> None:
    """Issue 10's four keys first, unchanged; issue 17's evidence after them."""
    assert list(out) == ["causes", "server", "stage", "reply", "decided_by", "evidence"]
    assert out["decided_by"] in LAYERS | {None}
    for piece in out["evidence"]:
        assert list(piece) == ["layer", "text", "meaning", "causes", "server"]
        assert piece["layer"] in LAYERS and piece["text"] and piece["meaning"]
        assert set(piece["causes"]) <= CAUSES
    assert out["causes"] and all(list(c) == ["id", "title", "confidence"] for c in out["causes"])
    assert {c["id"] for c in out["causes"]} <= CAUSES
    confidences = [c["confidence"] for c in out["causes"]]
    assert confidences == sorted(confidences, reverse=True) and all(0 <= c <= 1 for c in confidences)
    assert out["server"] in SERVERS and out["stage"] in STAGES


def test_json_contract_on_stdin() -> None:
    p = cli("--json", "-", stdin=CPANEL)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    check_contract(out)
    assert out["causes"][0]["id"] == "no-auth"
    assert (out["server"], out["stage"]) == ("exim-cpanel", "rcpt")
    assert out["reply"] == CPANEL.strip()


def test_file_argument_and_no_argument_read_the_same(tmp_path: Path) -> None:
    f = tmp_path / "ticket.txt"
    f.write_text("Error: Invalid login: 535 Incorrect authentication data\n", encoding="utf-8")
    by_file = json.loads(cli("--json", str(f)).stdout)
    by_stdin = json.loads(cli("--json", stdin=f.read_text()).stdout)
    assert by_file == by_stdin
    check_contract(by_file)
    assert (by_file["causes"][0]["id"], by_file["server"], by_file["stage"]) == (
        "bad-credentials",
        "exim",
        "auth",
    )


def test_human_summary_says_the_program_hid_the_reason() -> None:
    p = cli(stdin="The following recipient(s) cannot be reached: 503 valid RCPT command must precede DATA")
    assert p.returncode == 0
    assert "Your mail program does not sign in" in p.stdout
    assert "The program hid the server's reason" in p.stdout
    assert "Other possible causes:" in p.stdout


def test_unrecognised_text_is_said_honestly() -> None:
    out = json.loads(cli("--json", stdin="my printer is broken").stdout)
    check_contract(out)
    assert out == {
        "causes": [out["causes"][0]],
        "server": "unknown",
        "stage": "unknown",
        "reply": None,
        "decided_by": None,
        "evidence": [],
    }
    assert out["causes"][0]["id"] == "unknown" and out["causes"][0]["confidence"] == 0
    assert cli(stdin="my printer is broken").stdout.startswith("Not recognised")


def test_a_guess_of_the_similar_texts_layer_alone_is_printed_as_a_guess() -> None:
    """A text no rule reads but whose words the "similar texts" layer knows well enough. Which plain
    sentences clear the guess's bar moves a little each time the model is retrained: the first of a
    few that does (one at least must)."""
    candidates = [
        "Mail could not be sent because the connection to the server was lost while sending",
        "The connection to the mail server was lost while sending the message",
    ]
    guessed = [t for t in candidates if diagnose(t).decided_by == "similar-texts"]
    assert guessed, [diagnose(t).causes for t in candidates]
    text = guessed[0]
    d = diagnose(text)
    assert d.decided_by == "similar-texts" and all(
        e["layer"] == "similar-texts" for e in d.evidence if e["causes"]
    )
    out = cli(stdin=text).stdout
    assert out.startswith(f"A guess: {d.causes[0]['title']}") and "full error or log" in out


def test_missing_file_is_a_clear_error() -> None:
    p = cli("/nonexistent/ticket.txt")  # bad input: exit 2, one line (issue 21 #4)
    assert p.returncode == 2, p.stderr
    assert p.stderr == "smtpsim diagnose: /nonexistent/ticket.txt: cannot read: No such file or directory\n"


@pytest.mark.slow  # builds two wheels (seconds)
def test_diagnose_runs_from_the_installed_wheels(tmp_path: Path) -> None:
    """The console's smtpsim wheel carries no diagnosis (issue 19: a wording edit must not change it);
    smtpdiagnose's wheel carries the compiled rules: with both installed, the command works with no
    checkout around it."""
    wheel = build_plain_wheel(tmp_path)  # the wheel the site serves, built from a scratch copy
    src = tmp_path / "diagnose-src"
    shutil.copytree(ROOT / "diagnose", src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp_path / "diagnose-dist"
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), "."]
    subprocess.run(build, cwd=src, capture_output=True, check=True, timeout=300)
    (diagnose_wheel,) = dist.glob("smtpdiagnose-*.whl")
    with zipfile.ZipFile(wheel) as z:
        assert not [n for n in z.namelist() if "diagnos" in n], z.namelist()
        z.extractall(tmp_path / "installed")
    with zipfile.ZipFile(diagnose_wheel) as z:
        assert "smtpdiagnose/diagnoses.json" in z.namelist()
        z.extractall(tmp_path / "installed")
    # -S: no site-packages (the editable checkout is not importable); only the unpacked wheels are.
    env = {"PYTHONPATH": str(tmp_path / "installed"), "PATH": "/usr/bin:/bin"}
    p = cli("--json", stdin=CPANEL, flags=("-S",), cwd=tmp_path, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == json.loads(cli("--json", stdin=CPANEL).stdout)
    where = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            "import smtpsim, smtpdiagnose; print(smtpsim.__file__, smtpdiagnose.__file__)",
        ],
        capture_output=True,
        check=False,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert all(f.startswith(str(tmp_path / "installed")) for f in where.stdout.split()), where.stdout
