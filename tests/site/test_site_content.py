"""Facts that must not send customers the wrong way (issue 18): Microsoft 365's sign-in refusals
told apart, Outlook classic's Microsoft 365 tab leading with Add Account, the Server Settings page as
the main path, provider texts filled from the host, and the printer makers' sections (macro level,
no site build)."""

from __future__ import annotations

import re
from pathlib import Path

from macros import portal_contract
from macros.clients import HelpCentre
from macros.clients_schema import load_text
from macros.diagnoses import program_entries
from macros.diagnoses_schema import load_file as load_diagnoses
from macros.dialogue import render_dialogue
from macros.senders import Senders
from macros.senders_schema import load_text as load_senders
from macros.settings import other_dialog_rows, settings_rows
from support.settings_tables import DATA, ROOT
from support.site_build import linked_project

SENDERS = ROOT / "data" / "senders.yml"


def _hc(text: str | None = None) -> HelpCentre:
    return HelpCentre(load_text(text if text is not None else DATA.read_text(encoding="utf-8")))


def test_microsoft_365_refusals_are_told_apart_on_the_pages_that_send_people() -> None:
    hc = _hc()
    refusals = hc.provider("microsoft-365").refusals
    assert len({r.meaning for r in refusals}) == len(refusals) >= 3
    table = hc.provider_refusals("microsoft-365")
    for r in refusals:
        assert f"<code>{r.text}</code>" in table
    wrong_password = next(r for r in refusals if "credentials were incorrect" in r.text)
    assert "switched SMTP AUTH off" not in wrong_password.meaning and "password" in wrong_password.meaning
    for page in ("tips.md", "errors/503-valid-rcpt-command-must-precede-data.md", "settings.md"):
        source = (ROOT / "docs" / page).read_text(encoding="utf-8")
        assert "provider_refusals(" in source, page
        assert "5.7.139" not in source, f"{page} types a reply text; it belongs in data/clients.yml"


def test_outlook_classic_microsoft_365_tab_leads_with_add_account() -> None:
    hc = _hc()
    client, m365 = hc.client("outlook-classic-windows"), hc.provider("microsoft-365")
    md = hc.settings_table(client.id, m365.id)
    assert client.oauth_setup and "File > Add Account" in client.oauth_setup
    assert md.index("File > Add Account") < md.index("| Where | Field | Set to |")
    passwords = [r.value for r in other_dialog_rows(client, m365) if r.field == "password"]
    assert passwords and all(m365.password != v and "Not in this dialog" in v for v in passwords)
    smarthost = hc.settings_table(client.id, "smarthost")
    assert "File > Add Account" not in smarthost
    assert "Not in this dialog" not in smarthost


def test_outlook_classic_server_settings_page_is_the_main_path() -> None:
    hc = _hc()
    client = hc.client("outlook-classic-windows")
    assert client.menu_path[-1] == "Server Settings"
    assert client.other_dialog is not None and "More Settings" in client.other_dialog.menu_path
    fix = hc.fix_tabs({c: f"clients/{c}.md" for c in hc.clients})
    tab = fix.split('=== "Outlook classic (Windows)"')[1].split("\n=== ")[0]
    assert tab.index("Server Settings") < tab.index("More Settings")
    assert "My outgoing (SMTP) server requires authentication" in tab
    steps = hc.client_steps(client.id)
    assert steps.index("Server Settings") < steps.index("More Settings")


def test_provider_texts_follow_the_host() -> None:
    text = DATA.read_text(encoding="utf-8").replace(
        "host: mail.yourdomain.example", "host: smtp.acme-mail.test"
    )
    hc = _hc(text)
    smarthost = hc.provider("smarthost")
    assert smarthost.domain == "acme-mail.test" and smarthost.example_address == "you@acme-mail.test"
    rendered = hc.settings_tabs("thunderbird", ["smarthost"]) + hc.provider_notes("smarthost")
    rendered += "".join(r.value for r in settings_rows(hc.client("ios-mail"), smarthost))
    assert "acme-mail.test" in rendered and "you@acme-mail.test" in rendered
    assert "yourdomain" not in rendered


def test_printer_makers_have_sections_sources_and_escaped_values() -> None:
    wanted = {"canon", "hp", "brother", "ricoh", "xerox", "kyocera", "konica-minolta", "epson", "sharp"}
    hc = _hc()
    data = load_senders(SENDERS.read_text(encoding="utf-8"))
    senders = Senders(data, hc.providers, hc.render)
    printers = senders.sender("printers")
    assert {m.id for m in printers.makers} == wanted
    md = hc.render("sender_makers.md.j2", sender=printers)
    assert set(re.findall(r"\{#maker-([a-z-]+)\}", md)) == wanted
    for maker in printers.makers:
        assert maker.source and maker.checked
        for err in maker.errors:
            assert f"<code>{err.code}</code>" in md and err.source and err.checked
    hostile = SENDERS.read_text(encoding="utf-8").replace('code: "#839"', 'code: "#839 <script>|"')
    md = hc.render("sender_makers.md.j2", sender=load_senders(hostile).senders[-1])
    assert "#839 &lt;script&gt;&#124;" in md and "<script>" not in md


