"""The localised layer on its own (issue 17): a program's message in another language gives the same
evidence as the program's English wording, and says which program wrote it. The texts are the
programs' own strings (PHPMailer's language/ files, Roundcube's messages.inc, Thunderbird's
composeMsgs.properties, .NET's resources) with their placeholders filled as the programs fill them."""

from __future__ import annotations

import unicodedata

import pytest

from smtpdiagnose.diagnose import diagnose

CASES = [
    # PHPMailer "SMTP Error: Could not authenticate." (language/phpmailer.lang-pl.php, -de.php)
    ("Błąd SMTP: nie udało się przeprowadzić uwierzytelnienia.", "bad-credentials", "phpmailer"),
    ("SMTP-Fehler: Authentifizierung fehlgeschlagen.", "bad-credentials", "phpmailer"),
    # Roundcube smtpautherror with the code Roundcube fills in: 535 a refused password, 250 the
    # server's greeting (no sign-in offered before encryption)
    ("Błąd SMTP (535): Uwierzytelnianie nie powiodło się.", "bad-credentials", None),
    ("SMTP Fehler (250): Die Authentisierung ist fehlgeschlagen", "tls-required", None),
    # Thunderbird smtpHintAuthPlainToEncrypt (fr): the server takes no password unencrypted
    (
        "Le serveur sortant (SMTP) smtp.example.com n’autorise pas les mots de passe non chiffrés.",
        "tls-required",
        "thunderbird",
    ),
    # .NET "The SMTP server requires a secure connection or the client was not authenticated" (ja,
    # de, pl, nl, zh): not a plain "encryption required"
    (
        "SMTP サーバーにセキュリティで保護された接続が必要であるか、またはクライアントが認証されていません。",
        "no-auth",
        "dotnet",
    ),
    (
        (
            "Für den SMTP-Server ist eine sichere Verbindung erforderlich, oder der Client wurde nicht "
            "authentifiziert."
        ),
        "no-auth",
        "dotnet",
    ),
    (
        "Serwer SMTP wymaga bezpiecznego połączenia lub klient nie został uwierzytelniony.",
        "no-auth",
        "dotnet",
    ),
    (
        "Voor de SMTP-server is een beveiligde verbinding vereist of de client is niet geverifieerd.",
        "no-auth",
        "dotnet",
    ),
    ("发送邮件失败：SMTP 服务器需要安全连接或客户端未经身份验证。", "no-auth", None),
    # .NET's MailAddress FormatException: the runtime's resource (de) and the docs' rendering (es)
    # word it differently; both name the specified string and the e-mail address
    (
        "Die angegebene Zeichenfolge besitzt nicht das für eine E-Mail-Adresse erforderliche Format.",
        "bad-recipient-syntax",
        "dotnet",
    ),
    (
        "La cadena especificada no está en la forma necesaria para una dirección de correo electrónico.",
        "bad-recipient-syntax",
        "dotnet",
    ),
    # "sender rejected: invalid sender domain" (the docs' ja and pl renderings): the server could not
    # verify the sender, although the enhanced code 5.1.0 speaks of an address in general
    (
        (
            "メールボックスが使用できません。サーバーの応答は次のとおりでした。"
            "5.1.0 <someuser@invaliddomain> 拒否送信者: 無効な送信者のドメイン"
        ),
        "sender-verify",
        None,
    ),
    (
        (
            "Skrzynka pocztowa nie jest dostępna. Odpowiedź serwera to: 5.1.0 <someuser@invaliddomain> "
            "Sender odrzucone: nieprawidłowa domena nadawcy"
        ),
        "sender-verify",
        "dotnet",
    ),
    # PHPMailer's provide_address (fr): the program sent without any recipient
    ("Vous devez fournir au moins une adresse de destinataire.", "client-bug", "phpmailer"),
    # Thunderbird's sendFailed (de) alone: weak evidence, the article's likeliest cause first
    ("Senden der Nachricht fehlgeschlagen.", "no-auth", None),
    # Outlook's 0x800CCC79 (es, Microsoft's page): the recipient refused, most often no sign-in
    (
        (
            "El mensaje no se pudo enviar porque el servidor rechazó uno de los destinatarios. La dirección "
            'de correo electrónico rechazada era "<a@example.com>".'
        ),
        "no-auth",
        "outlook-classic-windows",
    ),
    # Thunderbird's smtpAuthFailure (ko, round 8): the sign-in was refused
    (
        (
            "smtp.example.com SMTP 서버 인증에 실패했습니다. 비밀번호를 다시 확인 하고, "
            "'계정 설정 | 서버 설정'의 '인증 방식'을 확인 하십시오."
        ),
        "bad-credentials",
        "thunderbird",
    ),
    # round 9: an app password named in the reader's language (Google's and Apple's terms)
    ("Anmeldung abgelehnt: Erstellen Sie ein App-Passwort für dieses Gerät.", "auth-method-blocked", None),
    ("ログインできません。アプリ パスワードを使用してください。", "auth-method-blocked", None),
    ("登录失败：此帐户需要应用专用密码", "auth-method-blocked", None),
    # round 9: .NET's "client was not authenticated" as a Korean Exchange answers it
    ("서버 응답: 5.7.1 클라이언트가 인증되지 않았습니다.", "no-auth", None),
    # round 9: Ukrainian and Hungarian words for a refused sign-in and for too many messages
    ("Помилка SMTP: не вдалося увійти, перевірте ім'я користувача та пароль", "bad-credentials", None),
    ("A levél nem küldhető el: túl sok címzett.", "rate-limit", None),
    # round 9: Thunderbird in 15 more languages (thunderbird-l10n composeMsgs.properties), as shown
    (
        (
            "Kunne ikke godkendes af SMTP-serveren mail.example.com. Kontrollér adgangskoden og "
            "indstillingerne for sikker godkendelse i 'Kontoindstillinger | Udgående server (SMTP)'."
        ),
        "bad-credentials",
        "thunderbird",
    ),
    (
        (
            "Προέκυψε σφάλμα κατά την αποστολή email: Δεν ήταν δυνατή η δημιουργία ασφαλούς σύνδεσης με τον "
            "διακομιστή εξερχομένων (SMTP) mail.example.com με χρήση STARTTLS, επειδή δεν κοινοποιεί αυτήν "
            "τη λειτουργία."
        ),
        "tls-required",
        "thunderbird",
    ),
    (
        "Thư không được gửi do vượt quá số lượng người nhận cho phép. Máy chủ đã phản hồi: .",
        "rate-limit",
        "thunderbird",
    ),
    # round 9: PHPMailer's own messages in the languages it ships (language/phpmailer.lang-*.php)
    ("2026-12-07 10:00:01 SMTP hiba: az azonosítás sikertelen.", "bad-credentials", "phpmailer"),
    ("Mailer Error: Chyba SMTP: Autentizace selhala.", "bad-credentials", "phpmailer"),
    # round 9: Roundcube (a hosting company's webmail) in 21 more localisations (messages.inc)
    ("Virhe: SMTP-virhe (535): Tunnistus epäonnistui", "bad-credentials", None),
    ("For mange mottakere. Reduser antall mottakere til 50.", "rate-limit", None),
    # Exchange Online's "recipient's mailbox is full" NDR (de)
    ("Das Postfach des Empfängers ist voll und kann nachrichten jetzt nicht annehmen.", "temporary", None),
    # Exchange's send-as refusal as the es docs render it
    (
        (
            "Excepción: System.Net.Mail.SmtpException: buzón no disponible. La respuesta del servidor fue: "
            "5.7.1 El cliente no tiene permiso para enviar como este remitente"
        ),
        "sender-not-allowed",
        "dotnet",
    ),
]


