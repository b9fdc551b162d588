/* diagnose-worker.js: the /diagnose/ page's matcher, off the main thread (a same-origin module
 * worker: the site's Content-Security-Policy has worker-src 'self'). However long or odd a pasted text
 * is, the page stays responsive; diagnose.js gives each text a time budget and replaces a worker
 * that overruns it. Nothing leaves the browser: the worker makes no request.
 *
 * Messages in:
 *   {data: "<the page's diagnoses JSON>"}   first, once: the rules are compiled
 *   {id, text}                              a text to diagnose
 * Messages out:
 *   {ready: true}                           the rules are compiled
 *   {id, masked, hidden}                    the text with its sign-in secrets masked (null: none
 *                                           found), how many were
 *   {id, result, ms}                        diagnose-core's result for the masked text, the time taken
 *   {id, error}                             the matcher threw (the message) */

import { compile, diagnose } from "./diagnose-core.mjs";
import { maskCredentials } from "./diagnose-mask.mjs";

let rules = null;

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (typeof msg.data === "string") {
    rules = compile(JSON.parse(msg.data));
    self.postMessage({ ready: true });
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
