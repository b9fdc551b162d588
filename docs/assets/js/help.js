/* The help centre's own JavaScript: ONE ES module, loaded on every page as <script type="module"
 * fetchpriority="low"> (deferred: it never blocks rendering). It holds the one mount helper every
 * widget uses, the loader of widget modules, the support portal's deep links, the "Was this page
 * helpful?" feedback and fixes for Material's markup. One file on purpose, although it is long: every page
 * loads all of it, and split into five modules (round 8) it cost 2.0 KB more gzip and four more requests.
 * Widgets ship their own module (macros/widgets.py registers it and names it in the widget's marker,
 * data-help-modules); this module imports it after the page's first frame, on pages that show the
 * widget. A widget module imports `mount` from here:
 *     import { mount } from "./help.js";
 *     mount("[data-help-widget=stepper]", (root) => new Stepper(root));
 * No inline code anywhere: it runs under the site's strict Content-Security-Policy. */

/* ---- mounting ---------------------------------------------------------------------------------- */

/** Run `fn` on every page view: Material's document$ emits on the first load and on every instant
 * navigation (it replays the current page to late subscribers); without Material, once now. */
export function onPage(fn) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => {
      fn();
    });
  } else {
    fn(); /* a module runs after the document is parsed */
  }
}

/** On every page view, call `create(root)` once for each element matching `selector` (elements are
 * marked data-help-mounted, so a page view, an instant navigation back or a second import never mounts
 * one twice). Returns nothing; `create` may keep what it needs on the element. */
export function mount(selector, create) {
  onPage(() => {
    document.querySelectorAll(selector).forEach((root) => {
      if (root.hasAttribute("data-help-mounted")) {
        return;
      }
      root.setAttribute("data-help-mounted", "");
      create(root);
    });
  });
}

/** A new element: `attrs` become attributes (true: present and empty; null, undefined or false: left
 * out; "text": the text content), `children` (elements or strings, never parsed as HTML; empty ones
 * skipped) are appended. The one DOM builder of the widgets: pasted or typed text stays text. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child) node.append(child);
  }
  return node;
}

/** Show the parts of a widget that only make sense with JavaScript (marked data-help-js-only). */
export function reveal(root) {
  root.querySelectorAll("[data-help-js-only]").forEach((el) => {
    el.hidden = false;
  });
}

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

/* ---- support-portal deep links ------------------------------------------------------------------
 * `?client=<id>` or `#client=<id>` selects that client's content tab on load and on every instant
 * navigation, so the portal can send an Outlook user straight to the Outlook fix. A tab is found by,
 * in order: an element with data-client="<id>", id="fix-<id>", id="client-<id>" or id="<id>" inside
 * (or being) a pymdownx.tabbed block, label or input; failing those, the tab whose content links to
 * that client's guide (.../clients/<id>/). Unknown ids are ignored. tests/support/publish.py
 * (client_tab_found) mirrors this lookup for the link-contract test; keep them in step. */

const CLIENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Percent-decode `s` as far as it can be (RFC 3986 section 2.1): each run of %XX escapes is read as
 * UTF-8 (a byte that is not valid UTF-8 becomes U+FFFD), and a "%" not followed by two hex digits
 * stays as it is ("100%" -> "100%"). Never throws, unlike decodeURIComponent ("#client=%"). */
export function decodeTolerant(s) {
  const utf8 = new TextDecoder("utf-8");
  return String(s).replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i += 1) {
      bytes[i] = parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    }
    return utf8.decode(bytes);
  });
}

