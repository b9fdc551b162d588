"""docs/assets/js/diagnose-keep.mjs under Node: what the /diagnose/ page keeps of a long paste, link
or hand-over (issue 21 #1) is exactly what the matcher reads of the whole text (Python's
``cap(normalise(text))``, the reference both matchers share), found without reading the whole text:
the time stays flat from 64 KB to 1 MB."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from urllib.parse import quote

from smtpdiagnose.diagnose import CAP, cap, normalise
from support.node import node_json

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "docs" / "assets" / "js" / "diagnose-keep.mjs"

# decode: the page's tolerant percent-decoding (help.js decodeTolerant), restated for Node: a link's
# window may cut a UTF-8 sequence, which must not throw.
RUNNER = """
import { keepRead, keepReadEncoded, keptNote, LINK_HEAD, LINK_TAIL } from %s;
const utf8 = new TextDecoder("utf-8");
const decode = (s) => s.replace(/(?:%%[0-9a-f]{2})+/gi, (run) =>
  utf8.decode(Uint8Array.from(run.slice(1).split("%%"), (h) => parseInt(h, 16))));
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { texts, links, sizes } = JSON.parse(input);
const kept = texts.map((t) => keepRead(t));
const fromLinks = links.map((l) => keepReadEncoded(l, decode));
// what diagnose-link.js hands over of a long link: its two ends
const ends = (l) =>
  l.slice(0, LINK_HEAD) + (l.length > LINK_HEAD + LINK_TAIL ? l.slice(-LINK_TAIL) : l.slice(LINK_HEAD));
const fromEnds = links.map((l) => keepReadEncoded(ends(l), decode));
// the fastest of 30 calls: a call the machine's load preempted does not count
const times = sizes.map((n) => {
  const text = "x".repeat(n);
  let best = Infinity;
  for (let i = 0; i < 30; i += 1) {
    const start = performance.now();
    keepRead(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
});
const note = keptNote(1000075, "your {size} paste");
const linkEnds = [LINK_HEAD, LINK_TAIL];
process.stdout.write(JSON.stringify({ kept, fromLinks, fromEnds, times, note, linkEnds }));
"""


def texts() -> list[str]:
    rnd = random.Random(18)
    line = "250-mail.example.net says hello to you\r\n"
    astral = "\U0001f4e7 m\u00e9l \u2028"
    out = [
        "short text\n535 5.7.8 failed",
        "x" * CAP,  # exactly the cap: read whole
        "y" * (CAP + 1),  # one over, no line break anywhere
        line * 30_000,  # 1.2 MB of CR LF lines
        "\n" + "z" * 40_000 + "\n",  # line breaks only at the very ends
        astral * 5_000,  # surrogate pairs and U+2028 (a line break to the matcher)
        "\r\n" * 20_000,  # every character pair is one line break
        "\U0001f600" * 20_000,  # every pair is one character
    ]
    for _ in range(12):
        pieces = [
            rnd.choice([line, "550 5.7.1 relay denied\n", astral, "\r", "\u00a0 x " * 30]) for _ in range(900)
        ]
        out.append("".join(pieces))
    return out


def run(data: dict) -> dict:
    return node_json(["--input-type=module", "-e", RUNNER % json.dumps(MODULE.as_uri())], data)


def test_the_page_keeps_what_the_matcher_reads() -> None:
    cases = texts()
    links = [quote(t, safe="") for t in cases]
    out = run({"texts": cases, "links": links, "sizes": [1 << 16, 1 << 20]})
    for text, kept, from_link, from_ends in zip(
        cases, out["kept"], out["fromLinks"], out["fromEnds"], strict=True
    ):
        read, capped = cap(normalise(text))
        units = len(text.encode("utf-16-le")) // 2  # size as JavaScript counts it
        what = f"{len(text)} characters starting {text[:20]!r}"
        if capped:
            assert kept["text"] == read, what
            assert kept["cut"], what
        else:
            assert kept == {"text": text, "cut": False, "size": units}, what
        assert kept["size"] == units, what
        # the matcher reads the kept text as it read the whole one
        assert cap(normalise(kept["text"]))[0] == read, what
        assert cap(normalise(from_link["text"]))[0] == read, f"link of {what}"
        assert from_ends["text"] == from_link["text"], f"the ends of a link of {what}"
        assert from_link["size"] >= units if capped else from_link["size"] == units, what
    # only the two ends are looked at: 1 MB costs what 64 KB costs (well under a millisecond each)
    small, large = out["times"]
    assert large < max(5 * small, 2.0), out["times"]
    # diagnose-link.js (a classic script: no import) hands over as much of each end as is read
    link_js = (MODULE.parent / "diagnose-link.js").read_text(encoding="utf-8")
    assert re.findall(r"const HELP_LINK_(?:HEAD|TAIL) = (\d+);", link_js) == [str(n) for n in out["linkEnds"]]
    assert out["note"].startswith(
        "Kept the start and the end of your 1.0 MB paste: its first 4,096 and last 12,288"
    )