@pytest.mark.parametrize(("text", "cause", "program"), CASES)
def test_a_localised_program_message_gives_the_english_wordings_evidence(
    text: str, cause: str, program: str | None
) -> None:
    d = diagnose(text)
    assert d.causes[0]["id"] == cause, (text, d.causes, d.matched)
    assert d.decided_by == "language" and d.evidence[0]["layer"] == "language"
    if program:
        assert d.program == program


def test_a_localised_message_does_not_outweigh_the_servers_own_reason() -> None:
    """Roundcube's German "recipient refused" wrapper names the step; the server's reply after it
    (here an unknown user) decides the cause."""
    text = 'SMTP Fehler (550): Konnte Empfänger "bob@example.net" nicht hinzufügen (5.1.1 User unknown).'
    d = diagnose(text)
    assert d.causes[0]["id"] == "unknown-recipient", d.causes


@pytest.mark.parametrize(
    "text",
    [
        # Thunderbird's errorSendingRcptCommand (fr) and smtpSendFailedUnknownServer (pl) open with the
        # same words as its STARTTLS and sign-in messages: those words alone say neither
        (
            "Une erreur est survenue lors de l’envoi de l’e-mail. Le serveur de courrier a répondu : "
            "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown. Veuillez vérifier "
            "l’adresse du destinataire bob@example.net et essayer à nouveau."
        ),
        (
            "메일 보내는 중 오류가 발생했습니다. 메일 서버 응답: 550 5.1.1 <bob@example.net>: "
            "Recipient address rejected: User unknown. 메시지 주소  bob@example.net를 확인하고 "
            "재시도해 보시기 바랍니다."
        ),
        (
            "Wystąpił błąd podczas wysyłania wiadomości: serwer „smtp.example.com” poczty wychodzącej "
            "(SMTP) jest nieznany. Serwer może być niewłaściwie skonfigurowany."
        ),
    ],
)
def test_a_programs_shared_opening_words_name_no_cause(text: str) -> None:
    ranked = [c["id"] for c in diagnose(text).causes]
    assert "tls-required" not in ranked and "bad-credentials" not in ranked, ranked


def _plain(text: str) -> str:
    """*text* with the diacritics of its Latin letters dropped ("Échec" -> "Echec")."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch) or not out or not out[-1].isascii():
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def test_a_wording_typed_without_accents_is_still_that_wording() -> None:
    """People (and some programs) write "Echec de la connexion" for "Échec de la connexion": every
    wording whose example has an accented Latin letter matches the example without its accents."""
    from macros.diagnoses_schema import load_file, matches

    accented = [r for r in load_file(timed=False).recognisers if _plain(r.example) != r.example]
    assert len(accented) > 50
    missed = [r.id for r in accented if not matches(r.match, _plain(r.example))]
    assert missed == []
    assert _plain("Échec, ошибка, Błąd, й") == "Echec, ошибка, Bład, й"
