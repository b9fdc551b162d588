"""Checks on the case definitions that the recorder runs (tools/golden/: a module per server).

A server module builds most of its cases from the shared families (golden/family.py) and
``tailor`` gives them the names and descriptions its recordings carry: a rename must not
collide, and a name that is not the family's must fail loudly instead of changing nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest

from golden import ALL_CASES, CONFIGS, SERVERS, SIMULATED, server_module
from golden.auth_family import auth_cases
from golden.common import tailor


def test_case_names_unique_per_software() -> None:
    """One golden file per (software, name): two cases with one name would overwrite each other."""
    twice = [k for k, n in Counter((c["software"], c["name"]) for c in ALL_CASES).items() if n > 1]
    assert twice == []


def test_every_simulated_server_has_its_cases_module() -> None:
    """A personality of the registry is recorded: tools/golden/<name>.py with its own cases."""
    assert set(SIMULATED) <= set(SERVERS)
    for software in SERVERS:
        module = server_module(software)
        assert module.CASES and {c["software"] for c in module.CASES} == {software}, software
        assert {sw for sw, _ in module.CONFIGS} == {software}, software


def test_every_case_names_a_config() -> None:
    assert all((c["software"], c["config"]) in CONFIGS for c in ALL_CASES)


@pytest.mark.parametrize("option", ["drop", "rename", "describe", "notes"])
def test_tailor_rejects_names_outside_the_family(option: str) -> None:
    family = auth_cases("exim", "auth-notls", tls_first=False)
    value = ("auth-plian-initial-ok",) if option == "drop" else {"auth-plian-initial-ok": "x"}
    with pytest.raises(KeyError, match="auth-plian-initial-ok"):
        tailor(family, **{option: value})


def test_tailor_renames_describes_and_drops() -> None:
    family = auth_cases("exim", "auth-notls", tls_first=False)
    out = tailor(
        family,
        drop=("auth-twice",),
        rename={"auth-cancel": "cancel"},
        describe={"auth-cancel": "d"},
        notes={"auth-login-ok": "n"},
    )
    by_name = {c["name"]: c for c in out}
    assert len(out) == len(family) - 1 and "auth-twice" not in by_name
    assert by_name["cancel"]["description"] == "d" and "auth-cancel" not in by_name
    assert by_name["cancel"]["steps"] == next(c for c in family if c["name"] == "auth-cancel")["steps"]
    assert by_name["auth-login-ok"]["notes"] == "n"
    assert family[0]["name"] == "auth-plain-initial-ok" and "notes" not in family[5]  # family left untouched
