"""Every field of every data file x the hostile payloads (issue 21 #2, #4, #10), through the real
loaders and macros: a value is either refused with ``file:line: key: message`` (never a traceback)
or rendered harmless -- no script, comment, ``javascript:`` link or control character reaches the
page's HTML, and nothing is evaluated as Jinja.  (A strict build of such data, served by nginx
with the production CSP to Chromium: tests/publish/test_publish_hostile_data.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.exceptions import PluginError
from pymdownx.slugs import slugify

from support import data_fuzz as fz
from support.yaml_read import read_yaml

ORIGINAL = {name: read_yaml(fz.ROOT / "data" / f"{name}.yml") for name in fz.DATA_FILES}
ERROR_LINE = re.compile(r"^  data/(\w+)\.yml:(\d+): (.+?): (.+)$")
MARKDOWN = markdown.Markdown(
    extensions=[
        "admonition",
        "attr_list",
        "md_in_html",
        "toc",
        "pymdownx.details",
        "pymdownx.superfences",
        "pymdownx.tabbed",
    ],
    extension_configs={"pymdownx.tabbed": {"alternate_style": True, "slugify": slugify(case="lower")}},
)  # fmt: skip  (mkdocs.yml's markdown_extensions)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return fz.scratch_project(tmp_path)


def _load(project: Path) -> tuple[fz.FakeEnv | None, list[str]]:
    """The registered macros, or the lines of the build's error message."""
    try:
        return fz.register(project), []
    except PluginError as exc:
        return None, str(exc).splitlines()[1:]


def _problems(lines: list[str], name: str, text: str) -> list[tuple[int, str]]:
    """(line, key) of each problem, each checked to read ``data/<name>.yml:LINE: key: message``."""
    assert lines
    found = []
    for line in lines:
        m = ERROR_LINE.match(line)
        assert m and m.group(1) == name, line
        assert 0 < int(m.group(2)) <= text.count("\n"), line
        found.append((int(m.group(2)), m.group(3)))
    return found


def _harmless(markdown_text: str) -> None:
    """The HTML the Markdown becomes runs nothing and hides nothing."""
    out = MARKDOWN.reset().convert(markdown_text)
    # no script element at all: not from data, and no data block either (the diagnosis reads its data
    # from /api/diagnoses.json; an inline JSON block would run as script after instant navigation)
    assert not re.search(r"<script\b", out, re.IGNORECASE), out[:200]
    assert fz.SCRIPT not in out and "<!--<script" not in out
    assert not re.search(r"(href|src)=\"?\s*javascript:", out, re.IGNORECASE)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", out)


@pytest.mark.parametrize("name", fz.DATA_FILES)
def test_markup_in_every_text_is_shown_not_run(project: Path, name: str) -> None:
    """A script, a comment opener and Jinja appended to every text field the schema takes them in
    (the others refuse them by type or pattern; dropped one round at a time), then every macro."""
    data = ORIGINAL[name]
    paths = [p for p in fz.leaves(data) if isinstance(_at(data, p), str) and p[-1] != "match"]  # see EXEMPT
    for _ in range(6):
        text = fz.mutated_text(data, paths, fz.MARKUP)
        (project / "data" / f"{name}.yml").write_text(text, encoding="utf-8")
        env, lines = _load(project)
        if env is not None:
            break
        refused = {line for line, _ in _problems(lines, name, text)}
        keep = [p for p, line in zip(paths, _lines(text, paths), strict=True) if line not in refused]
        assert len(keep) < len(paths), lines
        paths = keep
    assert env is not None
    assert len(paths) > 40, "too few fields take text"  # the texts named in the issue are among them
    assert any(p[-1] == "username" for p in paths) or name != "clients"
    outputs = [str(out) for out in fz.rendered(env)]
    assert any("&lt;script&gt;alert(document.domain)" in out for out in outputs)
    assert any("{{ 7*7 }}" in out for out in outputs)  # shown as typed, never evaluated
    for out in outputs:
        _harmless(out)


@pytest.mark.parametrize("kind", sorted(fz.REFUSED))
@pytest.mark.parametrize("name", fz.DATA_FILES)
def test_every_field_refuses_links_control_characters_and_huge_values(
    project: Path, name: str, kind: str
) -> None:
    """The payload in every field at once: the build stops, and the message names each field's line."""
    data = ORIGINAL[name]
    paths = (
        fz.fields(data) if kind == "huge" else fz.leaves(data)
    )  # huge: the first of each field, 10 KB each
    text = fz.mutated_text(data, paths, fz.REFUSED[kind])
    (project / "data" / f"{name}.yml").write_text(text, encoding="utf-8")
    env, lines = _load(project)
    assert env is None
    refused = {line for line, _ in _problems(lines, name, text)}
    missed = [p for p, line in zip(paths, _lines(text, paths), strict=True) if line not in refused]
    missed = [p for p in missed if kind not in EXEMPT.get((name, p[-1]), ())]
    assert missed == [], f"{len(missed)} fields took {kind!r}: {missed[:5]}"


#: A recogniser's ``match`` is a regular expression (H3's rules), exported as JSON, never shown as
#: text: a link or a control-character escape in it is its own business; its length is capped.
EXEMPT = {("diagnoses", "match"): ("javascript-link", "control-characters")}


DATE_FIELDS = sorted(
    {
        (name, p[-1])
        for name in fz.DATA_FILES
        for p in fz.leaves(ORIGINAL[name])
        if p[-1] in ("checked", "date")
    }
)


@pytest.mark.parametrize(("name", "key"), DATE_FIELDS)
def test_a_date_that_does_not_exist_is_one_line(project: Path, name: str, key: str) -> None:
    """``checked: 2026-02-30`` (a typo) ended the strict build in a traceback (issue 21 #4)."""
    data = ORIGINAL[name]
    path = next(p for p in fz.leaves(data) if p[-1] == key)
    text = fz.mutated_text(data, [path], "2026-02-30", unquoted=True)
    (project / "data" / f"{name}.yml").write_text(text, encoding="utf-8")
    env, lines = _load(project)
    assert env is None and len(lines) == 1
    ((line, problem_key),) = _problems(lines, name, text)
    assert problem_key == key and text.splitlines()[line - 1].strip().endswith(f"{key}: 2026-02-30")
    assert lines[0].endswith("'2026-02-30' cannot be read: day is out of range for month")


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _lines(text: str, paths: list[tuple[str | int, ...]]) -> list[int]:
    """The line of each path in *text* (parsed again with the project's line-tracking loader)."""
    from macros.yamlfile import line_of, parse_yaml

    parsed = parse_yaml(text, "x")
    return [line_of(parsed, p) or 0 for p in paths]


@pytest.mark.parametrize("name", fz.DATA_FILES)
def test_numbers_and_yes_no_values_are_strict(project: Path, name: str) -> None:
    """Issue 21 #10: ``port: "587 "`` was read as 587 and ``verified: "yes"`` as true."""
    data = ORIGINAL[name]
    loose = {
        p: ("yes" if isinstance(v, bool) else f"{v} ")
        for p in fz.leaves(data)
        if isinstance(v := _at(data, p), int | bool) and not isinstance(v, float)
    }
    assert loose, name
    text = fz.replaced_text(data, loose)  # all at once: each is its own problem
    (project / "data" / f"{name}.yml").write_text(text, encoding="utf-8")
    env, lines = _load(project)
    assert env is None
    refused = {line for line, _ in _problems(lines, name, text)}
    assert [p for p, line in zip(loose, _lines(text, list(loose)), strict=True) if line not in refused] == []