/** The client id requested by the URL, or null. */
export function requestedClient(loc) {
  const fromQuery = new URLSearchParams(loc.search).get("client");
  const hash = loc.hash.replace(/^#/, "");
  const fromHash = hash.startsWith("client=") ? decodeTolerant(hash.slice(7)) : null;
  const id = fromHash || fromQuery;
  return id && CLIENT_ID.test(id) ? id : null;
}

/** The radio input of the tab that holds `el`, or null. */
function tabInputFor(el) {
  if (el.matches("input[type=radio]") && el.closest(".tabbed-set")) {
    return el;
  }
  if (el.matches(".tabbed-labels > label") && el.htmlFor) {
    return document.getElementById(el.htmlFor);
  }
  const block = el.closest(".tabbed-block");
  if (!block) {
    return null;
  }
  const blocks = Array.from(block.parentElement.children).filter((c) => c.classList.contains("tabbed-block"));
  const inputs = Array.from(block.closest(".tabbed-set").children).filter((c) =>
    c.matches("input[type=radio]"),
  );
  return inputs[blocks.indexOf(block)] || null;
}

/** Select the tab of client `id`; returns the input that was selected, or null. */
export function selectClient(id) {
  const candidates = [`[data-client="${id}"]`, `[id="fix-${id}"]`, `[id="client-${id}"]`, `[id="${id}"]`].map(
    (sel) => document.querySelector(sel),
  );
  document.querySelectorAll(".tabbed-block a[href]").forEach((a) => {
    const path = new URL(a.getAttribute("href"), location.href).pathname;
    const m = /\/clients\/([^/]+)\/(index\.html)?$/.exec(path);
    if (m && m[1] === id) {
      candidates.push(a);
    }
  });
  for (const el of candidates) {
    const input = el && tabInputFor(el);
    if (!input) {
      continue;
    }
    const outer = []; /* every enclosing tab too (nested tab sets), outermost first */
    for (let p = input.closest(".tabbed-set").parentElement; p; p = p.parentElement) {
      const o = p.classList.contains("tabbed-block") && tabInputFor(p);
      if (o) {
        outer.unshift(o);
      }
    }
    for (const inp of [...outer, input]) {
      if (!inp.checked) {
        inp.click(); /* click() fires `change`, so Material's tab logic follows */
      }
    }
    landOn(input.closest(".tabbed-set"));
    document.documentElement.setAttribute("data-help-client", id);
    return input;
  }
  return null;
}

/** The heading a tab set belongs to: the nearest heading before it among its earlier siblings (the
 * section's title, e.g. "Fix it in your email client"), or the tab set itself. */
function headingOf(set) {
  for (let el = set.previousElementSibling; el; el = el.previousElementSibling) {
    if (/^H[1-6]$/.test(el.tagName)) {
      return el;
    }
  }
  return set;
}

/** Scroll so that the tab set's heading and its chosen tab are both in view, below the sticky
 * header (site.css gives headings and tab sets a scroll margin). Material moves the page when a
 * linked tab changes (content.tabs.link), a frame later: scroll again after it. */
function landOn(set) {
  const target = headingOf(set);
  const near = set.getBoundingClientRect().top - target.getBoundingClientRect().top < window.innerHeight / 2;
  const el = near ? target : set;
  el.scrollIntoView({ block: "start" });
  window.requestAnimationFrame(() => {
    window.requestAnimationFrame(() => {
      el.scrollIntoView({ block: "start" });
    });
  });
}

/** Pick client `id` in the page's program chooser (`<select data-help-client-picker>`, e.g. the
 * diagnosis page's "Your mail program"); returns the select, or null. */
export function pickClient(id) {
  const select = document.querySelector("select[data-help-client-picker]");
  const option = select && Array.from(select.options).find((o) => o.value === id);
  if (!option) {
    return null;
  }
  if (select.value !== id) {
    select.value = id;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.documentElement.setAttribute("data-help-client", id);
  return select;
}

/** The `client` the URL asks for as written (also when it is not a valid id), or null. */
function askedClient(loc) {
  const hash = loc.hash.replace(/^#/, "");
  if (!hash.startsWith("client=")) {
    return new URLSearchParams(loc.search).get("client");
  }
  try {
    return decodeURIComponent(hash.slice(7));
  } catch {
    return hash.slice(7);
  }
}

/** A visible notice at the top of the page that the link's program is unknown here (and a warning
 * in the console for whoever builds the link); null removes it. */
function unknownClientNotice(asked) {
  for (const n of document.querySelectorAll(".help-client-unknown")) {
    n.remove();
  }
  if (asked === null) {
    return;
  }
  console.warn(`help.js: unknown client id "${asked}" in this link: no tab or program of this page has it`);
  const title = document.querySelector("article h1");
  if (!title) {
    return;
  }
  const box = el("div", { class: "admonition warning help-client-unknown", role: "status" });
  box.append(el("p", { class: "admonition-title" }, "This link names a mail program we do not know"));
  box.append(
    el("p", {}, `The link asked for \u201c${asked}\u201d. Choose your program on this page instead.`),
  );
  title.after(box);
}

function applyPortalLink() {
  const asked = askedClient(window.location);
  const id = requestedClient(window.location);
  const found = id && (selectClient(id) || pickClient(id));
  unknownClientNotice(asked !== null && asked !== "" && !found ? asked : null);
}

/* ---- "Was this page helpful?" -------------------------------------------------------------------
 * Our own analytics provider (no third party). Material renders the widget (extra.analytics.feedback)
 * hidden; this reveals and wires it. Configuration comes from meta tags written by overrides/main.html:
 *   help:feedback-endpoint  where ratings go; empty = no endpoint: "helpful" links to the support
 *                           portal, "not helpful" asks for one line and "Send" opens the portal's form
 *   help:version            the deployed version of the site (mike version or HELP_VERSION)
 *   help:support-portal     the SmartHost support portal
 * With an endpoint, one rating becomes exactly one POST made with navigator.sendBeacon:
 *   {"page": "<path>", "version": "<version>", "rating": <0|1>, "comment": "<text>"}
 * sent as text/plain;charset=UTF-8 (CORS-safelisted: no preflight; the body is JSON), when the reader
 * presses "Send", or when they leave the page first (pagehide / tab hidden / instant navigation) with
 * the comment typed so far. */

let pendingRating = null; /* {endpoint, payload, textarea, done} of the rating not yet sent */

function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.getAttribute("content") || "" : "";
}

function post(endpoint, payload) {
  const body = JSON.stringify(payload);
  let queued = false;
  try {
    queued = navigator.sendBeacon(endpoint, body); /* string body: text/plain;charset=UTF-8 */
  } catch {
    queued = false;
  }
  if (!queued && window.fetch) {
    fetch(endpoint, {
      method: "POST",
      body: body,
      keepalive: true,
      mode: "no-cors",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
    });
  }
}

function flushRating() {
  if (!pendingRating || pendingRating.done) {
    return;
  }
  pendingRating.done = true;
  pendingRating.payload.comment = pendingRating.textarea ? pendingRating.textarea.value.slice(0, 2000) : "";
  post(pendingRating.endpoint, pendingRating.payload);
}

function commentBox(note) {
  const box = el("div", { class: "help-feedback__comment" });
  const label = el("label", {}, "Anything to add? (optional, no personal data please)");
  const textarea = el("textarea", { name: "comment", rows: "3", maxlength: "2000" });
  label.appendChild(textarea);
  const send = el("button", { type: "button", class: "md-button md-button--primary" }, "Send");
  const thanks = el("p", { hidden: "" }, "Sent. Thank you!");
  send.addEventListener("click", () => {
    flushRating();
    label.hidden = true;
    send.hidden = true;
    thanks.hidden = false;
  });
  box.append(label, send, thanks);
  note.appendChild(box);
  return textarea;
}

/* The portal's form, pre-filled: the parameters are the contract in data/portal-links.yml
 * (feedback_form). A link, not a <form>: the CSP's form-action allows only our own origin. */
function portalUrl(portal, rating, text) {
  const url = new URL(portal, location.href);
  url.searchParams.set("help_page", location.pathname);
  url.searchParams.set("help_version", meta("help:version"));
  url.searchParams.set("help_rating", rating);
  if (text) {
    url.searchParams.set("help_text", text.slice(0, 500));
  }
  return url.toString();
}

function portalLink(note, portal, rating) {
  const p = el("p", { class: "help-feedback__portal" });
  p.appendChild(
    el("a", { href: portalUrl(portal, rating, "") }, "Tell SmartHost support on the support portal"),
  );
  note.appendChild(p);
}

/* "Not helpful", no endpoint: one line of text; "Send" opens the portal's form in a new tab with the
 * page, version and text in its URL. Nothing leaves the page before that click. */
function portalLine(note, portal, rating) {
  const box = el("div", { class: "help-feedback__comment" });
  const label = el("label", {}, "What was missing or wrong? (one line, no personal data please)");
  const input = el("input", { type: "text", name: "help_text", maxlength: "500", autocomplete: "off" });
  label.appendChild(input);
  const send = el("a", { class: "md-button md-button--primary", target: "_blank", rel: "noopener" }, "Send");
  const update = () => send.setAttribute("href", portalUrl(portal, rating, input.value.trim()));
  update();
  input.addEventListener("input", update);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      send.click();
    }
  });
  const hint = el(
    "p",
    { class: "help-feedback__portal" },
    "Send opens the SmartHost support portal with your line filled in.",
  );
  box.append(label, send, hint);
  note.appendChild(box);
}

