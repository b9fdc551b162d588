"""Schema of ``data/senders.yml``: senders that are not a mail program (websites, code, devices).

Validated like ``data/clients.yml`` (``macros.yamlfile``: file, line, key path and id in every message)
and exported as JSON Schema (``data/senders.schema.json``; ``python -m macros.senders_schema``
rewrites it, a test keeps it in sync). Settings fields reuse the clients' field model, so the same
settings tables render for a WordPress plugin as for Thunderbird. Code samples are Jinja templates in
``macros/templates/samples``; ``prints`` holds what a sample prints, checked against real runs by
``tests/senders``.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Literal

from pydantic import Field

from .clients_schema import ClientField, ClientLabels, FieldValue, Id, Note, Sourced, Text
from .safe_text import MarkdownText, PlainLines
from .yamlfile import (
    DataFileError,
    DataModel,
    Loc,
    editor_schema,
    parse_yaml,
    schema_file_text,
    validate_model,
)

ROOT = Path(__file__).resolve().parent.parent
DATA_PATH = ROOT / "data" / "senders.yml"
SCHEMA_PATH = ROOT / "data" / "senders.schema.json"
SAMPLES_DIR = Path(__file__).resolve().parent / "templates" / "samples"


class SendersDataError(DataFileError):
    """``data/senders.yml`` is invalid."""

    what = "the senders data"


class Language(enum.StrEnum):
    """Language of a code sample (its code-block language and how the tests run it)."""

    python = "python"
    php = "php"
    javascript = "javascript"
    csharp = "csharp"


class Prints(DataModel):
    """What a sample prints, line by line: signed in, and with the sign-in left out."""

    signed_in: list[Text] = Field(min_length=1)
    without_sign_in: list[Text] = Field(min_length=1)


class Sample(DataModel):
    """One executable code sample, rendered from the provider data."""

    id: Id
    title: Text = Field(description="Tab label, e.g. 'PHPMailer'")
    library: Text = Field(description="Library and how to install it")
    language: Language
    template: Text = Field(description="File in macros/templates/samples")
    run: Literal["python", "php", "node"] | None = Field(None, description="How tests/senders runs it")
    not_run: Text | None = Field(None, description="Why the tests cannot run it (required when run is empty)")
    tested_with: Text | None = Field(None, description="The library version the tests run")
    prints: Prints | None = None


class DeviceError(Sourced):
    """A code or message the device shows when sending fails, and what its maker says it means."""

    code: Text = Field(description="The code or message exactly as the device shows it, e.g. '#839'")
    meaning: Text = Field(description="What it means, in customers' words, from the source")


class Maker(Sourced):
    """Where one maker's devices keep their scan-to-email SMTP settings, from the maker's manuals."""

    id: Id
    name: Text
    models: Text = Field(description="Which devices the source covers")
    where: list[Text] = Field(min_length=1, description="Menu path in the device's web page")
    sign_in: Text = Field(description="The sign-in (SMTP AUTH) fields, in the maker's words")
    encryption: Text = Field(description="The encryption fields and choices, in the maker's words")
    errors: list[DeviceError] = Field(default_factory=list)


#: The outcomes of "Try your settings" (smtpsim.drivers.tryout.OUTCOMES, kept equal by a test).
Outcome = Literal[
    "wrong_host",
    "port_closed",
    "port_blocked",
    "tls_on_plain_port",
    "no_greeting",
    "starttls_not_offered",
    "auth_not_offered",
    "auth_failed",
    "sender_refused",
    "recipient_refused",
    "data_refused",
    "sent",
]


class ProgramMessage(Sourced):
    """What a program shows for one outcome, word for word: a template where ``{host}``, ``{port}``,
    ``{user}``, ``{recipient}``, ``{address}``, ``{code}``, ``{reply}`` and ``{text}`` stand for the
    reader's settings and the server's reply (smtpsim.drivers.tryout.fill)."""

    outcome: Outcome
    text: PlainLines = Field(description="The program's words, with the placeholders above")


class AutoStarttls(Sourced):
    """The program switches to STARTTLS by itself when the server offers it, even with no
    encryption chosen (RFC 3207 used opportunistically)."""

    setting: Text = Field(description="The program's setting for it, e.g. 'SMTPAutoTLS (on by default)'")


class Program(DataModel):
    """A program or library whose words a sender page quotes ("What you may see", "Try your
    settings")."""

    id: Id
    name: Text = Field(description="The program and the version the texts were read or measured with")
    shows: Text = Field(description="Where the reader sees the text, in customers' words")
    messages: list[ProgramMessage] = Field(min_length=1)
    auto_starttls: AutoStarttls | None = Field(None, description="Set when it starts TLS on its own")


class Sender(Sourced):
    """A website, program library or device that sends through SMTP."""

    id: Id
    name: Text
    kind: Literal["website", "code", "device"]
    versions: Text
    summary: Text
    menu_path: list[Text] = Field(default_factory=list)
    fields: list[ClientField] = Field(default_factory=list)
    labels: ClientLabels = Field(default_factory=ClientLabels)
    samples: list[Sample] = Field(default_factory=list)
    steps: list[MarkdownText] = Field(min_length=1)
    still_failing: list[MarkdownText] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    makers: list[Maker] = Field(default_factory=list, description="Devices: each maker's own words")
    programs: list[Program] = Field(default_factory=list, description="Whose refusal texts the page quotes")


class SendersData(DataModel):
    """The whole ``data/senders.yml``."""

    senders: list[Sender] = Field(min_length=1)


def cross_checks(model: SendersData) -> list[tuple[Loc, str]]:
    """Rules spanning several fields: unique ids, labels the fields need, runnable samples."""
    found: list[tuple[Loc, str]] = []
    seen: dict[str, int] = {}
    for i, sender in enumerate(model.senders):
        if sender.id in seen:
            found.append(
                (("senders", i, "id"), f"duplicate id {sender.id!r} (also senders[{seen[sender.id]}])")
            )
        seen.setdefault(sender.id, i)
        if sender.fields and not {FieldValue.host, FieldValue.port} <= {f.value for f in sender.fields}:
            found.append((("senders", i, "fields"), "the fields must show the host and the port"))
        for j, fld in enumerate(sender.fields):
            if (fld.value is FieldValue.fixed) != (fld.text is not None):
                found.append(
                    (
                        ("senders", i, "fields", j, "text"),
                        "'text' is required for value 'fixed' and only allowed there",
                    )
                )
            kind = fld.value.value
            if kind in ("security", "auth_method", "auth_required") and getattr(sender.labels, kind) is None:
                found.append((("senders", i, "labels"), f"field {fld.label!r} needs labels.{kind}"))
        maker_ids = [m.id for m in sender.makers]
        for j, maker_id in enumerate(maker_ids):
            if maker_id in maker_ids[:j]:
                found.append((("senders", i, "makers", j, "id"), f"duplicate maker id {maker_id!r}"))
        for j, program in enumerate(sender.programs):
            outcomes = [m.outcome for m in program.messages]
            for k, outcome in enumerate(outcomes):
                if outcome in outcomes[:k]:
                    where = ("senders", i, "programs", j, "messages", k, "outcome")
                    found.append((where, f"outcome {outcome!r} is given twice"))
        if not sender.fields and not sender.samples:
            found.append((("senders", i), "a sender needs settings fields or code samples"))
        ids: set[str] = set()
        for j, sample in enumerate(sender.samples):
            where = ("senders", i, "samples", j)
            if sample.id in ids:
                found.append(((*where, "id"), f"duplicate sample id {sample.id!r}"))
            ids.add(sample.id)
            if not (SAMPLES_DIR / sample.template).is_file():
                found.append(
                    ((*where, "template"), f"no template {sample.template!r} in macros/templates/samples")
                )
            if (sample.run is None) == (sample.not_run is None):
                found.append(((*where, "run"), "give either 'run' (tested) or 'not_run' (why not), not both"))
            if sample.run is not None and sample.prints is None:
                found.append(((*where, "prints"), "a sample the tests run must say what it prints"))
    return found


def load_text(text: str, file: str = "data/senders.yml") -> SendersData:
    data = parse_yaml(text, file, SendersDataError)
    if data is None:
        raise SendersDataError([])
    return validate_model(data, file, SendersData, cross_checks, SendersDataError)


def load_file(path: Path = DATA_PATH, display: str = "data/senders.yml") -> SendersData:
    return load_text(path.read_text(encoding="utf-8"), display)


def json_schema() -> dict:
    title = "SmartHost Help Centre: websites, code and devices that send mail (data/senders.yml)"
    return editor_schema(SendersData, title)


def schema_text() -> str:
    return schema_file_text(json_schema())


if __name__ == "__main__":  # python -m macros.senders_schema -> rewrite data/senders.schema.json
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH.relative_to(ROOT)}\n")
