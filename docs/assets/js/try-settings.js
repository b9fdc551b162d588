/* "Try your settings" on the sender pages whose code cannot run in the browser (ES module of the
 * "try-settings" widget, macros/sender_tryout.py): on submit the page's one worker (smtp-worker-client.js
 * -> smtp-worker.js: Pyodide + smtpsim, same origin) runs one submission dialogue with the reader's
 * settings against the simulated server and network (smtpsim.drivers.tryout); the page shows the
 * dialogue and each program's words for the outcome (data/senders.yml `programs`), textContent only. */
import { el, mount, reveal } from "./help.js";
import { smtpWorker } from "./smtp-worker-client.js";

async function trySettings(settings, server, network) {
  return (await smtpWorker.ask({ type: "try", settings, server, network }, "tried")).result;
}

/** A program's message with the placeholders of smtpsim.drivers.tryout.fill filled in. */
export function fill(template, result) {
  const reply = String(result.reply || "");
  const values = {
    host: result.host,
    port: result.port,
    user: result.user,
    recipient: result.recipient,
    address: result.address,
    code: result.code,
    reply: reply,
    text: reply
      .split("\n")
      .map((line) => line.slice(4))
      .join(" "),
  };
  return template.replace(/\{(host|port|user|recipient|address|code|reply|text)\}/g, (_, key) =>
    String(values[key] ?? ""),
  );
}

/** A source as "source" linked to its first address (when it starts with one) and the rest as text. */
function sourceNodes(source) {
  const first = source.split(" ")[0].replace(/[;,]$/, "");
  if (!/^https:\/\//.test(first)) {
    return [`source: ${source}`];
  }
  return [el("a", { href: first, class: "source-link" }, "source"), source.slice(first.length)];
}

const NO_CONNECTION = {
  wrong_host: "(no conversation: the server name was not found)",
  port_closed: "(no conversation: the server refused the connection on this port)",
  port_blocked: "(no conversation: the connection timed out; this port is usually blocked)",
  tls_on_plain_port:
    "(no conversation: the server answered in plain text where the program expected encryption)",
  no_greeting: "(no conversation: the server waited for encryption, the program for a greeting)",
};

class TrySettings {
  constructor(root) {
    this.root = root;
    this.job = JSON.parse(root.getAttribute("data-try-settings"));
    this.form = root.querySelector("[data-try-form]");
    this.status = root.querySelector("[data-try-status]");
    this.result = root.querySelector("[data-try-result]");
    this.messages = root.querySelector("[data-try-messages]");
    this.dialogue = root.querySelector("[data-try-dialogue]");
    this.button = this.form.querySelector("button[type=submit]");
    smtpWorker.showProgress(root, this.status);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
    reveal(root);
  }

  settings() {
    const data = new FormData(this.form);
    return {
      host: String(data.get("host") || ""),
      port: Number.parseInt(String(data.get("port") || "0"), 10) || 0,
      security: String(data.get("security") || "none"),
      user: String(data.get("user") || ""),
      password: String(data.get("password") || ""),
      recipient: String(data.get("recipient") || ""),
      auto_starttls: Boolean(this.job.settings.auto_starttls),
    };
  }

  show(result) {
    this.messages.replaceChildren();
    for (const program of this.job.programs) {
      const message = program.messages[result.outcome];
      const item = el("li", {}, `${program.name}: `);
      if (message) {
        item.append(el("code", {}, fill(message.text, result)));
        item.append(" (", ...sourceNodes(message.source), `, checked ${message.checked})`);
      } else {
        item.append("we have no confirmed wording of this program for this case.");
      }
      this.messages.append(item);
    }
    const lines = result.dialogue.map((row) => `${row.who === "C" ? "Program:" : "Server: "} ${row.line}`);
    this.dialogue.textContent = lines.length ? lines.join("\n") : NO_CONNECTION[result.outcome] || "";
    this.result.hidden = false;
  }

  async run() {
    this.button.disabled = true;
    this.root.setAttribute("aria-busy", "true");
    this.status.textContent = "Starting Python in your browser…";
    try {
      const result = await trySettings(this.settings(), this.job.server, this.job.network);
      this.show(result);
      this.status.textContent =
        result.outcome === "sent" ? "These settings work." : "These settings are refused:";
    } catch (error) {
      this.status.textContent = `The test could not run: ${String(error?.message || error)}`;
    } finally {
      this.button.disabled = false;
      this.root.removeAttribute("aria-busy");
    }
  }
}

mount("[data-help-widget=try-settings]", (root) => new TrySettings(root));
