// Times the JavaScript matcher for tests/diagnose/test_recogniser_speed.py. Reads on stdin
// {"rules": <compiled rules path>, "size": N, "seeds": {id: {kind: unit}}, "pastes": {kind: [unit, n]}}
// and prints {"slow": {id: {kind: ms}}, "pastes": {kind: ms}}: the CPU time of each recogniser's
// first search on each hostile text (the unit repeated to N characters, read as diagnose() reads a
// paste), and of diagnose() on each paste.
import { readFileSync } from "node:fs";
import { compile, diagnose, lowerAscii, normalise } from "../../docs/assets/js/diagnose-core.mjs";

const input = JSON.parse(readFileSync(0, "utf8"));
const rules = compile(JSON.parse(readFileSync(input.rules, "utf8")));
const cpuMs = (fn) => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const grow = (unit, n) => unit.repeat(Math.ceil(n / Math.max(unit.length, 1))).slice(0, n);
const times = {};
for (const rule of rules.rules) {
  for (const [kind, unit] of Object.entries(input.seeds[rule.id] || {})) {
    const text = lowerAscii(normalise(grow(unit, input.size)));
    times[rule.id] ??= {};
    times[rule.id][kind] = cpuMs(() => rule.regex.exec(text));
  }
}
const pastes = {};
for (const [kind, [unit, n]] of Object.entries(input.pastes)) {
  const text = grow(unit, n);
  pastes[kind] = cpuMs(() => diagnose(text, rules));
}
process.stdout.write(JSON.stringify({ times, pastes }));
