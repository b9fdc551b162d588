/* The "What does your error say?" widget of /diagnose/ (the small forms elsewhere are
 * diagnose-entry.js).
 * - The widget ([data-diagnose]) diagnoses with assets/js/diagnose-core.mjs and the site's
 *   /api/diagnoses.json (its URL in data-diagnose-data, same origin), in a Web Worker
 *   (diagnose-runner.js, diagnose-worker.js): no text, however long, blocks the page. The data is not
 *   an inline JSON block: Material's instant navigation re-creates a new page's inline scripts
 *   without their type, so such a block would run as script and vanish.
 * - Opening the page loads only this module, the runner and what a paste needs (diagnose-keep.mjs).
 *   The rules (~230 KB gzip with the similar-texts model, round 11), the worker and the answer's module
 *   are loaded on the reader's first intent (INTENT_EVENTS in the form, a `#text=` link, a hand-over,
 *   a click on Diagnose), and the worker compiles and warms the matcher up then, so the first answer
 *   is as quick as the next ones.
 * - The text comes from the box, from a hand-over (a small paste form or the site search stored it in
 *   sessionStorage under help.js's DIAGNOSE_HANDOVER_KEY; it is read once and removed), or from a
 *   `#text=` link (the portal's deep links), whose fragment is cleared with history.replaceState once
 *   read: pasted text never stays in the history. Sign-in secrets in it (AUTH payloads, passwords in
 *   URLs and logs) are masked before it is shown (diagnose-mask.mjs).
 * - Nothing pasted is stored or sent; the program choice is kept where Material keeps the linked
 *   content tabs (its "__tabs" list), so choosing Thunderbird here also opens Thunderbird's tab on
 *   the article, and the reverse. `?client=<id>` (help.js: requestedClient) picks the program; else
 *   the program the text shows (PHPMailer, Outlook, …) is picked unless the reader chose one.
 * The answer is built by diagnose-answer.js, with textContent only (pasted text is never parsed as
 * HTML); no inline code, so it runs under the site's strict Content-Security-Policy. Registered by macros/diagnoses.py
 * (widget "diagnose"): only the page that shows it loads this module and the matcher. */

import { keepLongPastes, keepRead, keepReadEncoded, keptNote } from "./diagnose-keep.mjs";
import { Runner } from "./diagnose-runner.js";
import * as help from "./help.js";

const TABS_KEY = "__tabs";
/** The longest text whose masked form replaces a pasted text in the box (a longer one stays as the
 * reader pasted it; the answer shows it masked). */
const REMASK_CHARS = 100000;
/** Where the text in the box came from: the reader (typed, pasted, or handed over from their own
 * paste elsewhere on the site) or a link someone else wrote. */
const FROM_READER = "reader";
const FROM_LINK = "link";
/** Where diagnose-link.js leaves a long link's text for the reloaded page (read once). */
const LONG_LINK_KEY = "help:diagnose-link";
const LONG_LINK_MAX_AGE_MS = 60 * 1000;
/** Events in the form that show the reader is about to diagnose: the rules are fetched on the first. */
const INTENT_EVENTS = ["focusin", "pointerdown", "touchstart", "keydown", "paste", "dragenter"];

/** Material's linked-tab memory (__md_get/__md_set are Material's own helpers); [] without them. */
function rememberedLabels() {
  try {
    return typeof window.__md_get === "function" ? window.__md_get(TABS_KEY) || [] : [];
  } catch (_e) {
    return [];
  }
}

function rememberLabel(label) {
  if (!label || typeof window.__md_set !== "function") return;
  const tabs = rememberedLabels().filter((t) => t !== label);
  tabs.unshift(label);
  window.__md_set(TABS_KEY, tabs.slice(0, 10));
}

/** The two ends of a long `#text=` link that diagnose-link.js took out of the address, or null; the
 * entry is removed (read once). */
