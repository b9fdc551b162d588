#!/usr/bin/env python3
"""Content-Security-Policy hash sources for a built (or mike-deployed) help centre.

Material for MkDocs, mike and mkdocs-redirects write small *inline* scripts into every page (the
``__md_scope`` bootstrap, palette/tab/outdated restorers, redirect stubs). A policy without
``'unsafe-inline'`` must list each one as a hash source (CSP Level 3, section 8.4 "Does a source
list allow all inline behavior"; hash sources: ``'sha256-<base64 of SHA-256 of the script text>'``).

This scans every ``*.html`` under a served root (``site/`` or a checkout of the mike ``gh-pages``
branch, all versions at once), hashes the text of each inline *executable* ``<script>`` it knows
(:data:`KNOWN_INLINE_SCRIPTS`: Material's, mike's and mkdocs-redirects', exact text but for a URL
path) and writes an nginx snippet of ``map`` blocks that ``deploy/nginx.conf`` includes::

    python3 deploy/csp.py site/ -o /srv/help-centre/conf/csp-hashes.conf

It also puts the origin of the feedback endpoint (``<meta name="help:feedback-endpoint">``) into
``connect-src`` so ``navigator.sendBeacon`` is allowed. It fails (exit 1) on any other inline script
(hashing whatever it found would allow a ``<script>`` that slipped in from a data file: issue 21),
on inline event handler attributes and on ``javascript:`` URLs, which hashes cannot allow without
``'unsafe-hashes'``.  The strict build runs the same check (``hooks/inline_scripts.py``).
Standard library only: it runs on the web server with the system Python.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

#: ``type`` values that make a script executable (HTML Living Standard, "the script element");
#: anything else (``application/json`` for Material's ``__config``) is a data block, not run.
EXECUTABLE_TYPES = {
    "",
    "text/javascript",
    "application/javascript",
    "module",
    "text/ecmascript",
    "application/ecmascript",
    "text/jscript",
    "text/livescript",
}


#: What may stand where a known script names a URL: a relative or absolute path (with a query or
#: fragment), never a quote, backslash, bracket or space that could end the string.
_URL = "[A-Za-z0-9._~/%#?&=:+-]*"

#: The inline scripts the site's tools write, by where they come from: exact text, ``{url}`` standing
#: for :data:`_URL`.  A tool upgrade that changes one fails the build and this tool (update it here
#: after reading the new text).
KNOWN_INLINE_SCRIPTS: dict[str, str] = {
    "Material partials/javascripts/base.html": (
        '__md_scope=new URL("{url}",location),'
        "__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),"
        '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
        '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}'
        "catch(e){}}"
    ),
    "Material partials/javascripts/palette.html": (
        'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"==='
        'palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.'
        "querySelector(media.matches?\"[data-md-color-media='(prefers-color-scheme: light)']\":"
        "\"[data-md-color-media='(prefers-color-scheme: dark)']\");palette.color.media=input.getAttribute("
        '"data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),'
        'palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent='
        'input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))'
        'document.body.setAttribute("data-md-color-"+key,value)}'
    ),
    "Material partials/javascripts/content.html (content.tabs.link)": (
        'var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll('
        '".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label '
        'of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.'
        "getElementById(label.htmlFor);input.checked=!0;continue e}}"
    ),
    "Material partials/javascripts/content.html": (
        "var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked="
        'target.name.startsWith("__tabbed_"))'
    ),
    "Material partials/javascripts/announce.html": (
        'var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector('
        '".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}'
    ),
    # with the fix of hooks/versioning.py (",location"); Material 9.8 writes it without
    "Material partials/javascripts/outdated.html": (
        'var el=document.querySelector("[data-md-component=outdated]"),base=new URL("{url}",location),'
        'outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)'
    ),
    "Material redirect.html": (
        'window.location.replace(["{url}",window.location.search,window.location.hash].join(""))'
    ),
    "mike templates/index.html": '\n    window.location.replace("{url}");\n  ',
    "mike templates/redirect.html": (
        '\n    window.location.replace(\n      "{url}" + window.location.search'
        " + window.location.hash\n    );\n  "
    ),
    "mkdocs-redirects plugin.py": (
        'var anchor=window.location.hash.substr(1);location.href="{url}"+(anchor?"#"+anchor:"")'
    ),
}

_KNOWN = re.compile(
    "|".join(
        f"(?:{re.escape(text).replace(re.escape('{url}'), _URL)})" for text in KNOWN_INLINE_SCRIPTS.values()
    )
)


def known_script(code: str) -> bool:
    """Whether *code* is, exactly, one of :data:`KNOWN_INLINE_SCRIPTS`."""
    return _KNOWN.fullmatch(code) is not None


@dataclass
class PageScan:
    """Inline code found in one HTML document."""

    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_attributes: int = 0
    handlers: list[str] = field(default_factory=list)
    feedback_endpoints: set[str] = field(default_factory=set)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scan = PageScan()
        self._in: str | None = None  # "script" / "style" while inside an inline one
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        for name, value in a.items():
            if name.startswith("on"):
                self.scan.handlers.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.scan.handlers.append(f"<{tag} {name}=javascript:...>")
        if "style" in a:
            self.scan.style_attributes += 1
        if tag == "meta" and a.get("name") == "help:feedback-endpoint" and a.get("content"):
            self.scan.feedback_endpoints.add(a["content"])
        if tag == "script" and "src" not in a and a.get("type", "").strip().lower() in EXECUTABLE_TYPES:
            self._in, self._buf = "script", []
        elif tag == "style":
            self._in, self._buf = "style", []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in == tag:
            (self.scan.scripts if tag == "script" else self.scan.styles).append("".join(self._buf))
            self._in = None


def scan_html(text: str) -> PageScan:
    """Inline scripts/styles (exact source text, as the browser hashes it) of one document."""
    parser = _Scanner()
    parser.feed(text.replace("\r\n", "\n").replace("\r", "\n"))  # the parser's newline normalisation
    parser.close()
    return parser.scan


def hash_source(code: str) -> str:
    """``'sha256-…'`` for *code*: SHA-256 of its UTF-8 bytes, base64 (CSP3 §2.3.1 hash-source)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


