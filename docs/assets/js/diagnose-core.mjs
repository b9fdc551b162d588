/* diagnose-core.mjs: what a pasted mail error means, and the evidence for it. No DOM, no network:
 * import it in the help centre, in the support portal or in Node.
 *
 *   import { compile, diagnose } from "https://help.smarthost.example/latest/assets/js/diagnose-core.mjs";
 *   const rules = compile(await (await fetch(".../latest/api/diagnoses.json")).json());
 *   diagnose("550 relay not permitted", rules);
 *   // {causes: [{id: "no-auth", title, confidence}], server: "exim", stage: "rcpt",
 *   //  reply: "550 relay not permitted", decided_by: "wording",
 *   //  evidence: [{layer, text, meaning, causes, server}], program: null, hidden: false,
 *   //  matched: [...], capped: false}
 *
 * The same algorithm as diagnose/smtpdiagnose/diagnose.py (read its docstring); the rules are
 * compiled from data/diagnoses.yml and its sibling files. tests/diagnose/test_diagnose_parity.py runs
 * every text through both and compares every field, so change the two together. */

import { ALONE_WORDS, compileSimilar, knownWords, rank, tellingWords } from "./diagnose-similar.mjs";

const WS = " \t\n\r\f\v";
const REPLY_CODE = "(^|[^0-9.:])([45][0-5][0-9])([ -]|$)";
/** A success or go-ahead reply (2xx, 3xx): no guess for a paste that shows one and no refusal. */
const GOOD_REPLY = /(^|[^0-9.:])([23][0-5][0-9])([ -]|$)/m;
const CODE_EVIDENCE =
  /(^|[^0-9a-z.]|\\[rn])([45][0-5][0-9])(?=[ ,.)\]"'\-\uff09\uff1a\uff0c\u3002\u3001]|$)/gm;
const ENHANCED_CODE = /(^|[^0-9.])([245])\.([0-9]{1,3})\.([0-9]{1,3})(?![0-9]|\.[0-9])/gm;
export const CAP = 16384;
export const HEAD = 4096;
export const TAIL = 12288;
const MAX_EVIDENCE = 8;
const MAX_EVIDENCE_TEXT = 200;
/* The layers whose evidence alone lets the "similar texts" layer change the likeliest cause. */
const WEAK = ["reply-code"];
/* ... and evidence of any layer that weighs no more than this for that cause, where the paste says
 * more than the hints (smtpdiagnose.diagnose.HINT). */
const HINT = 1.5;

function strip(s, left = true, right = true) {
  let a = 0;
  let b = s.length;
  while (left && a < b && WS.includes(s[a])) a += 1;
  while (right && b > a && WS.includes(s[b - 1])) b -= 1;
  return s.slice(a, b);
}

