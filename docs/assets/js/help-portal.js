/* The support portal's deep links (help.js runs applyPortalLink on every page view and on
 * hashchange; help.js re-exports the public functions). */

import { el } from "./help-dom.js";

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

export function applyPortalLink() {
  const asked = askedClient(window.location);
  const id = requestedClient(window.location);
  const found = id && (selectClient(id) || pickClient(id));
  unknownClientNotice(asked !== null && asked !== "" && !found ? asked : null);
}
