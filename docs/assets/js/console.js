/* Live SMTP console (ES module of the "console" widget, macros/dialogue.py): lazy. Nothing of Pyodide is
 * fetched until "Start live console" is pressed; then a same-origin module Web Worker (smtp-worker.js)
 * loads Pyodide + smtpsim and answers typed commands. Replies are inserted with textContent only (never
 * as HTML). Mounted by help.js's mount(); one worker is shared by every console of the page session
 * (instant navigation). The worker's messages are documented in smtp-worker.js. */
import { mount, reveal } from "./help.js";

const siteRoot = new URL("../../", import.meta.url).href;
const workerURL = new URL("smtp-worker.js", import.meta.url).href;
let worker = null;
let workerState = "idle"; /* idle | loading | ready | failed */
let consoles = [];
let nextSession = 1;
const HISTORY_LIMIT = 100;
const PREFETCH_DELAY_MS = 150;

function broadcast(fn) {
  consoles = consoles.filter(function (c) { return c.root.isConnected || (c.end(), false); });
  consoles.forEach(fn);
}

function fail(text) {
  workerState = "failed";
  if (worker) { worker.terminate(); worker = null; }
  broadcast(function (c) { c.showFailure(text); });
}

/* Starts the worker unless it runs; *first* (a session to open as soon as Python is ready) goes with
 * the worker's init message. Returns true when *first* was sent. */
function ensureWorker(first) {
  if (workerState === "ready") { broadcast(function (c) { if (c.waiting) { c.onReady(); } }); return false; }
  if (workerState === "loading") { return false; }
  workerState = "loading";
  try {
    worker = new Worker(workerURL, { type: "module", name: "smtp-console" });
  } catch (error) {
    fail(String(error && error.message || error));
    return;
  }
  worker.addEventListener("error", function (event) {
    if (event && typeof event.preventDefault === "function") { event.preventDefault(); }
    fail("the console's worker script did not load" + (event && event.message ? " (" + event.message + ")" : ""));
  });
  worker.addEventListener("message", function (event) {
    let m = event.data || {};
    if (m.type === "progress") {
      broadcast(function (c) { c.showProgress(m.stage, m.text); });
    } else if (m.type === "ready") {
      workerState = "ready";
      /* how Python started (full | snapshot): shown to tests and the benchmark, not to readers */
      broadcast(function (c) { c.root.setAttribute("data-smtp-console-boot", m.boot); if (c.waiting) { c.onReady(); } });
    } else if (m.type === "saved") {
      broadcast(function (c) { c.root.setAttribute("data-smtp-console-snapshot", "saved"); });
    } else if (m.type === "error" && m.fatal) {
      fail(m.text);
    } else {
      broadcast(function (c) { if (c.session === m.id) { c.onMessage(m); } });
    }
  });
  worker.postMessage({ type: "init", siteRoot: siteRoot, first: first || null });
  return !!first;
}

function q(root, name) { return root.querySelector("[data-smtp-console-" + name + "]"); }

function SmtpConsole(root) {
  let self = this;
  this.root = root;
  this.session = null;
  this.waiting = false;
  this.history = [];
  this.historyAt = 0;
  this.el = {
    start: q(root, "start"), progress: q(root, "progress"), bar: root.querySelector("progress"),
    stage: q(root, "stage"), error: q(root, "error"), ui: q(root, "ui"), log: q(root, "log"),
    form: q(root, "form"), input: q(root, "input"), reset: q(root, "reset"),
    personality: q(root, "personality"), settings: q(root, "settings"), note: q(root, "note"),
  };
  reveal(root);
  this.el.start.addEventListener("click", function () { self.begin(); });
  this.el.start.addEventListener("pointerenter", function (event) { self.prefetchSoon(event); });
  this.el.start.addEventListener("pointerleave", function () { window.clearTimeout(self.prefetchTimer); });
  /* a press starts loading at once; its click (a tenth of a second later) shows the progress */
  this.el.start.addEventListener("pointerdown", function (event) {
    if (event.button === 0 && workerState === "idle") { ensureWorker(); }
  });
  this.el.reset.addEventListener("click", function () { self.restart(); });
  this.el.personality.addEventListener("change", function () { self.restart(); });
  this.el.settings.addEventListener("change", function () { self.restart(); });
  this.el.form.addEventListener("submit", function (event) { event.preventDefault(); self.submit(); });
  this.el.input.addEventListener("keydown", function (event) { self.onKey(event); });
}

/* Optional prefetch: a mouse resting on "Start live console" for a moment starts loading (never on
 * touch, never with Save-Data); progress and errors are shown only once the button is pressed. */
SmtpConsole.prototype.prefetchSoon = function (event) {
  let saveData = navigator.connection && navigator.connection.saveData;
  if (event.pointerType !== "mouse" || saveData || workerState !== "idle") { return; }
  this.prefetchTimer = window.setTimeout(ensureWorker, PREFETCH_DELAY_MS);
};

/* From the press on, the console's controls take their place (invisible and unfocusable while the
 * root is aria-busy, see dialogue.css) under the progress bar: when Python is ready they appear
 * without moving the page, and that frame repaints the console only. */
SmtpConsole.prototype.begin = function () {
  this.waiting = true;
  this.el.start.hidden = true;
  if (this.el.note) { this.el.note.hidden = true; }
  this.el.error.hidden = true;
  this.el.progress.hidden = false;
  this.root.setAttribute("aria-busy", "true");
  this.el.ui.hidden = false;
  if (workerState === "failed") { workerState = "idle"; }
  let first = { id: "s" + (nextSession++), personality: this.el.personality.value, scenario: this.el.settings.value };
  this.preStarted = ensureWorker(first) ? first.id : null;
};

