// Replays every example scenario in Pyodide under Node: loads smtpsim BY NAME from the site-local
// pyodide-lock.json (sha256 checked), runs tests/pyodide/replay.py and prints its RESULT on stdout.
// usage: node replay.mjs <pyodide dir> <pyodide-lock.json> <scenarios.json> <replay.py>
import { readFileSync } from "node:fs";
import { loadSmtpsim } from "./load_smtpsim.mjs";

const [pyodideDir, lockFile, scenariosFile, scriptFile] = process.argv.slice(2);
const pyodide = await loadSmtpsim(pyodideDir, lockFile);
const version = pyodide.runPython("import sys; sys.version.split()[0]");
process.stderr.write(`python ${version} in pyodide ${pyodide.version}\n`);
// The wheel's byte code: for this interpreter (magic), checked-hash (flags 3) and matching its source,
// so imports use it instead of compiling.
const bytecode = pyodide.runPython(`
import importlib.util, pkgutil, smtpsim
names = ["smtpsim"] + [m.name for m in pkgutil.walk_packages(smtpsim.__path__, "smtpsim.")]
usable = 0
for name in names:
    spec = importlib.util.find_spec(name)
    try:
        with open(spec.cached, "rb") as pyc, open(spec.origin, "rb") as source:
            head, code = pyc.read(16), source.read()
    except OSError:  # no .pyc: this module would be compiled on import
        continue
    usable += (head[:4] == importlib.util.MAGIC_NUMBER and int.from_bytes(head[4:8], "little") == 3
               and head[8:16] == importlib.util.source_hash(code))
f"{usable}/{len(names)}"
`);
process.stderr.write(`byte code usable for ${bytecode} modules\n`);
pyodide.globals.set("SCENARIOS_JSON", readFileSync(scenariosFile, "utf8"));
pyodide.runPython(readFileSync(scriptFile, "utf8"));
process.stdout.write(pyodide.globals.get("RESULT"));
