// Reads {"rules": <path to compiled rules JSON>, "texts": [...]} on stdin and prints one diagnosis per
// text as a JSON array: the JavaScript half of tests/diagnose/test_parity.py.
import { readFileSync } from "node:fs";
import { compile, diagnose } from "../../docs/assets/js/diagnose-core.mjs";

const input = JSON.parse(readFileSync(0, "utf8"));
const rules = compile(JSON.parse(readFileSync(input.rules, "utf8")));
process.stdout.write(JSON.stringify(input.texts.map((t) => diagnose(t, rules))));
