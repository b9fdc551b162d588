#!/usr/bin/env python3
"""Write data/client-behaviour.json from a fresh run of the interoperability suite.

Run with ``make client-behaviour`` (real msmtp, s-nail, mutt, swaks, curl, smtplib and nodemailer
against ``smtpsim serve`` on loopback); ``tests/interop/test_interop.py`` fails when the committed
file and a fresh run disagree.
"""

from __future__ import annotations

import json

from support.interop import as_json, observe_all
from support.smtpsim_serve import ROOT

OUT = ROOT / "data" / "client-behaviour.json"


def main() -> None:
    data = as_json(observe_all())
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data['observations'])} observations")


if __name__ == "__main__":
    main()
