"""Issue 10's JSON contract, typed once for the tests: the cause, server and stage ids that
``smtpsim diagnose --json``, ``/api/diagnoses.json`` and the corpus may use. The implementation
(``macros.diagnoses_schema``) declares its own copy; ``test_diagnoses_data`` checks the two agree."""

from __future__ import annotations

CAUSES = frozenset({
    "no-auth", "bad-credentials", "auth-method-blocked", "tls-required", "unknown-recipient",
    "bad-recipient-syntax", "sender-verify", "sender-not-allowed", "blocklist-or-policy",
    "rate-limit", "temporary", "bad-helo", "client-bug", "unknown",
})  # fmt: skip
SERVERS = frozenset({
    "exim", "exim-cpanel", "postfix", "gmail", "microsoft365", "exchange", "sendmail", "opensmtpd",
    "qmail", "other", "unknown",
})  # fmt: skip
STAGES = frozenset({"connect", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "message", "unknown"})
