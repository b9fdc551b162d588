/* "Run this code in your browser" for a page's Python sample (ES module of the "sample-run" widget,
 * macros/senders.py): nothing is fetched until a Run button is pressed; then the page's one worker
 * (smtp-worker-client.js -> smtp-worker.js: Pyodide + smtpsim, same origin) runs the sample with its
 * smtplib talking to the simulated server in memory (smtpsim.drivers.memsock) and the output is shown
 * with textContent only. The worker is shared by every sample and console of the page session. */
import { mount, reveal } from "./help.js";
import { smtpWorker } from "./smtp-worker-client.js";

/** Run `code` against a simulated server with settings `server`; resolves with what it printed. */
async function runSample(code, server, network) {
  return (await smtpWorker.ask({ type: "run", code, server, network }, "ran")).output;
}

class SampleRun {
  constructor(root) {
    this.root = root;
    this.job = JSON.parse(root.getAttribute("data-sample-run"));
    this.output = root.querySelector("[data-sample-output]");
    this.status = root.querySelector("[data-sample-status]");
    this.buttons = root.querySelectorAll("button[data-sample-variant]");
    this.editor = root.querySelector("[data-sample-editor]");
    if (this.editor && !this.editor.value) {
      this.editor.value = this.job.code.signed_in; /* the reader's own copy to change */
    }
    smtpWorker.showProgress(root, this.status);
    for (const button of this.buttons) {
      button.addEventListener("click", () => this.run(button.getAttribute("data-sample-variant")));
    }
    reveal(root);
  }

  setBusy(busy) {
    for (const button of this.buttons) {
      button.disabled = busy;
    }
    if (busy) {
      this.root.setAttribute("aria-busy", "true");
    } else {
      this.root.removeAttribute("aria-busy");
    }
  }

  async run(variant) {
    this.setBusy(true);
    this.status.textContent = "Starting Python in your browser…";
    try {
      const code = variant === "edited" && this.editor ? this.editor.value : this.job.code[variant];
      this.output.textContent = await runSample(code, this.job.server, this.job.network);
      this.output.hidden = false;
      this.status.textContent = {
        signed_in: "Output of the code as shown:",
        without_sign_in: "Output without the sign-in line:",
        edited: "Output of your version:",
      }[variant];
    } catch (error) {
      this.status.textContent = `The code could not run: ${String(error?.message || error)}`;
    } finally {
      this.setBusy(false);
    }
  }
}

mount("[data-help-widget=sample-run]", (root) => new SampleRun(root));