/** Line ends to LF and Unicode spaces to a space (both matchers read the same text). */
export function normalise(text) {
  return String(text)
    .replace(/\r\n|\r|\u2028|\u2029/g, "\n")
    .replace(/[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/g, " ");
}

/** ASCII letters lower-cased, every other character (and so every offset) unchanged. */
export function lowerAscii(text) {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** The part of a long paste that is read (counted in code points, as Python counts). */
export function cap(text) {
  if (text.length <= CAP) return [text, false];
  const cps = Array.from(text);
  if (cps.length <= CAP) return [text, false];
  let cut = cps.lastIndexOf("\n", HEAD - 1);
  const head = cut > 0 ? cps.slice(0, cut) : cps.slice(0, HEAD);
  cut = cps.indexOf("\n", cps.length - TAIL);
  const tail = cut >= 0 ? cps.slice(cut + 1) : cps.slice(cps.length - TAIL);
  return [`${head.join("")}\n${tail.join("")}`, true];
}

/** Half-up to two decimals, as smtpdiagnose.diagnose.round2. */
export function round2(x) {
  return Math.floor(x * 100 + 0.5) / 100;
}

function codeRule(key, row, layer) {
  const causes = row.causes.map(([c, w]) => [c, Number(w)]);
  return {
    id: key,
    regex: null,
    causes,
    strength: causes.reduce((m, [, w]) => Math.max(m, w), 0),
    symptom: layer === "prior",
    server: null,
    stage: row.stage || null,
    program: null,
    consequences: [],
    layer,
    meaning: row.meaning,
  };
}

/** Rules from /api/diagnoses.json (or the package's diagnoses.json): expressions compiled once. */
export function compile(data) {
  const flags = data.flags || "m";
  const reply = {};
  for (const row of data.reply || []) {
    const key = row.code + (row.stage ? `@${row.stage}` : "");
    reply[key] = codeRule(row.code, row, row.layer || "reply-code");
  }
  const enhanced = {};
  for (const [key, row] of Object.entries(data.enhanced || {}))
    enhanced[key] = codeRule(key, row, "enhanced-code");
  return {
    titles: Object.fromEntries(data.causes.map((c) => [c.id, c.title])),
    order: data.causes.map((c) => c.id),
    servers: data.servers.slice(),
    rules: data.recognisers.map((r) => ({
      id: r.id,
      regex: new RegExp(r.re, flags),
      causes: r.causes.map(([c, w]) => [c, Number(w)]),
      strength: Number(r.strength),
      symptom: Boolean(r.symptom),
      server: r.server,
      stage: r.stage,
      program: r.program,
      consequences: r.consequences || [],
      layer: r.layer || "wording",
      meaning: r.meaning || "",
    })),
    enhanced,
    reply,
    notRefusals: new Set(data.not_refusals || []),
    similar: compileSimilar(data.similar),
  };
}

function best(items) {
  let found = null;
  for (const item of items) {
    if (found === null || item[0].strength > found[0].strength) found = item;
  }
  return found;
}

function codeMatches(s) {
  /* matchAll steps over an empty match by itself */
  return Array.from(s.matchAll(new RegExp(REPLY_CODE, "gm")), (m) => ({
    at: m.index + m[1].length,
    code: m[2],
  }));
}

function replyAround(text, pos) {
  const start = pos === 0 ? 0 : text.lastIndexOf("\n", pos - 1) + 1;
  let end = text.indexOf("\n", pos);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  let codeAt = null;
  for (const m of codeMatches(line)) {
    if (m.at <= pos - start) codeAt = m;
  }
  if (codeAt === null) return strip(line);
  const code = codeAt.code;
  const earlier = [];
  if (strip(line.slice(0, codeAt.at)) === "") {
    const before = start > 0 ? text.slice(0, Math.max(start - 1, 0)).split("\n") : [];
    while (before.length && strip(before[before.length - 1], true, false).startsWith(`${code}-`)) {
      earlier.push(strip(before.pop()));
    }
  }
  const lines = earlier.reverse().concat([strip(line.slice(codeAt.at), false, true)]);
  const after = end < text.length ? text.slice(end + 1).split("\n") : [];
  let last = lines[lines.length - 1];
  for (const next of after) {
    if (!last.startsWith(`${code}-`)) break;
    const stripped = strip(next);
    if (!(stripped.startsWith(`${code}-`) || stripped.startsWith(`${code} `) || stripped === code)) break;
    lines.push(stripped);
    last = stripped;
  }
  return lines.join("\n");
}

function codeHits(text, rules, stage) {
  const hits = [];
  const seen = new Set();
  for (const m of text.matchAll(ENHANCED_CODE)) {
    if (m[2] === "2") continue;
    const key = `${m[3]}.${m[4]}`;
    const rule = rules.enhanced[`${m[2]}.${key}`] || rules.enhanced[key] || rules.enhanced[m[3]];
    const at = m.index + m[1].length;
    if (rule?.causes.length && !seen.has(key)) {
      seen.add(key);
      hits.push([rule, at, m.index + m[0].length]);
    }
  }
  for (const m of text.matchAll(CODE_EVIDENCE)) {
    const code = m[2];
    const rule = rules.reply[`${code}@${stage}`] || rules.reply[code] || rules.reply[`${code[0]}xx`];
    const at = m.index + m[1].length;
    if (rule?.causes.length && !seen.has(code)) {
      seen.add(code);
      hits.push([rule, at, at + 3]);
    }
  }
  return hits;
}

function firstCodePoints(s, n) {
  if (s.length <= n) return s;
  return Array.from(s).slice(0, n).join("");
}

function evidenceOf(text, counted, top, order) {
  const weight = (rule) => {
    const found = rule.causes.find(([c]) => c === top);
    return found ? found[1] : 0;
  };
  const ranked = counted
    .map((hit, i) => [i, hit])
    .sort((a, b) => weight(b[1][0]) - weight(a[1][0]) || b[1][0].strength - a[1][0].strength || a[0] - b[0]);
  const out = [];
  const shown = new Set(); // a stretch of the paste is shown once, by its strongest reading
  for (const [, [rule, start, end]] of ranked) {
    if (out.length === MAX_EVIDENCE) break;
    if (shown.has(`${start}:${end}`)) continue;
    shown.add(`${start}:${end}`);
    out.push({
      layer: rule.layer,
      text: firstCodePoints(text.slice(start, end), MAX_EVIDENCE_TEXT),
      meaning: rule.meaning,
      causes: rule.causes
        .slice()
        .sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]))
        .map(([c]) => c),
      server: rule.server,
    });
  }
  return out;
}

