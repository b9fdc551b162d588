/* The site's search worker: Material's own lunr worker, wrapped so that search reads what people
 * paste (issue 18). hooks/search_index.py points Material's search at this file
 * (assets/js/search-worker.js?engine=<Material's worker file>) and writes `config.help` into the
 * search index (synonyms, error wordings, where the diagnosis lives); Material hands the index's
 * config to its worker, so this wrapper receives it with the SETUP message.
 *
 * Material's worker takes {type, data} messages (SETUP 0, READY 1, QUERY 2, RESULT 3) on
 * `addEventListener("message")` and answers with `postMessage`; both are read as globals, so this
 * file installs its own before importing the worker and sits between Material's page code and lunr:
 *  - QUERY: the reader's text is cleaned before lunr parses it (lunr's operators + - ~ ^ : * and
 *    field syntax `title:` stripped, so a pasted "-ERR", "AUTH=PLAIN", "Subject: title:" or "x^y"
 *    no longer empties the result; reply codes like 503 and enhanced codes like 5.7.139 kept whole;
 *    addresses, URLs and bracketed server ids dropped), then synonyms add the words a page uses
 *    ("wp" -> "wordpress"; maker names -> the printers page);
 *  - RESULT: pages a synonym or a recognised error wording points to move up, and when the query
 *    looks like an error (a 4xx/5xx reply code, an enhanced status code, or a wording the
 *    diagnosis knows) the first entry is "Diagnose this error", a link to the diagnosis page that
 *    help.js follows with the text handed over in sessionStorage (never in the URL).
 * A classic worker (Material creates it with `new Worker(url)`); same-origin files only (CSP
 * worker-src 'self', script-src 'self'). */

const SETUP = 0;
const QUERY = 2;
const RESULT = 3;

/** A basic reply code (RFC 5321 section 4.2) of a refusal, as assets/js/diagnose-core.mjs finds it. */
const REPLY_CODE = /(^|[^0-9.:])([45][0-5][0-9])([ -]|$)/;
/** An enhanced status code (RFC 3463 section 2: class.subject.detail). */
const ENHANCED_CODE = /(^|[^0-9.])[245]\.\d{1,3}\.\d{1,3}($|[^0-9.])/;
/** At most this many words reach lunr: a whole pasted bounce would match nearly every section. */
const MAX_TERMS = 24;

let help = { synonyms: [], wordings: [], diagnose: null, boosts: {} };
let wordings = [];
let docs = new Map(); /* location -> the index's entry (pages and sections) */
const pending = [];

/* ---- the query ------------------------------------------------------------------------------ */

/** One pasted word as the words lunr should see: lowercased, operators and punctuation stripped,
 * dots kept only between digits (5.7.139, 2.0.0). Addresses, URLs and [server ids] give nothing. */
function words(token) {
  if (/@|:\/\/|^www\.|^\[.*\]$/i.test(token)) {
    return [];
  }
  return token
    .toLowerCase()
    .replace(/(\d)\.(?=\d)/g, "$1\u00b7") /* protect dots inside codes (a middle dot for now) */
    .split(/[^\p{L}\p{N}_\u00b7]+/u)
    .map((w) => w.replace(/\u00b7/g, "."))
    .filter((w) => w.length > 0);
}

/** The reader's text as plain words for lunr (no operator, field or wildcard syntax left). */
function cleanWords(raw) {
  const out = [];
  for (const token of String(raw).split(/\s+/)) {
    const parts = words(token);
    /* a dotted name is one word in the index (smtp.office365.com, MailKit.Net.Smtp): search it whole too */
    const whole = token.toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
    if (parts.length > 1 && /^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(whole) && !/^[0-9.]+$/.test(whole)) {
      parts.push(whole);
    }
    for (const w of parts) {
      if (out.length < MAX_TERMS && !out.includes(w)) {
        out.push(w);
      }
    }
  }
  return out;
}

/** A long plain word without its English ending, so that lunr's prefix search finds the other forms
 * too ("undelivered" -> "undeliver*" finds "undeliverable"); codes and short words stay. */
function stem(word) {
  return /^[a-z]{6,}$/.test(word) ? word.replace(/(?:ing|ed|es|s)$/, "") : word;
}

/** Whether the word list holds the phrase (a list of words) as consecutive words. */
function hasPhrase(list, phrase) {
  outer: for (let i = 0; i + phrase.length <= list.length; i++) {
    for (let j = 0; j < phrase.length; j++) {
      if (list[i + j] !== phrase[j]) {
        continue outer;
      }
    }
    return true;
  }
  return false;
}

/** What the reader typed, read: the query for lunr and the pages it points to. */
function readQuery(raw) {
  const list = cleanWords(raw);
  const added = [];
  const boosts = new Map(); /* location (page or section) -> factor */
  for (const syn of help.synonyms) {
    if (syn.when.some((phrase) => hasPhrase(list, phrase))) {
      for (const w of syn.add) {
        if (!list.includes(w) && !added.includes(w)) {
          added.push(w);
        }
      }
      boosts.set(syn.page, Math.max(boosts.get(syn.page) || 1, syn.boost));
    }
  }
  const text = String(raw);
  let errorish = REPLY_CODE.test(text) || ENHANCED_CODE.test(text);
  for (const w of wordings) {
    if (w.re.test(text)) {
      errorish = errorish || w.error;
      if (w.page) {
        boosts.set(w.page, Math.max(boosts.get(w.page) || 1, w.boost));
      }
    }
  }
  return {
    query: list.map(stem).concat(added).join(" "),
    boosts: boosts,
    errorish: errorish && list.length > 0,
    raw: text,
  };
}