function wireFeedback() {
  flushRating(); /* instant navigation away from a rated page: send what we have */
  pendingRating = null;
  const form = document.forms.feedback;
  if (!form || form.hasAttribute("data-help-wired")) {
    return;
  }
  form.setAttribute("data-help-wired", "");
  const endpoint = meta("help:feedback-endpoint");
  const portal = meta("help:support-portal");
  const buttons = form.querySelectorAll("button[type=submit][data-md-value]");
  buttons.forEach((button) => {
    button.addEventListener("click", (ev) => {
      ev.preventDefault();
      const rating = button.getAttribute("data-md-value");
      buttons.forEach((b) => {
        b.disabled = true;
      });
      const note = form.querySelector(`.md-feedback__note [data-md-value="${rating}"]`);
      if (note) {
        note.hidden = false;
      }
      if (endpoint) {
        pendingRating = {
          endpoint: endpoint,
          done: false,
          textarea: null,
          payload: {
            page: location.pathname,
            version: meta("help:version"),
            rating: Number(rating),
            comment: "",
          },
        };
        if (note) {
          pendingRating.textarea = commentBox(note);
        }
      } else if (portal && note) {
        (rating === "0" ? portalLine : portalLink)(note, portal, rating);
      }
    });
  });
  form.hidden = false;
}

