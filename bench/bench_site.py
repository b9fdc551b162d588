"""Benchmark the help-centre build (``make bench`` runs it; prints figures, asserts nothing).

1. Strict build time of the real site.
2. A generated help centre of ~400 pages (N client guides + N articles, using the same macros and
   templates as the real site) built with mkdocs-macros, side by side with the SAME pages
   pre-rendered to plain Markdown and built without the macros plugin. The ratio is the macros
   overhead (target <= 1.25x).

Environment: BENCH_RUNS (default 3, median reported), BENCH_CLIENTS (default 200).
"""
from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
N = int(os.environ.get("BENCH_CLIENTS", "200"))

BASE_CONFIG = """\
site_name: Generated help centre
site_url: https://help.smarthost.example/
strict: true
theme:
  name: material
  font: false
  features: [content.code.copy, content.tabs.link, navigation.instant]
extra:
  support_portal: https://support.smarthost.example/
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - toc: {permalink: true}
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed: {alternate_style: true}
plugins:
  - search
"""
MACROS_PLUGIN = """\
  - macros:
      module_name: benchmacros
      render_by_default: false
      on_error_fail: true
      on_undefined: strict
      j2_comment_start_string: "{##"
      j2_comment_end_string: "##}"
"""
# Wraps the real macros package and, when BENCH_DUMP is set, saves each rendered page (the
# pre-rendered Markdown of the plain variant).
WRAPPER = """\
import os, sys
from pathlib import Path
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from macros import define_env, on_post_build  # noqa: E402,F401

def on_post_page_macros(env):
    dump = os.environ.get("BENCH_DUMP")
    if dump:
        out = Path(dump) / env.page.file.src_uri
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(env.markdown, encoding="utf-8")
"""

GUIDE = """\
---
render_macros: true
client: {cid}
---
# {name}: outgoing mail settings {{#top}}

Covers: {{{{ clients[page.meta.client].versions }}}}.

## Settings for your provider {{#settings}}

{{{{ settings_tabs(page.meta.client) }}}}

## Step by step {{#steps}}

{{{{ client_steps(page.meta.client) }}}}

## Still failing? {{#still-failing}}

{{{{ still_failing(page.meta.client) }}}}

{{{{ still_stuck() }}}}
"""

ARTICLE = """\
---
render_macros: true
---
# Sending problem {i} {{#top}}

Your email program {{{{ client_link("{cid}") }}}} was refused by the server. The usual reason is that it
does not sign in to the outgoing server ({{{{ host("smarthost") }}}}, port {{{{ port("smarthost") }}}},
{{{{ security("smarthost") }}}}).

## Fix {{#fix}}

Open {{{{ menu_path("{cid}") }}}} and set:

{{{{ settings_table("{cid}", "smarthost") }}}}

## Providers {{#providers}}

{{{{ provider_summary() }}}}

## Gmail notes {{#gmail}}

{{{{ provider_notes("gmail") }}}}

{{{{ still_stuck() }}}}
"""


@dataclass(frozen=True)
class Timing:
    wall: float   # elapsed seconds
    cpu: float    # user + system CPU seconds of the build process (robust when the box is shared)


