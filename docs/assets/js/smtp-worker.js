/* Web Worker of the live SMTP console: loads the self-hosted Pyodide and the smtpsim wheel (by name,
 * from the site-local pyodide-lock.json, sha256 checked) and runs smtpsim.Console sessions, so the
 * page never freezes while Python starts. Module worker (same origin; CSP needs only
 * 'wasm-unsafe-eval'). Messages in:  {type:"init", siteRoot} | {type:"start", id, personality,
 * scenario} | {type:"send", id, line} | {type:"end", id}.  Messages out: {type:"progress", stage,
 * text} | {type:"ready", scenarios} | {type:"reply", id, lines, reasons, closed} | {type:"error",
 * id?, fatal, text}. Captions come from console.json's reason → plain-words map. */
"use strict";

let ready = null;
let config = null;
let api = null;

const PY_GLUE = `
import json
import smtpsim

_sessions = {}

def _reply(console, lines):
    return json.dumps({"lines": list(lines), "reasons": list(console.last_reasons), "closed": bool(console.closed)})

def smtp_start(sid, server_json, client_ip, client_tls):
    console = smtpsim.Console(json.loads(server_json), client_ip=client_ip, client_tls=bool(client_tls))
    _sessions[sid] = console
    return _reply(console, console.start())

def smtp_send(sid, line):
    console = _sessions[sid]
    return _reply(console, console.send(line))

def smtp_end(sid):
    _sessions.pop(sid, None)
`;

function progress(stage, text) {
  self.postMessage({ type: "progress", stage: stage, text: text });
}

async function boot(siteRoot) {
  progress(1, "Fetching the console settings");
  const response = await fetch(new URL("assets/smtp/console.json", siteRoot));
  if (!response.ok) { throw new Error("console settings: HTTP " + response.status); }
  config = await response.json();
  const indexURL = new URL(config.index_url, siteRoot).href;
  progress(2, "Downloading Python (Pyodide " + config.pyodide_version + ")");
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({
    indexURL: indexURL,
    lockFileURL: new URL(config.lock_url, siteRoot).href,
    packages: ["smtpsim"],  // fetched (sha256-checked) while Python boots; verified below
    stdout: function () {},
    stderr: function () {},
  });
  progress(3, "Loading the SMTP simulator");
  // loadPackage does not reject on failure: collect errors and fail loudly. A no-op when the
  // wheel was installed during boot; a second, reported attempt when it was not.
  const errors = [];
  await pyodide.loadPackage("smtpsim", {
    messageCallback: function () {},
    errorCallback: function (message) { errors.push(message); },
  });
  if (errors.length || !pyodide.loadedPackages.smtpsim) {
    throw new Error("smtpsim did not load: " + (errors.join("; ") || "the package is not installed"));
  }
  pyodide.runPython(PY_GLUE);
  api = {
    start: pyodide.globals.get("smtp_start"),
    send: pyodide.globals.get("smtp_send"),
    end: pyodide.globals.get("smtp_end"),
  };
  progress(4, "Ready");
  return config;
}

function serverFor(message) {
  const scenario = config.scenarios.filter(function (s) { return s.id === message.scenario; })[0];
  if (!scenario) { throw new Error("unknown server settings " + message.scenario); }
  const server = Object.assign({}, scenario.server);
  if (message.personality) { server.software = message.personality; }
  return { server: server, clientIp: scenario.client_ip, clientTls: !!scenario.client_tls };
}

function post(id, json) {
  const data = JSON.parse(json);
  const words = config.reasons || {};
  const captions = data.reasons.map(function (r) { return words[r]; }).filter(Boolean);
  self.postMessage({ type: "reply", id: id, lines: data.lines, reasons: data.reasons, captions: captions,
    closed: data.closed });
}

function pythonError(error) {
  const text = String(error && error.message || error);
  const lines = text.trim().split("\n");
  /* last traceback line, e.g. "smtpsim.config.ScenarioError: <console>: server.tls: ..." */
  return lines[lines.length - 1].replace(/^[\w.]*Error: /, "");
}

self.onmessage = async function (event) {
  const message = event.data || {};
  if (message.type === "init") {
    if (!ready) { ready = boot(message.siteRoot); }
    try {
      const cfg = await ready;
      self.postMessage({ type: "ready", scenarios: cfg.scenarios.map(function (s) {
        return { id: s.id, title: s.title, software: s.server.software };
      }) });
    } catch (error) {
      ready = null;
      self.postMessage({ type: "error", fatal: true, text: String(error && error.message || error) });
    }
    return;
  }
  if (!api) { return; }
  try {
    if (message.type === "start") {
      const settings = serverFor(message);
      post(message.id, api.start(message.id, JSON.stringify(settings.server), settings.clientIp, settings.clientTls));
    } else if (message.type === "send") {
      post(message.id, api.send(message.id, String(message.line)));
    } else if (message.type === "end") {
      api.end(message.id);
    }
  } catch (error) {
    self.postMessage({ type: "error", id: message.id, fatal: false, text: pythonError(error) });
  }
};
