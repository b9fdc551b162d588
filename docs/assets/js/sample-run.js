/* "Run this code in your browser" for a page's Python sample (ES module of the "sample-run" widget,
 * macros/senders.py): nothing is fetched until a Run button is pressed; then the console's worker
 * (smtp-worker.js: Pyodide + smtpsim, same origin) runs the sample with its smtplib talking to the
 * simulated server in memory (smtpsim.drivers.memsock) and the output is shown with textContent only.
 * One worker per page session, shared by every sample on the page. */
import { mount, reveal } from "./help.js";

const siteRoot = new URL("../../", import.meta.url).href;
const workerURL = new URL("smtp-worker.js", import.meta.url).href;
let worker = null;
let ready = null; /* Promise of the worker being ready */
let nextId = 1;
const waiting = new Map(); /* id -> {resolve, reject} */
const listeners = new Set(); /* progress callbacks */

function startWorker() {
  if (ready) { return ready; }
  ready = new Promise(function (resolve, reject) {
    try {
      worker = new Worker(workerURL, { type: "module", name: "smtp-sample" });
    } catch (error) {
      reject(error);
      return;
    }
    worker.addEventListener("error", function (event) {
      if (event && typeof event.preventDefault === "function") { event.preventDefault(); }
      reject(new Error("the worker script did not load"));
    });
    worker.addEventListener("message", function (event) {
      const m = event.data || {};
      if (m.type === "progress") {
        listeners.forEach(function (fn) { fn(m.text); });
      } else if (m.type === "ready") {
        resolve();
      } else if (m.type === "ran" || m.type === "error") {
        const job = waiting.get(m.id);
        if (m.fatal && !job) { reject(new Error(m.text)); return; }
        if (!job) { return; }
        waiting.delete(m.id);
        if (m.type === "ran") { job.resolve(m.output); } else { job.reject(new Error(m.text)); }
      }
    });
    worker.postMessage({ type: "init", siteRoot: siteRoot, first: null });
  });
  ready.catch(function () { ready = null; if (worker) { worker.terminate(); worker = null; } });
  return ready;
}

function run(code, server) {
  return startWorker().then(function () {
    return new Promise(function (resolve, reject) {
      const id = "sample-" + nextId++;
      waiting.set(id, { resolve: resolve, reject: reject });
      worker.postMessage({ type: "run", id: id, code: code, server: server });
    });
  });
}

function SampleRun(root) {
  const job = JSON.parse(root.getAttribute("data-sample-run"));
  const output = root.querySelector("[data-sample-output]");
  const status = root.querySelector("[data-sample-status]");
  const buttons = root.querySelectorAll("button[data-sample-variant]");
  function setBusy(busy) { buttons.forEach(function (b) { b.disabled = busy; }); }
  listeners.add(function (text) { if (root.isConnected && root.getAttribute("aria-busy") === "true") { status.textContent = text; } });
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      const variant = button.getAttribute("data-sample-variant");
      setBusy(true);
      root.setAttribute("aria-busy", "true");
      status.textContent = "Starting Python in your browser…";
      run(job.code[variant], job.server).then(function (text) {
        output.textContent = text;
        output.hidden = false;
        status.textContent = variant === "signed_in" ? "Output of the code as shown:" : "Output without the sign-in line:";
      }, function (error) {
        status.textContent = "The code could not run: " + String(error && error.message || error);
      }).finally(function () {
        root.removeAttribute("aria-busy");
        setBusy(false);
      });
    });
  });
  reveal(root);
}

mount("[data-help-widget=sample-run]", function (root) { new SampleRun(root); });
