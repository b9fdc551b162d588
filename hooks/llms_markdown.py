"""What the Markdown copy of a page (``<page>/index.md``, listed in ``/llms.txt``) is made from: the
page's built HTML, macros expanded, reshaped for a reader that gets text only (an AI assistant, a
support agent's tool). mkdocs-llmstxt (``plugins: llmstxt`` in mkdocs.yml) calls :func:`preprocess`
on each page's content before it converts it with markdownify; the functions here are plain
BeautifulSoup edits, so the same copy can be made after any builder (docs/staff/toolchain.md).

- tabs become headed sections: each tab's label a heading one level below the section's heading
  (the plugin's own clean-up would drop the labels and leave the reader guessing which provider a
  table belongs to);
- a dialogue (``smtp_dialogue``) becomes a transcript: one fenced block, each wire line prefixed by
  who sent it, each step's caption as a ``#`` line; the alternatives the toggles switch to
  (``<template>``) are left out, as on a page without JavaScript;
- what only works with JavaScript (toggles, buttons, the console) is left out.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from mkdocs_llmstxt import autoclean

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _level_below(tag: Tag) -> int:
    """The heading level for sections inside *tag*: one below the nearest heading before it."""
    previous = tag.find_previous(HEADINGS)
    return min(int(previous.name[1]) + 1, 6) if isinstance(previous, Tag) else 2


def tabs_to_sections(soup: BeautifulSoup) -> None:
    """``pymdownx.tabbed`` (alternate style) sets -> a heading per tab label, then the tab's content."""
    for tabbed in soup.select("div.tabbed-set"):
        labels = [tab.get_text(" ", strip=True) for tab in tabbed.select(":scope > .tabbed-labels > label")]
        blocks = tabbed.select(":scope > .tabbed-content > .tabbed-block")
        level = _level_below(tabbed)
        section = soup.new_tag("div")
        for label, block in zip(labels, blocks, strict=True):
            heading = soup.new_tag(f"h{level}")
            heading.string = label
            section.append(heading)
            section.extend(list(block.contents))
        tabbed.replace_with(section)


def _transcript(variant: Tag) -> str:
    lines: list[str] = []
    for step in variant.select("li.smtp-step"):
        for line in step.select(".smtp-line"):
            who = line.select_one(".smtp-who")
            name = who.get_text(strip=True) if who else ""
            lines += [f"{name}: {wire.get_text()}" for wire in line.select(".smtp-wire")]
        caption = step.select_one(".smtp-caption")
        if caption:
            lines.append(f"# {caption.get_text(' ', strip=True)}")
    return "\n".join(lines)


def dialogues_to_transcripts(soup: BeautifulSoup) -> None:
    """Each shown dialogue variant -> its title as a paragraph and a ``text`` block of the exchange."""
    for template in soup.select("section.smtp-dialogue template"):
        template.decompose()
    for variant in soup.select("section.smtp-dialogue .smtp-variant"):
        steps = variant.select_one("ol.smtp-steps")
        if steps is None:
            continue
        pre = soup.new_tag("pre", attrs={"class": "language-text"})
        code = soup.new_tag("code")
        code.string = _transcript(variant)
        pre.append(code)
        steps.replace_with(pre)


def drop_script_only(soup: BeautifulSoup) -> None:
    """Controls that do nothing without JavaScript (``data-help-js-only``), and <noscript> notes."""
    for tag in soup.select("[data-help-js-only], noscript, button"):
        tag.decompose()


def preprocess(soup: BeautifulSoup, output: str) -> None:
    """mkdocs-llmstxt's ``preprocess`` entry point (*output*: the .md path it will write)."""
    drop_script_only(soup)
    dialogues_to_transcripts(soup)
    tabs_to_sections(soup)
    autoclean(soup)