def test_a_program_without_portal_links_fails_with_file_line_and_key(tmp_path: Path) -> None:
    proj = linked_project(tmp_path / "proj", copied=("data",))
    clients = proj / "data" / "clients.yml"
    text = clients.read_text(encoding="utf-8").replace("  - id: thunderbird\n", "  - id: thunderbird2\n", 1)
    clients.write_text(text, encoding="utf-8")
    found = [str(p) for p in portal_contract.problems(proj)]
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t == "  - id: thunderbird2")
    assert len(found) == 3
    assert all(
        f.startswith(f"data/clients.yml:{line}: clients[") and "(id 'thunderbird2')" in f for f in found
    )
    assert 'add: - {id: guide-thunderbird2, url: "/clients/thunderbird2/"}' in "\n".join(found)
    assert portal_contract.problems(ROOT) == []


def test_programs_the_diagnoses_data_does_not_list_are_derived_from_the_clients_data() -> None:
    text = DATA.read_text(encoding="utf-8").replace(
        "host: mail.yourdomain.example", "host: smtp.acme-mail.test"
    )
    hc = _hc(text)
    data = load_diagnoses(timed=False)
    listed = [p.client for p in data.programs if p.client]
    narrowed = data.model_copy(update={"programs": [p for p in data.programs if p.client != "thunderbird"]})
    ids = [e["id"] for e in program_entries(narrowed, hc)]
    assert "thunderbird" in listed and "thunderbird" in ids
    assert ids.index("thunderbird") < ids.index(next(p.id for p in data.programs if p.client is None))
    entry = next(e for e in program_entries(narrowed, hc) if e["id"] == "thunderbird")
    assert entry["menu"] == " › ".join(hc.client("thunderbird").menu_path) and entry["verified"] is False
    tokens = data.model_copy(
        update={
            "programs": [
                p.model_copy(
                    update={"settings": {**p.settings, "username": "user {example_address} at {host}"}}
                )
                if p.id == "msmtp"
                else p
                for p in data.programs
            ]
        }
    )
    msmtp = next(e for e in program_entries(tokens, hc) if e["id"] == "msmtp")
    assert msmtp["fix"]["username"] == "user you@acme-mail.test at smtp.acme-mail.test"


def test_second_device_step_fits_the_page() -> None:
    hc = _hc()
    steps = {
        device: hc.render(
            "test_the_fix.md.j2", what="x", fix_hint="y", portal="https://p.example/", device=device
        )
        for device in ("computer", "phone", "none", "any")
    }
    assert "for example your" in steps["computer"] and "for example your" in steps["any"]
    assert "Try a computer" in steps["phone"] and "your\n   phone" not in steps["phone"]
    assert "second device" not in steps["none"] and "Try a computer" not in steps["none"]
    assert {c.id for c in hc.data.clients if c.device == "phone"} == {"ios-mail", "gmail-android"}


def test_stepper_speaks_customers_words_and_keeps_internals_for_it_staff() -> None:
    html = str(render_dialogue(ROOT, "exim-cpanel-no-auth-465", console=False))
    outside = re.sub(r'<details class="smtp-variant__it">.*?</details>', "", html, flags=re.DOTALL)
    assert "modelled" not in html
    assert "scenario <code>" in html and "scenario" not in outside.replace("data-smtp", "")
    title = 'smtp-variant__title">cPanel server, port 465 (for email programs, SSL/TLS): '
    title += "your program does not sign in"
    assert title in html
    assert "Email programs use 587 or 465. Port 25 is for mail between servers" in html
    assert "changes only the words of the refusal" in html and "SmartHost's servers run cPanel" in html
    assert f"220 {_hc().provider('smarthost').host} ESMTP" in html


def test_outlook_classic_diagnosis_names_the_server_settings_page_and_the_older_dialog() -> None:
    hc = _hc()
    entry = next(
        e for e in program_entries(load_diagnoses(timed=False), hc) if e["id"] == "outlook-classic-windows"
    )
    assert entry["menu"] == "File › Account Settings › Server Settings"
    assert (
        entry["fix"]["auth_required"]
        == "Outgoing mail › My outgoing (SMTP) server requires authentication: Ticked"
    )
    older = hc.client("outlook-classic-windows").other_dialog
    assert older is not None and entry["fix"]["username"].startswith(
        f"{older.name} › Change Account › User Name: "
    )
