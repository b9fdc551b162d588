"""Data values that are safe to put on a page, by construction (issue 21 #2, #10).

Every text of a data file reaches a page through a Markdown template, so each is one of two kinds,
named in the schemas:

* :data:`PlainText` -- shown as typed: HTML-escaped when rendered (the templates autoescape,
  :func:`markdown_templates`), no control characters but the line break, bounded length;
* :data:`MarkdownText` -- written in Markdown and rendered as such: no raw HTML at all (no tag,
  comment or ``<...>`` autolink outside a code span), validated once and then carried as
  :class:`markupsafe.Markup` so the templates insert it unescaped.

Both kinds refuse links (``[text](url)``, ``[ref]: url``) whose scheme is not ``http``, ``https`` or
``mailto`` (relative links are fine): Markdown makes a link of escaped text too, and browsers
run a ``javascript:`` one (they ignore tabs, line breaks and case in the scheme, and decode
character references, so the check does too).  Numbers, yes/no values and dates are strict
(:data:`StrictInt`, :data:`StrictBool`, :data:`StrictDate`): ``port: "587 "`` or
``verified: "yes"`` is an error, not 587 and true.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Annotated, Any

import jinja2
from markupsafe import Markup, escape
from pydantic import (
    AfterValidator,
    BeforeValidator,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

__all__ = [
    "MAX_TEXT_CHARS",
    "MarkdownText",
    "PlainLines",
    "PlainText",
    "Source",
    "StrictBool",
    "StrictDate",
    "StrictFloat",
    "StrictInt",
    "Url",
    "cell",
    "check_links",
    "code_line",
    "code_templates",
    "html_text",
    "markdown_templates",
]

MAX_TEXT_CHARS = 8000  # the longest text in data/ is under 2,000 characters
SAFE_SCHEMES = ("http", "https", "mailto")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
#: Link destinations: inline ``](dest``, reference definitions ``[ref]: dest``.
_DESTINATIONS = re.compile(r"\]\(\s*<?([^)>\s]*)|^\s{0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _date_or_iso(value: Any) -> Any:
    """A YAML date or an ISO ``YYYY-MM-DD`` string (JSON has no dates); never a number, which
    pydantic would read as seconds since 1970, nor a date and time."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise ValueError(f"{value!r} is not a valid date (YYYY-MM-DD)")
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{value!r} is not a valid date (YYYY-MM-DD)")
    return value


StrictDate = Annotated[dt.date, BeforeValidator(_date_or_iso)]


def _no_control(value: str, pattern: re.Pattern[str] = _CONTROL) -> str:
    if m := pattern.search(value):
        raise ValueError(f"control character U+{ord(m.group()):04X} at position {m.start()} is not allowed")
    return value


def check_links(value: str) -> str:
    """Refuse a Markdown link whose scheme is not http, https or mailto (relative links pass)."""
    for m in _DESTINATIONS.finditer(value):
        dest = m.group(1) if m.group(1) is not None else m.group(2) or ""
        scheme = _url_scheme(dest)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            raise ValueError(
                f"link to {dest[:40]!r}: only http, https, mailto and relative links are allowed"
            )
    return value


def _plain(value: str) -> str:
    return check_links(_no_control(value))


def _lines(value: str) -> str:
    return check_links(_no_control(value, _CONTROL_BUT_NEWLINE))


def _url_scheme(value: str) -> str | None:
    """The scheme a browser would read in *value* (it decodes character references, drops tabs and
    line breaks anywhere and control characters and spaces around it), lower case."""
    plain = re.sub(r"[\t\n\r]", "", html.unescape(value)).strip("\x00- ")
    m = _SCHEME.match(plain)
    return m.group(1).lower() if m else None


def _source(value: str) -> str:
    """A URL (http or https) or the name of a document (it has spaces); pages link the URLs."""
    if not re.search(r"\s", value) and _url_scheme(value) not in (None, "http", "https"):
        raise ValueError(f"{value[:40]!r}: a source is an http(s) URL or the name of a document")
    return _plain(value)


def _url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s<>\"'`\\]+", value):
        raise ValueError(f"{value[:40]!r} is not an http(s) URL")
    return value


def _markdown(value: str) -> Markup:
    check_links(_no_control(value, _CONTROL_BUT_NEWLINE))
    outside_code = _CODE_SPAN.sub("", value)
    if m := _RAW_HTML.search(outside_code):
        near = outside_code[m.start() : m.start() + 20]
        raise ValueError(
            f"raw HTML ({near!r}) is not allowed in Markdown text; write Markdown, or put "
            "literal text in `backticks`"
        )
    return Markup(value)


_LENGTH = StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS, strip_whitespace=True)

#: A text shown as typed (HTML-escaped on every page), on one line.
PlainText = Annotated[str, _LENGTH, AfterValidator(_plain)]

#: The same, over several lines (a quoted server reply, a window's text).
PlainLines = Annotated[str, _LENGTH, AfterValidator(_lines)]

#: Where a fact was read: an http(s) URL (linked) or a document's name.
Source = Annotated[str, _LENGTH, AfterValidator(_source)]

#: An http(s) URL (always linked).
Url = Annotated[str, _LENGTH, AfterValidator(_url)]

#: A text written in Markdown (rendered; no raw HTML, safe links only).
MarkdownText = Annotated[
    str,
    _LENGTH,
    AfterValidator(_markdown),
    WithJsonSchema(
        {"type": "string", "minLength": 1, "contentMediaType": "text/markdown",
         "description": "Markdown without raw HTML; links only http, https, mailto or relative"}
    ),
]  # fmt: skip


def html_text(value: object) -> Markup:
    """A value HTML-escaped (``Markup`` passes as it is)."""
    return escape(value if isinstance(value, Markup) else str(value))


def cell(value: object) -> Markup:
    """A value for a Markdown table cell: escaped, ``|`` cannot end the cell, on one line."""
    return Markup(str(html_text(value)).replace("|", "&#124;").replace("\n", " "))


def code_line(value: object) -> Markup:
    """A value on a line of a fenced code block, which Markdown escapes itself (HTML-escaping it
    here would show ``&#34;``): it must not open a line of its own or end the fence."""
    text = str(value)
    if "\n" in text or "\r" in text or "```" in text:
        raise ValueError(f"{text[:40]!r} cannot go into a code block (a line break or ```)")
    return Markup(text)


def _templates(directory: Path, autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def markdown_templates(directory: Path, **filters: Any) -> jinja2.Environment:
    """Templates that write Markdown (or HTML inside it): every value HTML-escaped unless it is
    ``Markup`` (validated :data:`MarkdownText`, or HTML a macro built), undefined names fail."""
    env = _templates(directory, autoescape=True)
    env.filters.update(html=html_text, cell=cell, code_line=code_line, **filters)
    return env


def code_templates(directory: Path) -> jinja2.Environment:
    """Templates that write code samples (shown in fenced blocks, run by the tests): not escaped."""
    return _templates(directory, autoescape=False)
