// One message with nodemailer against the loopback `smtpsim serve` (tests/interop).
// argv: host port tls("" | "starttls" | "implicit") certificate-file auth("" | "1"); message on stdin.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(`${process.env.NODE_PATH}/`);
const nodemailer = require("nodemailer");
const [host, port, tls, cert, auth] = process.argv.slice(2);
const transport = nodemailer.createTransport({
  host,
  port: Number(port),
  secure: tls === "implicit",
  requireTLS: tls === "starttls",
  ignoreTLS: tls === "",
  name: "laptop.example",
  auth: auth ? { user: "alice@example.net", pass: "s3cret" } : undefined,
  tls: { ca: [readFileSync(cert)] },
  connectionTimeout: 30000,
});
try {
  const info = await transport.sendMail({
    envelope: { from: "alice@example.net", to: ["bob@elsewhere.example"] },
    raw: readFileSync(0),
  });
  console.error(info.response);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
