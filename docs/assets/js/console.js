/* Live SMTP console (ES module of the "console" widget, macros/dialogue.py): lazy. Nothing of Pyodide is
 * fetched until "Start live console" is pressed; then the page's one worker (smtp-worker-client.js ->
 * smtp-worker.js, same origin) loads Pyodide + smtpsim and answers typed commands. Replies are inserted
 * with textContent only (never as HTML). Mounted by help.js's mount(); the worker is shared by every
 * console and sample of the page session (instant navigation). */
import { el, mount, reveal } from "./help.js";
import { smtpWorker } from "./smtp-worker-client.js";

const HISTORY_LIMIT = 100;
const PREFETCH_DELAY_MS = 150;
let consoles = [];
let nextSession = 1;

const newSessionId = () => `s${nextSession++}`;

/** Forget consoles whose page is gone (instant navigation), ending their sessions. */
function sweep() {
  for (const gone of consoles.filter((c) => !c.root.isConnected)) {
    gone.close();
  }
  consoles = consoles.filter((c) => c.root.isConnected);
}

class SmtpConsole {
  constructor(root) {
    this.root = root;
    this.session = null;
    this.waiting = false;
    this.history = [];
    this.historyAt = 0;
    const q = (name) => root.querySelector(`[data-smtp-console-${name}]`);
    this.el = {
      start: q("start"),
      progress: q("progress"),
      bar: root.querySelector("progress"),
      stage: q("stage"),
      error: q("error"),
      ui: q("ui"),
      log: q("log"),
      form: q("form"),
      input: q("input"),
      reset: q("reset"),
      personality: q("personality"),
      settings: q("settings"),
      note: q("note"),
    };
    reveal(root);
    this.stopListening = smtpWorker.listen((m) => this.onWorkerMessage(m));
    const start = this.el.start;
    start.addEventListener("click", () => this.begin());
    start.addEventListener("pointerenter", (event) => this.prefetchSoon(event));
    start.addEventListener("pointerleave", () => window.clearTimeout(this.prefetchTimer));
    /* a press starts loading at once; its click (a tenth of a second later) shows the progress */
    start.addEventListener("pointerdown", (event) => {
      if (event.button === 0 && smtpWorker.state === "idle") {
        smtpWorker.start();
      }
    });
    this.el.reset.addEventListener("click", () => this.restart());
    this.el.personality.addEventListener("change", () => this.restart());
    this.el.settings.addEventListener("change", () => this.restart());
    this.el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.el.input.addEventListener("keydown", (event) => this.onKey(event));
  }

  /** Optional prefetch: a mouse resting on "Start live console" for a moment starts loading (never on
   * touch, never with Save-Data); progress and errors are shown only once the button is pressed. */
  prefetchSoon(event) {
    const saveData = navigator.connection?.saveData;
    if (event.pointerType !== "mouse" || saveData || smtpWorker.state !== "idle") {
      return;
    }
    this.prefetchTimer = window.setTimeout(() => smtpWorker.start(), PREFETCH_DELAY_MS);
  }

  /** From the press on, the console's controls take their place (invisible and unfocusable while the
   * root is aria-busy, see dialogue.css) under the progress bar: when Python is ready they appear
   * without moving the page, and that frame repaints the console only. */
  begin() {
    this.waiting = true;
    this.el.start.hidden = true;
    if (this.el.note) {
      this.el.note.hidden = true;
    }
    this.el.error.hidden = true;
    this.el.progress.hidden = false;
    this.root.setAttribute("aria-busy", "true");
    this.el.ui.hidden = false;
    const first = {
      id: newSessionId(),
      personality: this.el.personality.value,
      scenario: this.el.settings.value,
    };
    const { ready, sentFirst } = smtpWorker.start(first);
    this.preStarted = sentFirst ? first.id : null;
    ready.then(
      (boot) => {
        /* how Python started (full | snapshot): shown to tests and the benchmark, not to readers */
        this.root.setAttribute("data-smtp-console-boot", boot);
        this.onReady();
      },
      (error) => this.showFailure(String(error?.message || error)),
    );
  }

  /** Every message of the worker: progress while waiting, "saved", and this console's session. */
  onWorkerMessage(m) {
    if (!this.root.isConnected) {
      return;
    }
    if (m.type === "progress") {
      this.showProgress(m.stage, m.text);
    } else if (m.type === "saved") {
      this.root.setAttribute("data-smtp-console-snapshot", "saved");
    } else if (m.id && m.id === this.session) {
      this.onMessage(m);
    }
  }

  showProgress(stage, text) {
    if (!this.waiting) {
      return;
    }
    this.el.bar.value = stage;
    this.el.stage.textContent = stage < 4 ? `${text}…` : text;
  }

