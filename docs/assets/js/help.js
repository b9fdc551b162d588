/* The help centre's own JavaScript: ONE entry module, loaded on every page as <script type="module"
 * fetchpriority="low"> (deferred: it never blocks rendering), with its parts beside it: help-dom.js
 * (the one mount helper every widget uses, the element builder), help-portal.js (the support
 * portal's deep links), help-feedback.js ("Was this page helpful?") and help-handover.js (the
 * search's hand-over to the diagnosis page). This module loads widget modules, keeps a #fragment's
 * target in view, and fixes Material's markup; it re-exports the parts' public functions, so that a
 * widget imports from here only.
 * Widgets ship their own module (macros/widgets.py registers it and names it in the widget's marker,
 * data-help-modules); this module imports it after the page's first frame, on pages that show the
 * widget. A widget module imports `mount` from here:
 *     import { mount } from "./help.js";
 *     mount("[data-help-widget=stepper]", (root) => new Stepper(root));
 * No inline code anywhere: it runs under the site's strict Content-Security-Policy. */

import { onPage } from "./help-dom.js";
import { flushRating, wireFeedback } from "./help-feedback.js";
import { handOverSearch } from "./help-handover.js";
import { applyPortalLink, decodeTolerant, requestedClient, selectClient } from "./help-portal.js";

export { el, mount, onPage, reveal } from "./help-dom.js";
export {
  DIAGNOSE_HANDOVER_KEY,
  handOverToDiagnose,
  takeDiagnoseHandover,
  takeDiagnoseHandoverEntry,
} from "./help-handover.js";
export { decodeTolerant, pickClient, requestedClient, selectClient } from "./help-portal.js";

/* ---- widget modules ------------------------------------------------------------------------------
 * A widget's root names its modules (data-help-modules: paths from the site root). They are imported
 * after the page's first frame, once the main thread is idle (the text paints before any widget code
 * is fetched), and only on pages that show the widget, also after an instant navigation. The site
 * root is two levels above this module (assets/js/help.js), under whatever version prefix the site
 * is served. */

const SITE_ROOT = new URL("../../", import.meta.url);
const imported = new Set();

/** The absolute URLs of the widget modules `scope` (a document, or one widget) names, each once, in
 * document order. */
function widgetModules(scope) {
  const urls = [];
  const roots = scope.matches?.("[data-help-modules]")
    ? [scope]
    : scope.querySelectorAll("[data-help-modules]");
  roots.forEach((el) => {
    el.getAttribute("data-help-modules")
      .split(/\s+/)
      .forEach((path) => {
        if (path) {
          urls.push(new URL(path, SITE_ROOT).href);
        }
      });
  });
  return Array.from(new Set(urls));
}

/** Import the widget modules the page names; once they have mounted, bring a #fragment's target back
 * under the sticky header if mounting moved it (landAgain). A widget whose module failed is marked
 * data-help-failed: dialogue.css then shows its no-script layout (the whole transcript). */
function importWidgets() {
  const loads = widgetModules(document).map((url) => {
    if (imported.has(url)) {
      return Promise.resolve();
    }
    imported.add(url);
    return import(url).catch((error) => {
      imported.delete(url); /* the next page view tries again */
      console.error(`help.js: could not load the widget module ${url}`, error);
      document.querySelectorAll("[data-help-modules]").forEach((root) => {
        if (widgetModules(root).includes(url)) {
          root.setAttribute("data-help-failed", "");
        }
      });
    });
  });
  Promise.all(loads).then(() => window.requestAnimationFrame(landAgain));
}

/* ---- #fragment links land below the sticky header ----------------------------------------------
 * The browser (or Material's instant navigation) scrolls a #fragment's target under the header
 * (site.css: scroll-margin-top). Anything that changes height above it later (a widget mounting, a
 * late font or image) would carry the target away; dialogue.css lays the widgets out before they
 * mount as they are after, and this puts the target back once they have mounted, unless the reader
 * has scrolled, clicked or typed since the page view began. */
