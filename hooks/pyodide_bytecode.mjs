// Compiles every .py file under a directory to byte code with Pyodide's own CPython (Node), so the
// browser imports smtpsim without compiling it. The .pyc files (e.g. __pycache__/*.cpython-314.pyc)
// are checked-hash: used only while they match their source, never for another Python. Host Python
// byte code would be for the wrong interpreter, which Pyodide rejects.
// usage: node pyodide_bytecode.mjs <pyodide dir> <directory>   (prints "<cache tag> <files>")
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, target] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: resolve(pyodideDir) + "/", stdout: () => {}, stderr: () => {} });
pyodide.FS.mkdirTree("/pkg");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: resolve(target) }, "/pkg");
const result = pyodide.runPython(`
import compileall, glob, py_compile, sys
ok = compileall.compile_dir("/pkg", quiet=2, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
tag = sys.implementation.cache_tag
made = glob.glob("/pkg/**/__pycache__/*." + tag + ".pyc", recursive=True)
f"{tag} {len(made)}" if ok else "failed"
`);
if (result === "failed") {
  process.stderr.write("compileall failed under Pyodide\n");
  process.exit(1);
}
process.stdout.write(result + "\n");
