/* diagnose-keep.mjs: what the diagnosis keeps of a long text (a paste, a `#text=` link, a hand-over
 * from the search or a small form), so that the page never holds, copies or lays out more than the
 * matcher reads (issue 21 #1: a 1 MB paste blocked the page for 0.6 s, most of it Chromium laying out
 * the 1 MB text box).
 *
 * The matcher (diagnose-core.mjs cap(), smtpdiagnose.diagnose.cap) reads a text longer than CAP
 * characters as its first HEAD and last TAIL characters, each cut at a line break. keepRead() returns
 * exactly that part, in time bounded by HEAD + TAIL whatever the length (it looks at windows at both
 * ends only); the matcher then reads the kept text as it would have read the whole one.
 * keepLongPastes() makes a text box keep only that part of a paste or a drop longer than CAP.
 * No DOM at import: Node imports this module too (tests/site/test_diagnose_keep.py). */

import { CAP, cap, HEAD, normalise, TAIL } from "./diagnose-core.mjs";

/** A code point is at most 2 UTF-16 units, and the matcher reads CR LF as one line break: a window of
 * 2n units holds at least n characters as the matcher counts them. */
const UNITS_PER_CHAR = 2;
/** A code point is at most 4 UTF-8 bytes, each written %XX in a link: 12 characters of the link. */
const LINK_CHARS_PER_CHAR = 12;
/** The encoded characters keepReadEncoded reads at the start and at the end of a link (diagnose-link.js
 * hands over that much of a long link's two ends). */
export const LINK_HEAD = (HEAD + 1) * LINK_CHARS_PER_CHAR + 9;
export const LINK_TAIL = (TAIL + 1) * LINK_CHARS_PER_CHAR + 9;

/** What the matcher reads of `text`: `{text, cut, size}` (`cut`: a part was left out; `size`: the
 * length of the whole text, in UTF-16 units as `text.length` counts). A text the matcher reads whole
 * comes back as it is. */
export function keepRead(text) {
  const size = text.length;
  if (size <= CAP) {
    return { text, cut: false, size };
  }
  const head = HEAD * UNITS_PER_CHAR;
  const tail = TAIL * UNITS_PER_CHAR;
  /* the windows hold at least HEAD and TAIL characters: cap() cuts the joined windows where it would
     cut the whole text (the "\n" between them lies in the part left out) */
  const windows =
    size <= head + tail
      ? normalise(text)
      : `${normalise(text.slice(0, head))}\n${normalise(text.slice(size - tail))}`;
  const [kept, cut] = cap(windows);
  return { text: kept, cut, size };
}

/** A `%XX` escape of a UTF-8 continuation byte (never the first byte of a character). */
const CONTINUATION = /^%[89ab][0-9a-f]/i;

/** Where a cut of a `%XX`-encoded `raw` near `at` splits neither an escape nor a character: moved
 * back (`step` -1) or forward (`step` 1) by a few characters. */
function charBoundary(raw, at, step) {
  let cut = at;
  for (let back = 1; back <= 2; back += 1) {
    if (raw[at - back] === "%") {
      cut = step > 0 ? at - back + 3 : at - back;
    }
  }
  for (let i = 0; i < 3 && CONTINUATION.test(raw.slice(cut, cut + 3)); i += 1) {
    cut += 3 * step;
  }
  return cut;
}

/** Percent-decoded `raw`: the browser's own decoder, fast, where the escapes are valid UTF-8;
 * otherwise `decode` (help.js decodeTolerant, which never throws). */
function decoded(raw, decode) {
  try {
    return decodeURIComponent(raw);
  } catch (_error) {
    return decode(raw);
  }
}

/** Whether `text` holds more than `n` characters as the matcher counts them (CR LF is one). */
function holdsMore(text, n) {
  const s = normalise(text);
  return s.length - (s.match(/[\udc00-\udfff]/g) || []).length > n;
}

/** What the matcher reads of the text a link carries (`raw`: the fragment after `#text=`, still
 * percent-encoded), decoding only its two ends: first windows of 3 encoded characters per character
 * (plain text, `%20` spaces), then, if a window decodes to too few characters, of 12 (a character is
 * at most 4 UTF-8 bytes). A 1 MB link is never decoded whole. `size` is the length of the decoded
 * text, or of the link's text as written (percent-encoded) when only its ends were decoded. */
export function keepReadEncoded(raw, decode) {
  for (const per of [3, LINK_CHARS_PER_CHAR]) {
    const headAt = charBoundary(raw, (HEAD + 1) * per, -1);
    const tailAt = charBoundary(raw, raw.length - (TAIL + 1) * per, 1);
    if (tailAt <= headAt) {
      return keepRead(decoded(raw, decode));
    }
    const head = decoded(raw.slice(0, headAt), decode);
    const tail = decoded(raw.slice(tailAt), decode);
    if (per === LINK_CHARS_PER_CHAR || (holdsMore(head, HEAD) && holdsMore(tail, TAIL))) {
      return { ...keepRead(`${head}\n${tail}`), size: raw.length };
    }
  }
  return null; /* not reached: the last windows are always enough */
}

/** A length in characters as a reader says it (decimal units, a character taken as a byte): "1.0 MB",
 * "40 KB". */
export function sizeLabel(size) {
  if (size >= 1e6) {
    return `${(size / 1e6).toFixed(1)} MB`;
  }
  return `${Math.round(size / 1e3)} KB`;
}

/** The one-line note the page shows when it kept only a part of a text: `whose` names it with
 * "{size}" for its size ("your {size} paste"). */
export function keptNote(size, whose) {
  /* thousands separated by hand: the first toLocaleString() of a page builds Intl's tables (7 ms) */
  const grouped = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  const first = grouped(HEAD);
  const last = grouped(TAIL);
  return `Kept the start and the end of ${whose.replace("{size}", sizeLabel(size))}: its first ${first} and last ${last} characters, the part the diagnosis reads.`;
}

/** Make `box` (a textarea) keep only what the matcher reads of a paste or a drop longer than CAP: the
 * browser never inserts (nor lays out) the whole text. `onKept(size)` is called after such an insert
 * (the box then fires `input`, as after any paste). */
export function keepLongPastes(box, onKept) {
  const take = (event, data) => {
    const text = data ? data.getData("text/plain") : "";
    if (text.length <= CAP) {
      return; /* the browser inserts it */
    }
    event.preventDefault();
    insertKept(box, event, text, onKept);
  };
  box.addEventListener("paste", (event) => take(event, event.clipboardData));
  box.addEventListener("drop", (event) => take(event, event.dataTransfer));
}

/** Insert what the matcher reads of `text` (a paste or a drop, `event`, whose default the caller
 * prevented) at `box`'s selection, as the browser would; `onKept(size)` if a part was left out. */
export function insertKept(box, event, text, onKept) {
  const kept = keepRead(text);
  const [start, end] = [box.selectionStart, box.selectionEnd];
  /* inserted in a task of its own: inside the paste event Chromium lays the box out again at once
     (20-30 ms for 16 KB on a loaded machine), outside it only when it next paints */
  window.setTimeout(() => {
    if (event.type === "drop") {
      box.focus();
    }
    box.setRangeText(kept.text, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
    if (kept.cut) onKept(kept.size);
  }, 0);
}
