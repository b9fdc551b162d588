// Runs a Python sample through smtpsim.memsock in Pyodide under Node (the live console's way):
// smtpsim is loaded BY NAME from the site-local pyodide-lock.json; prints run_code's output on stdout.
// usage: node run_sample.mjs <pyodide dir> <pyodide-lock.json> <job.json: {code, config}>
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, lockFile, jobFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const lockDir = dirname(resolve(lockFile)) + "/";
const pyodide = await loadPyodide({
  indexURL: resolve(pyodideDir) + "/",
  lockFileURL: resolve(lockFile),
  packageBaseUrl: lockDir,
  packageCacheDir: lockDir,
  stdout: (s) => process.stderr.write(s + "\n"),
  stderr: (s) => process.stderr.write(s + "\n"),
});
const errors = [];
await pyodide.loadPackage("smtpsim", { messageCallback: () => {}, errorCallback: (e) => errors.push(e) });
if (errors.length) {
  process.stderr.write("loadPackage failed: " + errors.join("; ") + "\n");
  process.exit(2);
}
pyodide.globals.set("JOB", readFileSync(jobFile, "utf8"));
const out = pyodide.runPython(`
import json, sys
from smtpsim import server_config_from_dict
from smtpsim.memsock import run_code
job = json.loads(JOB)
sys.stderr.write("python " + sys.version.split()[0] + "\\n")
run_code(job["code"], server_config_from_dict(job["config"]))
`);
process.stdout.write(out);
