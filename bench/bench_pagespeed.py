"""Page speed of the 503 article against a plain Material page holding the same text (issue 11).

Lighthouse 12 (npm, ``node_modules/.bin/lighthouse``; Debian's Chromium through ``CHROME_PATH``),
mobile profile with its default simulated throttling (slow 4G, 4x CPU slowdown), performance category
only. Both pages are served by the same loopback static server (``tests/support/site_build.QuietHandler``,
compressing text files with gzip as deploy/nginx.conf does; ``BENCH_GZIP=0`` turns that off): the
real site is built with ``mkdocs build --strict``; the plain page is generated here, a one-page Material
site (same theme settings, no extra CSS/JS, no plugins but search) whose page holds the article's text
(headings, paragraphs, list items and table cells as plain Markdown), written into the same served
directory, with the site's own search index (Material fetches it on every page of a site, so a plain
page of this site loads it too). Runs are interleaved (article, plain, article, plain, ...) so that the
machine's load hits both alike. Prints, per page, the median first and largest contentful paint, the
ratio article/plain (target: within 10 %, i.e. ≤ 1.10), the requests before interaction, the bytes the
server sent and what those files weigh gzip-compressed (level 6), and what Lighthouse names as
render-blocking. ``BENCH_RUNS`` (default 6) runs per page; ``BENCH_KEEP=<dir>`` keeps the Lighthouse JSON
reports there for a closer look (``lighthouse-viewer`` or ``jq``). Figures only: nothing here
asserts a speed.
"""

from __future__ import annotations

import gzip
import html.parser
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from support.site_build import CHROMIUM, QuietHandler, build_and_serve  # tests/ is on PYTHONPATH (make bench)

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = "/errors/503-valid-rcpt-command-must-precede-data/"
PLAIN_DIR = "plain-bench"
SEARCH_INDEX = "search/search_index.json"
RUNS = int(os.environ.get("BENCH_RUNS", "6"))
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PLAIN_MKDOCS = """site_name: SmartHost Help Centre
site_url: https://plain.example/
theme:
  name: material
  font: false
  language: en
  features: [content.code.copy, content.tabs.link, navigation.instant, navigation.sections, navigation.top,
             search.highlight, search.suggest]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
plugins: [search]
"""
#: Compressed as deploy/nginx.conf does (gzip_types); BENCH_GZIP=0 serves every file as it is.
GZIP = os.environ.get("BENCH_GZIP", "1") != "0"
#: BENCH_KEEP=<dir>: keep every Lighthouse report there.
KEEP = Path(os.environ["BENCH_KEEP"]) if os.environ.get("BENCH_KEEP") else None
GZIP_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")


class GzipHandler(QuietHandler):
    """The static server, compressing text files (gzip level 5, as nginx is configured) for clients
    that accept it: the article and the plain page are both served as a deployed site serves them."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"  # (a directory without its slash: the parent's redirect)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (GZIP and accepts and path.is_file() and path.suffix in GZIP_TYPES):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 5)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "td", "th", "pre", "dt", "dd", "summary", "figcaption"}


class _Text(html.parser.HTMLParser):
    """The text of an article's ``<article>`` as Markdown blocks (headings keep their level)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._in_article = 0
        self._stack: list[str] = []
        self._buf: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._in_article += 1
        if not self._in_article:
            return
        if tag in ("script", "style", "button", "select", "nav"):
            self._skip += 1
        if tag in BLOCKS:
            self._flush()
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._in_article:
            return
        if tag in ("script", "style", "button", "select", "nav"):
            self._skip = max(0, self._skip - 1)
        if tag in BLOCKS:
            self._flush()
            if self._stack:
                self._stack.pop()
        if tag == "article":
            self._in_article -= 1

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).replace("¶", "").split())
        self._buf = []
        if not text:
            return
        tag = self._stack[-1] if self._stack else "p"
        prefix = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "li": "- "}.get(tag, "")
        escaped = text.replace("<", "&lt;").replace("{", "&#123;")
        self.blocks.append(prefix + escaped)


def article_markdown(article_html: str) -> str:
    parser = _Text()
    parser.feed(article_html)
    parser.close()
    return "\n\n".join(parser.blocks) + "\n"


