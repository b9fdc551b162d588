/* diagnose-link.js: the /diagnose/ page's first script, a classic one in its <head> (front matter
 * `head_scripts`, overrides/main.html), run before the theme's. A portal link `/diagnose/#text=<text>`
 * may carry a long text (1 MB was tried): Chromium then spends 50-300 ms in history.replaceState to take
 * it out of the address (issue 21 #3: pasted text never stays in the history), and the theme more
 * than that reading the address. So a link longer than the matcher reads is handed over instead: its
 * two ends, still percent-encoded (all diagnose-keep.mjs keepReadEncoded reads of a link), go into
 * sessionStorage (read once and removed by diagnose.js) and the page loads again without them,
 * replacing its history entry (the rest of this copy of the page is not parsed: window.stop()). Shorter links are read from the address by diagnose.js as before. */
const helpLinkHash = window.location.hash; /* read once: each read copies the whole address */
/* diagnose-keep.mjs LINK_HEAD and LINK_TAIL: the encoded characters keepReadEncoded reads at each end */
const HELP_LINK_HEAD = 49173;
const HELP_LINK_TAIL = 147477;
if (helpLinkHash.startsWith("#text=") && helpLinkHash.length > 6 + 16384) {
  const raw = helpLinkHash.slice(6);
  const head = raw.slice(0, HELP_LINK_HEAD);
  const tail =
    raw.length > HELP_LINK_HEAD + HELP_LINK_TAIL ? raw.slice(-HELP_LINK_TAIL) : raw.slice(HELP_LINK_HEAD);
  try {
    window.sessionStorage.setItem(
      "help:diagnose-link",
      JSON.stringify({ head: head, tail: tail, size: raw.length, at: Date.now() }),
    );
    window.stop(); /* nothing more of this page is parsed or run: it is about to be replaced */
    window.location.replace(window.location.pathname + window.location.search);
  } catch (_error) {
    /* no storage: diagnose.js reads the link from the address */
  }
}