/** Every recogniser's first match; a wording strictly inside a program's wrapper text counts only
 * where it matches again after that wrapper (as smtpdiagnose.diagnose._word_hits). */
function wordHits(low, rules) {
  const found = [];
  for (const rule of rules.rules) {
    const m = rule.regex.exec(low);
    if (m) found.push([rule, m.index, m.index + m[0].length]);
  }
  const wraps = found.filter(([r]) => r.layer === "wrapper").map(([, s, e]) => [s, e]);
  const hits = [];
  for (const [rule, start, end] of found) {
    let inside = -1;
    if (rule.layer === "wording" && rule.causes.length) {
      for (const [ws, we] of wraps) {
        if (ws <= start && end <= we && end - start < we - ws) inside = Math.max(inside, we);
      }
    }
    if (inside < 0) {
      hits.push([rule, start, end]);
      continue;
    }
    rule.again ||= new RegExp(rule.regex.source, `${rule.regex.flags}g`);
    rule.again.lastIndex = inside;
    const m = rule.again.exec(low);
    if (m) hits.push([rule, m.index, m.index + m[0].length]);
  }
  return hits;
}

/** Whether the rules' `top` stays first, as smtpdiagnose.diagnose._keeps_first: its strongest
 * evidence is more than a bare reply code, and more than a hint or a hint with nothing else around it. */
function keepsFirst(low, model, counted, top) {
  let lead = null;
  for (const [rule] of counted) {
    const found = rule.causes.find(([c]) => c === top);
    const weight = found ? found[1] : 0;
    if (lead === null || weight > lead[0] || (weight === lead[0] && rule.strength > lead[1]))
      lead = [weight, rule.strength, rule.layer];
  }
  if (lead === null || WEAK.includes(lead[2])) return false;
  if (lead[0] > HINT) return true;
  const rest = low.split("");
  for (const [, start, end] of counted) rest.fill(" ", start, end);
  return knownWords(model, rest.join("")) < ALONE_WORDS;
}

/** The causes, likeliest first, and the "similar texts" evidence when that layer changed the first
 * (as smtpdiagnose.diagnose._blend; diagnose-similar.mjs rank; `share` becomes the shown confidence). */
function blend(low, rules, share, counted) {
  const byRules = rules.order
    .filter((c) => share[c] > 0)
    .sort((a, b) => share[b] - share[a] || rules.order.indexOf(a) - rules.order.indexOf(b));
  const model = rules.similar;
  if (model === null) return [byRules, null];
  const keepFirst = byRules.length > 0 && keepsFirst(low, model, counted, byRules[0]);
  const goodReply = byRules.length === 0 && GOOD_REPLY.test(low);
  const [ranked, moved] = rank(model, low, rules.order, share, byRules, keepFirst, goodReply);
  return [ranked, moved ? like(model, low, ranked[0]) : null];
}

/** The "similar texts" evidence for `cause`: the paste's words that speak most for it. */
function like(model, low, cause) {
  return {
    layer: "similar-texts",
    text: firstCodePoints(tellingWords(model, low, cause).join(", "), MAX_EVIDENCE_TEXT),
    meaning: "these words read like the error texts collected for this cause",
    causes: [cause],
    server: null,
  };
}

/**
 * The causes a counted hit's `consequences` rule out, except where a longer hit around it names
 * that cause itself (the longer wording is the more specific one).
 */
