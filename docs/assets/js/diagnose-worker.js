/* diagnose-worker.js: the /diagnose/ page's matcher, off the main thread (a same-origin module
 * worker: the site's Content-Security-Policy has worker-src 'self'). However long or odd a pasted text
 * is, the page stays responsive; diagnose-runner.js gives each text a time budget and replaces a
 * worker that overruns it. Nothing leaves the browser: the worker makes no request.
 *
 * The worker starts when the reader first shows an intent to diagnose (diagnose.js), not when the
 * page loads. It gets the bytes of /api/diagnoses.json (the page fetches them meanwhile), parses and
 * compiles the rules (the page never parses the 0.5 MB of JSON), says it is ready, then runs the
 * matcher a few times on texts of its own, one run per task (a text the reader sends meanwhile waits
 * for one run at most) and says so once warm. V8 compiles a regular expression on its first run (to
 * byte code) and again on its second (to machine code), and separately for texts of one-byte
 * (Latin-1) and two-byte characters: ~120 ms for ~760 expressions, which the reader's first text
 * would otherwise wait for (measured: 40-65 ms of the first answer's 60-100 ms in Chromium).
 *
 * Messages in:
 *   {data: ArrayBuffer}          first, once: the bytes of /api/diagnoses.json, to parse and compile
 *   {id, text}                   a text to diagnose
 * Messages out:
 *   {ready: true, view}          the rules are compiled; `view`: what the page shows of the data
 *                                (causes, stages, server_names, programs; diagnose-answer.js)
 *   {warm: true, result}         the warm-up is over: a text is answered in a few milliseconds;
 *                                `result`: the last warm-up text's (diagnose.js lays it out unseen)
 *   {failed: "<reason>"}         the rules could not be read
 *   {id, masked, hidden}         the text with its sign-in secrets masked (null: none found), how many
 *   {id, result, ms}             diagnose-core's result for the masked text, the time taken
 *   {id, error}                  the matcher threw (the message) */

import { compile, diagnose } from "./diagnose-core.mjs";
import { maskCredentials } from "./diagnose-mask.mjs";

/** What the page needs of the data besides the matcher's rules (the answer's words and the programs). */
const VIEW_KEYS = ["causes", "stages", "server_names", "programs"];
/** Runs of each warm-up text: the first compiles every expression to byte code, the second to machine
 * code, the third runs what the reader's text will run. */
const WARM_UP_RUNS = 3;
/** Texts of no real program or server (an RFC 5321 reply code, an RFC 3463 enhanced code): they reach
 * every expression, the code tables and the reply-quoting path, the second in two-byte characters. */
const WARM_UP_TEXTS = [
  "warm-up: 550 5.7.1 check\nwarm-up line",
  "warm-up: 550 5.7.1 check\n\u2022 warm-up line",
];

let rules = null;

/** Parse and compile the rules, say so with what the page shows, then warm the matcher up. */
function load(bytes) {
  const data = JSON.parse(new TextDecoder().decode(bytes));
  rules = compile(data);
  const view = Object.fromEntries(VIEW_KEYS.map((key) => [key, data[key]]));
  self.postMessage({ ready: true, view });
  setTimeout(() => warmUp(0), 0);
}

/** Warm-up run `step` (one-byte and two-byte texts in turn), each in a task of its own. */
function warmUp(step, result = null) {
  if (step >= WARM_UP_RUNS * WARM_UP_TEXTS.length) {
    self.postMessage({ warm: true, result });
    return;
  }
  const last = diagnose(maskCredentials(WARM_UP_TEXTS[step % WARM_UP_TEXTS.length]).text, rules);
  setTimeout(() => warmUp(step + 1, last), 0);
}

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.data instanceof ArrayBuffer) {
    try {
      load(msg.data);
    } catch (error) {
      self.postMessage({ failed: String(error?.message || error) });
    }
    return;
  }
  try {
    const masked = maskCredentials(msg.text);
    self.postMessage({ id: msg.id, masked: masked.count ? masked.text : null, hidden: masked.count });
    const start = performance.now();
    const result = diagnose(masked.text, rules);
    self.postMessage({ id: msg.id, result, ms: performance.now() - start });
  } catch (error) {
    self.postMessage({ id: msg.id, error: String(error?.message || error) });
  }
});
