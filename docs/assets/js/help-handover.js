/* The search's hand-over of a pasted error to the diagnosis page (help.js listens for the click;
 * the diagnosis page takes the text through help.js's re-exports). */

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

export function handOverSearch(ev) {
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
