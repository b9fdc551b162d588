/* diagnose-core.mjs: what a pasted mail error means. No DOM, no network: import it in the help
 * centre, in the support portal or in Node.
 *
 *   import { compile, diagnose } from "https://help.smarthost.example/latest/assets/js/diagnose-core.mjs";
 *   const rules = compile(await (await fetch(".../latest/api/diagnoses.json")).json());
 *   diagnose("550 relay not permitted", rules);
 *   // {causes: [{id: "no-auth", title, confidence}], server: "exim", stage: "rcpt",
 *   //  reply: "550 relay not permitted", program: null, hidden: false, matched: [...]}
 *
 * The same algorithm as diagnose/smtpdiagnose/diagnose.py (read its docstring); the rules are compiled
 * from data/diagnoses.yml. tests/diagnose/test_parity.py runs the whole corpus through both and
 * compares every field, so change the two together. */

const WS = " \t\n\r\f\v";
const REPLY_CODE = "(^|[^0-9.:])([45][0-5][0-9])([ -]|$)";

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

/** Half-up to two decimals, as smtpdiagnose.diagnose.round2. */
export function round2(x) {
  return Math.floor(x * 100 + 0.5) / 100;
}

/** Rules from /api/diagnoses.json (or the engine's diagnoses.json): regular expressions compiled once. */
export function compile(data) {
  const flags = data.flags || "im";
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
    })),
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
  const re = new RegExp(REPLY_CODE, "gim");
  const out = [];
  let m;
  while ((m = re.exec(s)) !== null) {
    out.push({ at: m.index + m[1].length, code: m[2] });
    if (m[0].length === 0) re.lastIndex += 1;
  }
  return out;
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
  const lines = [strip(line.slice(codeAt.at), false, true)];
  if (strip(line.slice(0, codeAt.at)) === "") {
    const before = start > 0 ? text.slice(0, Math.max(start - 1, 0)).split("\n") : [];
    while (before.length && strip(before[before.length - 1], true, false).startsWith(code + "-")) {
      lines.unshift(strip(before.pop()));
    }
  }
  const after = end < text.length ? text.slice(end + 1).split("\n") : [];
  let last = lines[lines.length - 1];
  for (const next of after) {
    if (!last.startsWith(code + "-")) break;
    const stripped = strip(next);
    if (!(stripped.startsWith(code + "-") || stripped.startsWith(code + " ") || stripped === code)) break;
    lines.push(stripped);
    last = stripped;
  }
  return lines.join("\n");
}

/** Diagnose a pasted error text with compiled rules. */
export function diagnose(rawText, rules) {
  const text = normalise(rawText);
  const hits = [];
  for (const rule of rules.rules) {
    const m = rule.regex.exec(text);
    if (m) hits.push([rule, m.index]);
  }
  const reasons = hits.some(([r]) => r.causes.length > 0 && !r.symptom);
  const counted = hits.filter(([r]) => !(reasons && r.symptom));
  const explained = new Set(counted.flatMap(([r]) => r.consequences));
  const scores = Object.fromEntries(rules.order.map((c) => [c, 0]));
  for (const [rule] of counted) {
    for (const [cause, weight] of rule.causes) {
      if (!explained.has(cause)) scores[cause] = Math.max(scores[cause], weight);
    }
  }
  let total = 0;
  for (const cause of rules.order) total += scores[cause];
  const ranked = rules.order
    .filter((c) => scores[c] > 0)
    .sort((a, b) => scores[b] - scores[a] || rules.order.indexOf(a) - rules.order.indexOf(b));
  const causes = ranked.length
    ? ranked.map((c) => ({ id: c, title: rules.titles[c], confidence: round2(scores[c] / (total + 1)) }))
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
    server = new RegExp(REPLY_CODE, "im").test(text) ? "other" : "unknown";
  }

  const hints = hits.filter(([r]) => r.stage && r.causes.length === 0);
  const staged =
    best(hints) || best(forTop.filter(([r]) => r.stage)) || best(counted.filter(([r]) => r.stage));
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
  return { causes, server, stage, reply, program, hidden, matched: hits.map(([r]) => r.id) };
}
