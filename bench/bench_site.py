"""Benchmark the help-centre build (``make bench`` runs it; prints figures, asserts nothing).

1. Strict build time of the real site.
2. A generated help centre of ~400 pages (N client guides + N articles, using the same macros and
   templates as the real site) built with mkdocs-macros, side by side with the SAME pages
   pre-rendered to plain Markdown and built without the macros plugin. The ratio is the macros
   overhead (target <= 1.25x).

Run it with `make bench` (the tests' import path). Environment: BENCH_RUNS (default 5; median and best
reported), BENCH_CLIENTS (default 200).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from support import site_build

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
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
import os
from pathlib import Path
from macros import define_env, on_post_build

__all__ = ["define_env", "on_post_build"]  # the macros plugin loads these names

def on_post_page_macros(env):
    dump = os.environ.get("BENCH_DUMP")
    if dump:
        import yaml
        out = Path(dump) / env.page.file.src_uri
        out.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(env.page.meta or {})
        front = f"---\\n{yaml.safe_dump(meta, sort_keys=False)}---\\n" if meta else ""
        out.write_text(front + env.markdown, encoding="utf-8")
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
    wall: float  # elapsed seconds
    cpu: float  # user + system CPU seconds of the build process (robust when the box is shared)


def timed_build(project: Path, dest: Path, env: dict[str, str] | None = None) -> Timing:
    """Time one strict build of *project* into *dest* (tests/support/site_build.py's build; fails loudly)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = site_build.mkdocs_build(dest, project / "mkdocs.yml", env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu)


def fmt(runs: list[Timing]) -> str:
    wall = statistics.median(t.wall for t in runs)
    cpu = statistics.median(t.cpu for t in runs)
    return (
        f"median {wall:.2f} s wall, {cpu:.2f} s CPU  "
        f"[wall {', '.join(f'{t.wall:.2f}' for t in runs)}; CPU {', '.join(f'{t.cpu:.2f}' for t in runs)}]"
    )


def repeat_build(project: Path, work: Path) -> list[Timing]:
    runs = []
    for i in range(RUNS):
        dest = work / f"out-{project.name}-{i}"
        runs.append(timed_build(project, dest))
        shutil.rmtree(dest, ignore_errors=True)
    return runs


def generated_data(n: int) -> dict:
    """The real providers and clients, and *n* clients cloned from the real ones with new ids."""
    real = yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))
    clients = []
    for i in range(n):
        base = dict(real["clients"][i % len(real["clients"])])
        base["cloned_from"] = base["id"]
        base["id"] = f"{base['id']}-{i:03d}"
        base["tab_label"] = f"{base['tab_label']} {i:03d}"
        base["name"] = f"{base['name']} {i:03d}"
        clients.append(base)
    # the real clients too: other data files (data/diagnoses.yml) refer to them by id
    return {"providers": real["providers"], "clients": real["clients"] + clients}


def portal_links(clients: list[dict]) -> str:
    """data/portal-links.yml with each cloned program's three links (fix-, portal-, guide-: the build's
    portal contract requires them), copied from the program it was cloned from."""
    links = yaml.safe_load((ROOT / "data" / "portal-links.yml").read_text(encoding="utf-8"))
    by_id = {link["id"]: link for link in links["links"]}
    for client in clients:
        base = client.get("cloned_from")
        if base is None:  # a real program: its links are in the file
            continue
        for kind in ("fix", "portal", "guide"):
            link = dict(by_id[f"{kind}-{base}"])
            link["id"] = f"{kind}-{client['id']}"
            link["url"] = link["url"].replace(base, client["id"])
            links["links"].append(link)
    return yaml.safe_dump(links, sort_keys=False, allow_unicode=True)


