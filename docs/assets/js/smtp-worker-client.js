/* The one client of the Pyodide worker (smtp-worker.js): the live console (console.js) and the pages'
 * "Run this code" buttons (sample-run.js) both talk to it through this module, so a page session
 * starts Python at most once, whichever widget asks first. Nothing is fetched until start() is called.
 * The worker's messages are documented at the top of smtp-worker.js. */

const SITE_ROOT = new URL("../../", import.meta.url).href;
const WORKER_URL = new URL("smtp-worker.js", import.meta.url).href;

class SmtpWorkerClient {
  #worker = null;
  #ready = null; /* Promise of the "ready" message's boot ("full" | "snapshot") */
  #listeners = new Set();
  #nextId = 1;

  /** "idle" (not started, or failed: start() tries again), "loading" or "ready". */
  state = "idle";

  /** Call `fn(message)` for every message of the worker (progress, replies, "saved", …); returns the
   * function that stops listening. */
  listen(fn) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Start Python unless it runs or is starting. `first` ({id, personality, scenario}: a console
   * session to open as soon as Python is ready) goes with the worker's init message, so its greeting
   * follows "ready" at once. Returns `{ready, sentFirst}`: `ready` resolves with the boot kind and
   * rejects with an Error when Python cannot start (the next start() tries again); `sentFirst` says
   * whether `first` went out with this call. */
  start(first = null) {
    if (this.#ready) {
      return { ready: this.#ready, sentFirst: false };
    }
    this.state = "loading";
    let sentFirst = false;
    this.#ready = new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { type: "module", name: "smtp-worker" });
      this.#worker = worker;
      worker.addEventListener("error", (event) => {
        event?.preventDefault?.();
        reject(new Error(`the worker script did not load${event?.message ? ` (${event.message})` : ""}`));
      });
      worker.addEventListener("message", (event) => {
        const message = event.data || {};
        if (message.type === "ready") {
          this.state = "ready";
          resolve(message.boot);
        } else if (message.type === "error" && message.fatal) {
          reject(new Error(message.text));
          return;
        }
        for (const fn of this.#listeners) {
          fn(message);
        }
      });
      worker.postMessage({ type: "init", siteRoot: SITE_ROOT, first });
      sentFirst = Boolean(first);
    });
    this.#ready.catch(() => {
      this.state = "idle";
      this.#ready = null;
      this.#worker?.terminate();
      this.#worker = null;
    });
    return { ready: this.#ready, sentFirst };
  }

  /** Start Python if needed, post `message` (with a fresh id) and resolve with the worker's
   * `answer`-type reply to it (its whole message), or reject with the worker's error text. */
  async ask(message, answer) {
    await this.start().ready;
    const id = `job-${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      const stop = this.listen((m) => {
        if (m.id !== id || (m.type !== answer && m.type !== "error")) {
          return;
        }
        stop();
        if (m.type === answer) {
          resolve(m);
        } else {
          reject(new Error(m.text));
        }
      });
      this.post({ ...message, id });
    });
  }

  /** Show the worker's start-up progress in `status` while `root` (a widget) is connected and busy
   * (aria-busy="true": it pressed a button and waits for Python). */
  showProgress(root, status) {
    this.listen((m) => {
      if (m.type === "progress" && root.isConnected && root.getAttribute("aria-busy") === "true") {
        status.textContent = m.text;
      }
    });
  }

  /** Post `message` to the running worker (a no-op before start()). */
  post(message) {
    this.#worker?.postMessage(message);
  }
}

/** The page session's one client. */
export const smtpWorker = new SmtpWorkerClient();
