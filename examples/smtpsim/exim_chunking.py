"""Exim's CHUNKING (RFC 3030 BDAT), split out of exim.py: counted, never stored.

A refused BDAT is answered at once, before its chunk arrives, and the chunk is then skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .events import Reply
from .replies import Exim as R

if TYPE_CHECKING:
    from .exim import Exim


class ChunkingMixin:
    bdat_refused_early = True  # smtp_in.c replies, then bdat_flush_data() skips the chunk

    def _bdat_args(self: "Exim") -> tuple[int, bool]:
        m = re.match(r"(\d+)[ \t]*(.*)$", self._bdat_arg)
        if not self.chunking:
            raise self.synprot_error(503, R.S503_BDAT_NOT_ADVERTISED.texts[0], "bad-sequence")
        if not m:
            raise self.synprot_error(501, R.S501_BDAT_SIZE.texts[0], "syntax-error")
        return int(m.group(1)), m.group(2).lower() == "last"

    def on_bdat_no_mail(self: "Exim", arg: str) -> Reply:
        self._bdat_arg = arg
        size, last = self._bdat_args()
        self.bdat_discard = True
        self.conn.begin_chunk(size)
        self.chunking_active = False
        return self._no_recipients("BDAT")

    on_bdat_no_rcpt = on_bdat_no_mail

    def on_bdat(self: "Exim", arg: str) -> None:
        self._bdat_arg = arg
        size, self.bdat_last = self._bdat_args()
        self.bdat_size, self.bdat_discard = size, False
        self.chunking_active = True
        self.conn.begin_chunk(size)
        return None  # the reply comes when the chunk has been read

    def last_chunk(self: "Exim") -> list[Reply]:
        """BDAT LAST: ``250- n byte chunk, total t`` joined to the queued reply (or PRDR's)."""
        self.chunking_active = False
        head = R.S250_CHUNK_TOTAL.render(size=self.bdat_size, total=self.bdat_total)
        replies = self.message_accepted(head)
        self.new_message()
        return replies