/* ---- the result ------------------------------------------------------------------------------ */

function escapeHtml(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

function pageOf(location) {
  return location.split("#")[0];
}

/** The boost of a page: the highest one named for it or for one of its sections. */
function pageBoost(boosts, page) {
  let best = 1;
  boosts.forEach((value, location) => {
    if (pageOf(location) === page) {
      best = Math.max(best, value);
    }
  });
  return best;
}

function asItem(doc) {
  return { location: doc.location, title: doc.title, text: doc.text, score: 0, terms: {} };
}

/** Material's groups (one per page, best first) re-ranked: a page a synonym or a recognised
 * wording points to comes before the others (the higher the boost, the earlier; lunr's order among
 * equals), and inside it the section pointed to comes first. A page lunr did not find is added (a
 * maker name no page spells out). Scores are then made to fall from group to group, since
 * Material's Enter key opens the result with the highest score. */
function rerank(groups, ctx) {
  if (!ctx.boosts.size) {
    return groups;
  }
  const byPage = new Map(groups.map((g) => [pageOf(g[0].location), g.slice()]));
  for (const location of ctx.boosts.keys()) {
    const page = pageOf(location);
    if (!byPage.has(page) && docs.has(page)) {
      byPage.set(page, [asItem(docs.get(page))]);
    }
    const group = byPage.get(page);
    if (group && docs.has(location) && !group.some((i) => i.location === location)) {
      group.push(asItem(docs.get(location)));
    }
  }
  const ranked = Array.from(byPage.entries()).map(([page, group], order) => {
    const boost = pageBoost(ctx.boosts, page);
    const items = group.map((item) => ({ ...item, exact: ctx.boosts.has(item.location) ? 1 : 0 }));
    items.sort((a, b) => b.exact - a.exact || b.score - a.score);
    return { items: items, boost: boost, best: Math.max(...items.map((i) => i.score)), order: order };
  });
  ranked.sort((a, b) => b.boost - a.boost || a.order - b.order);
  let floor = 0;
  for (let g = ranked.length - 1; g >= 0; g--) {
    const group = ranked[g];
    const lift = group.best > floor ? 0 : floor - group.best + 1;
    group.items.forEach((item, i) => {
      item.score = i === 0 ? Math.max(item.score, group.best) + lift : item.score + lift;
      delete item.exact;
    });
    floor = group.items[0].score;
  }
  return ranked.map((g) => g.items);
}

/** The "Diagnose this error" entry: it links to the diagnosis page's text box; help.js hands the
 * text over when it is followed. Its title and text are HTML for Material's renderer: escaped. */
function diagnoseEntry(ctx, top) {
  const shown = ctx.raw.length > 90 ? `${ctx.raw.slice(0, 87)}...` : ctx.raw;
  return [
    {
      location: help.diagnose.location,
      title: escapeHtml(`${help.diagnose.title}: \u201c${shown.trim()}\u201d`),
      text: escapeHtml(help.diagnose.text),
      score: Math.max(top, 1) * 1000,
      terms: {},
    },
  ];
}

function answer(message) {
  if (!message || message.type !== RESULT) {
    return message;
  }
  const ctx = pending.shift();
  if (!ctx) {
    return message;
  }
  let items = rerank(message.data.items || [], ctx);
  if (ctx.errorish && help.diagnose) {
    /* the diagnosis page itself is that entry now: not listed twice */
    items = items.filter((g) => pageOf(g[0].location) !== pageOf(help.diagnose.location));
    const top = items.length ? Math.max(...items[0].map((i) => i.score)) : 1;
    items = [diagnoseEntry(ctx, top)].concat(items);
  }
  return { type: RESULT, data: { ...message.data, items: items } };
}

/* ---- between Material's page code and its worker ---------------------------------------------- */

const materialHandlers = [];
const listen = self.addEventListener.bind(self);
const send = self.postMessage.bind(self);

self.addEventListener = (type, handler, options) => {
  if (type === "message") {
    materialHandlers.push(handler);
  } else {
    listen(type, handler, options);
  }
};
self.postMessage = (message, transfer) => {
  send(answer(message), transfer);
};

function toMaterial(data) {
  for (const handler of materialHandlers) {
    handler({ data: data });
  }
}

listen("message", (ev) => {
  const msg = ev.data;
  if (msg && msg.type === SETUP) {
    const config = msg.data.config || {};
    help = Object.assign({ synonyms: [], wordings: [], diagnose: null }, config.help || {});
    wordings = help.wordings.map((w) => ({
      re: new RegExp(w.re, "im"),
      page: w.page,
      boost: w.boost,
      error: w.error,
    }));
    docs = new Map();
    for (const doc of msg.data.docs || []) {
      if (!docs.has(doc.location)) {
        docs.set(doc.location, doc);
      }
    }
    toMaterial(msg);
  } else if (msg && msg.type === QUERY) {
    const ctx = readQuery(msg.data);
    pending.push(ctx);
    toMaterial({ type: QUERY, data: ctx.query });
  } else {
    toMaterial(msg);
  }
});

const engine = new URL(self.location.href).searchParams.get("engine") || "";
if (!/^search\.[0-9a-f]+\.min\.js$/.test(engine)) {
  throw new Error("search-worker.js: ?engine= must name Material's worker file (hooks/search_index.py)");
}
importScripts(`../javascripts/workers/${engine}`);
