// Loads Pyodide under Node and smtpsim BY NAME from the site-local pyodide-lock.json (sha256 checked),
// as the live console does; Python's stdout and stderr go to Node's stderr. Exits 2 when
// loadPackage reports an error (it does not reject on failure: the error callback collects them).
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export async function loadSmtpsim(pyodideDir, lockFile) {
  const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
  const lockDir = `${dirname(resolve(lockFile))}/`;
  const pyodide = await loadPyodide({
    indexURL: `${resolve(pyodideDir)}/`,
    lockFileURL: resolve(lockFile),
    packageBaseUrl: lockDir,
    packageCacheDir: lockDir,
    stdout: (s) => process.stderr.write(`${s}\n`),
    stderr: (s) => process.stderr.write(`${s}\n`),
  });
  const errors = [];
  await pyodide.loadPackage("smtpsim", { messageCallback: () => {}, errorCallback: (e) => errors.push(e) });
  if (errors.length) {
    process.stderr.write(`loadPackage failed: ${errors.join("; ")}\n`);
    process.exit(2);
  }
  return pyodide;
}