function takeLongLink() {
  let entry = null;
  try {
    entry = JSON.parse(window.sessionStorage.getItem(LONG_LINK_KEY) || "null");
    window.sessionStorage.removeItem(LONG_LINK_KEY);
  } catch (_e) {
    return null;
  }
  const fresh = entry && Date.now() - Number(entry.at) < LONG_LINK_MAX_AGE_MS;
  return fresh && typeof entry.head === "string" && typeof entry.tail === "string" ? entry : null;
}

/** The answer's module and the runner with its rules, shared by every mount of the widget in this
 * page session (Material's instant navigation mounts it again on each visit: the worker started on
 * the first is reused, warm). A failed load is forgotten, so the next intent tries again. */
let shared = null;

function loadRunner(dataUrl) {
  if (shared?.url === dataUrl.href) return shared.loaded;
  /* the worker starts at once (this module imports the small runner), the answer's module meanwhile */
  const runner = new Runner(dataUrl);
  const loaded = Promise.all([import("./diagnose-answer.js"), runner.ready]).then(([answer, view]) => ({
    answer,
    runner,
    view,
  }));
  shared = { url: dataUrl.href, loaded };
  loaded.catch(() => {
    if (shared?.loaded === loaded) shared = null;
  });
  return loaded;
}

/** The text of the last `#text=` link a widget took ({kept, widget}), for the widget Material puts in
 * its place when it reloads this same page after the click: the link is read (and taken out of the
 * address) on location$, before the new page arrives, and Material gives the new page the link's
 * fragment again only when its fetch beats the first scroll (a slow fetch: the old answer has been
 * scrolled to, Material saved the offset, and it restores that instead). Forgotten on a page without
 * the widget and when the reader types: only the link's text is carried, never the reader's own. */
let linkTaken = null;

