"""MkDocs hook: publish the assets widgets registered in ``macros/widgets.py`` (how a widget ships its
assets is described there).

* ``on_config``: every page links the site's one stylesheet; the site's own modules go into
  ``extra.help_site_modules``, which ``overrides/main.html`` loads as ``<script type="module"
  fetchpriority="low">`` (deferred and fetched after the stylesheets: nothing of ours delays the
  first paint).
* ``on_files``: the registered stylesheets become ``assets/css/help.css`` (the sources are dropped
  from the published files, so nothing links a half).
* ``on_page_content``: a page whose HTML holds ``data-help-widget="<name>"`` must name a registered
  widget. Its modules are named in the marker itself (``data-help-modules``) and imported by
  ``help.js`` after the page's first frame, so no widget script is fetched before the text paints.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
_MARKER = re.compile(r'\bdata-help-widget="([a-z0-9-]+)"')


def _widgets() -> ModuleType:
    """``macros.widgets`` as the macros plugin imported it (a ``mkdocs serve`` rebuild re-imports it).
    The macros plugin, listed before the hooks, has put the project directory on the import path."""
    return importlib.import_module("macros.widgets")


def on_config(config: Any) -> Any:
    widgets = _widgets()
    if widgets.SITE_STYLESHEET not in config.extra_css:
        config.extra_css.append(widgets.SITE_STYLESHEET)
    config.extra["help_site_modules"] = list(widgets.SITE.scripts)
    return config


def _read_from(files: Files) -> Callable[[str], str | None]:
    def read(src: str) -> str | None:
        file = files.get_file_from_path(src)
        return None if file is None else file.content_string

    return read


def on_files(files: Files, config: Any) -> Files:
    widgets = _widgets()
    try:
        text = widgets.stylesheet_text(widgets.REGISTRY, _read_from(files))
    except widgets.WidgetAssetError as error:
        raise PluginError(str(error)) from None
    for widget in widgets.REGISTRY.values():
        for src in widget.styles:
            file = files.get_file_from_path(src)
            if file is not None:
                files.remove(file)
        for src in widget.scripts:
            if files.get_file_from_path(src) is None:
                raise PluginError(f"widget {widget.name!r} registers {src!r}, which is not in docs/")
    files.append(File.generated(config, widgets.SITE_STYLESHEET, content=text))
    return files


def widget_names(html: str) -> list[str]:
    """Names of the widgets marked in *html*, in order of first appearance."""
    return list(dict.fromkeys(_MARKER.findall(html)))


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    widgets = _widgets()
    for name in widget_names(html):
        if name not in widgets.REGISTRY:
            raise PluginError(
                f"docs/{page.file.src_uri}: unknown widget {name!r} (data-help-widget); "
                f"registered: {', '.join(widgets.REGISTRY)}"
            )
    return html