SmtpConsole.prototype.showProgress = function (stage, text) {
  if (!this.waiting) { return; }
  this.el.bar.value = stage;
  this.el.stage.textContent = stage < 4 ? text + "…" : text;
};

SmtpConsole.prototype.showFailure = function (text) {
  if (!this.waiting) { return; }
  this.waiting = false;
  this.root.removeAttribute("aria-busy");
  this.el.progress.hidden = true;
  this.el.ui.hidden = true;
  this.el.error.hidden = false;
  this.el.error.textContent = "The live console could not start: " + text + ". You may be offline, or a " +
    "firewall or browser extension blocked the download. The dialogue above still shows every step.";
  this.el.start.textContent = "Try again";
  this.el.start.hidden = false;
  this.nextFrame(this.el.start);
};

SmtpConsole.prototype.onReady = function () {
  this.waiting = false;
  this.restart(this.preStarted);  /* first: the worker answers while this thread lays the console out */
  this.preStarted = null;
  this.root.removeAttribute("aria-busy");
  this.el.progress.hidden = true;  /* the controls were laid out by begin() */
  this.nextFrame(this.el.input);
};

SmtpConsole.prototype.end = function () {
  if (this.session && worker) { worker.postMessage({ type: "end", id: this.session }); }
  this.session = null;
};

/* A new session; *started*: the id of one the worker opened already (its greeting is on the way). */
SmtpConsole.prototype.restart = function (started) {
  if (workerState !== "ready") { return; }
  this.end();
  this.session = started || "s" + (nextSession++);
  this.greeted = false;
  this.el.log.textContent = "";
  this.el.input.disabled = false;
  this.append("note", "New session: " + this.el.personality.selectedOptions[0].textContent + ", " +
    this.el.settings.selectedOptions[0].textContent + ".");
  if (started) { return; }
  worker.postMessage({ type: "start", id: this.session, personality: this.el.personality.value,
    scenario: this.el.settings.value });
};

SmtpConsole.prototype.append = function (kind, text, caption) {
  let line = document.createElement("div");
  line.className = "smtp-console__line smtp-console__line--" + kind;
  let who = document.createElement("span");
  who.className = "smtp-console__who";
  who.textContent = kind === "client" ? "You: " : kind === "server" ? "Server: " : "";
  let body = document.createElement("span");
  body.textContent = text;
  line.appendChild(who);
  line.appendChild(body);
  if (caption) {
    let cap = document.createElement("span");
    cap.className = "smtp-console__caption";
    cap.textContent = caption;
    line.appendChild(cap);
  }
  this.el.log.appendChild(line);
  this.nextFrame();
};

/* Scroll the log to its end and focus *focus* (if given) in the next frame, so a reply's lines and
 * the console's reveal cost the frame's one layout instead of a forced layout each. */
SmtpConsole.prototype.nextFrame = function (focus) {
  let self = this;
  if (focus) { this.focusNext = focus; }
  if (this.framePending) { return; }
  this.framePending = true;
  window.requestAnimationFrame(function () {
    self.framePending = false;
    self.el.log.scrollTop = self.el.log.scrollHeight;
    if (self.focusNext) { self.focusNext.focus(); self.focusNext = null; }
  });
};

SmtpConsole.prototype.onMessage = function (m) {
  if (m.type === "reply") {
    let self = this;
    this.greeted = true;
    m.lines.forEach(function (text, i) {
      let last = i === m.lines.length - 1;
      self.append("server", text, last && m.captions && m.captions.length ? m.captions.join(" ") : "");
    });
    if (m.closed) {
      this.el.input.disabled = true;
      this.append("note", "The server closed the connection. Choose \u201cReset session\u201d to start again.");
      this.nextFrame(this.el.reset);
    }
  } else if (m.type === "error") {
    if (!this.greeted) {  /* the session could not start: e.g. settings this personality lacks */
      this.el.input.disabled = true;
      this.append("note", "This server cannot start with these settings: " + m.text +
        ". Choose other settings or another personality.");
    } else {
      this.append("note", "Error: " + m.text);
    }
  }
};

SmtpConsole.prototype.submit = function () {
  let line = this.el.input.value;
  if (!this.session || this.el.input.disabled) { return; }
  this.append("client", line);
  if (line && this.history[this.history.length - 1] !== line) {
    this.history.push(line);
    if (this.history.length > HISTORY_LIMIT) { this.history.shift(); }
  }
  this.historyAt = this.history.length;
  this.el.input.value = "";
  worker.postMessage({ type: "send", id: this.session, line: line });
};

SmtpConsole.prototype.onKey = function (event) {
  if (event.key !== "ArrowUp" && event.key !== "ArrowDown") { return; }
  if (!this.history.length) { return; }
  event.preventDefault();
  let step = event.key === "ArrowUp" ? -1 : 1;
  this.historyAt = Math.max(0, Math.min(this.history.length, this.historyAt + step));
  this.el.input.value = this.historyAt < this.history.length ? this.history[this.historyAt] : "";
};

mount("[data-help-widget=console]", function (root) {
  consoles = consoles.filter(function (c) { return c.root.isConnected || (c.end(), false); });
  consoles.push(new SmtpConsole(root));
});