  showFailure(text) {
    if (!this.waiting) {
      return;
    }
    this.waiting = false;
    this.root.removeAttribute("aria-busy");
    this.el.progress.hidden = true;
    this.el.ui.hidden = true;
    this.el.error.hidden = false;
    this.el.error.textContent =
      `The live console could not start: ${text}. You may be offline, or a firewall or browser ` +
      "extension blocked the download. The dialogue above still shows every step.";
    this.el.start.textContent = "Try again";
    this.el.start.hidden = false;
    this.nextFrame(this.el.start);
  }

  onReady() {
    if (!this.waiting) {
      return;
    }
    this.waiting = false;
    this.restart(this.preStarted); /* first: the worker answers while this thread lays the console out */
    this.preStarted = null;
    this.root.removeAttribute("aria-busy");
    this.el.progress.hidden = true; /* the controls were laid out by begin() */
    this.nextFrame(this.el.input);
  }

  /** The page is gone: end the session and stop listening to the worker. */
  close() {
    this.end();
    this.stopListening();
  }

  end() {
    if (this.session) {
      smtpWorker.post({ type: "end", id: this.session });
    }
    this.session = null;
  }

  /** A new session; `started`: the id of one the worker opened already (its greeting is on the way). */
  restart(started) {
    if (smtpWorker.state !== "ready") {
      return;
    }
    this.end();
    this.session = started || newSessionId();
    this.greeted = false;
    this.el.log.textContent = "";
    this.el.input.disabled = false;
    const personality = this.el.personality.selectedOptions[0].textContent;
    this.append("note", `New session: ${personality}, ${this.el.settings.selectedOptions[0].textContent}.`);
    if (started) {
      return;
    }
    smtpWorker.post({
      type: "start",
      id: this.session,
      personality: this.el.personality.value,
      scenario: this.el.settings.value,
    });
  }

  append(kind, text, caption) {
    const who = kind === "client" ? "You: " : kind === "server" ? "Server: " : "";
    const line = el(
      "div",
      { class: `smtp-console__line smtp-console__line--${kind}` },
      el("span", { class: "smtp-console__who" }, who),
      el("span", {}, text),
      caption ? el("span", { class: "smtp-console__caption" }, caption) : null,
    );
    this.el.log.appendChild(line);
    this.nextFrame();
  }

  /** Scroll the log to its end and focus `focus` (if given) in the next frame, so a reply's lines and
   * the console's reveal cost the frame's one layout instead of a forced layout each. */
  nextFrame(focus) {
    if (focus) {
      this.focusNext = focus;
    }
    if (this.framePending) {
      return;
    }
    this.framePending = true;
    window.requestAnimationFrame(() => {
      this.framePending = false;
      this.el.log.scrollTop = this.el.log.scrollHeight;
      if (this.focusNext) {
        this.focusNext.focus();
        this.focusNext = null;
      }
    });
  }

  onMessage(m) {
    if (m.type === "reply") {
      this.greeted = true;
      m.lines.forEach((text, i) => {
        const last = i === m.lines.length - 1;
        this.append("server", text, last && m.captions?.length ? m.captions.join(" ") : "");
      });
      if (m.closed) {
        this.el.input.disabled = true;
        this.append(
          "note",
          "The server closed the connection. Choose \u201cReset session\u201d to start again.",
        );
        this.nextFrame(this.el.reset);
      }
    } else if (m.type === "error") {
      if (!this.greeted) {
        /* the session could not start: e.g. settings this personality lacks */
        this.el.input.disabled = true;
        this.append(
          "note",
          `This server cannot start with these settings: ${m.text}. Choose other settings or another personality.`,
        );
      } else {
        this.append("note", `Error: ${m.text}`);
      }
    }
  }

  submit() {
    const line = this.el.input.value;
    if (!this.session || this.el.input.disabled) {
      return;
    }
    this.append("client", line);
    if (line && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_LIMIT) {
        this.history.shift();
      }
    }
    this.historyAt = this.history.length;
    this.el.input.value = "";
    smtpWorker.post({ type: "send", id: this.session, line });
  }

  onKey(event) {
    if ((event.key !== "ArrowUp" && event.key !== "ArrowDown") || !this.history.length) {
      return;
    }
    event.preventDefault();
    const step = event.key === "ArrowUp" ? -1 : 1;
    this.historyAt = Math.max(0, Math.min(this.history.length, this.historyAt + step));
    this.el.input.value = this.historyAt < this.history.length ? this.history[this.historyAt] : "";
  }
}

mount("[data-help-widget=console]", (root) => {
  sweep();
  consoles.push(new SmtpConsole(root));
});
