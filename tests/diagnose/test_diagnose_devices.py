"""The device layer on its own (issue 17, layer 5): a maker's own error code, or the message of the
mail library a device runs, gives the cause its maker documents. The texts are the makers' table rows
(Beckhoff TwinCAT SMTP, Schneider BMENOC0321) and ESP Mail Client's error strings
(src/ESP_Mail_Const.h), as a device's log prints them."""

from __future__ import annotations

import pytest

from smtpdiagnose.diagnose import diagnose

CASES = [
    # Beckhoff TwinCAT SMTP error table: 0x8017 wrong credentials, 0x8023 no common sign-in method
    ("SMTP send failed, error 0x8017", "bad-credentials"),
    ("FB_SmtpV3: nErrId = 0x8023", "auth-method-blocked"),
    # Schneider BMENOC0321 e-mail diagnostics: 16#5108 the server may require sign-in, 16#510D the
    # sign-in failed, 16#5107 the HELO was refused
    ("Email service last error: 16#5108", "no-auth"),
    ("Email service last error: 16#510D", "bad-credentials"),
    ("Email service last error: 16#5107", "bad-helo"),
    # ESP Mail Client (ESP32/ESP8266 boards): the library's own messages
    ("Error, the provided SASL authentication mechanism is not support", "auth-method-blocked"),
    ("Error, OAuth2.0 log in was disabled for this server", "auth-method-blocked"),
    ("Error, login password is not valid", "bad-credentials"),
    ("Error, unable to connect to server", "tls-required"),
    ("Error, NTP server time reading timed out", "client-bug"),
    # Round 8, other makers' tables (IDEC, Siemens CP, Beckhoff, Rockwell): a name DNS cannot resolve,
    # a cut connection, a failed TLS handshake, no address set
    (
        "EMAIL error 3: The host name of the sending e-mail server could not be resolved with DNS.",
        "temporary",
    ),
    ("STATUS 8409: It is not possible to write via the connection.", "temporary"),
    ("nErrId 0x80A5: SSL-handshake failed", "tls-required"),
    ("Error 0xFF/0x0102: To: address not specified.", "bad-recipient-syntax"),
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_a_devices_own_code_or_library_message_gives_its_documented_cause(text: str, cause: str) -> None:
    d = diagnose(text)
    assert d.causes[0]["id"] == cause, (text, d.causes, d.matched)
    assert d.decided_by == "device" and d.evidence[0]["layer"] == "device"


def test_the_servers_reply_in_the_same_log_outweighs_the_librarys_step() -> None:
    """ESP Mail Client names the step ("sender Email address is not valid"); the server's reply in the
    same log (a sender-domain refusal) says why, and decides."""
    text = (
        "< S: 550 5.1.8 <esp@device.invalid>: Sender address rejected: Domain not found\n"
        "Error, sender Email address is not valid"
    )
    assert diagnose(text).causes[0]["id"] == "sender-verify"
