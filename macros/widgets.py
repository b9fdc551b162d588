"""How a widget ships its assets: the code that renders a widget registers the files it needs here.

A *widget* is markup whose root element carries ``data-help-widget="<name>"`` (``marker(name)``).
The module that renders it (a macros module, usually) declares, once, at import::

    STEPPER = register_widget("stepper", scripts=["assets/js/stepper.js"], styles=["assets/css/dialogue.css"])

and puts ``STEPPER.marker`` on the root element. ``hooks/widget_assets.py`` then, at build time:

* folds every registered stylesheet into the site's ONE stylesheet ``assets/css/help.css`` (the
  site's own ``site.css`` first, then the widgets' in registration order; the source files are not
  published on their own);
* loads the site's own module (``SITE``) on every page, at low fetch priority (``overrides/main.html``).

A widget's scripts are named in its marker (``data-help-modules``, paths from the site root), and
``help.js`` imports them on every page view that shows the widget, after the page's first frame: the
text paints without waiting for any widget code, and a page without the widget never fetches it
(also after Material's instant navigation). A module imported twice is still evaluated once.

Widget scripts mount through ``onPage``/``mount`` of ``assets/js/help.js`` (the one mount helper):
``import { mount } from "./help.js"; mount("[data-help-widget=stepper]", (root) => new Stepper(root));``.
Nothing is listed in ``mkdocs.yml``; the site's own files (``SITE``) are registered here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

#: The generated stylesheet and the site-wide module every page loads (``hooks/widget_assets.py``).
SITE_STYLESHEET = "assets/css/help.css"


@dataclass(frozen=True)
class Widget:
    """A widget's name and the docs-relative files it needs."""

    name: str
    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()

    @property
    def marker(self) -> Markup:
        """The attributes that mark the widget's root element in a page: its name and the modules
        ``help.js`` imports for it (site-root paths, space-separated)."""
        modules = f' data-help-modules="{" ".join(self.scripts)}"' if self.scripts else ""
        return Markup(f'data-help-widget="{self.name}"{modules}')


#: A docs-relative asset path (it goes into an HTML attribute and a URL as it is).
_PATH = re.compile(r"assets/(?:[a-z0-9_-]+/)*[a-z0-9_.-]+\.(?:m?js|css)")

#: Every registered widget by name (``SITE`` first); filled as the modules that ship widgets import.
REGISTRY: dict[str, Widget] = {}


def register_widget(
    name: str, scripts: list[str] | tuple[str, ...] = (), styles: list[str] | tuple[str, ...] = ()
) -> Widget:
    """Register (or re-register, on a ``mkdocs serve`` reload) *name*'s scripts and stylesheets."""
    if not name.replace("-", "").isalnum() or name != name.lower():
        raise ValueError(f"widget name {name!r}: use lowercase letters, digits and '-'")
    for path in (*scripts, *styles):
        if not _PATH.fullmatch(path):
            raise ValueError(f"widget {name!r}: {path!r} is not a docs-relative path like assets/js/x.js")
    widget = Widget(name, tuple(scripts), tuple(styles))
    REGISTRY[name] = widget
    return widget


def marker(name: str) -> Markup:
    """The marker (``data-help-widget="<name>"`` and its modules) of a registered widget (fails on
    an unknown name)."""
    if name not in REGISTRY:
        raise KeyError(f"unknown widget {name!r}; registered: {', '.join(REGISTRY)}")
    return REGISTRY[name].marker


#: The site's own code and style, on every page: one module (mount helper, portal links, feedback,
#: accessibility fixes) and the base stylesheet that starts ``help.css``.
SITE = register_widget("site", scripts=["assets/js/help.js"], styles=["assets/css/site.css"])


class WidgetAssetError(ValueError):
    """A widget registers a file that is not in docs/."""


def stylesheet_text(registry: dict[str, Widget], read: Callable[[str], str | None]) -> str:
    """Every registered stylesheet, in registration order (the site's first), each once; *read*
    gives a docs/ file's text (None: missing). Plain: ``hooks/steps.py`` calls it without MkDocs."""
    parts, seen = [], set()
    for widget in registry.values():
        for src in widget.styles:
            if src in seen:
                continue
            seen.add(src)
            text = read(src)
            if text is None:
                raise WidgetAssetError(f"widget {widget.name!r} registers {src!r}, which is not in docs/")
            parts.append(f"/* ---- {src} (widget {widget.name}) ---- */\n{text.strip()}\n")
    return "\n".join(parts)
