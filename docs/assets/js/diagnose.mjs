/* The "What does your error say?" widget of /diagnose/ (the small forms elsewhere are
 * diagnose-entry.mjs).
 * - The widget ([data-diagnose]) diagnoses with assets/js/diagnose-core.mjs and the data embedded in
 *   the page (the same JSON as /api/diagnoses.json): the answer is painted at once, without a
 *   request. Nothing pasted is stored; the program choice is kept where Material keeps the linked
 *   content tabs (its "__tabs" list), so choosing Thunderbird here also opens Thunderbird's tab on
 *   the article, and the reverse.
 * Everything is built with textContent (pasted text is never parsed as HTML); no inline code, so
 * it runs under the site's strict Content-Security-Policy. Registered by macros/diagnoses.py
 * (widget "diagnose"): only the page that shows it loads this module and the matcher. */

import { mount } from "./help.js";

const TABS_KEY = "__tabs";

function el(tag, attrs, ...children) {
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

/** Material's linked-tab memory (__md_get/__md_set are Material's own helpers); [] without them. */
function rememberedLabels() {
  try {
    return typeof window.__md_get === "function" ? window.__md_get(TABS_KEY) || [] : [];
  } catch (e) {
    return [];
  }
}

function rememberLabel(label) {
  if (!label || typeof window.__md_set !== "function") return;
  const tabs = rememberedLabels().filter((t) => t !== label);
  tabs.unshift(label);
  window.__md_set(TABS_KEY, tabs.slice(0, 10));
}

function howSure(confidence) {
  if (confidence >= 0.6) return "likely";
  if (confidence >= 0.3) return "possible";
  return "less likely";
}

class Widget {
  constructor(root, core) {
    this.root = root;
    this.core = core;
    this.data = JSON.parse(root.querySelector("[data-diagnose-data]").textContent);
    this.rules = core.compile(this.data);
    this.causes = Object.fromEntries(this.data.causes.map((c) => [c.id, c]));
    this.programs = Object.fromEntries(this.data.programs.map((p) => [p.id, p]));
    this.siteRoot = root.dataset.siteRoot || "./";
    this.form = root.querySelector("[data-diagnose-form]");
    this.text = root.querySelector("#diagnose-text");
    this.select = root.querySelector("#diagnose-program");
    this.answer = root.querySelector("[data-diagnose-answer]");
    this.result = null;
    const remembered = rememberedLabels();
    const option = Array.from(this.select.options).find((o) => o.dataset.label && remembered.includes(o.dataset.label));
    if (option) this.select.value = option.value;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(true);
    });
    this.select.addEventListener("change", () => {
      const chosen = this.select.selectedOptions[0];
      rememberLabel(chosen && chosen.dataset.label);
      if (this.result) this.paint(false);
    });
    this.fromFragment();
  }

  fromFragment() {
    const hash = window.location.hash;
    if (!hash.startsWith("#text=")) return;
    let text;
    try {
      text = decodeURIComponent(hash.slice(6));
    } catch (e) {
      text = hash.slice(6);
    }
    this.text.value = text;
    this.run(false);
  }

  run(focus) {
    performance.mark("diagnose:start");
    this.result = this.core.diagnose(this.text.value, this.rules);
    this.paint(focus);
  }

  url(path) {
    return path ? this.siteRoot + path : null;
  }

  program() {
    const chosen = this.select.value || (this.result && this.result.program) || "other";
    return this.programs[chosen] || this.programs.other;
  }

  paint(focus) {
    const r = this.result;
    const top = r.causes[0];
    const cause = this.causes[top.id];
    const program = this.program();
    const parts = [];
    if (!this.text.value.trim()) {
      parts.push(el("p", { text: "Paste the error message into the box first, then press Diagnose." }));
    } else if (top.id === "unknown") {
      parts.push(el("h2", { class: "diagnose__title", id: "diagnose-answer" }, "We do not recognise this message"));
      parts.push(el("p", { text: cause.explanation }));
      parts.push(this.support());
      if (r.reply) parts.push(this.replyBlock(r.reply));
      parts.push(this.fullReply(program));
    } else {
      parts.push(el("h2", { class: "diagnose__title", id: "diagnose-answer" }, "Most likely: " + cause.title));
      parts.push(el("p", { text: cause.explanation }));
      const facts = el("dl", { class: "diagnose__facts" });
      const stage = r.stage !== "unknown" ? this.data.stages[r.stage] : "not clear from the text";
      facts.append(el("dt", { text: "Refused" }), el("dd", { text: stage }));
      const server = r.server !== "unknown" ? this.data.server_names[r.server] : "not clear from the text";
      facts.append(el("dt", { text: "Server software" }), el("dd", { text: server }));
      facts.append(el("dt", { text: "How sure" }), el("dd", { text: howSure(top.confidence) + " (" + Math.round(top.confidence * 100) + " %)" }));
      parts.push(facts);
      if (r.reply) parts.push(this.replyBlock(r.reply));
      if (r.hidden) {
        parts.push(el("p", { class: "diagnose__hidden" }, el("strong", { text: "Your program hid the server's reason. " }),
          "It shows only that the server refused the message in the end; the server said why in an earlier reply. " +
          "The causes below are the usual ones for this wording."));
        parts.push(this.fullReply(program));
      }
      parts.push(this.fix(cause, program));
      const others = r.causes.slice(1);
      if (others.length) {
        const list = el("ol", { class: "diagnose__others" });
        for (const other of others) {
          const c = this.causes[other.id];
          list.append(el("li", null, el("a", { href: this.url(c.article || c.reference), text: c.title }),
            " (" + howSure(other.confidence) + ", " + Math.round(other.confidence * 100) + " %)"));
        }
        parts.push(el("h3", { text: "Other possible causes" }), list);
      }
    }
    this.answer.replaceChildren(...parts);
    this.answer.hidden = false;
    performance.mark("diagnose:rendered");
    requestAnimationFrame(() => setTimeout(() => performance.mark("diagnose:painted"), 0));
    if (focus) this.answer.focus();
  }

  replyBlock(reply) {
    return el("div", { class: "diagnose__reply" }, el("p", { text: "What the server said:" }), el("pre", null, el("code", { text: reply })));
  }

  fix(cause, program) {
    const box = el("div", { class: "diagnose__fix" });
    const name = program.id === "other" ? "your program" : program.name;
    box.append(el("h3", { text: "What to change in " + name }));
    box.append(el("p", { text: cause.fix }));
    const steps = cause.settings.filter((s) => program.fix[s]).map((s) => program.fix[s]);
    if (steps.length) {
      const list = el("ul", { class: "diagnose__settings" });
      if (program.menu) box.append(el("p", { text: "Open " + program.menu + ", then check:" }));
      for (const step of steps) list.append(el("li", null, el("code", { text: step })));
      box.append(list);
    }
    const links = el("p", { class: "diagnose__links" });
    if (program.guide) links.append(el("a", { href: this.url(program.guide), text: "Step-by-step guide for " + program.name }), " · ");
    if (program.article_fix && cause.id === "no-auth") links.append(el("a", { href: this.url(program.article_fix), text: "The fix for " + program.name + " in the article" }), " · ");
    links.append(el("a", { href: this.url(cause.article || cause.reference), text: "More about this cause" }));
    box.append(links);
    return box;
  }

  fullReply(program) {
    const name = program.id === "other" ? "your program" : program.name;
    return el("div", { class: "diagnose__full-reply" }, el("h3", { text: "See the server's full reply in " + name }), el("p", { text: program.full_reply }));
  }

  support() {
    const box = el("div", { class: "diagnose__support" });
    box.append(el("p", null, el("a", { href: this.root.dataset.support, class: "md-button", text: "Contact SmartHost support" })));
    box.append(el("p", { text: "Include:" }));
    const list = el("ul");
    for (const item of ["the whole error text, exactly as shown (a screenshot is fine)",
      "the program and version you send with (and the device)", "the date and time you sent",
      "the sender and one recipient address"]) {
      list.append(el("li", { text: item }));
    }
    box.append(list);
    return box;
  }
}

let corePromise = null;

function mountWidget(root) {
  corePromise = corePromise || import("./diagnose-core.mjs");
  corePromise.then((core) => {
    const widget = new Widget(root, core);
    root.dataset.diagnoseReady = "1";
    window.addEventListener("hashchange", () => {
      if (root.isConnected) widget.fromFragment();
    });
  });
}

mount("[data-diagnose]", mountWidget);
