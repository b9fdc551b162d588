"""Schema units: the real YAML validates, the JSON Schema is in sync and accepts the YAML."""

from __future__ import annotations

import json

import jsonschema
import pytest

from macros.clients_schema import (
    SCHEMA_PATH,
    ClientsData,
    Security,
    json_schema,
    load_file,
    load_text,
    schema_text,
    slugify,
)
from support.settings_tables import DATA, raw_data

CLIENT_IDS = [
    "outlook-classic-windows",
    "new-outlook-windows",
    "outlook-mac",
    "thunderbird",
    "apple-mail-macos",
    "ios-mail",
    "gmail-android",
]
PROVIDER_IDS = ["smarthost", "gmail", "microsoft-365", "outlook-com", "icloud", "yahoo", "zoho"]


@pytest.fixture(scope="module")
def data() -> ClientsData:
    return load_file(DATA, "data/clients.yml")


def test_contract_ids_are_present(data: ClientsData) -> None:
    assert [c.id for c in data.clients] == CLIENT_IDS
    assert [p.id for p in data.providers] == PROVIDER_IDS


def test_smarthost_host_is_the_placeholder(data: ClientsData) -> None:
    smarthost = data.providers[0]
    assert smarthost.host == "mail.yourdomain.example" and smarthost.host_is_placeholder


def test_every_fact_has_source_and_checked_date() -> None:
    raw = raw_data()
    for kind in ("providers", "clients"):
        for item in raw[kind]:
            assert item["source"].strip() and item["checked"], item["id"]
            for note in item.get("notes", []):
                assert note["source"].strip() and note["checked"], item["id"]


def test_unverified_facts_are_marked(data: ClientsData) -> None:
    """The facts file names these clients as unverified; the YAML must say so."""
    by_id = {c.id: c for c in data.clients}
    for cid in ("new-outlook-windows", "outlook-mac", "ios-mail", "gmail-android"):
        assert by_id[cid].verified is False, cid


def test_recommended_port_and_alternatives(data: ClientsData) -> None:
    gmail = {p.id: p for p in data.providers}["gmail"]
    assert (gmail.recommended.port, gmail.recommended.security) == (465, Security.ssl_tls)
    assert [(p.port, p.security) for p in gmail.alternatives] == [(587, Security.starttls)]
    m365 = {p.id: p for p in data.providers}["microsoft-365"]
    assert m365.alternatives == [] and m365.recommended.security is Security.starttls


def test_first_port_is_recommended_when_none_is_flagged() -> None:
    text = DATA.read_text(encoding="utf-8").replace("recommended: true", "recommended: false")
    data = load_text(text)
    assert all(p.recommended is p.ports[0] for p in data.providers)


def test_tab_labels_slug_to_ids(data: ClientsData) -> None:
    assert all(slugify(c.tab_label) == c.id for c in data.clients)


def test_json_schema_file_is_in_sync() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "data/clients.schema.json is stale: run `.venv/bin/python -m macros.clients_schema`"
    )


def test_json_schema_accepts_the_yaml_and_rejects_a_bad_port() -> None:
    schema = json_schema()
    raw = raw_data()
    jsonschema.validate(raw, schema)
    raw["providers"][0]["ports"][0]["port"] = "abc"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, schema)


def test_json_schema_rejects_unknown_keys() -> None:
    raw = raw_data()
    raw["clients"][0]["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, json.loads(schema_text()))
