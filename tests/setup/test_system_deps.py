"""scripts/system-deps and the Makefile's set-up stamps, against a fake dpkg/apt-get/id on PATH: what
is missing gets installed once, a second run calls no apt, a changed list is checked again, and a
user who cannot install gets one line naming the packages and the command before any test runs."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "system-deps"

FAKE_DPKG_QUERY = """#!/bin/sh
# installed packages as the script's -f format prints them: status|name|provides
while IFS='|' read -r name provides; do echo "ii |$name|$provides"; done < "$FAKE_DB"
"""
FAKE_APT_GET = """#!/bin/sh
echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> "$FAKE_LOG"
case " $* " in *" install "*)
  seen=; for a in "$@"; do
    if [ -n "$seen" ]; then case "$a" in -*) ;; *) echo "$a|" >> "$FAKE_DB" ;; esac; fi
    [ "$a" = install ] && seen=1
  done ;;
esac
exit 0
"""
FAKE_ID = """#!/bin/sh
echo "$FAKE_UID"
"""


@dataclass
class Fake:
    bin: Path
    db: Path
    log: Path
    env: dict[str, str]

    def apt_calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


def _executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def fake_system(tmp_path: Path, installed: list[str], uid: int = 0, apt: bool = True) -> Fake:
    """A PATH with fake dpkg-query (database: *installed*, ``name|provides`` lines), apt-get, id."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    _executable(bin_dir / "dpkg-query", FAKE_DPKG_QUERY)
    _executable(bin_dir / "id", FAKE_ID)
    if apt:
        _executable(bin_dir / "apt-get", FAKE_APT_GET)
    # Only the tools the script needs besides the fakes: no real apt-get/dpkg-query reachable.
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("bash", "sh", "awk", "tr", "cat", "mkdir", "touch", "make", "env"):
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    db, log = tmp_path / "db", tmp_path / "apt.log"
    db.write_text("".join(f"{p}\n" if "|" in p else f"{p}|\n" for p in installed))
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{tools}",
        "FAKE_DB": str(db),
        "FAKE_LOG": str(log),
        "FAKE_UID": str(uid),
        "HOME": str(tmp_path),
    }
    return Fake(bin_dir, db, log, env)


def write_list(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run(fake: Fake, *lists: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *map(str, lists)], env=fake.env, capture_output=True, text=True, timeout=60
    )


def test_root_installs_only_the_missing_packages_then_calls_no_apt(tmp_path: Path) -> None:
    serve = write_list(tmp_path / "serve.txt", "# comment line\nnodejs   # inline comment\n\nnpm\n")
    test = write_list(tmp_path / "test.txt", "chromium\nnginx\n")
    fake = fake_system(tmp_path, ["nodejs|nodejs-doc, npm (= 10.1)"])  # NodeSource's nodejs provides npm

    first = run(fake, serve, test)
    assert first.returncode == 0, first.stderr
    apt = "DEBIAN_FRONTEND=noninteractive -q -o DPkg::Lock::Timeout=900"
    assert fake.apt_calls() == [f"{apt} update", f"{apt} install -y --no-install-recommends chromium nginx"]
    assert "installing chromium nginx" in first.stdout

    second = run(fake, serve, test)
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    assert len(fake.apt_calls()) == 2, "the second run called apt"


def test_all_present_prints_nothing_and_calls_no_apt(tmp_path: Path) -> None:
    fake = fake_system(tmp_path, ["chromium", "nginx"])
    proc = run(fake, write_list(tmp_path / "l.txt", "chromium\nnginx\n"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert fake.apt_calls() == []


@pytest.mark.parametrize(("uid", "apt", "why"), [(1000, True, "not root"), (0, False, "no apt-get")])
def test_cannot_install_one_line_with_the_packages_and_the_command(
    tmp_path: Path, uid: int, apt: bool, why: str
) -> None:
    fake = fake_system(tmp_path, ["nginx"], uid=uid, apt=apt)
    proc = run(fake, write_list(tmp_path / "l.txt", "chromium\nnginx\nswaks\n"))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    line = proc.stderr.strip()
    assert "missing Debian packages: chromium swaks" in line and why in line
    assert "apt-get install -y --no-install-recommends chromium swaks" in line
    assert fake.apt_calls() == []


def test_a_package_apt_cannot_provide_fails_clearly(tmp_path: Path) -> None:
    fake = fake_system(tmp_path, [])
    fake.bin.joinpath("apt-get").write_text('#!/bin/sh\necho "$*" >> "$FAKE_LOG"\n')  # installs nothing
    proc = run(fake, write_list(tmp_path / "l.txt", "no-such-package\n"))
    assert proc.returncode == 1
    assert "still missing after apt-get install: no-such-package" in proc.stderr


def test_make_stamps_rerun_when_a_list_changes(tmp_path: Path) -> None:
    """`make` checks the lists once, not again while they are unchanged, and again when one changes
    (the real Makefile and script, in a copy of just what the set-up stamps need)."""
    proj = tmp_path / "proj"
    for rel in ("Makefile", "scripts/system-deps", "deps/debian-serve.txt", "deps/debian-test.txt"):
        (proj / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, proj / rel)
    fake = fake_system(tmp_path, [])

    def make() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", "-s", ".cache/setup/debian-test"],
            cwd=proj,
            env=fake.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert make().returncode == 0
    assert len(fake.apt_calls()) == 2  # update + install of both lists
    assert make().stdout == "" and len(fake.apt_calls()) == 2
    with (proj / "deps" / "debian-test.txt").open("a") as f:
        f.write("neomutt   # a helper's new test\n")
    os.utime(proj / "deps" / "debian-test.txt", (1e10, 1e10))  # newer than the stamp, whatever the clock
    third = make()
    assert third.returncode == 0, third.stderr
    assert fake.apt_calls()[-1].endswith("install -y --no-install-recommends neomutt")


def test_the_real_lists_are_installed_here() -> None:
    """On this machine `make test` has run the set-up: the real check finds nothing missing."""
    proc = subprocess.run(
        [str(SCRIPT), str(ROOT / "deps" / "debian-serve.txt"), str(ROOT / "deps" / "debian-test.txt")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    assert (proc.returncode, proc.stderr) == (0, "")