function explainedBy(counted) {
  const out = new Set();
  for (const [rule, start, end] of counted) {
    for (const cause of rule.consequences) {
      const named = counted.some(
        ([other, oStart, oEnd]) =>
          oStart <= start &&
          end <= oEnd &&
          oEnd - oStart > end - start &&
          other.causes.some(([c]) => c === cause),
      );
      if (!named) out.add(cause);
    }
  }
  return out;
}

/** Diagnose a pasted error text with compiled rules. */
export function diagnose(rawText, rules) {
  const [text, capped] = cap(normalise(rawText));
  const low = lowerAscii(text);
  const hits = wordHits(low, rules);
  const hinted = best(hits.filter(([r]) => r.stage && r.causes.length === 0));
  const codes = codeHits(low, rules, hinted ? hinted[0].stage : null);
  const allHits = hits.concat(codes);
  const symptoms = allHits.filter(([r]) => r.symptom).map(([, start]) => start);
  // The line where the first symptom stands: a refusal before it is what that symptom repeats.
  const first = symptoms.length ? Math.min(...symptoms) : 0;
  const line = first > 0 ? low.lastIndexOf("\n", first - 1) + 1 : 0;
  const reasons =
    hits.some(([r]) => r.causes.length > 0 && !r.symptom) ||
    codes.some(([r, , end]) => r.layer === "reply-code" && !rules.notRefusals.has(r.id) && end <= line);
  const counted = allHits.filter(([r]) => !(reasons && r.symptom));
  const explained = explainedBy(counted);
  const scores = Object.fromEntries(rules.order.map((c) => [c, 0]));
  for (const [rule] of counted) {
    for (const [cause, weight] of rule.causes) {
      if (!explained.has(cause)) scores[cause] = Math.max(scores[cause], weight);
    }
  }
  let total = 0;
  for (const cause of rules.order) total += scores[cause];
  const share = Object.fromEntries(rules.order.map((c) => [c, scores[c] / (total + 1)]));
  const [ranked, like] = blend(low, rules, share, counted);
  const causes = ranked.length
    ? ranked.map((c) => ({ id: c, title: rules.titles[c], confidence: round2(share[c]) }))
    : [{ id: "unknown", title: rules.titles.unknown, confidence: 0 }];
  const top = ranked.length ? ranked[0] : null;
  const forTop = counted.filter(([r]) => top !== null && r.causes.some(([c]) => c === top));

  const serverScore = {};
  for (const [rule] of hits) {
    if (rule.server) serverScore[rule.server] = (serverScore[rule.server] || 0) + rule.strength;
  }
  let server;
  if (Object.keys(serverScore).length) {
    let bestScore = -Infinity;
    for (const s of rules.servers) {
      const score = s in serverScore ? serverScore[s] : -1;
      if (score > bestScore) {
        bestScore = score;
        server = s;
      }
    }
  } else {
    server = new RegExp(REPLY_CODE, "m").test(text) ? "other" : "unknown";
  }

  const staged =
    hinted ||
    best(forTop.filter(([r]) => r.stage && r.regex)) ||
    best(counted.filter(([r]) => r.stage && r.regex));
  const stage = staged ? staged[0].stage : "unknown";
  const programHit = best(hits.filter(([r]) => r.program));
  const program = programHit ? programHit[0].program : null;

  let anchor = null;
  for (const [rule, pos] of forTop) {
    const weight = rule.causes.find(([c]) => c === top)[1];
    if (anchor === null || weight > anchor[0]) anchor = [weight, pos];
  }
  let reply = null;
  if (anchor !== null) {
    reply = replyAround(text, anchor[1]);
  } else {
    const first = codeMatches(text)[0];
    if (first) reply = replyAround(text, first.at);
  }
  const hidden = forTop.length > 0 && forTop.every(([r]) => r.symptom);
  let evidence = evidenceOf(
    text,
    counted.filter(([r]) => r.causes.length > 0 || r.regex),
    top,
    rules.order,
  );
  if (like !== null) evidence = [like, ...evidence].slice(0, MAX_EVIDENCE);
  const decidedBy = top !== null && evidence.length ? evidence[0].layer : null;
  return {
    causes,
    server,
    stage,
    reply,
    decided_by: decidedBy,
    evidence,
    program,
    hidden,
    matched: hits.map(([r]) => r.id),
    capped,
  };
}
