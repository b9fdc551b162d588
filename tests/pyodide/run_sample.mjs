// Runs a Python sample through smtpsim.drivers.memsock in Pyodide under Node (the live console's way):
// smtpsim is loaded BY NAME from the site-local pyodide-lock.json; prints run_code's output on stdout.
// usage: node run_sample.mjs <pyodide dir> <pyodide-lock.json> <job.json: {code, config}>
import { readFileSync } from "node:fs";
import { loadSmtpsim } from "./load_smtpsim.mjs";

const [pyodideDir, lockFile, jobFile] = process.argv.slice(2);
const pyodide = await loadSmtpsim(pyodideDir, lockFile);
pyodide.globals.set("JOB", readFileSync(jobFile, "utf8"));
const out = pyodide.runPython(`
import json, sys
from smtpsim import server_config_from_dict
from smtpsim.drivers.memsock import run_code
job = json.loads(JOB)
sys.stderr.write("python " + sys.version.split()[0] + "\\n")
run_code(job["code"], server_config_from_dict(job["config"]))
`);
process.stdout.write(out);
