/* Web Worker of the live SMTP console and of the pages' Python samples (module worker, same origin; the
 * CSP needs only 'wasm-unsafe-eval'): loads the self-hosted Pyodide and the smtpsim wheel (by name, from
 * the site-local pyodide-lock.json, sha256 checked) and runs smtpsim.drivers.console.Sessions, the Python side
 * of these messages, which lives in the wheel (tests/pyodide runs it in Pyodide), so the page never
 * freezes while Python starts.
 *
 * Messages in (console.js, sample-run.js):
 *   {type: "init", siteRoot, first?: {id, personality, scenario}}  start Python; open `first` when ready
 *   {type: "start", id, personality, scenario}  open session `id`: the settings of console.json's
 *                                               scenario `scenario`, served by `personality` (a name
 *                                               of smtpsim.registry)
 *   {type: "send", id, line}                    one typed line of session `id`
 *   {type: "end", id}                           forget session `id`
 *   {type: "run", id, code, server, network}    run a page's Python sample; its smtplib talks to the
 *                                               simulator with settings `server` in memory, reached
 *                                               as `network` says (smtpsim.drivers.memsock.Network)
 *   {type: "try", id, settings, server, network}  "Try your settings": one dialogue with the reader's
 *                                               settings (smtpsim.drivers.tryout)
 * Messages out:
 *   {type: "progress", stage, text}             stage 1..4 of the start, in words
 *   {type: "ready", boot}                       Python runs; boot: "full" | "snapshot" (how it started)
 *   {type: "reply", id, lines, captions, closed}  the server's lines; plain-words captions (console.json's
 *                                               reason map); closed: the server hung up
 *   {type: "ran", id, output}                   what the sample printed
 *   {type: "tried", id, result}                 the dialogue, its outcome and the server's last reply
 *   {type: "error", id?, fatal, text}           fatal: Python cannot start; else one message's error
 *   {type: "saved"}                             the interpreter snapshot was stored (see below)
 *
 * Warm starts: Python's own start-up (3–5 s of CPU) is the cost of every visit, cached files or not.
 * After the first full start the worker saves a memory snapshot of the started interpreter (smtpsim
 * imported) in this origin's Cache Storage, keyed by the wheel's build hash; later visits restore it
 * (Pyodide's private _loadSnapshot, build id checked) in well under a second and install the wheel
 * again by name, sha256 checked. Any failure drops the snapshot and falls back to a full start. */
let ready = null;
let config = null;
let api = null;
let snapshotDue = null; /* {pyodide, store} after a full start, until its snapshot is saved */

const SNAPSHOT_CACHE = "smtp-console-snapshot";
const SNAPSHOT_FORMAT = "1"; /* bump when what the snapshot holds changes */
const SNAPSHOT_DELAY_MS = 1500; /* after the first reply: copying 30 MB competes with the page for a CPU */

function progress(stage, text) {
  self.postMessage({ type: "progress", stage: stage, text: text });
}

function quietly(promise) {
  return promise.catch(() => null);
}

/* The snapshot's Cache Storage entry, one for the whole origin: keyed by the wheel build (the hash in
 * the lock file's path covers the sources and the Pyodide version), so the site's versions that ship
 * the same build share it, and saving a new build's snapshot deletes the older one. */
async function snapshotStore(siteRoot) {
  if (typeof caches === "undefined") {
    return null; /* not a secure context, or storage is off */
  }
  const cache = await quietly(caches.open(SNAPSHOT_CACHE));
  if (!cache) {
    return null;
  }
  const build = config.lock_url.split("/").slice(-2)[0]; /* pyodide/smtpsim/<hash>/pyodide-lock.json */
  const key = new URL(`/smtp-console-snapshot/${build}?format=${SNAPSHOT_FORMAT}`, siteRoot).href;
  return {
    /* {bytes: promise} (read while Pyodide's own module loads), or null when none is saved */
    find: async () => {
      const hit = await quietly(cache.match(key));
      return hit ? { bytes: hit.arrayBuffer() } : null;
    },
    drop: () => quietly(cache.delete(key)),
    save: async (bytes) => {
      const room = navigator.storage?.estimate ? await navigator.storage.estimate() : null;
      if (room && room.quota - room.usage < 2 * bytes.length) {
        return false; /* leave the reader room */
      }
      await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
      /* older builds' snapshots */
      for (const request of await cache.keys()) {
        if (request.url !== key) {
          await cache.delete(request);
        }
      }
      return true;
    },
  };
}

async function startPython(loadPyodide, options, store) {
  const saved = store ? await quietly(store.find()) : null;
  if (saved) {
    progress(2, "Starting Python saved in this browser");
    try {
      return {
        pyodide: await loadPyodide({ _loadSnapshot: saved.bytes, ...options }),
        boot: "snapshot",
      };
    } catch {
      /* another Pyodide build, or damaged: forget it and start in full */
      await store.drop();
    }
  }
  progress(2, `Downloading Python (Pyodide ${config.pyodide_version})`);
  const full = Object.assign({ packages: ["smtpsim"], _makeSnapshot: !!store }, options);
  return { pyodide: await loadPyodide(full), boot: "full" }; // smtpsim is fetched while Python boots
}

/* Snapshot of a fully started interpreter. Pyodide refuses one while its loadedPackages record is
 * not empty: that record lives in JavaScript and is rebuilt by loadPackage after a restore. */
