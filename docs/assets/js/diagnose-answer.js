/* The answer of /diagnose/ (diagnose.js): built from a diagnosis result with textContent only (the
 * pasted text is never parsed as HTML), quoting at most QUOTE_LINES / QUOTE_CHARS of it (a reply of
 * thousands of lines would take the page seconds to lay out). */

import { MASK } from "./diagnose-mask.mjs";
import { MAIN_THREAD_CAP } from "./diagnose-runner.js";
import { el } from "./help.js";

const QUOTE_LINES = 12;
const QUOTE_CHARS = 2000;
const EVIDENCE_LINES = 4;

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

export class AnswerView {
  /** `data`: the page's diagnoses JSON; `siteRoot`: the relative URL of the site root; `support`: the
   * support portal's URL. */
  constructor(data, siteRoot, support) {
    this.data = data;
    this.causes = Object.fromEntries(data.causes.map((c) => [c.id, c]));
    this.siteRoot = siteRoot;
    this.support = support;
    this.fromLink = false;
  }

  url(path) {
    return path ? this.siteRoot + path : null;
  }

  /** The answer's parts for a runner outcome (diagnose-runner.js): `program` is the program whose
   * fix is shown, `detected` whether it was recognised in the text, `fromLink` whether the text came
   * from a link, `empty` whether the box is empty. */
  build(outcome, { program, detected, fromLink, empty }) {
    this.fromLink = fromLink;
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
      parts.push(this.supportBox());
      return parts;
    }
    const r = outcome.result;
    const top = r.causes[0];
    const cause = this.causes[top.id];
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
    if (empty) {
      parts.push(el("p", { text: "Paste the error message into the box first, then press Diagnose." }));
    } else if (top.id === "unknown") {
      parts.push(
        el("h2", { class: "diagnose__title", id: "diagnose-answer" }, "We do not recognise this message"),
      );
      parts.push(el("p", { text: cause.explanation }));
      parts.push(this.supportBox());
      if (r.reply) parts.push(this.replyBlock(r.reply));
      parts.push(this.fullReply(program));
    } else {
      // No wording we know is in the text: the "similar texts" layer answered alone (a guess).
      const guess = r.evidence.every((e) => e.layer === "similar-texts" || e.causes.length === 0);
      parts.push(
        el(
          "h2",
          { class: "diagnose__title", id: "diagnose-answer" },
          `${guess ? "A guess" : "Most likely"}: ${cause.title}`,
        ),
      );
      if (guess)
        parts.push(
          el("p", {
            class: "diagnose__guess",
            text:
              "We know no wording in your text, but its words read like the error texts collected for this cause. " +
              "Check it against your program's full error or log before you change settings.",
          }),
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
    return parts;
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
    const label = this.fromLink ? "Text from the link you followed:" : "What the server said:";
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

  supportBox() {
    const box = el("div", { class: "diagnose__support" });
    box.append(
      el("p", null, el("a", { href: this.support, class: "md-button", text: "Contact SmartHost support" })),
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