def build_plain(site: Path, markdown: str) -> None:
    """A one-page plain Material site with *markdown* as its page, into ``site/plain-bench/``."""
    with tempfile.TemporaryDirectory(prefix="plain-") as tmp:
        project = Path(tmp)
        (project / "docs").mkdir()
        (project / "mkdocs.yml").write_text(PLAIN_MKDOCS, encoding="utf-8")
        (project / "docs" / "index.md").write_text(markdown, encoding="utf-8")
        subprocess.run(
            [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d", str(site / PLAIN_DIR)],
            cwd=project,
            check=True,
            capture_output=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        )
    # Material's search fetches the site's whole index on every page: a plain page of THIS site loads
    # the help centre's index, not the one of a one-page site (which would flatter it by the index).
    shutil.copyfile(site / SEARCH_INDEX, site / PLAIN_DIR / SEARCH_INDEX)


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile, simulated throttling, performance only); the parsed JSON report."""
    proc = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed ({proc.returncode}): {proc.stderr[-2000:]}")
    if KEEP:
        KEEP.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, KEEP / out.name)
    return json.loads(out.read_text(encoding="utf-8"))


def figures(report: dict, site: Path) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    sent = sum(int(r.get("transferSize") or 0) for r in requests)
    gz = 0
    for r in requests:
        path = urlsplit(r["url"]).path
        file = site / path.lstrip("/")
        if file.is_dir() or path.endswith("/"):
            file = file / "index.html"
        if file.is_file():
            gz += len(gzip.compress(file.read_bytes(), 6))
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    observed = audits["metrics"]["details"]["items"][0]
    return {
        # Lantern builds its estimate from the unthrottled trace: whether Chrome painted before the
        # theme's start-up (DOMContentLoaded) decides how much work the estimate includes.
        "early": observed["observedFirstContentfulPaint"] < observed["observedDomContentLoaded"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "score": report["categories"]["performance"]["score"],
        "requests": len(requests),
        "sent": sent,
        "gzip": gz,
        "blocking": [urlsplit(b["url"]).path.rsplit("/", 1)[-1] for b in blocking],
        "urls": [(urlsplit(r["url"]).path, int(r.get("transferSize") or 0)) for r in requests],
        "lcp_element": (
            (audits.get("largest-contentful-paint-element", {}).get("details", {}).get("items") or [{}])[0]
            .get("items", [{}])[0]
            .get("node", {})
            .get("snippet", "")[:80]
        ),
    }


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("lighthouse is missing: run `make setup` (npm ci installs it)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-pagespeed-") as tmp_name:
        tmp = Path(tmp_name)
        site = tmp / "site"
        server, url, proc = build_and_serve(site, GzipHandler)
        try:
            if proc.returncode != 0:
                print(proc.stdout, proc.stderr, file=sys.stderr)
                return 1
            article_html = (site / ARTICLE.strip("/") / "index.html").read_text(encoding="utf-8")
            markdown = article_markdown(article_html)
            build_plain(site, markdown)
            plain_text = article_markdown((site / PLAIN_DIR / "index.html").read_text(encoding="utf-8"))
            print(
                f"plain page: {len(markdown.split())} words of the article's text "
                f"({len(plain_text.split())} on the built plain page); {RUNS} interleaved Lighthouse runs "
                f"each (mobile, simulated slow 4G + 4x CPU); text files served "
                f"{'gzip' if GZIP else 'uncompressed'}"
            )
            runs: dict[str, list[dict]] = {"article": [], "plain": []}
            for i in range(RUNS):
                for name, path in (("article", ARTICLE), ("plain", f"/{PLAIN_DIR}/")):
                    runs[name].append(figures(lighthouse(url + path, tmp / f"{name}-{i}.json"), site))
        finally:
            server.shutdown()
    med = {
        name: {k: statistics.median(r[k] for r in rs) for k in ("fcp", "lcp", "score")}
        for name, rs in runs.items()
    }
    for name, rs in runs.items():
        first = rs[0]
        fcps = ", ".join(f"{r['fcp'] / 1000:.2f}{'e' if r['early'] else ''}" for r in rs)
        lcps = ", ".join(f"{r['lcp'] / 1000:.2f}{'e' if r['early'] else ''}" for r in rs)
        print(
            f"{name:8} FCP {med[name]['fcp'] / 1000:.2f} s  LCP {med[name]['lcp'] / 1000:.2f} s  "
            f"score {med[name]['score']:.2f}  (FCP runs: {fcps}; LCP runs: {lcps})"
        )
        print(
            f"         {first['requests']} requests before interaction, {first['sent'] / 1024:.1f} KB sent "
            f"by the server ({'gzip' if GZIP else 'uncompressed'}), the files {first['gzip'] / 1024:.1f} KB "
            "as gzip -6; render-blocking: "
            f"{', '.join(first['blocking']) or 'none'}; LCP element: {first['lcp_element']}"
        )
    plain_names = {p.rsplit("/", 1)[-1] for p, _ in runs["plain"][0]["urls"]}
    extra = [(p, n) for p, n in runs["article"][0]["urls"] if p.rsplit("/", 1)[-1] not in plain_names]
    print(
        "article's requests a plain page does not make: "
        + ", ".join(f"{p} ({n / 1024:.1f} KB)" for p, n in extra)
    )
    print(
        "runs marked e: Chrome painted before DOMContentLoaded in the unthrottled trace, so the estimate "
        "leaves the theme's start-up out (the mix of such runs moves the medians; compare like with like)"
    )
    for early in (False, True):
        same = {name: [r for r in rs if r["early"] == early] for name, rs in runs.items()}
        if all(same.values()):
            ratios = [
                statistics.median(r[k] for r in same["article"])
                / statistics.median(r[k] for r in same["plain"])
                for k in ("fcp", "lcp")
            ]
            print(
                f"  runs that painted {'before' if early else 'after'} DOMContentLoaded "
                f"({len(same['article'])} article, {len(same['plain'])} plain): "
                f"FCP {ratios[0]:.2f}x, LCP {ratios[1]:.2f}x"
            )
    fcp = med["article"]["fcp"] / med["plain"]["fcp"]
    lcp = med["article"]["lcp"] / med["plain"]["lcp"]
    print(f"article / plain: FCP {fcp:.2f}x, LCP {lcp:.2f}x (target ≤ 1.10x each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
