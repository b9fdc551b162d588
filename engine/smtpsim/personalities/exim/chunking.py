"""Exim's CHUNKING (RFC 3030 BDAT), split out of exim.py: counted, never stored.

A refused BDAT is answered at once, before its chunk arrives, and the chunk is then skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...events import Result
from ...machine import Outcome
from .replies import EximReplies as R

if TYPE_CHECKING:
    from .server import Exim


class ChunkingMixin:
    def _bdat_args(self: Exim, arg: str) -> tuple[int, bool]:
        m = re.match(r"(\d+)[ \t]*(.*)$", arg)
        if not self.chunking:
            raise self.synprot_error(R.S503_BDAT_NOT_ADVERTISED)
        if not m:
            raise self.synprot_error(R.S501_BDAT_SIZE)
        return int(m.group(1)), m.group(2).lower() == "last"

    def on_bdat_no_mail(self: Exim, verb: str, arg: str) -> Result:
        """Refused at once (framing: bdat_refused_early); its chunk is then read and dropped."""
        size, _last = self._bdat_args(arg)
        self.bdat_discard = True
        self.chunking_active = False
        return Result(Outcome.DISCARD, (self._no_recipients("BDAT"),), verb, size)

    on_bdat_no_rcpt = on_bdat_no_mail

    def on_bdat(self: Exim, verb: str, arg: str) -> Result:
        size, self.bdat_last = self._bdat_args(arg)
        self.bdat_size, self.bdat_discard = size, False
        self.chunking_active = True
        return Result(Outcome.ACCEPTED, (), verb, size)  # the reply comes when the chunk has been read

    def last_chunk(self: Exim) -> Result:
        """BDAT LAST: ``250- n byte chunk, total t`` joined to the queued reply (or PRDR's)."""
        self.chunking_active = False
        head = R.S250_CHUNK_TOTAL.render(size=self.bdat_size, total=self.bdat_total)
        replies = self.message_accepted(head)
        self.new_message()
        return Result(Outcome.ACCEPTED, tuple(replies))
