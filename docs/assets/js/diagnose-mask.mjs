/* diagnose-mask.mjs: find sign-in secrets in a pasted text and hide them, before the diagnosis page
 * shows (or reads) the text. No DOM: the diagnosis worker and Node import it too.
 *
 *   maskCredentials("C: AUTH PLAIN AHVzZXIAcGFzcw==")
 *   // {text: "C: AUTH PLAIN ••••••••", count: 1}
 *
 * What counts as a secret (each pattern runs in time linear in the text: bounded repetitions only):
 * - the initial response of AUTH PLAIN / LOGIN / XOAUTH2 / OAUTHBEARER (RFC 4954 section 4, RFC 4616,
 *   RFC 7628): base64 after the mechanism name (not in an EHLO reply, which lists mechanisms);
 * - the client's answer to a server challenge, i.e. the line after a `334` reply (RFC 4954 section 4;
 *   AUTH LOGIN's `334 VXNlcm5hbWU6` "Username:" and `334 UGFzc3dvcmQ6` "Password:");
 * - `password=`, `pass=`, `passwd=`, `pwd=` (also `MAIL_PASSWORD=`) in URLs, logs and configuration,
 *   and `"password": "…"` / `pass: '…'` in dumped objects;
 * - the password of a URL's user information, `smtp://user:secret@host` (RFC 3986 section 3.2.1). */

export const MASK = "••••••••";

const MECHANISMS = new Set([
  "PLAIN",
  "LOGIN",
  "XOAUTH2",
  "OAUTHBEARER",
  "CRAM-MD5",
  "DIGEST-MD5",
  "SCRAM-SHA-1",
  "SCRAM-SHA-256",
  "GSSAPI",
  "NTLM",
  "EXTERNAL",
  "ANONYMOUS",
]);

/** `AUTH <mechanism> <initial response>`; group 1 = what precedes the response. An EHLO reply line
 * (`250-AUTH PLAIN LOGIN`) lists mechanisms, so a mechanism name is never taken as a response. */
const AUTH_INITIAL =
  /(\bAUTH[ \t]{1,20}(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER)[ \t]{1,20})([A-Za-z0-9+/=_-]{1,8000})/gi;
/** A server challenge: `334` and an optional base64 text, at the end of a line. */
const CHALLENGE = /(?:^|[^0-9])334(?:[ \t][A-Za-z0-9+/=]{0,400})?[ \t'"\\rn]{0,12}$/gm;
/** Base64 runs (RFC 4648 section 4, padded to a multiple of 4) in the line that answers a challenge. */
const TOKEN = /[A-Za-z0-9+/]{2,8000}={0,2}/g;
/** `password=secret`, `pwd=secret`, `MAIL_PASSWORD=secret` (not `compass=`). */
const KEY_VALUE =
  /((?<![A-Za-z])(?:password|passwd|pass|pwd)[ \t]{0,5}=[ \t]{0,5})("[^"\n]{1,400}"|'[^'\n]{1,400}'|[^\s&;,'"<>]{1,400})/gi;
/** `"password": "secret"`, `pass: 'secret'` (a dumped object: the value is quoted). */
const KEY_QUOTED =
  /((?<![A-Za-z])["']?(?:password|passwd|pass|pwd)["']?[ \t]{0,5}:[ \t]{0,5})("[^"\n]{1,400}"|'[^'\n]{1,400}')/gi;
/** `scheme://user:secret@` (group 2 is the password). */
const USERINFO = /(\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s:/@]{0,200}:)([^\s@/]{1,400})(?=@)/gi;

/** The secrets in `text` replaced by MASK: `{text, count}` (`count` = how many were hidden). No
 * pattern reaches across a line end, so each runs once over the whole text. */
export function maskCredentials(text) {
  let count = 0;
  const hide = (_whole, before) => {
    count += 1;
    return before + MASK;
  };
  const hideResponse = (whole, before, response) => {
    if (MECHANISMS.has(response.toUpperCase()) || response === "=") return whole;
    return hide(whole, before);
  };
  const masked = maskAnswers(String(text), () => {
    count += 1;
  })
    .replace(AUTH_INITIAL, hideResponse)
    .replace(KEY_VALUE, hide)
    .replace(KEY_QUOTED, hide)
    .replace(USERINFO, hide);
  return { text: count ? masked : String(text), count };
}

/** `text` with the answer to every `334` challenge masked: the next line that is not empty. */
function maskAnswers(text, counted) {
  const parts = [];
  let done = 0;
  for (const m of text.matchAll(CHALLENGE)) {
    let start = m.index + m[0].length;
    if (start < done) continue;
    while (start < text.length && (text[start] === "\n" || text[start] === " " || text[start] === "\t"))
      start += 1;
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    const answer = lastBase64(line);
    if (answer === null) continue;
    counted();
    parts.push(text.slice(done, start + answer.index), MASK);
    done = start + answer.index + answer[0].length;
  }
  parts.push(text.slice(done));
  return parts.join("");
}

/** The last base64 token of a line that answers a `334` challenge (`CLIENT -> SERVER: dXNlcg==`,
 * `send: 'dXNlcg==\r\n'`, ` -> dXNlcg==`), or null: padded to a multiple of 4 and not a plain word
 * (it has a digit, `+`, `/`, `=` or both cases), so `[credentials hidden]` or `*` (cancel) is not one. */
function lastBase64(line) {
  let last = null;
  for (const m of line.matchAll(TOKEN)) {
    const t = m[0];
    if (t.length % 4 === 0 && (/[0-9+/=]/.test(t) || (/[a-z]/.test(t) && /[A-Z]/.test(t)))) last = m;
  }
  return last;
}
