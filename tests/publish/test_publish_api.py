"""/api/clients.json: stable shape (JSON Schema in docs/api/), version stamp, cross references."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from support.publish import ROOT

SCHEMA = json.loads((ROOT / "docs" / "api" / "clients-export.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def export(engine_site: Path) -> dict:
    return json.loads((engine_site / "api" / "clients.json").read_text(encoding="utf-8"))


def _errors(document: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_export_matches_the_schema(export: dict) -> None:
    assert _errors(export) == []


def test_export_version_of_a_local_build(export: dict) -> None:
    assert export["version"] == "dev"  # mike-deployed versions: tests/publish/test_publish_mike.py


def test_schema_rejects_breaking_changes(export: dict) -> None:
    """The schema is not vacuous: dropping or retyping a contract key is reported."""
    for mutate in (
        lambda d: d.pop("version"),
        lambda d: d["clients"][0].pop("id"),
        lambda d: d["providers"][0]["ports"][0].__setitem__("port", "465"),
        lambda d: d["settings"][0].__setitem__("security", "tls"),
        lambda d: d["settings"][0]["rows"][0].pop("value"),
    ):
        broken = copy.deepcopy(export)
        mutate(broken)
        assert _errors(broken), mutate


def test_cross_references(export: dict, built_site: Path) -> None:
    clients = [c["id"] for c in export["clients"]]
    providers = [p["id"] for p in export["providers"]]
    pairs = [(s["client"], s["provider"]) for s in export["settings"]]
    assert sorted(pairs) == sorted((c, p) for c in clients for p in providers)
    for cid in clients:
        assert (built_site / "clients" / cid / "index.html").is_file()


def test_schema_and_docs_are_published(built_site: Path) -> None:
    assert (
        json.loads((built_site / "api" / "clients-export.schema.json").read_text(encoding="utf-8")) == SCHEMA
    )
    page = (built_site / "api" / "index.html").read_text(encoding="utf-8")
    assert "clients-export.schema.json" in page and "sendBeacon" in page
