"""The ``smtp_dialogue`` macro without a browser: variants from scenario files, client wording,
escaping, links and errors (macros/dialogue.py)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import smtpsim
from macros.clients import DATA_FILE
from macros.clients_schema import load_file
from macros.dialogue import TOGGLES, client_dicts, guide_links, load_variant, render_dialogue
from macros.scenarios import server_name, with_server_name
from support.browser import ROOT

CLIENTS = client_dicts(load_file(ROOT / DATA_FILE, DATA_FILE).clients)


class _Variants(HTMLParser):
    """Collects the data-* attributes of every variant and every element's tag."""

    def __init__(self) -> None:
        super().__init__()
        self.variants: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if "data-smtp-variant" in a:
            self.variants.append(a)


def parse(html: str) -> _Variants:
    parser = _Variants()
    parser.feed(html)
    return parser


def test_every_toggle_combination_is_pre_rendered_from_a_scenario_file() -> None:
    html = render_dialogue(ROOT, "exim-no-auth", clients=CLIENTS)
    variants = parse(str(html)).variants
    cells = {(v["data-software"], v["data-auth"], v["data-port"]) for v in variants}
    assert len(variants) == len(cells) == len(smtpsim.registry.names()) * 2 * 3
    assert variants[0]["data-variant-id"] == "exim-no-auth" and "hidden" not in variants[0]
    assert all("hidden" in v for v in variants[1:]), "only the page's own story shows without JavaScript"
    for v in variants:
        assert (ROOT / "examples" / "scenarios" / f"{v['data-variant-id']}.yml").is_file()
        placed = load_variant(ROOT, str(v["data-variant-id"]))
        assert (placed.software, placed.auth, placed.port) == (
            v["data-software"],
            v["data-auth"],
            v["data-port"],
        )
    # toggling authentication on the 503 story shows the same story signed in (exim-auth), not a copy
    assert {v["data-variant-id"] for v in variants if v["data-port"] == "25"} >= {
        "exim-auth",
        "postfix-no-auth",
    }


def test_transcript_lines_and_captions_come_from_the_engine() -> None:
    html = str(render_dialogue(ROOT, "exim-no-auth", toggles=[], clients=CLIENTS))
    transcript = smtpsim.run_scenario(  # served under SmartHost's host from data/clients.yml
        with_server_name(
            smtpsim.load_scenario(str(ROOT / "examples/scenarios/exim-no-auth.yml")), server_name(ROOT)
        )
    )
    for step in transcript.steps:
        for line in step.reply:
            assert (
                f'<span class="smtp-wire">{line.replace("<", "&lt;").replace(">", "&gt;")}</span>'
                in html.replace("&#34;", '"').replace("&#39;", "'")
            )
        if step.reason:
            assert smtpsim.REASONS[step.reason].replace("'", "&#39;").replace('"', "&#34;") in html
    assert html.count("smtp-step--refused") == 2, "the refused RCPT and the 503"
    assert "data-smtp-toggle" not in html, "toggles=[] renders no toggle"


def test_client_wording_and_links() -> None:
    thunderbird = str(
        render_dialogue(
            ROOT, "exim-no-auth", client="thunderbird", clients=CLIENTS, page_url="clients/thunderbird/"
        )
    )
    assert "Authentication method: Normal password" in thunderbird
    assert '<span class="smtp-who">Thunderbird</span>' in thunderbird
    assert "data-smtp-console" not in thunderbird, "client guides get no console unless asked"
    outlook = str(render_dialogue(ROOT, "exim-no-auth", client="outlook-classic-windows", clients=CLIENTS))
    assert "My outgoing (SMTP) server requires authentication" in outlook
    article = str(
        render_dialogue(
            ROOT, "exim-no-auth", clients=CLIENTS, page_url="errors/503-valid-rcpt-command-must-precede-data/"
        )
    )
    assert "My outgoing server requires authentication" in article and "data-smtp-console" in article
    hrefs = set(re.findall(r'href="([^"]+)"', article))
    assert "../../clients/thunderbird/" in hrefs and len(hrefs) == len(CLIENTS)


def test_guide_links_are_relative_to_the_page(tmp_path: Path) -> None:
    (tmp_path / "clients").mkdir()
    (tmp_path / "clients" / "thunderbird.md").write_text("# T\n", encoding="utf-8")
    clients = [{"id": "thunderbird", "name": "Thunderbird"}, {"id": "ios-mail", "name": "iOS"}]
    assert guide_links(tmp_path, "", clients, None) == [
        {"href": "clients/thunderbird/", "name": "Thunderbird"}
    ]
    assert guide_links(tmp_path, "errors/x/", clients, None)[0]["href"] == "../../clients/thunderbird/"
    assert guide_links(tmp_path, "clients/thunderbird/", clients, "thunderbird")[0]["href"] == "#steps"
    assert guide_links(tmp_path, "clients/ios-mail/", clients, None)[0]["href"] == "../thunderbird/"


def test_scenario_text_is_escaped(tmp_path: Path) -> None:
    """A hostile line in a scenario file is shown as text, never as markup."""
    (tmp_path / "examples" / "scenarios").mkdir(parents=True)
    shutil.copytree(ROOT / "macros" / "templates", tmp_path / "macros" / "templates")
    (tmp_path / "examples" / "scenarios" / "evil.yml").write_text(
        'title: "<b>bold</b>"\nserver: {software: exim}\nsteps:\n  - "EHLO <img src=x onerror=alert(1)>"\n',
        encoding="utf-8",
    )
    html = str(render_dialogue(tmp_path, "evil", toggles=[], console=False))
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert set(parse(html).tags) <= {
        "section",
        "div",
        "p",
        "span",
        "code",
        "ol",
        "li",
        "strong",
        "button",
        "ul",
        "a",
        "details",
        "summary",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"toggles": ["colour"]}, "unknown toggles"), ({"client": "pine"}, "unknown client")],
)
def test_bad_options_are_clear_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_dialogue(ROOT, "exim-no-auth", clients=CLIENTS, **kwargs)


def test_unknown_scenario_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="exim-no-auth"):
        render_dialogue(ROOT, "exim-nope", clients=CLIENTS)
    assert set(TOGGLES) == {"auth", "port", "software"}


def test_outcome_links_resolve_in_the_built_site(built_site: Path) -> None:
    """Raw-HTML links are not checked by mkdocs --strict, so check every guide link the stepper shows."""
    checked = 0
    for index in built_site.rglob("index.html"):
        html = index.read_text(encoding="utf-8")
        for block in re.findall(r'<ul class="smtp-outcome__links">(.*?)</ul>', html, flags=re.DOTALL):
            for href in re.findall(r'href="([^"]+)"', block):
                if href.startswith("#"):
                    assert f'id="{href[1:]}"' in html, (index, href)
                else:
                    assert (index.parent / href / "index.html").resolve().is_file(), (index, href)
                checked += 1
    assert checked >= 7, "the article and the guides link to the client guides"