function takeSnapshot(pyodide) {
  const loaded = pyodide.loadedPackages;
  const names = Object.assign({}, loaded);
  Object.keys(names).forEach((name) => {
    delete loaded[name];
  });
  try {
    return pyodide.makeMemorySnapshot();
  } finally {
    Object.assign(loaded, names);
  }
}

function saveSnapshotSoon() {
  const due = snapshotDue;
  snapshotDue = null;
  setTimeout(async () => {
    /* while the reader reads the greeting: not while the page lays it out */
    try {
      if (await due.store.save(takeSnapshot(due.pyodide))) {
        self.postMessage({ type: "saved" });
      }
    } catch {
      /* no snapshot: the next visit starts in full, as this one did */
    }
  }, SNAPSHOT_DELAY_MS);
}

async function boot(siteRoot) {
  progress(1, "Fetching the console settings");
  const response = await fetch(new URL("assets/smtp/console.json", siteRoot));
  if (!response.ok) {
    throw new Error(`console settings: HTTP ${response.status}`);
  }
  config = await response.json();
  const indexURL = new URL(config.index_url, siteRoot).href;
  const [module, store] = await Promise.all([import(`${indexURL}pyodide.mjs`), snapshotStore(siteRoot)]);
  const started = await startPython(
    module.loadPyodide,
    {
      indexURL: indexURL,
      lockFileURL: new URL(config.lock_url, siteRoot).href,
      stdout: () => {},
      stderr: () => {},
    },
    store,
  );
  try {
    api = await startSimulator(started.pyodide);
  } catch (error) {
    /* whatever failed, "Try again" and later visits start in full */
    if (started.boot === "snapshot") {
      await store.drop();
    }
    throw error;
  }
  if (started.boot === "full" && store) {
    snapshotDue = { pyodide: started.pyodide, store: store };
  }
  progress(4, "Ready");
  return started.boot;
}

/* Installs smtpsim by name (sha256 checked) and defines the session functions; returns them. */
async function startSimulator(pyodide) {
  progress(3, "Loading the SMTP simulator");
  // loadPackage does not reject on failure: collect errors and fail loudly. A no-op when the
  // wheel was installed during boot; after a snapshot restore it installs the files again.
  const errors = [];
  await pyodide.loadPackage("smtpsim", {
    messageCallback: () => {},
    errorCallback: (message) => {
      errors.push(message);
    },
  });
  if (errors.length || !pyodide.loadedPackages.smtpsim) {
    throw new Error(`smtpsim did not load: ${errors.join("; ") || "the package is not installed"}`);
  }
  /* start(id, settings_json), send(id, line), end(id), run(code, server_json): JSON text in and out */
  return pyodide.pyimport("smtpsim.drivers.console").Sessions();
}

/* console.json's entry of the chosen scenario, served by the chosen personality, as JSON for Python */
function settingsFor(message) {
  const scenario = config.scenarios.find((s) => s.id === message.scenario);
  if (!scenario) {
    throw new Error(`unknown server settings ${message.scenario}`);
  }
  const server = { ...scenario.server, ...(message.personality ? { software: message.personality } : {}) };
  return JSON.stringify(Object.assign({}, scenario, { server: server }));
}

function post(id, json) {
  const data = JSON.parse(json);
  const words = config.reasons || {};
  const captions = data.reasons.map((r) => words[r]).filter(Boolean);
  self.postMessage({ type: "reply", id: id, lines: data.lines, captions: captions, closed: data.closed });
}

function pythonError(error) {
  const text = String(error?.message || error);
  const lines = text.trim().split("\n");
  /* last traceback line, e.g. "smtpsim.config.ScenarioError: <console>: server.tls: ..." */
  return lines[lines.length - 1].replace(/^[\w.]*Error: /, "");
}

/* One session message ({type:"start"|"send"|"end", id, ...}); Python errors go back as text. */
function handle(message) {
  try {
    if (message.type === "start") {
      post(message.id, api.start(message.id, settingsFor(message)));
      if (snapshotDue) {
        saveSnapshotSoon();
      }
    } else if (message.type === "send") {
      post(message.id, api.send(message.id, String(message.line)));
    } else if (message.type === "end") {
      api.end(message.id);
    } else if (message.type === "run") {
      /* {type:"run", id, code, server}: a sample's output, as text (sample-run.js) */
      self.postMessage({
        type: "ran",
        id: message.id,
        output: api.run(
          String(message.code),
          JSON.stringify(message.server),
          JSON.stringify(message.network ?? null),
        ),
      });
    } else if (message.type === "try") {
      const settings = JSON.stringify(message.settings);
      const result = api.try_settings(
        settings,
        JSON.stringify(message.server),
        JSON.stringify(message.network),
      );
      self.postMessage({ type: "tried", id: message.id, result: JSON.parse(result) });
    }
  } catch (error) {
    self.postMessage({ type: "error", id: message.id, fatal: false, text: pythonError(error) });
  }
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    if (!ready) {
      ready = boot(message.siteRoot);
    }
    try {
      const boot = await ready;
      self.postMessage({ type: "ready", boot: boot });
    } catch (error) {
      ready = null;
      self.postMessage({ type: "error", fatal: true, text: String(error?.message || error) });
      return;
    }
    /* the session of the console whose button started the worker: its greeting follows "ready" at once */
    if (message.first) {
      handle(Object.assign({ type: "start" }, message.first));
    }
    return;
  }
  if (api) {
    handle(message);
  }
};
