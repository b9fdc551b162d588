/* diagnose-runner.js: runs the matcher for the /diagnose/ page without ever blocking its main thread.
 *
 * The matcher (diagnose-core.mjs) and the masking of sign-in secrets (diagnose-mask.mjs) run in a
 * module worker (diagnose-worker.js, which documents the messages). The page fetches the rules as
 * bytes while the worker's script loads (no request waits for another) and hands the worker a copy,
 * which it parses and compiles: the page never parses the 0.5 MB of JSON. Each text gets a time budget: a worker that overruns it is terminated and replaced,
 * and the page says the text took too long. Where no worker can start (an old browser, a blocked
 * script), the page parses the rules and runs the matcher itself, with the text cut to
 * MAIN_THREAD_CAP characters, so one call stays short. diagnose.js creates its Runner (and so starts
 * the worker) on the reader's first intent, not when the page loads.
 *
 *   const runner = new Runner(new URL("/api/diagnoses.json", location.href));
 *   const view = await runner.ready;   // {causes, stages, server_names, programs}; rejects: no rules
 *   await runner.warm;                 // the matcher is warm: the next text takes a few ms (resolves
 *                                      // with a warm-up text's result, or null)
 *   const out = await runner.run(text, (masked, hidden) => { ... });   // masked: null if none found
 *   // out: {result, masked, hidden, ms, cut} | {timeout: true} | {error: "..."} */

/** Milliseconds a text may take in the worker (the matcher's own target is 1 s for 1 MB, issue 21). */
export const BUDGET_MS = 3000;
/** Characters read on the main thread when no worker runs (a 20 KB text stays well under 50 ms). */
export const MAIN_THREAD_CAP = 20000;

const WORKER_URL = new URL("./diagnose-worker.js", import.meta.url);

export class Runner {
  /** `dataUrl`: the URL of /api/diagnoses.json (a URL object or an absolute string). */
  constructor(dataUrl) {
    this.dataUrl = String(dataUrl);
    this.next = 1;
    this.pending = null; /* {id, resolve, onMasked, timer, masked, hidden} */
    this.local = null;
    this.data = this.fetchData();
    this.data.catch(() => {}); /* said by `ready` */
    this.warm = new Promise((resolve) => {
      this.warmed = resolve;
    });
    this.ready = this.start();
  }

  /** The bytes of /api/diagnoses.json (same origin; the request carries no text). */
  async fetchData() {
    const response = await fetch(this.dataUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${new URL(this.dataUrl).pathname}: HTTP ${response.status}`);
    return response.arrayBuffer();
  }

  /** Start a worker; resolves with the page's part of the data once the worker's rules are compiled
   * and warm (or once the main-thread matcher has them); rejects if the rules cannot be loaded. */
  start() {
    return new Promise((resolve, reject) => {
      let worker;
      try {
        worker = new Worker(WORKER_URL, { type: "module", name: "diagnose" });
      } catch (error) {
        this.startLocal(error).then(resolve, reject);
        return;
      }
      const failed = (event) => {
        if (event && typeof event.preventDefault === "function") event.preventDefault();
        worker.terminate();
        if (this.worker === worker) this.worker = null;
        this.startLocal(event?.message).then(resolve, reject);
      };
      worker.addEventListener("error", failed, { once: true });
      worker.addEventListener("message", (event) => {
        const msg = event.data || {};
        if (msg.ready) {
          worker.removeEventListener("error", failed);
          resolve(msg.view);
        } else if (msg.warm) {
          this.warmed(msg.result || null);
        } else if ("failed" in msg) {
          worker.removeEventListener("error", failed);
          worker.terminate();
          if (this.worker === worker) this.worker = null;
          reject(new Error(msg.failed));
        } else {
          this.received(msg);
        }
      });
      this.worker = worker;
      this.data.then(
        (bytes) => {
          const copy = bytes.slice(0); /* transferred: a worker started after an overrun gets its own */
          worker.postMessage({ data: copy }, [copy]);
        },
        (error) => {
          worker.terminate();
          if (this.worker === worker) this.worker = null;
          reject(error);
        },
      );
    });
  }

  async startLocal(why) {
    console.warn(
      `diagnose: no worker (${why || "unknown reason"}); the matcher runs on the page, on the first ${MAIN_THREAD_CAP} characters`,
    );
    const [core, mask, bytes] = await Promise.all([
      import("./diagnose-core.mjs"),
      import("./diagnose-mask.mjs"),
      this.data,
    ]);
    const data = JSON.parse(new TextDecoder().decode(bytes));
    this.local = { core, mask, rules: core.compile(data) };
    this.warmed(null);
    return data;
  }

  /** Diagnose `text`; `onMasked(masked, hidden)` is called first, as soon as the secrets are masked. */
  run(text, onMasked) {
    return this.ready.then(() => {
      if (this.pending) this.finish({ superseded: true });
      if (this.local) return this.runLocal(text, onMasked);
      const id = this.next++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => this.overrun(), BUDGET_MS);
        this.pending = { id, resolve, onMasked, timer, masked: null, hidden: 0 };
        this.worker.postMessage({ id, text });
      });
    });
  }

  runLocal(text, onMasked) {
    const cut = text.length > MAIN_THREAD_CAP;
    const start = performance.now();
    const masked = this.local.mask.maskCredentials(cut ? text.slice(0, MAIN_THREAD_CAP) : text);
    if (onMasked) onMasked(masked.count ? masked.text : null, masked.count);
    const result = this.local.core.diagnose(masked.text, this.local.rules);
    return {
      result,
      masked: masked.count ? masked.text : null,
      hidden: masked.count,
      ms: performance.now() - start,
      cut,
    };
  }

  received(msg) {
    const p = this.pending;
    if (!p || msg.id !== p.id) return; /* an answer to a text the reader has replaced */
    if ("masked" in msg) {
      p.masked = msg.masked;
      p.hidden = msg.hidden;
      if (p.onMasked) p.onMasked(msg.masked, msg.hidden);
    } else if ("error" in msg) {
      this.finish({ error: msg.error });
    } else {
      this.finish({ result: msg.result, masked: p.masked, hidden: p.hidden, ms: msg.ms, cut: false });
    }
  }

  finish(outcome) {
    const p = this.pending;
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve(outcome);
  }

  /** The text overran its budget: end that worker (its regular expressions cannot be interrupted) and
   * start a fresh one for the next text. */
  overrun() {
    this.worker.terminate();
    this.worker = null;
    this.finish({ timeout: true });
    /* the new worker starts in a task of its own, after the answer is painted */
    this.ready = new Promise((resolve) => setTimeout(resolve, 0)).then(() => this.start());
  }
}
