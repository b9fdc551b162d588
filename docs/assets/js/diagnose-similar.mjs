/* diagnose-similar.mjs: the "similar texts" layer of the diagnosis, how much a paste reads like the
 * collected error texts of each cause. The same algorithm as diagnose/smtpdiagnose/similar.py (read
 * its docstring): the same features, the same sums in the same order and the same exp, so both give
 * the same bits; tests/diagnose/test_diagnose_parity.py compares them on every text. */

const WORD = /[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+/g;
const GRAMS = [3, 4];
/* How many words' rows a model remembers (as similar.WORD_CACHE). */
const WORD_CACHE = 50000;
/* A cause no rule gave is listed when this layer gives it at least this probability. */
const SHOWN = 0.1;
/** Where no rule recognised anything, the layer answers alone from this probability of its likeliest
 * class on (a guess); below it, or when that class is "unknown", "unknown" stays (as similar.ALONE). */
const ALONE = 0.5;
/** ... and only when the paste has at least this many words the layer knows (not "hello world"). */
export const ALONE_WORDS = 4;

/** The features of one word (a run that WORD matched). */
export function wordFeatures(word) {
  const first = word.charCodeAt(0);
  if (first >= 0x3040 && first <= 0xd7af) {
    const out = [];
    for (let i = 0; i < word.length; i += 1) {
      out.push(`c:${word[i]}`);
      if (i + 1 < word.length) out.push(`c:${word.slice(i, i + 2)}`);
    }
    return out;
  }
  const padded = ` ${word} `;
  const out = [`w:${word}`];
  for (const n of GRAMS) {
    for (let i = 0; i + n <= padded.length; i += 1) out.push(`g:${padded.slice(i, i + n)}`);
  }
  return out;
}

function* words(low) {
  WORD.lastIndex = 0;
  for (let m = WORD.exec(low); m !== null; m = WORD.exec(low)) yield m[0];
}

/** e**x for x <= 0 from + - * / only (as similar.exp_neg). */
export function expNeg(x) {
  if (x < -60) return 0;
  const y = x / 256;
  let term = 1;
  let total = 1;
  for (let n = 1; n < 13; n += 1) {
    term = (term * y) / n;
    total += term;
  }
  for (let i = 0; i < 8; i += 1) total *= total;
  return total;
}

/** The model from the compiled rules' "similar" entry (null when there is none). */
export function compileSimilar(data) {
  if (!data) return null;
  const index = new Map();
  for (const [i, row] of data.features.entries()) index.set(row[0], i);
  return {
    classes: data.classes.slice(),
    bias: data.bias.map(Number),
    scale: Number(data.scale),
    blend: Number(data.blend),
    index,
    idf: data.features.map((row) => Number(row[1])),
    weights: data.features.map((row) => {
      const pairs = [];
      for (let i = 2; i < row.length; i += 2) pairs.push([row[i], row[i + 1]]);
      return pairs;
    }),
    known: new Map(),
  };
}

/** The rows of one word's features (remembered, as Similar.word_rows). */
function wordRows(model, word) {
  let rows = model.known.get(word);
  if (rows === undefined) {
    if (model.known.size >= WORD_CACHE) model.known.clear();
    rows = new Set();
    for (const f of wordFeatures(word)) {
      const r = model.index.get(f);
      if (r !== undefined) rows.add(r);
    }
    model.known.set(word, rows);
  }
  return rows;
}

const ascending = (a, b) => a - b;

/** How many different words of the paste have a feature the model knows (as Similar.known_words). */
export function knownWords(model, low) {
  let n = 0;
  for (const word of new Set(words(low))) if (wordRows(model, word).size > 0) n += 1;
  return n;
}

/** Each cause's probability, or null when the paste has no feature the model knows. */
export function probabilities(model, low) {
  const all = new Set();
  for (const word of new Set(words(low))) for (const r of wordRows(model, word)) all.add(r);
  const rows = [...all].sort(ascending);
  if (!rows.length) return null;
  let norm = 0;
  for (const r of rows) norm += model.idf[r] * model.idf[r];
  norm = Math.sqrt(norm);
  const acc = model.classes.map(() => 0);
  for (const r of rows) {
    for (const [c, k] of model.weights[r]) acc[c] += k * model.idf[r];
  }
  const z = model.classes.map((_, c) => model.bias[c] + (acc[c] * model.scale) / norm);
  const top = Math.max(...z);
  const e = z.map((v) => expNeg(v - top));
  let total = 0;
  for (const v of e) total += v;
  return Object.fromEntries(model.classes.map((cause, c) => [cause, e[c] / total]));
}

/** The paste's words that speak most for `cause`, strongest first. */
export function tellingWords(model, low, cause, limit = 3) {
  const c = model.classes.indexOf(cause);
  const scored = new Map();
  const seen = new Set();
  for (const word of words(low)) {
    if (seen.has(word)) continue;
    seen.add(word);
    let total = 0;
    for (const r of [...wordRows(model, word)].sort(ascending)) {
      for (const [ci, k] of model.weights[r]) if (ci === c) total += k * model.idf[r];
    }
    if (total > 0) scored.set(word, total);
  }
  return [...scored.keys()].sort((a, b) => scored.get(b) - scored.get(a)).slice(0, limit);
}

/** The causes, likeliest first, and whether this layer put the first there (as similar.rank: read
 * its docstring). `share` becomes the shown confidence. */
export function rank(model, low, order, share, byRules, keepFirst, goodReply) {
  const probs = probabilities(model, low);
  if (probs === null) return [byRules, false];
  const byOrder = (a, b) => share[b] - share[a] || order.indexOf(a) - order.indexOf(b);
  const p = {};
  for (const c of order) if (c !== "unknown") p[c] = probs[c] ?? 0;
  if (byRules.length === 0) {
    let best = model.classes[0];
    for (const c of model.classes) if (probs[c] > probs[best]) best = c;
    if (best === "unknown" || probs[best] < ALONE || knownWords(model, low) < ALONE_WORDS || goodReply)
      return [[], false];
    for (const c of Object.keys(p)) share[c] = (model.blend * p[c]) / (1 + model.blend);
    return [
      Object.keys(p)
        .filter((c) => p[c] >= SHOWN)
        .sort(byOrder),
      true,
    ];
  }
  const tied = byRules.filter((c) => share[c] === share[byRules[0]]);
  for (const c of Object.keys(p)) share[c] = (share[c] + model.blend * p[c]) / (1 + model.blend);
  let ranked = Object.keys(p)
    .filter((c) => share[c] > 0 && (byRules.includes(c) || p[c] >= SHOWN))
    .sort(byOrder);
  if (keepFirst) {
    const first = ranked.find((c) => tied.includes(c));
    ranked = [first, ...ranked.filter((c) => c !== first)];
    for (const c of ranked.slice(1)) share[c] = Math.min(share[c], share[first]);
  }
  return [ranked, ranked[0] !== byRules[0]];
}
