/* The "What does your error say?" widget of /diagnose/ (the small forms elsewhere are
 * diagnose-entry.js).
 * - The widget ([data-diagnose]) diagnoses with assets/js/diagnose-core.mjs and the data embedded in
 *   the page (the same JSON as /api/diagnoses.json), in a Web Worker (diagnose-runner.js): the
 *   answer is painted without a request, and no text, however long, blocks the page.
 * - The text comes from the box, from a hand-over (a small paste form or the site search stored it in
 *   sessionStorage under help.js's DIAGNOSE_HANDOVER_KEY; it is read once and removed), or from a
 *   `#text=` link (the portal's deep links), whose fragment is cleared with history.replaceState once
 *   read: pasted text never stays in the history. Sign-in secrets in it (AUTH payloads, passwords in
 *   URLs and logs) are masked before it is shown (diagnose-mask.mjs).
 * - Nothing pasted is stored or sent; the program choice is kept where Material keeps the linked
 *   content tabs (its "__tabs" list), so choosing Thunderbird here also opens Thunderbird's tab on
 *   the article, and the reverse. `?client=<id>` (help.js: requestedClient) picks the program; else
 *   the program the text shows (PHPMailer, Outlook, …) is picked unless the reader chose one.
 * Everything is built with textContent (pasted text is never parsed as HTML); no inline code, so
 * it runs under the site's strict Content-Security-Policy. Registered by macros/diagnoses.py
 * (widget "diagnose"): only the page that shows it loads this module and the matcher. */

import { MASK } from "./diagnose-mask.mjs";
import { MAIN_THREAD_CAP, Runner } from "./diagnose-runner.js";
import * as help from "./help.js";

const { el } = help;

const TABS_KEY = "__tabs";
const FALLBACK_HANDOVER_KEY = "help:diagnose";
const HANDOVER_MAX_AGE_MS = 10 * 60 * 1000;
/** What the answer quotes of the text at most (a reply of thousands of lines would take the page
 * seconds to lay out), and the longest text whose masked form replaces a pasted text in the box. */
const QUOTE_LINES = 12;
const QUOTE_CHARS = 2000;
const REMASK_CHARS = 100000;
const EVIDENCE_LINES = 4;
/** Where the text in the box came from: the reader (typed, pasted, or handed over from their own
 * paste elsewhere on the site) or a link someone else wrote. */
const FROM_READER = "reader";
const FROM_LINK = "link";

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

/** The text a small paste form or the site search handed over (help.js's reader when it has one),
 * removed as it is read; null if none. */
function takeHandover() {
  if (typeof help.takeDiagnoseHandover === "function") return help.takeDiagnoseHandover();
  let entry = null;
  try {
    entry = JSON.parse(window.sessionStorage.getItem(FALLBACK_HANDOVER_KEY) || "null");
    window.sessionStorage.removeItem(FALLBACK_HANDOVER_KEY);
  } catch (_e) {
    return null;
  }
  const fresh =
    entry && typeof entry.text === "string" && Date.now() - Number(entry.at) < HANDOVER_MAX_AGE_MS;
  return fresh && entry.text.trim() ? entry.text : null;
}

/** Percent-decoding that never throws (help.js's decodeTolerant). */
function decode(s) {
  return typeof help.decodeTolerant === "function" ? help.decodeTolerant(s) : s;
}

/** `text` cut to what the answer quotes, saying how much was left out. */
export function quoted(text) {
  const lines = text.slice(0, QUOTE_CHARS).split("\n").slice(0, QUOTE_LINES);
  const shown = lines.join("\n");
  if (shown.length >= text.length) return text;
  return `${shown}\n… (${text.length - shown.length} more characters)`;
}

function howSure(confidence) {
  if (confidence >= 0.6) return "likely";
  if (confidence >= 0.3) return "possible";
  return "less likely";
}

/** The setting lines of a fix, each once: no empty line, and no line that only names a setting
 * another line already explains ("SMTP Password" beside "SMTP Password: an app password …"). */
export function settingLines(lines) {
  const kept = [];
  for (const raw of lines) {
    const line = String(raw || "").trim();
    if (line && !kept.includes(line)) kept.push(line);
  }
  return kept.filter((line) => !kept.some((other) => other !== line && other.startsWith(`${line}:`)));
}