class Widget {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector("[data-diagnose-form]");
    this.text = root.querySelector("#diagnose-text");
    this.select = root.querySelector("#diagnose-program");
    this.origin = root.querySelector("[data-diagnose-origin]");
    this.answer = root.querySelector("[data-diagnose-answer]");
    this.kept = help.el("p", { class: "diagnose__kept", role: "status", hidden: true });
    this.text.after(this.kept);
    this.loading = null; /* the promise of prepare() */
    this.lastText = "";
    this.result = null;
    this.source = FROM_READER;
    this.chosen = null; /* who picked the program: "link", "reader", "remembered" or null */
    this.pickLinkedProgram() || this.pickRemembered();
    /* a failure is said in the answer area (prepare) */
    const intent = () => this.prepare().catch(() => {});
    for (const type of INTENT_EVENTS) this.form.addEventListener(type, intent, { passive: true });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(true);
    });
    this.text.addEventListener("input", () => {
      this.setSource(FROM_READER);
      if (linkTaken?.widget === this) linkTaken = null;
      if (!this.kept.hidden && this.text.textLength === 0) this.showKept(null);
    });
    keepLongPastes(this.text, (size) => this.showKept(size, "your {size} paste"));
    this.select.addEventListener("change", () => {
      if (document.documentElement.dataset.helpClient === this.select.value) {
        this.chosen = "link"; /* help.js picked the link's program */
      } else {
        this.chosen = "reader";
        const chosen = this.select.selectedOptions[0];
        rememberLabel(chosen?.dataset.label);
      }
      if (this.result) this.paint(false);
    });
    /* a linked or handed-over text in a task of its own: each task of the page stays short */
    window.setTimeout(() => this.incoming(), 0);
  }

  /** Load what answering needs, once: the answer's module, the runner, and through it the worker with
   * the compiled rules. data-diagnose-rules says how far it got (loading, ready, failed), and
   * data-diagnose-warm that the warm-up is over (the worker's, then rehearse()); a failure is said in the answer area and the
   * next intent tries again. */
  prepare() {
    if (this.loading) return this.loading;
    this.root.dataset.diagnoseRules = "loading";
    const root = this.root;
    this.loading = loadRunner(new URL(root.dataset.diagnoseData, window.location.href))
      .then(({ answer, runner, view }) => {
        this.runner = runner;
        this.programs = Object.fromEntries(view.programs.map((p) => [p.id, p]));
        this.view = new answer.AnswerView(view, root.dataset.siteRoot || "./", root.dataset.support);
        root.dataset.diagnoseRules = "ready";
        runner.warm.then((result) => this.rehearse(result));
      })
      .catch((error) => {
        this.loading = null;
        root.dataset.diagnoseRules = "failed";
        showLoadFailure(root, error);
        throw error;
      });
    return this.loading;
  }

  /** Lay out one answer (for a warm-up text's `result`) off screen and unseen, then remove it and set
   * data-diagnose-warm: the reader's first answer finds its styles matched, its fonts loaded and its
   * code compiled (first click on a fresh page -> answer painted, median of 8 in Chromium: 30 -> 23 ms). */
  rehearse(result) {
    if (!result || !this.root.isConnected) {
      this.root.dataset.diagnoseWarm = "1";
      return;
    }
    const box = help.el("div", {
      class: "diagnose__answer diagnose__rehearsal",
      "aria-hidden": "true",
      inert: true,
    });
    /* off screen, through the CSSOM (no rule in help.css, which every page loads; CSP allows it) */
    Object.assign(box.style, { position: "absolute", top: "0", left: "-10000px", width: "40rem" });
    const options = { program: this.program(), detected: false, fromLink: false, empty: false };
    box.append(...this.view.build({ result, hidden: 0 }, options));
    for (const node of box.querySelectorAll("[id]")) node.removeAttribute("id");
    this.root.append(box);
    requestAnimationFrame(() =>
      setTimeout(() => {
        box.remove();
        this.root.dataset.diagnoseWarm = "1";
      }, 0),
    );
  }

  /** `?client=<id>` / `#client=<id>` (or help.js's pick of it) chooses the program; true if it did. */
  pickLinkedProgram() {
    const id =
      document.documentElement.dataset.helpClient ||
      (typeof help.requestedClient === "function" ? help.requestedClient(window.location) : null);
    if (!id || !this.hasOption(id)) return false;
    this.select.value = id;
    this.chosen = "link";
    return true;
  }

  pickRemembered() {
    const remembered = rememberedLabels();
    const option = Array.from(this.select.options).find(
      (o) => o.dataset.label && remembered.includes(o.dataset.label),
    );
    if (option) {
      this.select.value = option.value;
      this.chosen = "remembered";
    }
  }

  hasOption(id) {
    return Array.from(this.select.options).some((o) => o.value === id);
  }

  /** A text from a `#text=` link or a hand-over: the link wins, the hand-over is consumed either way.
   * Only what the matcher reads of a long one is kept (diagnose-keep.mjs): a 1 MB link is never
   * decoded whole, and the box never holds 1 MB. */
  incoming() {
    const handed = help.takeDiagnoseHandoverEntry();
    const long = takeLongLink();
    const hash = window.location.hash;
    if (hash.startsWith("#text=")) {
      const kept = keepReadEncoded(hash.slice(6), help.decodeTolerant);
      const url = window.location.pathname + window.location.search;
      history.replaceState(history.state, "", url); /* the text leaves the address bar and the history */
      this.fillFromLink(kept);
    } else if (long !== null) {
      const kept = keepReadEncoded(long.head + long.tail, help.decodeTolerant);
      this.fillFromLink({ ...kept, size: Math.max(kept.size, long.size) });
    } else if (handed !== null) {
      const kept = keepRead(handed.text);
      this.fill({ ...kept, size: Math.max(kept.size, handed.size) }, FROM_READER, "your {size} text");
    } else if (linkTaken && linkTaken.widget !== this && !linkTaken.widget.root.isConnected) {
      this.fillFromLink(linkTaken.kept); /* this page replaced the one that took the link */
    }
  }

  fillFromLink(kept) {
    linkTaken = { kept, widget: this };
    this.fill(kept, FROM_LINK, "the {size} text of the link");
  }

  /** Diagnose `kept` (keepRead's {text, size}) in place of the box's text; `whose` names the whole
   * text in the note shown when only a part of it was kept. */
  fill(kept, source, whose) {
    this.text.value = "";
    this.setSource(source);
    this.showKept(kept.size > kept.text.length ? kept.size : null, whose);
    this.run(true, kept.text);
  }

  /** The one-line note that only the start and the end of a long text were kept (null: none). */
  showKept(size, whose) {
    this.kept.hidden = size === null;
    if (size !== null) this.kept.textContent = keptNote(size, whose);
  }

  setSource(source) {
    this.source = source;
    this.origin.hidden = source !== FROM_LINK;
  }

  /** Diagnose the box's text (or `incoming`, shown in the box once its secrets are masked). */
  run(focus, incoming) {
    performance.mark("diagnose:start");
    const text = incoming === undefined ? this.text.value : incoming;
    this.lastText = text;
    this.pending = this.prepare().then(() =>
      this.runner.run(text, (masked) => {
        if (incoming !== undefined) this.text.value = masked === null ? text : masked;
        else if (masked !== null && text.length <= REMASK_CHARS) this.text.value = masked;
      }),
    );
    const pending = this.pending;
    pending.then(
      (outcome) => {
        if (pending !== this.pending || outcome.superseded) return;
        performance.mark("diagnose:answered", { detail: { ms: outcome.ms } });
        this.outcome = outcome;
        this.result = outcome.result || null;
        this.paint(focus);
      },
      () => {} /* prepare() said so in the answer area */,
    );
  }

  program() {
    const chosen = this.select.value || this.result?.program || "other";
    return this.programs[chosen] || this.programs.other;
  }

  /** The detected program becomes the picker's choice unless a link or the reader chose one. */
  followDetected() {
    const id = this.result?.program;
    if (!id || this.chosen === "link" || this.chosen === "reader" || !this.hasOption(id)) return false;
    this.select.value = id;
    return true;
  }

  paint(focus) {
    const answered = this.outcome.result !== undefined;
    const detected = answered && this.followDetected();
    const parts = this.view.build(this.outcome, {
      program: this.program(),
      detected,
      fromLink: this.source === FROM_LINK,
      empty: !this.lastText.trim(),
    });
    this.show(parts, focus);
  }

  show(parts, focus) {
    this.answer.replaceChildren(...parts);
    this.answer.hidden = false;
    performance.mark("diagnose:rendered");
    requestAnimationFrame(() => setTimeout(() => performance.mark("diagnose:painted"), 0));
    if (focus) {
      /* on a phone the answer is below the fold: bring its top under the sticky header, then focus */
      this.answer.scrollIntoView({ block: "start" });
      this.answer.focus({ preventScroll: true });
    }
  }
}

/** The widget without its data: say so in the answer area (the form's own text stays usable). */
function showLoadFailure(root, error) {
  console.error(`diagnose: the diagnosis data could not be loaded (${String(error?.message || error)})`);
  const answer = root.querySelector("[data-diagnose-answer]");
  const note = document.createElement("p");
  note.className = "diagnose__failed";
  note.textContent =
    "The diagnosis could not load its list of error texts. Reload the page, or look your error up in the table of error texts on the 503 article.";
  answer.replaceChildren(note);
  answer.hidden = false;
}

function mountWidget(root) {
  const widget = new Widget(root);
  root.dataset.diagnoseReady = "1";
  const here = window.location.pathname;
  const again = () => {
    if (root.isConnected && window.location.pathname === here) widget.incoming();
  };
  window.addEventListener("hashchange", again);
  window.addEventListener("help:diagnose-handover", again);
  /* Material's instant navigation follows a link to this same page with history.pushState, which
   * fires no hashchange; its bundle's global location$ emits the new address instead. */
  window.location$?.subscribe?.(again);
}

help.mount("[data-diagnose]", mountWidget);
help.onPage(() => {
  if (!document.querySelector("[data-diagnose]")) linkTaken = null;
});