def mkdocs_build(project: Path, dest: Path, env: dict[str, str] | None = None) -> Timing:
    """Time one ``mkdocs build --strict`` (fails loudly)."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **(env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"),
                           "-d", str(dest)], cwd=project, env=full_env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu)


def fmt(runs: list[Timing]) -> str:
    wall = statistics.median(t.wall for t in runs)
    cpu = statistics.median(t.cpu for t in runs)
    return (f"median {wall:.2f} s wall, {cpu:.2f} s CPU  "
            f"[wall {', '.join(f'{t.wall:.2f}' for t in runs)}; CPU {', '.join(f'{t.cpu:.2f}' for t in runs)}]")


def repeat_build(project: Path, work: Path) -> list[Timing]:
    runs = []
    for i in range(RUNS):
        dest = work / f"out-{project.name}-{i}"
        runs.append(mkdocs_build(project, dest))
        shutil.rmtree(dest, ignore_errors=True)
    return runs


def generated_data(n: int) -> dict:
    """The real providers and *n* clients cloned from the real ones with new ids."""
    real = yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))
    clients = []
    for i in range(n):
        base = dict(real["clients"][i % len(real["clients"])])
        base["id"] = f"{base['id']}-{i:03d}"
        base["tab_label"] = f"{base['tab_label']} {i:03d}"
        base["name"] = f"{base['name']} {i:03d}"
        clients.append(base)
    return {"providers": real["providers"], "clients": clients}


def make_macros_project(work: Path, n: int) -> Path:
    proj = work / "macros-site"
    (proj / "docs" / "clients").mkdir(parents=True)
    (proj / "docs" / "articles").mkdir()
    (proj / "data").mkdir()
    (proj / "macros").symlink_to(ROOT / "macros")
    (proj / "benchmacros.py").write_text(WRAPPER, encoding="utf-8")
    (proj / "mkdocs.yml").write_text(BASE_CONFIG + MACROS_PLUGIN, encoding="utf-8")
    data = generated_data(n)
    (proj / "data" / "clients.yml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                               encoding="utf-8")
    (proj / "docs" / "index.md").write_text("# Generated help centre\n\nBenchmark site.\n", encoding="utf-8")
    for i, client in enumerate(data["clients"]):
        (proj / "docs" / "clients" / f"{client['id']}.md").write_text(
            GUIDE.format(cid=client["id"], name=client["name"]), encoding="utf-8")
        (proj / "docs" / "articles" / f"problem-{i:03d}.md").write_text(
            ARTICLE.format(i=i, cid=client["id"]), encoding="utf-8")
    return proj


def make_plain_project(work: Path, dump: Path) -> Path:
    """The same pages, already rendered: no macros plugin at all."""
    proj = work / "plain-site"
    shutil.copytree(dump, proj / "docs")
    (proj / "docs" / "index.md").write_text("# Generated help centre\n\nBenchmark site.\n", encoding="utf-8")
    (proj / "mkdocs.yml").write_text(BASE_CONFIG, encoding="utf-8")
    return proj


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        print(f"real site (strict build, {RUNS} runs): {fmt(repeat_build(ROOT, work))}")

        macros_proj = make_macros_project(work, N)
        dump = work / "dump"
        mkdocs_build(macros_proj, work / "prerender", {"BENCH_DUMP": str(dump)})  # also warms caches
        plain_proj = make_plain_project(work, dump)
        pages = len(list((plain_proj / "docs").rglob("*.md")))
        leftover = [p for p in (plain_proj / "docs").rglob("*.md") if re.search(r"\{\{|\{%", p.read_text())]
        if leftover:
            raise SystemExit(f"pre-rendered pages still contain Jinja: {leftover[:3]}")

        # Interleave the two variants so load from other processes hits both alike (shared 2-core box).
        macro_runs, plain_runs = [], []
        for i in range(RUNS):
            macro_runs.append(mkdocs_build(macros_proj, work / f"m{i}"))
            plain_runs.append(mkdocs_build(plain_proj, work / f"p{i}"))
            shutil.rmtree(work / f"m{i}", ignore_errors=True)
            shutil.rmtree(work / f"p{i}", ignore_errors=True)
        print(f"generated help centre: {pages} pages ({N} guides + {N} articles + home), {RUNS} interleaved runs")
        print(f"  with macros   : {fmt(macro_runs)}")
        print(f"  pre-rendered  : {fmt(plain_runs)}")
        for kind in ("wall", "cpu"):
            ratio = (statistics.median(getattr(t, kind) for t in macro_runs)
                     / statistics.median(getattr(t, kind) for t in plain_runs))
            print(f"  macros overhead ratio ({kind}, median/median): {ratio:.3f}x  "
                  f"(target <= 1.25x: {'met' if ratio <= 1.25 else 'NOT met'})")

if __name__ == "__main__":
    main()