/* ---- search: "Diagnose this error" hands the text over to /diagnose/ -----------------------------
 * The search worker (assets/js/search-worker.js) puts a "Diagnose this error" entry first when the
 * query looks like an error; it links to the diagnosis page's text box (data/search.yml: diagnose).
 * Following it (click, or Enter, which Material turns into a click) stores what the reader typed in
 * sessionStorage, never in the URL (so not in the history); the diagnosis page takes it once with
 * takeDiagnoseHandover(). /work/briefs/handover.md holds the agreement with the diagnose page. */

export const DIAGNOSE_HANDOVER_KEY = "help:diagnose";
const DIAGNOSE_TARGET = "#diagnose-text";
const HANDOVER_MAX_AGE_MS = 10 * 60 * 1000;
/** A query longer than this (diagnose-core.mjs CAP) is handed over as the part the matcher reads. */
const KEEP_ABOVE = 16384;

/** The hand-over, or null: `{text, size}` (`size`: the length of the text the reader gave, when the
 * sender kept only the part the diagnosis reads); the entry is removed (read once). */
export function takeDiagnoseHandoverEntry() {
  let entry = null;
  try {
    entry = JSON.parse(window.sessionStorage.getItem(DIAGNOSE_HANDOVER_KEY) || "null");
    window.sessionStorage.removeItem(DIAGNOSE_HANDOVER_KEY);
  } catch {
    return null;
  }
  const fresh =
    entry && typeof entry.text === "string" && Date.now() - Number(entry.at) < HANDOVER_MAX_AGE_MS;
  if (!fresh || !entry.text.trim()) {
    return null;
  }
  const size = Number.isSafeInteger(entry.size) ? entry.size : entry.text.length;
  return { text: entry.text, size: Math.max(size, entry.text.length) };
}

/** The text handed over by the search, or null; the entry is removed (read once). */
export function takeDiagnoseHandover() {
  const entry = takeDiagnoseHandoverEntry();
  return entry === null ? null : entry.text;
}

/** Hand `text` to the diagnosis page (it takes it with takeDiagnoseHandover): stored in
 * sessionStorage, and announced with a `help:diagnose-handover` event on window for a diagnosis page
 * that is already open (a link to the same #hash fires no hashchange). `size`: the length of the
 * reader's text when `text` is only the part of it the diagnosis reads (diagnose-keep.mjs). Returns
 * whether it was stored. */
export function handOverToDiagnose(text, size) {
  try {
    window.sessionStorage.setItem(
      DIAGNOSE_HANDOVER_KEY,
      JSON.stringify({ text: String(text), at: Date.now(), size: size || String(text).length }),
    );
  } catch (e) {
    console.warn("help.js: the text could not be handed to the diagnosis (sessionStorage)", e);
    return false;
  }
  window.dispatchEvent(new CustomEvent("help:diagnose-handover"));
  return true;
}

function handOverSearch(ev) {
  const link = ev.target instanceof Element ? ev.target.closest(".md-search-result a[href]") : null;
  if (!link) {
    return;
  }
  const url = new URL(link.getAttribute("href"), location.href);
  const input = document.querySelector(".md-search__input");
  if (url.hash !== DIAGNOSE_TARGET || !/\/diagnose\/$/.test(url.pathname) || !input) {
    return;
  }
  /* a full page load, not Material's instant navigation: its swap re-runs the page's inline scripts,
     and the diagnosis page's data (<script type="application/json">) would run as code */
  ev.preventDefault();
  ev.stopImmediatePropagation();
  const query = input.value;
  const go = (kept) => {
    handOverToDiagnose(kept.text, kept.size);
    window.location.assign(url.pathname + url.hash);
  };
  if (query.length <= KEEP_ABOVE) {
    go({ text: query, size: query.length });
    return;
  }
  /* a long paste: only the part the diagnosis reads goes over (the module is fetched only now) */
  import(new URL("diagnose-keep.mjs", import.meta.url).href)
    .then((keep) => go(keep.keepRead(query)))
    .catch(() => go({ text: query, size: query.length }));
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
