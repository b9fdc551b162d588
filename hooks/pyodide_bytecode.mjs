// Compiles every .py file under a directory to byte code with Pyodide's own CPython (Node), so the
// browser imports smtpsim without compiling it. The .pyc files (e.g. __pycache__/*.cpython-314.pyc)
// are checked-hash: used only while they match their source, never for another Python. Host Python
// byte code would be for the wrong interpreter, which Pyodide rejects.
// usage: node pyodide_bytecode.mjs <pyodide dir> <directory>   (exits 1 if a file does not compile)
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, target] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const toStderr = (line) => process.stderr.write(`${line}\n`); // compileall's errors, for the hook's message
const pyodide = await loadPyodide({
  indexURL: `${resolve(pyodideDir)}/`,
  stdout: toStderr,
  stderr: toStderr,
});
pyodide.FS.mkdirTree("/pkg");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: resolve(target) }, "/pkg");
const ok = pyodide.runPython(`
import compileall, py_compile
bool(compileall.compile_dir("/pkg", quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH))
`);
if (!ok) {
  process.stderr.write("compileall failed under Pyodide\n");
  process.exit(1);
}