let readerMoved = false;

for (const type of ["wheel", "touchstart", "keydown", "pointerdown"]) {
  window.addEventListener(
    type,
    () => {
      readerMoved = true;
    },
    { passive: true, capture: true },
  );
}

/** The element a plain #fragment names (not #client=… or #text=…), or null. */
function fragmentTarget() {
  const hash = window.location.hash;
  if (hash.length < 2 || hash.length > 200 || hash.includes("=")) {
    return null;
  }
  return document.getElementById(decodeTolerant(hash.slice(1)));
}

function landAgain() {
  const target = fragmentTarget();
  if (readerMoved || !target) {
    return;
  }
  const margin = parseFloat(window.getComputedStyle(target).scrollMarginTop) || 0;
  const off = target.getBoundingClientRect().top - margin;
  const atBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 1;
  if (Math.abs(off) > 2 && !(off > 0 && atBottom)) {
    target.scrollIntoView({ block: "start" });
  }
}

/** Run `fn` once the page has produced a frame and the main thread is idle (the theme's own start-up
 * done), at the latest a second later; a hidden tab produces no frames: then at once. */
function afterFirstFrameWhenIdle(fn) {
  if (document.visibilityState === "hidden") {
    fn();
    return;
  }
  window.requestAnimationFrame(() => {
    if (typeof window.requestIdleCallback === "function") {
      window.requestIdleCallback(fn, { timeout: 1000 });
    } else {
      window.setTimeout(fn, 0);
    }
  });
}

/* ---- print: closed <details> stay closed ----------------------------------------------------------
 * Material opens every <details> before printing. The print stylesheet (site.css) prints only the
 * summary of those marked data-help-closed: the blocks the reader had closed when printing. The
 * mark follows the reader's toggling; Material's own opening for print (its toggle events arrive
 * after the print) does not change it. */
let printing = false;

function markClosed(details) {
  if (!printing) {
    details.toggleAttribute("data-help-closed", !details.open);
  }
}

function watchDetails() {
  document.querySelectorAll(".md-typeset details:not([data-help-watched])").forEach((details) => {
    details.setAttribute("data-help-watched", "");
    markClosed(details);
    details.addEventListener("toggle", () => {
      markClosed(details);
    });
  });
}

window.addEventListener("beforeprint", () => {
  printing = true;
});
window.addEventListener("afterprint", () => {
  window.setTimeout(() => {
    printing = false;
  }, 0); /* after Material's toggles */
});

/* ---- accessibility fixes for Material's own markup ----------------------------------------------
 * The search overlay is role="dialog" without an accessible name (axe: aria-dialog-name). */
function nameSearchDialog() {
  document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach((dialog) => {
    dialog.setAttribute("aria-label", "Search");
  });
}

/* A table wider than the column scrolls sideways inside Material's .md-typeset__scrollwrap; a region
 * that scrolls must be reachable by keyboard (axe: scrollable-region-focusable, WCAG 2.1.1), so such a
 * wrapper becomes a focusable, named region. Only wrappers that do overflow (checked again when the
 * window is resized or a phone turned): the others stay out of the tab order. */
function focusableScrollingTables() {
  document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach((wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scrolls sideways)");
    }
  });
}

/* ---- on every page ------------------------------------------------------------------------------ */

/* The portal's integration and the link-contract tests call these. */
window.helpPortal = { requestedClient: requestedClient, selectClient: selectClient };
window.addEventListener("hashchange", applyPortalLink);
window.addEventListener("pagehide", flushRating);
window.addEventListener("resize", focusableScrollingTables);
document.addEventListener("click", handOverSearch, true);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") {
    flushRating();
  }
});
onPage(() => {
  readerMoved = false;
  afterFirstFrameWhenIdle(importWidgets);
  applyPortalLink();
  wireFeedback();
  nameSearchDialog();
  focusableScrollingTables();
  watchDetails();
});