def make_macros_project(work: Path, n: int) -> Path:
    proj = work / "macros-site"
    (proj / "docs" / "clients").mkdir(parents=True)
    (proj / "docs" / "articles").mkdir()
    (proj / "data").mkdir()
    for other in (ROOT / "data").iterdir():  # the other macros modules' data files, unchanged
        if other.name not in ("clients.yml", "portal-links.yml"):
            (proj / "data" / other.name).symlink_to(other)
    (proj / "macros").symlink_to(ROOT / "macros")
    (proj / "benchmacros.py").write_text(WRAPPER, encoding="utf-8")
    (proj / "mkdocs.yml").write_text(BASE_CONFIG + MACROS_PLUGIN, encoding="utf-8")
    data = generated_data(n)
    (proj / "data" / "portal-links.yml").write_text(portal_links(data["clients"]), encoding="utf-8")
    for client in data["clients"]:
        client.pop("cloned_from", None)
    (proj / "data" / "clients.yml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    (proj / "docs" / "index.md").write_text("# Generated help centre\n\nBenchmark site.\n", encoding="utf-8")
    for i, client in enumerate(data["clients"]):
        (proj / "docs" / "clients" / f"{client['id']}.md").write_text(
            GUIDE.format(cid=client["id"], name=client["name"]), encoding="utf-8"
        )
        (proj / "docs" / "articles" / f"problem-{i:03d}.md").write_text(
            ARTICLE.format(i=i, cid=client["id"]), encoding="utf-8"
        )
    return proj


FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def make_plain_project(work: Path, dump: Path, keep_front_matter: bool = True) -> Path:
    """The same pages, already rendered, built without the macros plugin. With *keep_front_matter*
    each page keeps its front matter (page metadata, as a pre-rendered page would); without it the
    difference shows what the front matter alone costs (Material reads ``meta`` for every nav item)."""
    proj = work / ("plain-site" if keep_front_matter else "plain-nofm-site")
    shutil.copytree(dump, proj / "docs")
    if not keep_front_matter:
        for page in (proj / "docs").rglob("*.md"):
            page.write_text(FRONT_MATTER.sub("", page.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    (proj / "docs" / "index.md").write_text("# Generated help centre\n\nBenchmark site.\n", encoding="utf-8")
    (proj / "mkdocs.yml").write_text(BASE_CONFIG, encoding="utf-8")
    return proj


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        print(f"real site (strict build, {RUNS} runs): {fmt(repeat_build(ROOT, work))}")

        macros_proj = make_macros_project(work, N)
        dump = work / "dump"
        timed_build(macros_proj, work / "prerender", {"BENCH_DUMP": str(dump)})  # also warms caches
        plain_proj = make_plain_project(work, dump)
        bare_proj = make_plain_project(work, dump, keep_front_matter=False)
        pages = len(list((plain_proj / "docs").rglob("*.md")))
        guides = (pages - 1) // 2
        leftover = [p for p in (plain_proj / "docs").rglob("*.md") if re.search(r"\{\{|\{%", p.read_text())]
        if leftover:
            raise SystemExit(f"pre-rendered pages still contain Jinja: {leftover[:3]}")

        # Interleave the variants so load from other processes hits them alike (shared 2-core box).
        runs: dict[str, list[Timing]] = {"macros": [], "plain": [], "bare": []}
        projects = {"macros": macros_proj, "plain": plain_proj, "bare": bare_proj}
        for i in range(RUNS):
            for name, proj in projects.items():
                runs[name].append(timed_build(proj, work / f"{name}{i}"))
                shutil.rmtree(work / f"{name}{i}", ignore_errors=True)
        print(
            f"generated help centre: {pages} pages ({guides} guides + {guides} articles + home), "
            f"{RUNS} interleaved runs"
        )
        print(f"  with macros                         : {fmt(runs['macros'])}")
        print(f"  pre-rendered (same front matter)    : {fmt(runs['plain'])}")
        print(f"  pre-rendered, front matter stripped : {fmt(runs['bare'])}")
        # On a shared machine the fastest run is the least disturbed one: best/best is the steadiest
        # estimate; median/median is shown next to it.
        for label, num, den in (
            ("macros overhead", "macros", "plain"),
            ("front matter cost (not macros)", "plain", "bare"),
            ("macros + front matter vs bare", "macros", "bare"),
        ):
            for kind in ("cpu", "wall"):
                med = statistics.median(getattr(t, kind) for t in runs[num]) / statistics.median(
                    getattr(t, kind) for t in runs[den]
                )
                best = min(getattr(t, kind) for t in runs[num]) / min(getattr(t, kind) for t in runs[den])
                target = (
                    f"  (target <= 1.25x: {'met' if med <= 1.25 else 'NOT met'})"
                    if num == "macros" and den == "plain"
                    else ""
                )
                print(f"  {label} ({kind}): median/median {med:.3f}x, best/best {best:.3f}x{target}")


if __name__ == "__main__":
    main()
