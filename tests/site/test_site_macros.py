"""Macro units: the rendering functions behind the page macros, on the real data and on variants."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from macros.clients import HelpCentre, UnknownIdError
from macros.clients_schema import FieldValue, load_file, load_text
from macros.settings import alternative_rows, other_dialog_rows, settings_rows
from support.settings_tables import DATA, expected_rows, raw_data


@pytest.fixture(scope="module")
def hc() -> HelpCentre:
    return HelpCentre(load_file(DATA, "data/clients.yml"))


def test_rows_follow_the_clients_order_and_words(hc: HelpCentre) -> None:
    raw = raw_data()
    for client in raw["clients"]:
        for provider in raw["providers"]:
            rows = settings_rows(hc.client(client["id"]), hc.provider(provider["id"]))
            assert [(r.label, r.value) for r in rows] == expected_rows(client, provider), (
                client["id"],
                provider["id"],
            )
            if "other_dialog" in client:
                other = other_dialog_rows(hc.client(client["id"]), hc.provider(provider["id"]))
                expected = expected_rows(client, provider, client["other_dialog"]["fields"])
                assert [(r.label, r.value) for r in other] == expected, (client["id"], provider["id"])


def test_thunderbird_and_outlook_word_security_their_own_way(hc: HelpCentre) -> None:
    tb = {r.label: r.value for r in settings_rows(hc.client("thunderbird"), hc.provider("microsoft-365"))}
    assert tb["Connection security"] == "STARTTLS" and tb["Authentication method"] == "OAuth2"
    ol = {r.label: r.value for r in settings_rows(hc.client("outlook-classic-windows"), hc.provider("gmail"))}
    assert ol["Encryption method"] == "SSL/TLS"
    assert ol["My outgoing (SMTP) server requires authentication"] == "Ticked"
    older = {
        r.label: r.value
        for r in other_dialog_rows(hc.client("outlook-classic-windows"), hc.provider("gmail"))
    }
    assert older["Use the following type of encrypted connection"] == "SSL/TLS"
    assert older["My outgoing server (SMTP) requires authentication"] == "Ticked"
    mail = {r.label: r.value for r in settings_rows(hc.client("apple-mail-macos"), hc.provider("smarthost"))}
    assert mail["Use TLS/SSL"] == "Ticked"


def test_settings_table_renders_every_row_and_alternative(hc: HelpCentre) -> None:
    md = hc.settings_table("thunderbird", "gmail")
    assert 'data-client="thunderbird" data-provider="gmail"' in md
    assert '<code class="setting" data-field="host">smtp.gmail.com</code>' in md
    assert "| Security and Authentication | Connection security |" in md
    assert (
        'Also offered: Port <code class="setting-alt">587</code> with Connection security **STARTTLS**' in md
    )
    assert sum(line.startswith("|") for line in md.splitlines()) == 2 + len(hc.client("thunderbird").fields)


def test_no_alternative_line_when_only_one_port(hc: HelpCentre) -> None:
    assert "Also offered" not in hc.settings_table("thunderbird", "outlook-com")
    assert alternative_rows(hc.client("thunderbird"), hc.provider("outlook-com")) == []


def test_placeholder_hint_only_for_placeholder_hosts(hc: HelpCentre) -> None:
    hint = f"Replace <code>{hc.provider('smarthost').domain}</code>"
    assert hint in hc.settings_table("ios-mail", "smarthost")
    assert "Replace <code>" not in hc.settings_table("ios-mail", "gmail")


def test_cells_are_escaped() -> None:
    text = DATA.read_text(encoding="utf-8").replace(
        'username: "Your full Gmail address"', 'username: "a|b <script>"'
    )
    hc = HelpCentre(load_text(text))
    md = hc.settings_table("thunderbird", "gmail")
    assert "a&#124;b &lt;script&gt;" in md and "<script>" not in md


def test_settings_tabs_one_tab_per_provider_indented(hc: HelpCentre) -> None:
    md = hc.settings_tabs("ios-mail")
    assert [line for line in md.splitlines() if line.startswith("=== ")] == [
        '=== "SmartHost"',
        '=== "Gmail"',
        '=== "Microsoft 365"',
        '=== "Outlook.com"',
        '=== "iCloud Mail"',
        '=== "Yahoo Mail"',
        '=== "Zoho Mail"',
    ]
    table_lines = [line for line in md.splitlines() if "| Outgoing Mail Server |" in line]
    assert table_lines and all(line.startswith("    | ") for line in table_lines)


def test_unverified_client_settings_carry_a_warning(hc: HelpCentre) -> None:
    assert "Menu names not confirmed" in hc.settings_tabs("ios-mail")
    assert "Menu names not confirmed" not in hc.settings_tabs("thunderbird")
    steps = hc.client_steps("thunderbird")
    assert steps.count("\n1. ") == len(hc.client("thunderbird").steps)


def test_menu_path_is_escaped_and_joined(hc: HelpCentre) -> None:
    path = hc.menu_path("outlook-classic-windows")
    assert path.startswith(
        '<span class="menu-path"><strong>File</strong> › <strong>Account Settings</strong>'
    )


def test_fix_tabs_use_tab_labels_and_show_the_auth_setting(hc: HelpCentre) -> None:
    md = hc.fix_tabs({c: f"clients/{c}.md" for c in hc.clients})
    labels = [line[5:-1] for line in md.splitlines() if line.startswith("=== ")]
    assert labels == [c.tab_label for c in hc.data.clients]
    assert "**My outgoing server (SMTP) requires authentication** → Ticked" in md
    assert "**Require sign-in** → Ticked" in md
    assert "(clients/thunderbird.md)" in md


def test_provider_summary_lists_every_port(hc: HelpCentre) -> None:
    md = hc.provider_summary()
    for p in hc.data.providers:
        assert f'data-provider="{p.id}" data-field="host">{p.host}</code>' in md
        for o in p.ports:
            assert f"<code>{o.port}</code>" in md


@pytest.mark.parametrize(
    "call",
    [
        lambda hc: hc.settings_table("thunderbirdd", "gmail"),
        lambda hc: hc.settings_tabs("outlook"),
        lambda hc: hc.client_steps("windows-mail"),
    ],
)
def test_unknown_client_names_the_valid_ids(hc: HelpCentre, call: Callable[[HelpCentre], str]) -> None:
    with pytest.raises(UnknownIdError) as info:
        call(hc)
    for cid in hc.clients:
        assert cid in str(info.value)


def test_unknown_provider_names_the_valid_ids(hc: HelpCentre) -> None:
    with pytest.raises(
        UnknownIdError,
        match="unknown provider 'aol'; valid provider ids: smarthost, gmail, "
        "microsoft-365, outlook-com, icloud, yahoo, zoho",
    ):
        hc.settings_table("thunderbird", "aol")


def test_every_field_kind_is_rendered_somewhere(hc: HelpCentre) -> None:
    used = {f.value for c in hc.data.clients for f in c.fields}
    assert used == set(FieldValue)