@dataclass
class SiteScan:
    """Union over every page of a served tree."""

    pages: int = 0
    script_hashes: set[str] = field(default_factory=set)
    style_hashes: set[str] = field(default_factory=set)
    style_attributes: int = 0
    handlers: dict[str, list[str]] = field(default_factory=dict)
    connect_origins: set[str] = field(default_factory=set)
    unknown_scripts: dict[str, list[str]] = field(default_factory=dict)  # page: first 80 characters of each

    def problems(self) -> list[str]:
        """One line per page with an inline handler, ``javascript:`` URL or unknown inline script."""
        out = [
            f"inline handler in {page}: {', '.join(found)}" for page, found in sorted(self.handlers.items())
        ]
        out += [
            f"unknown inline script in {page} (not one of deploy/csp.py KNOWN_INLINE_SCRIPTS): {start!r}"
            for page, starts in sorted(self.unknown_scripts.items())
            for start in starts
        ]
        return out


def scan_site(root: Path) -> SiteScan:
    """Scan every ``*.html`` under *root* (symlinked mike aliases are followed once per file)."""
    result = SiteScan()
    seen: set[Path] = set()
    for path in sorted(root.rglob("*.html")):
        real = path.resolve()
        if real in seen or not real.is_file():
            continue
        seen.add(real)
        page = scan_html(real.read_text(encoding="utf-8", errors="replace"))
        result.pages += 1
        for code in page.scripts:
            if known_script(code):
                result.script_hashes.add(hash_source(code))
            else:
                result.unknown_scripts.setdefault(str(path.relative_to(root)), []).append(code[:80])
        result.style_hashes.update(hash_source(s) for s in page.styles)
        result.style_attributes += page.style_attributes
        if page.handlers:
            result.handlers[str(path.relative_to(root))] = page.handlers
        for endpoint in page.feedback_endpoints:
            parts = urlsplit(endpoint)
            if parts.scheme in ("http", "https") and parts.netloc:
                result.connect_origins.add(f"{parts.scheme}://{parts.netloc}")
    return result


_SAFE = re.compile(r"^[A-Za-z0-9+/=' :./_-]*$")


def render_nginx(scan: SiteScan, source: str) -> str:
    """The nginx snippet: ``map`` blocks defining the variables deploy/nginx.conf puts in its CSP."""

    def value(items: set[str]) -> str:
        text = " ".join(sorted(items))
        if not _SAFE.match(text):  # never let page content break out of the nginx string
            raise ValueError(f"unexpected characters in CSP source list: {text!r}")
        return text

    return (
        f"# Generated by deploy/csp.py from {source} ({scan.pages} pages) -- do not edit; re-run after\n"
        "# every deploy (a new Material version changes its inline scripts).\n"
        "map $host $help_csp_script_hashes {\n"
        f'    default "{value(scan.script_hashes)}";\n'
        "}\n"
        "map $host $help_csp_style_hashes {\n"
        f'    default "{value(scan.style_hashes)}";\n'
        "}\n"
        "map $host $help_csp_connect_extra {\n"
        f'    default "{value(scan.connect_origins)}";\n'
        "}\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path, help="served directory: site/ or a gh-pages checkout")
    ap.add_argument("-o", "--output", type=Path, help="nginx snippet to write (default: stdout)")
    args = ap.parse_args(argv)
    if not args.root.is_dir():
        ap.error(f"{args.root} is not a directory")
    scan = scan_site(args.root)
    if scan.problems():
        for problem in scan.problems():
            print(f"csp: {problem}", file=sys.stderr)
        return 1
    text = render_nginx(scan, str(args.root))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(
        f"csp: {scan.pages} pages, {len(scan.script_hashes)} inline script hashes, "
        f"{len(scan.style_hashes)} <style> hashes, {scan.style_attributes} style attributes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