class Widget {
  constructor(root, runner) {
    this.root = root;
    this.runner = runner;
    this.data = JSON.parse(root.querySelector("[data-diagnose-data]").textContent);
    this.causes = Object.fromEntries(this.data.causes.map((c) => [c.id, c]));
    this.programs = Object.fromEntries(this.data.programs.map((p) => [p.id, p]));
    this.siteRoot = root.dataset.siteRoot || "./";
    this.form = root.querySelector("[data-diagnose-form]");
    this.text = root.querySelector("#diagnose-text");
    this.select = root.querySelector("#diagnose-program");
    this.origin = root.querySelector("[data-diagnose-origin]");
    this.answer = root.querySelector("[data-diagnose-answer]");
    this.result = null;
    this.source = FROM_READER;
    this.chosen = null; /* who picked the program: "link", "reader", "remembered" or null */
    this.pickLinkedProgram() || this.pickRemembered();
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(true);
    });
    this.text.addEventListener("input", () => this.setSource(FROM_READER));
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
    this.incoming();
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

  /** A text from a `#text=` link or a hand-over: the link wins, the hand-over is consumed either way. */
  incoming() {
    const handed = takeHandover();
    const hash = window.location.hash;
    if (hash.startsWith("#text=")) {
      const text = decode(hash.slice(6));
      const url = window.location.pathname + window.location.search;
      history.replaceState(history.state, "", url); /* the text leaves the address bar and the history */
      this.fill(text, FROM_LINK);
    } else if (handed !== null) {
      this.fill(handed, FROM_READER);
    }
  }

  fill(text, source) {
    this.text.value = "";
    this.setSource(source);
    this.run(true, text);
  }

  setSource(source) {
    this.source = source;
    this.origin.hidden = source !== FROM_LINK;
  }

  /** Diagnose the box's text (or `incoming`, shown in the box once its secrets are masked). */
  run(focus, incoming) {
    performance.mark("diagnose:start");
    const text = incoming === undefined ? this.text.value : incoming;
    this.pending = this.runner.run(text, (masked) => {
      if (incoming !== undefined) this.text.value = masked === null ? text : masked;
      else if (masked !== null && text.length <= REMASK_CHARS) this.text.value = masked;
    });
    const pending = this.pending;
    pending.then((outcome) => {
      if (pending !== this.pending || outcome.superseded) return;
      this.outcome = outcome;
      this.result = outcome.result || null;
      this.paint(focus);
    });
  }

  url(path) {
    return path ? this.siteRoot + path : null;
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
    const outcome = this.outcome;
    const parts = [];
    if (outcome.timeout || outcome.error) {
      parts.push(
        el("h2", { class: "diagnose__title", id: "diagnose-answer" }, "We could not read this text"),
      );
      parts.push(
        el("p", {
          text: outcome.timeout
            ? "The text is too long or too unusual to read in time. Paste only the lines around the error: the server's reply and the line before it."
            : `Something went wrong while reading it (${outcome.error}). Paste only the lines around the error and try again.`,
        }),
      );
      parts.push(this.support());
      return this.show(parts, focus);
    }
    const r = this.result;
    const detected = this.followDetected();
    const top = r.causes[0];
    const cause = this.causes[top.id];
    const program = this.program();
    if (outcome.hidden) parts.push(this.maskedNote(outcome.hidden));
    if (outcome.cut)
      parts.push(
        el("p", { class: "diagnose__cut", text: `Only the first ${MAIN_THREAD_CAP} characters were read.` }),
      );
    else if (r.capped)
      parts.push(
        el("p", {
          class: "diagnose__cut",
          text: "Your text is long: we read its beginning and its last part, where programs and logs put the error.",
        }),
      );
    if (!this.text.value.trim()) {
      parts.push(el("p", { text: "Paste the error message into the box first, then press Diagnose." }));
    } else if (top.id === "unknown") {
      parts.push(
        el("h2", { class: "diagnose__title", id: "diagnose-answer" }, "We do not recognise this message"),
      );
      parts.push(el("p", { text: cause.explanation }));
      parts.push(this.support());
      if (r.reply) parts.push(this.replyBlock(r.reply));
      parts.push(this.fullReply(program));
    } else {
      parts.push(
        el("h2", { class: "diagnose__title", id: "diagnose-answer" }, `Most likely: ${cause.title}`),
      );
      parts.push(el("p", { text: cause.explanation }));
      const evidence = this.evidence(r, top.id);
      if (evidence) parts.push(evidence);
      const facts = el("dl", { class: "diagnose__facts" });
      const stage = r.stage !== "unknown" ? this.data.stages[r.stage] : "not clear from the text";
      facts.append(el("dt", { text: "Refused" }), el("dd", { text: stage }));
      const server = r.server !== "unknown" ? this.data.server_names[r.server] : "not clear from the text";
      facts.append(el("dt", { text: "Server software" }), el("dd", { text: server }));
      facts.append(
        el("dt", { text: "How sure" }),
        el("dd", { text: `${howSure(top.confidence)} (${Math.round(top.confidence * 100)} %)` }),
      );
      if (detected)
        facts.append(
          el("dt", { text: "Program" }),
          el("dd", { text: `${program.name} (recognised in your text)` }),
        );
      parts.push(facts);
      if (r.reply) parts.push(this.replyBlock(r.reply));
      if (r.hidden) {
        parts.push(
          el(
            "p",
            { class: "diagnose__hidden" },
            el("strong", { text: "Your program hid the server's reason. " }),
            "It shows only that the server refused the message in the end; the server said why in an earlier reply. " +
              "The causes below are the usual ones for this wording.",
          ),
        );
        parts.push(this.fullReply(program));
      }
      parts.push(this.fix(cause, program));
      const others = r.causes.slice(1);
      if (others.length) {
        const list = el("ol", { class: "diagnose__others" });
        for (const other of others) {
          const c = this.causes[other.id];
          list.append(
            el(
              "li",
              null,
              el("a", { href: this.url(c.article || c.reference), text: c.title }),
              ` (${howSure(other.confidence)}, ${Math.round(other.confidence * 100)} %)`,
            ),
          );
        }
        parts.push(el("h3", { text: "Other possible causes" }), list);
      }
    }
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

  /** "Recognised: TEXT from SERVER — MEANING": the evidence for the first cause (the result's
   * `evidence`, strongest first; tests/diagnose/README.md describes it), at most EVIDENCE_LINES. */
  evidence(r, top) {
    const items = Array.isArray(r.evidence) ? r.evidence.filter((e) => e?.text) : [];
    const forTop = items.filter((e) => Array.isArray(e.causes) && e.causes.includes(top));
    const lines = [];
    for (const item of forTop.length ? forTop : items) {
      const who = item.server && this.data.server_names[item.server];
      const line =
        quoted(String(item.text)) + (who ? ` from ${who}` : "") + (item.meaning ? ` — ${item.meaning}` : "");
      if (!lines.includes(line)) lines.push(line);
    }
    if (!lines.length) return null;
    const list = el("ul", { class: "diagnose__evidence" });
    for (const line of lines.slice(0, EVIDENCE_LINES))
      list.append(el("li", null, el("strong", { text: "Recognised: " }), line));
    return list;
  }

  maskedNote(count) {
    return el(
      "p",
      { class: "diagnose__masked", role: "note" },
      el("strong", {
        text:
          count === 1
            ? "We hid a password or sign-in code in your text. "
            : `We hid ${count} passwords or sign-in codes in your text. `,
      }),
      `The page shows ${MASK} instead: the diagnosis does not need them. If you posted this text anywhere, change the password.`,
    );
  }

  replyBlock(reply) {
    const label = this.source === FROM_LINK ? "Text from the link you followed:" : "What the server said:";
    return el(
      "div",
      { class: "diagnose__reply" },
      el("p", { text: label }),
      el("pre", null, el("code", { text: quoted(reply) })),
    );
  }

  fix(cause, program) {
    const box = el("div", { class: "diagnose__fix" });
    const name = program.id === "other" ? "your program" : program.name;
    box.append(el("h3", { text: `What to change in ${name}` }));
    box.append(el("p", { text: cause.fix }));
    const steps = settingLines(cause.settings.map((s) => program.fix[s]));
    if (steps.length) {
      const list = el("ul", { class: "diagnose__settings" });
      if (program.menu) box.append(el("p", { text: `Open ${program.menu}, then check:` }));
      for (const step of steps) list.append(el("li", null, el("code", { text: step })));
      box.append(list);
    }
    const links = el("p", { class: "diagnose__links" });
    if (program.guide)
      links.append(
        el("a", { href: this.url(program.guide), text: `Step-by-step guide for ${program.name}` }),
        " · ",
      );
    if (program.article_fix && cause.id === "no-auth")
      links.append(
        el("a", { href: this.url(program.article_fix), text: `The fix for ${program.name} in the article` }),
        " · ",
      );
    links.append(
      el("a", { href: this.url(cause.article || cause.reference), text: "More about this cause" }),
    );
    box.append(links);
    return box;
  }

  fullReply(program) {
    const name = program.id === "other" ? "your program" : program.name;
    return el(
      "div",
      { class: "diagnose__full-reply" },
      el("h3", { text: `See the server's full reply in ${name}` }),
      el("p", { text: program.full_reply }),
    );
  }

  support() {
    const box = el("div", { class: "diagnose__support" });
    box.append(
      el(
        "p",
        null,
        el("a", { href: this.root.dataset.support, class: "md-button", text: "Contact SmartHost support" }),
      ),
    );
    box.append(el("p", { text: "Include:" }));
    const list = el("ul");
    for (const item of [
      "the whole error text, exactly as shown (a screenshot is fine)",
      "the program and version you send with (and the device)",
      "the date and time you sent",
      "the sender and one recipient address",
    ]) {
      list.append(el("li", { text: item }));
    }
    box.append(list);
    return box;
  }
}

function mountWidget(root) {
  const runner = new Runner(root.querySelector("[data-diagnose-data]").textContent);
  runner.ready.then(() => {
    const widget = new Widget(root, runner);
    root.dataset.diagnoseReady = "1";
    const again = () => {
      if (root.isConnected) widget.incoming();
    };
    window.addEventListener("hashchange", again);
    window.addEventListener("help:diagnose-handover", again);
  });
}

help.mount("[data-diagnose]", mountWidget);
